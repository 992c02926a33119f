// The read-only view of the ledger that event rules get: they judge a new event against what is already
// recorded (including events appended earlier in the same transaction), never against a projection.
import type { Actor } from '../../../shared/domain.ts';
import type { EventRow, LedgerRepository } from './ledger-repository.ts';

export interface StoredEvent {
  seq: number;
  ticket: string | null;
  type: string;
  at: string;
  recordedAt: string;
  actor: Actor;
  payload: Record<string, unknown>;
  /** The event's hash (what a signature names). */
  hash: string;
}

export interface LedgerReader {
  /** Ledger-wide events of one type, in sequence order. */
  ledgerWide(type: string): StoredEvent[];
  /** Every event of one ticket, in sequence order. */
  ofTicket(ticket: string): StoredEvent[];
  bySeq(seq: number): StoredEvent | undefined;
}

export function storedEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    ticket: row.ticket_id,
    type: row.type,
    at: row.at,
    recordedAt: row.recorded_at,
    actor: JSON.parse(row.actor) as Actor,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    hash: row.hash,
  };
}

export function ledgerReader(repository: LedgerRepository): LedgerReader {
  return {
    ledgerWide: (type) => repository.ledgerWideOfType(type).map(storedEvent),
    ofTicket: (ticket) => repository.eventsOfTicket(ticket).map(storedEvent),
    bySeq: (seq) => {
      const row = repository.eventAtSeq(seq);
      return row ? storedEvent(row) : undefined;
    },
  };
}
