// Keeps the ticket projections in step with the ledger.
import type { Db } from '../db/connection.ts';
import { inTransaction } from '../db/transaction.ts';
import { projectTicket } from './projector.ts';
import { TicketRepository } from './ticket-repository.ts';

const CHUNK = 2000;

/** Recomputes the projections of the given tickets from their events. Run inside the caller's transaction. */
export function refreshTickets(db: Db, ticketIds: Iterable<string>): void {
  const repository = new TicketRepository(db);
  const ids = [...ticketIds];
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    repository.deleteProjections(chunk);
    for (const [id, events] of repository.eventsOfTickets(chunk)) repository.save(projectTicket(id, events));
  }
}

/** Drops every projection and replays the whole ledger, one chunk of tickets at a time. */
export function rebuildProjections(db: Db): { tickets: number } {
  const repository = new TicketRepository(db);
  let tickets = 0;
  // Joins the caller's transaction when there is one (better-sqlite3 nests it as a savepoint).
  inTransaction(db, () => {
    repository.clearProjections();
    let after = '';
    for (;;) {
      const ids = repository.ticketIdsAfter(after, CHUNK);
      if (ids.length === 0) break;
      for (const [id, events] of repository.eventsOfTickets(ids)) repository.save(projectTicket(id, events));
      tickets += ids.length;
      after = ids[ids.length - 1]!;
    }
  });
  return { tickets };
}
