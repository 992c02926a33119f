// Keeps the ticket projections in step with the ledger.
import type { ProjectedEvent } from '../derived/derived-projection.ts';
import { projectTicket, type TicketProjection } from './projector.ts';
import type { TicketRepository } from './ticket-repository.ts';

/** Tickets per chunk: the events of one chunk are in memory at a time, never the ledger's. */
export const CHUNK = 2000;

function projectChunk(eventsByTicket: Map<string, ProjectedEvent[]>): TicketProjection[] {
  const projections: TicketProjection[] = [];
  for (const [id, events] of eventsByTicket) projections.push(projectTicket(id, events));
  return projections;
}

/**
 * The ticket table's indexes that serve the console's reads only (the queue's filters and sorts, search by requester):
 * the projection writes every row by its key and reads none of them, so a bulk refresh or a
 * rebuild may drop them and build them again (derived/refresh.ts).
 */
export const TICKET_QUERY_INDEXES: readonly string[] = [
  'tickets_by_created',
  'tickets_by_status',
  'tickets_by_category',
  'tickets_by_resolver',
  'tickets_by_channel',
  'tickets_by_requester',
  'tickets_sort_created',
  'tickets_sort_updated',
  'tickets_sort_subject',
  'tickets_sort_category',
  'tickets_sort_channel',
  'tickets_sort_status',
  'tickets_sort_priority',
  'tickets_sort_resolved_by',
];

/**
 * Recomputes the projections of one chunk of tickets from their events, already read by the caller (who hands
 * the same rows to the other projections of the chunk: read once, not once per projection).
 *
 * A ticket's row is all the ticket projection stores of it, so a ticket whose row exists and keeps its queue keys
 * (subject, status and the facets counted) has the row rewritten in place: its search entry and counts are what they
 * were. Deleting and writing them again was about a fifth of an outcome verification's time (issue 15). Every other
 * ticket has its row deleted and written again.
 */
export function refreshTicketChunk(repository: TicketRepository, ticketIds: readonly string[], eventsByTicket: Map<string, ProjectedEvent[]>): void {
  const projections = projectChunk(eventsByTicket);
  const rewritten = repository.rewriteRowsInPlace(projections);
  const rewrite = ticketIds.filter((id) => !rewritten.has(id));
  repository.deleteTicketRows(rewrite);
  repository.saveAll(projections.filter((projection) => !rewritten.has(projection.ticket.id)));
}

/** Writes the projections of one chunk of tickets whose rows are known to be absent (a rebuild, after the clear). */
export function rebuildTicketChunk(repository: TicketRepository, eventsByTicket: Map<string, ProjectedEvent[]>): void {
  repository.saveAll(projectChunk(eventsByTicket));
}
