// SQL behind "one AI reply per customer turn": a ticket's conversation and AI run events read from the
// ledger's own `events` table (not from a projection), so the checks made inside a write transaction see
// exactly what another console on the same file committed before it.
import type { Db } from '../db/connection.ts';

export interface TurnEventRow {
  seq: number;
  type: 'message' | 'ai.decision' | 'ai.review';
  /** The actor as stored: canonical JSON. */
  actor: string;
  payload: string;
}

/** Every message, AI decision and AI review of the ticket, in ledger order. */
export function turnEventsOfTicket(db: Db, ticketId: string): TurnEventRow[] {
  return db
    .prepare("SELECT seq, type, actor, payload FROM events WHERE ticket_id = ? AND type IN ('message', 'ai.decision', 'ai.review') ORDER BY seq")
    .all(ticketId) as TurnEventRow[];
}

/** How many AI runs the ledger holds for the ticket (numbers the console's manual drafts). */
export function runCountOfTicket(db: Db, ticketId: string): number {
  return db.prepare("SELECT count(*) FROM events WHERE ticket_id = ? AND type = 'ai.decision'").pluck().get(ticketId) as number;
}
