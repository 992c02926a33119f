// What the clock engine reads of a ticket's events: the one reading, for the SLA projection, a ticket's SLA panel and
// evidence, and an evaluation as of an instant (ticket-sla-as-of.ts). Pure: no SQL. The projection used to extract
// these fields in SQL (json_extract per event) after its refresh had already read the same events for the ticket
// table: one read of the chunk now serves both, and there is one reading instead of two that had to agree.
import type { EventRow } from '../ledger/ledger-repository.ts';
import { payloadOf } from '../ledger/parsed-payload.ts';
import { byOccurrence } from '../tickets/lifecycle.ts';
import { CLOCK_EVENT_TYPES, type EngineEvent } from './clock-engine.ts';
import type { TicketTraits } from './policy-set.ts';

type Payload = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const kindOf = (value: unknown): string => text((value as { kind?: unknown } | undefined)?.kind) ?? 'system';

/** What the engine reads of an event with this payload; null for the types the clocks do not read. */
export function engineEventOf(event: { seq: number; at: string; type: string }, payload: Payload): EngineEvent | null {
  switch (event.type) {
    case 'created': {
      const traits: TicketTraits = {
        priority: String(payload.priority),
        category: String(payload.category),
        channel: String(payload.channel),
        organization: text(payload.organization),
        tier: text((payload.attributes as Payload | undefined)?.tier),
      };
      return { seq: event.seq, at: event.at, type: 'created', actorKind: 'system', isPublic: false, status: null, traits };
    }
    case 'message':
      return { seq: event.seq, at: event.at, type: 'message', actorKind: kindOf(payload.author), isPublic: payload.public === true, status: null, traits: null };
    case 'status':
      return { seq: event.seq, at: event.at, type: 'status', actorKind: kindOf(payload.by), isPublic: false, status: String(payload.status), traits: null };
    default:
      return null;
  }
}

const CLOCK_TYPES: ReadonlySet<string> = new Set(CLOCK_EVENT_TYPES);

/** The engine's events among a ticket's stored events (any order, any types), ordered by occurrence. */
export function engineEventsOf(rows: readonly Pick<EventRow, 'seq' | 'at' | 'type' | 'payload'>[]): EngineEvent[] {
  const events: EngineEvent[] = [];
  for (const row of rows) {
    if (!CLOCK_TYPES.has(row.type)) continue;
    const event = engineEventOf(row, payloadOf(row));
    if (event) events.push(event);
  }
  return events.sort(byOccurrence);
}
