// Every event type the ledger accepts. A feature adds its types in its own module and spreads it here.
import { CATEGORY_EVENT_TYPES } from './category-events.ts';
import { TICKET_EVENT_TYPES } from './ticket-events.ts';
import type { EventTypeSpec } from './types.ts';

export type { EventTypeSpec } from './types.ts';

export const EVENT_TYPE_SPECS: Readonly<Record<string, EventTypeSpec>> = {
  ...TICKET_EVENT_TYPES,
  ...CATEGORY_EVENT_TYPES,
};
