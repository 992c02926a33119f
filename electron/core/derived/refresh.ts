// Keeps every projection in step with the ledger after events were appended, and rebuilds them all.
import type { Db } from '../db/connection.ts';
import { inTransaction } from '../db/transaction.ts';
import { CHUNK as TICKET_CHUNK, rebuildProjections, refreshTicketChunk, refreshTickets } from '../tickets/projections.ts';
import { TicketRepository } from '../tickets/ticket-repository.ts';
import type { EventRow } from '../ledger/ledger-repository.ts';
import type { DerivedProjection, TicketEvents } from './derived-projection.ts';
import { orderedProjections } from './projection-registry.ts';

/**
 * The tickets an append touched: their ids, or by id the types of the events appended to each, when the writer
 * knows them (a projection that reads only some types is then refreshed only where one of those arrived).
 */
export type TouchedTickets = ReadonlySet<string> | ReadonlyMap<string, ReadonlySet<string>>;

/** Notes an event of `type` appended to `ticket`. */
export function noteAppended(touched: Map<string, Set<string>>, ticket: string, type: string): void {
  const types = touched.get(ticket);
  if (types) types.add(type);
  else touched.set(ticket, new Set([type]));
}

/** Of these tickets (in order), those whose appended events this projection may read. */
function ticketsItReads(projection: DerivedProjection, ticketIds: readonly string[], touched: TouchedTickets): readonly string[] {
  const reads = projection.ticketEventTypes;
  if (!reads || !(touched instanceof Map)) return ticketIds;
  return ticketIds.filter((id) => {
    const types = touched.get(id);
    return types === undefined || reads.some((type) => types.has(type));
  });
}

function eventsOf(events: TicketEvents, ticketIds: readonly string[]): TicketEvents {
  const subset = new Map<string, readonly EventRow[]>();
  for (const id of ticketIds) {
    const list = events.get(id);
    if (list) subset.set(id, list);
  }
  return subset;
}

/** SQLite's order of TEXT under its default BINARY collation, for ids that hold only BMP characters. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Run inside the transaction that appended the events. */
export function refreshAfterAppend(db: Db, touchedTickets: TouchedTickets, ledgerEventTypes: ReadonlySet<string>, chunkSize = TICKET_CHUNK): void {
  const projections = orderedProjections();
  // In id order, as a rebuild writes them: every projection keyed by ticket id (clocks, facts, outcomes, the
  // indexes by ticket) then grows at one end instead of taking rows at random pages, and a ticket's events are
  // read from one stretch of the ledger's ticket index.
  const ticketIds = [...touchedTickets.keys()].sort(byCodeUnit);
  if (projections.some((projection) => projection.ledgerEventTypes?.some((type) => ledgerEventTypes.has(type)))) {
    // A ledger-wide fact (a policy, a contract…) changes a projection for every ticket: it is rebuilt whole, so
    // each projection is brought up to date for all tickets before the next one reads it.
    refreshTickets(db, ticketIds);
    for (const projection of projections) {
      if (projection.ledgerEventTypes?.some((type) => ledgerEventTypes.has(type))) projection.rebuildAll(db);
      else {
        const ids = ticketsItReads(projection, ticketIds, touchedTickets);
        if (ids.length > 0) projection.refreshTickets?.(db, ids);
      }
    }
    return;
  }
  // Only tickets changed: a chunk of tickets at a time, every projection in dependency order, their events read
  // once for all of them (a projection of a ticket depends on that ticket alone; see DerivedProjection).
  const tickets = new TicketRepository(db);
  for (let start = 0; start < ticketIds.length; start += chunkSize) {
    const chunk = ticketIds.slice(start, start + chunkSize);
    const events = tickets.eventsOfTickets(chunk);
    refreshTicketChunk(tickets, chunk, events);
    for (const projection of projections) {
      const ids = ticketsItReads(projection, chunk, touchedTickets);
      if (ids.length > 0) projection.refreshTickets?.(db, ids, ids.length === chunk.length ? events : eventsOf(events, ids));
    }
  }
}

/** `attest rebuild`: drops and replays every projection, in one transaction; reports seconds per projection. */
export function rebuildAllProjections(db: Db): { tickets: number; seconds: Record<string, number> } {
  return inTransaction(db, () => {
    const seconds: Record<string, number> = {};
    let started = performance.now();
    const result = rebuildProjections(db);
    seconds.tickets = (performance.now() - started) / 1000;
    for (const projection of orderedProjections()) {
      started = performance.now();
      projection.rebuildAll(db);
      seconds[projection.name] = (performance.now() - started) / 1000;
    }
    return { tickets: result.tickets, seconds };
  });
}
