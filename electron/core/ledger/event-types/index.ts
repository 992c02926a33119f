// Every event type the ledger accepts. A feature adds its types in its own module and spreads it here.
import { AI_EVENT_TYPES } from './ai-events.ts';
import { CATEGORY_EVENT_TYPES } from './category-events.ts';
import { CHECKPOINT_EVENT_TYPES } from './checkpoint-events.ts';
import { KPI_EVENT_TYPES } from './kpi-events.ts';
import { SLA_EVENT_TYPES } from './sla-events.ts';
import { IMPORT_EVENT_TYPES } from './import-events.ts';
import { OUTCOME_EVENT_TYPES } from './outcome-events.ts';
import { TICKET_EVENT_TYPES } from './ticket-events.ts';
import type { EventTypeSpec } from './types.ts';

export type { EventTypeSpec } from './types.ts';

export const EVENT_TYPE_SPECS: Readonly<Record<string, EventTypeSpec>> = {
  ...TICKET_EVENT_TYPES,
  ...CATEGORY_EVENT_TYPES,
  ...KPI_EVENT_TYPES,
  ...SLA_EVENT_TYPES,
  ...IMPORT_EVENT_TYPES,
  ...AI_EVENT_TYPES,
  ...OUTCOME_EVENT_TYPES,
  ...CHECKPOINT_EVENT_TYPES,
};
