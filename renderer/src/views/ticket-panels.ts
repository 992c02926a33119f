// Extra sections of the ticket detail, shown under its summary (SLA clocks, billing state, AI attribution…).
// A feature adds its panel with one entry here.
import type { ComponentType } from 'react';
import { SlaTicketPanel } from './sla/SlaTicketPanel.tsx';
import { AiTicketPanel } from './ai/AiTicketPanel.tsx';
import { OutcomeTicketPanel } from './outcomes/OutcomeTicketPanel.tsx';

export interface TicketPanelEntry {
  id: string;
  Component: ComponentType<{ ticketId: string; ledgerVersion: number }>;
}

export const TICKET_PANELS: TicketPanelEntry[] = [{ id: 'sla', Component: SlaTicketPanel }, { id: 'ai', Component: AiTicketPanel }, { id: 'outcomes', Component: OutcomeTicketPanel }];
