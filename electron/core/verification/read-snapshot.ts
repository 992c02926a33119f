import type { Db } from '../db/connection.ts';

/**
 * Runs `work` in one read transaction on a connection of its own, so everything it reads (events, the recorded
 * head, projections, checkpoints) is one consistent snapshot, whatever other connections commit meanwhile.
 */
export async function inReadSnapshot<T>(db: Db, work: () => Promise<T> | T): Promise<T> {
  db.exec('BEGIN DEFERRED');
  try {
    return await work();
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}
