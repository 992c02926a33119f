// Keeps every projection in step with the ledger after events were appended, and rebuilds them all.
import type { Db } from '../db/connection.ts';
import { inTransaction } from '../db/transaction.ts';
import { CHUNK as TICKET_CHUNK, rebuildProjections, refreshTicketChunk, refreshTickets } from '../tickets/projections.ts';
import { TicketRepository } from '../tickets/ticket-repository.ts';
import { orderedProjections } from './projection-registry.ts';

/** SQLite's order of TEXT under its default BINARY collation, for ids that hold only BMP characters. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Run inside the transaction that appended the events. */
export function refreshAfterAppend(db: Db, touchedTickets: ReadonlySet<string>, ledgerEventTypes: ReadonlySet<string>, chunkSize = TICKET_CHUNK): void {
  const projections = orderedProjections();
  // In id order, as a rebuild writes them: every projection keyed by ticket id (clocks, facts, outcomes, the
  // indexes by ticket) then grows at one end instead of taking rows at random pages, and a ticket's events are
  // read from one stretch of the ledger's ticket index.
  const ticketIds = [...touchedTickets].sort(byCodeUnit);
  if (projections.some((projection) => projection.ledgerEventTypes?.some((type) => ledgerEventTypes.has(type)))) {
    // A ledger-wide fact (a policy, a contract…) changes a projection for every ticket: it is rebuilt whole, so
    // each projection is brought up to date for all tickets before the next one reads it.
    refreshTickets(db, ticketIds);
    for (const projection of projections) {
      if (projection.ledgerEventTypes?.some((type) => ledgerEventTypes.has(type))) projection.rebuildAll(db);
      else if (ticketIds.length > 0) projection.refreshTickets?.(db, ticketIds);
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
    for (const projection of projections) projection.refreshTickets?.(db, chunk, events);
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
