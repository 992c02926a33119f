// The SQL verification reads besides the chain itself: what the projections claim about the ledger.
import type { Db } from '../db/connection.ts';

export interface TicketProjectionClaims {
  /** Tickets the projection lists. */
  tickets: number;
  /** Of them, tickets of which the ledger holds no event at all. */
  ticketsWithoutEvents: number;
  /** Events the projection counts over all tickets. */
  projectedEvents: number;
  /** The highest sequence number any ticket's projection has seen. */
  lastProjectedSeq: number;
}

export class VerificationRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  hasTable(name: string): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  }

  ticketProjectionClaims(): TicketProjectionClaims {
    return this.db
      .prepare(
        `SELECT count(*) AS tickets,
                coalesce(sum(NOT EXISTS (SELECT 1 FROM events e WHERE e.ticket_id = t.id)), 0) AS ticketsWithoutEvents,
                coalesce(sum(event_count), 0) AS projectedEvents,
                coalesce(max(last_seq), 0) AS lastProjectedSeq
           FROM tickets t`,
      )
      .get() as TicketProjectionClaims;
  }

  ticketEventCount(): number {
    return this.db.prepare('SELECT count(*) FROM events WHERE ticket_id IS NOT NULL').pluck().get() as number;
  }
}
