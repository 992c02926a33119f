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
 * The ticket tables' indexes that serve the console's reads only (the queue's filters and sorts, search by requester,
 * a ticket's messages): the projection writes every row by its key and reads none of them, so a bulk refresh or a
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
  'messages_by_ticket',
];

/**
 * The event types that write rows of their own besides the ticket's (messages: projector.ts). An append of none of
 * them changes only the ticket's own row (a status change may change its queue keys: see refreshTicketChunk).
 */
export const TYPES_WITH_ROWS_OF_THEIR_OWN: ReadonlySet<string> = new Set(['message']);

/**
 * Recomputes the projections of one chunk of tickets from their events, already read by the caller (who hands
 * the same rows to the other projections of the chunk: read once, not once per projection).
 *
 * `appendedTypes`, when the caller knows them, gives each ticket's types just appended. A ticket that got none of
 * TYPES_WITH_ROWS_OF_THEIR_OWN (an outcome verified, an AI step, a dispute) has its row rewritten in place, when the
 * queue's keys of the row (subject, status and the facets counted) stay as they were: its messages, search entry and
 * counts are what they were. Deleting and writing them again was about a fifth of an outcome verification's time
 * (issue 15). Every other ticket has its row deleted and written again; of its messages only those of events after
 * its stored row's last are written (each is its own event's alone, and an append adds only later events). Deleting
 * and writing all of them again made every append to a long-lived ticket cost as much as the ticket's whole history:
 * one message appended to a ticket of 8,000 events took 58 ms, now 32 ms (issue 15).
 */
export function refreshTicketChunk(
  repository: TicketRepository,
  ticketIds: readonly string[],
  eventsByTicket: Map<string, EventRow[]>,
  appendedTypes?: (ticketId: string) => ReadonlySet<string> | undefined,
): void {
  const projections = projectChunk(eventsByTicket);
  const ownRowsKept = (id: string): boolean => {
    const types = appendedTypes?.(id);
    if (!types) return false;
    for (const type of TYPES_WITH_ROWS_OF_THEIR_OWN) if (types.has(type)) return false;
    return true;
  };
  const rewritten = repository.rewriteRowsInPlace(projections.filter((projection) => ownRowsKept(projection.ticket.id)));
  const rewrite = ticketIds.filter((id) => !rewritten.has(id));
  const kept = repository.projectedUpTo(rewrite);
  repository.deleteTicketRows(rewrite);
  repository.saveAll(
    projections.filter((projection) => !rewritten.has(projection.ticket.id)),
    kept,
  );
}

/** Writes the projections of one chunk of tickets whose rows are known to be absent (a rebuild, after the clear). */
export function rebuildTicketChunk(repository: TicketRepository, eventsByTicket: Map<string, EventRow[]>): void {
  repository.saveAll(projectChunk(eventsByTicket));
}
