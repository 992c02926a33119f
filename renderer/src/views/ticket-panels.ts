// Extra sections of the ticket detail, shown under its summary (SLA clocks, billing state, AI attribution…).
// A feature adds its panel with one entry here.
import type { ComponentType } from 'react';

export interface TicketPanelEntry {
  id: string;
  Component: ComponentType<{ ticketId: string; ledgerVersion: number }>;
}

export const TICKET_PANELS: TicketPanelEntry[] = [];
