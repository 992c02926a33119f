// The SQL verification reads besides the chain itself: what the projections claim about the ledger.
import type { Db } from '../db/connection.ts';

export interface TicketProjectionClaims {
  /** Tickets the projection lists. */
  tickets: number;
  /** Of them, tickets of which the ledger holds no event at all. */
  ticketsWithoutEvents: number;
  /** Events the projection counts over all tickets. */
  projectedEvents: number;
}

export class VerificationRepository {
  protected readonly db: Db;
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
                coalesce(sum(event_count), 0) AS projectedEvents
           FROM tickets t`,
      )
      .get() as TicketProjectionClaims;
  }

  /**
   * How many tickets the other per-ticket projections describe: the queue's counts (their sum) and the KPI facts (a
   * row per ticket). Both are kept with the ticket rows, so neither may describe more tickets than the table lists.
   */
  ticketsOtherProjectionsDescribe(): { table: string; tickets: number }[] {
    const described: { table: string; tickets: number }[] = [];
    if (this.hasTable('ticket_counts')) described.push({ table: 'ticket_counts', tickets: this.db.prepare('SELECT coalesce(sum(n), 0) FROM ticket_counts').pluck().get() as number });
    if (this.hasTable('kpi_ticket_facts')) described.push({ table: 'kpi_ticket_facts', tickets: this.db.prepare('SELECT count(*) FROM kpi_ticket_facts').pluck().get() as number });
    return described;
  }

  ticketEventCount(): number {
    return this.db.prepare('SELECT count(*) FROM events WHERE ticket_id IS NOT NULL').pluck().get() as number;
  }

  /**
   * The highest event number each projection table refers to (tables with a `seq`-named column, the ledger's own
   * tables aside): a projection that refers beyond the ledger's head was built from events that are gone.
   */
  projectionSeqReach(): { table: string; column: string; maxSeq: number }[] {
    const tables = this.db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    const reach: { table: string; column: string; maxSeq: number }[] = [];
    for (const table of tables) {
      if (table === 'events' || table === 'ledger_head') continue;
      const columns = (this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).filter((c) => c === 'seq' || c.endsWith('_seq'));
      for (const column of columns) {
        const maxSeq = this.db.prepare(`SELECT max("${column}") FROM "${table}"`).pluck().get() as number | null;
        if (maxSeq !== null) reach.push({ table, column, maxSeq });
      }
    }
    return reach;
  }

  maxEventSeq(): number {
    return (this.db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null) ?? 0;
  }
}
