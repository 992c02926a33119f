// A replica of a team ledger takes events only from the team (electron/core/team/): its sync and its write gate
// register the connections they write through here. Every other writer is refused in LedgerWriter, so the rule
// holds on every path that appends (CLI, import, a desktop console opened on the replica file).
import type { Db } from '../db/connection.ts';
import { LineError } from './line-error.ts';

const teamConnections = new WeakSet<Db>();

/** The team sync and write gate write the replica through this connection. */
export function allowTeamWrites(db: Db): void {
  teamConnections.add(db);
}

/** Refuses an append to a replica file through a connection the team did not register. */
export function requireNotAReplica(db: Db, team: string | null): void {
  if (team === null || teamConnections.has(db)) return;
  throw new LineError(
    'ledger',
    `${db.name} is a replica of the team ledger ${team}: its events come only from the team ledger; write through a console connected to it (attest serve --team)`,
  );
}
