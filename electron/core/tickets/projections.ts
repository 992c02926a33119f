// Keeps the ticket projections in step with the ledger.
import type { EventRow } from '../ledger/ledger-repository.ts';
import { projectTicket, type TicketProjection } from './projector.ts';
import type { TicketRepository } from './ticket-repository.ts';

/** Tickets per chunk: the events of one chunk are in memory at a time, never the ledger's. */
export const CHUNK = 2000;

function projectChunk(eventsByTicket: Map<string, EventRow[]>): TicketProjection[] {
  const projections: TicketProjection[] = [];
  for (const [id, events] of eventsByTicket) projections.push(projectTicket(id, events));
  return projections;
}

/**
 * Recomputes the projections of one chunk of tickets from their events, already read by the caller (who hands
 * the same rows to the other projections of the chunk: read once, not once per projection).
 */
export function refreshTicketChunk(repository: TicketRepository, ticketIds: readonly string[], eventsByTicket: Map<string, EventRow[]>): void {
  repository.deleteProjections(ticketIds);
  repository.saveAll(projectChunk(eventsByTicket));
}

/** Writes the projections of one chunk of tickets whose rows are known to be absent (a rebuild, after the clear). */
export function rebuildTicketChunk(repository: TicketRepository, eventsByTicket: Map<string, EventRow[]>): void {
  repository.saveAll(projectChunk(eventsByTicket));
}
