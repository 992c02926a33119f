import type { Db } from './connection.ts';

/**
 * Runs `work` in a transaction — or, when the caller already opened one, simply inside it. Nested
 * better-sqlite3 transactions become SAVEPOINTs, and FTS5 tables (ticket search, the knowledge base)
 * flush their pending index data at every savepoint, which made a 10,000-ticket rebuild 15x slower.
 * Work run this way must not be caught and continued after a failure: the outer transaction rolls back.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.inTransaction ? work() : db.transaction(work)();
}

/**
 * Runs `work` in an IMMEDIATE transaction — or inside the caller's, when one is open — for work that writes. The
 * write lock is taken before the first read, so the reads that decide (the head, a ticket's state) are the ones the
 * write is based on, and a wait for another writer goes through the connection's busy_timeout. A deferred
 * transaction that has read cannot wait: when it asks for the write lock SQLite answers "database is locked" at once
 * (a lock-timing failure under load that a CI run once showed).
 */
export function inWriteTransaction<T>(db: Db, work: () => T): T {
  return db.inTransaction ? work() : db.transaction(work).immediate();
}

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
