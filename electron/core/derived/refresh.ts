// Keeps every projection in step with the ledger after events were appended, and rebuilds them all.
import type { Db } from '../db/connection.ts';
import { inTransaction } from '../db/transaction.ts';
import { rebuildProjections, refreshTickets } from '../tickets/projections.ts';
import { orderedProjections } from './projection-registry.ts';

/** Run inside the transaction that appended the events. */
export function refreshAfterAppend(db: Db, touchedTickets: ReadonlySet<string>, ledgerEventTypes: ReadonlySet<string>): void {
  refreshTickets(db, touchedTickets);
  const ticketIds = [...touchedTickets];
  for (const projection of orderedProjections()) {
    if (projection.ledgerEventTypes?.some((type) => ledgerEventTypes.has(type))) projection.rebuildAll(db);
    else if (ticketIds.length > 0) projection.refreshTickets?.(db, ticketIds);
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
