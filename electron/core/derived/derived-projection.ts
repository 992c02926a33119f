import type { Db } from '../db/connection.ts';
import type { EventRow } from '../ledger/ledger-repository.ts';

/**
 * An event as the projections read it: not its record time or its links in the chain, which no projection derives
 * anything from (reading them took 12–16 % of the time a refresh spent reading a chunk's events).
 */
export type ProjectedEvent = Pick<EventRow, 'seq' | 'ticket_id' | 'type' | 'at' | 'actor' | 'payload'>;

/** Every event of some tickets, by ticket, in ledger order. */
export type TicketEvents = ReadonlyMap<string, readonly ProjectedEvent[]>;

/** A table (or set of tables) computed from the ledger, kept in step with it by every write path. */
export interface DerivedProjection {
  name: string;
  /** Ledger-wide event types whose arrival changes this projection (it is then rebuilt). */
  ledgerEventTypes?: readonly string[];
  /**
   * The ticket event types this projection reads, when it reads only some: a ticket whose newly appended events are
   * all of other types keeps exactly the rows it had, and its refresh is skipped (an outcome verification appends
   * `outcome.*` events to tens of thousands of tickets whose clocks none of them can move). Absent: any type may.
   */
  ticketEventTypes?: readonly string[];
  /**
   * Recompute what depends on these tickets (their events changed). It may read the ledger, the ledger-wide
   * projections and these tickets' rows of the projections it comes after — never another ticket's — so the
   * tickets can be refreshed a chunk at a time. `events`, when given, holds every event of exactly these
   * tickets (ledger order per ticket), already read: use it rather than reading them again.
   */
  refreshTickets?(db: Db, ticketIds: readonly string[], events?: TicketEvents): void;
  /**
   * This projection's indexes that serve reads only: nothing in its refresh or rebuild (nor in any projection's)
   * reads them. A bulk refresh and a rebuild drop them and build them again at the end (db/deferred-indexes.ts).
   */
  queryIndexes?: readonly string[];
  /** Drop and recompute everything from the ledger. */
  rebuildAll(db: Db): void;
  /**
   * With refreshTickets, how a rebuild can join the one pass over the tickets that every per-ticket projection shares
   * (derived/refresh.ts): drop every row and recompute the ledger-wide parts only; refreshTickets then writes the
   * tickets, a chunk at a time, while their events are in memory and their pages in SQLite's cache.
   */
  reset?(db: Db): void;
}

/**
 * The events of these types among `events` (already read, see refreshTickets) of these tickets, in ledger order: what a
 * projection that copies some types of events would otherwise read again from the ledger's ticket index, every event
 * of every ticket looked up to find the few of its types.
 */
export function eventsOfTypes(events: TicketEvents, ticketIds: readonly string[], types: ReadonlySet<string>): ProjectedEvent[] {
  const rows: ProjectedEvent[] = [];
  for (const id of ticketIds) {
    for (const row of events.get(id) ?? []) if (types.has(row.type)) rows.push(row);
  }
  return rows.sort((a, b) => a.seq - b.seq);
}

/** SQLite's order of TEXT under its default BINARY collation, for ids that hold only BMP characters: ticket id order. */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Rows of several tickets' events, as read, grouped by ticket (each ticket's rows in the order read). */
export function groupedByTicket<T extends { ticket_id: string | null }>(rows: readonly T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const id = row.ticket_id!;
    const list = grouped.get(id);
    if (list) list.push(row);
    else grouped.set(id, [row]);
  }
  return grouped;
}
