// A write that finds another connection holding SQLite's write lock waits for it (the connection's busy_timeout)
// instead of failing with "database is locked". SQLite invokes the busy handler only when a transaction asks for a lock
// before it has read: a deferred transaction that reads the head and then writes gets SQLITE_BUSY at once. Every write
// therefore begins IMMEDIATE (db/transaction.ts inWriteTransaction). A CI run once failed on exactly this, in a worker
// that appended through recordEvents while verifications read the same file.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');

/** Another process's writer: takes the write lock, holds it for `holdMs`, then rolls back (nothing committed). */
const LOCK_HOLDER = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
const flag = new Int32Array(workerData.flag);
db.exec('BEGIN IMMEDIATE');
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
Atomics.wait(flag, 0, 1, workerData.holdMs);
db.exec('ROLLBACK');
db.close();
`;

async function whileAnotherConnectionHoldsTheWriteLock<T>(path: string, holdMs: number, work: () => T): Promise<T> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(LOCK_HOLDER, { eval: true, workerData: { driver: DRIVER, path, flag: flag.buffer, holdMs } });
  const exited = new Promise<number>((resolve, reject) => {
    worker.once('exit', resolve);
    worker.once('error', reject);
  });
  try {
    // Blocks this thread until the holder has the lock (the holder runs on its own thread meanwhile).
    expect(Atomics.wait(flag, 0, 0, 10_000)).not.toBe('timed-out');
    return work();
  } finally {
    await exited;
  }
}

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function ledger(): { path: string; db: Db } {
  const path = join(tempDir(), 'ledger.db');
  const db = openDatabase(path);
  open.push(db);
  importJsonlFile(db, SMALL_FIXTURE);
  return { path, db };
}

const followUp = (body: string) => ({ ticket: 'T-1', type: 'message', at: new Date().toISOString(), author: { kind: 'customer', id: 'c-1' }, public: true, body });

describe('a write waits for another writer rather than failing', () => {
  it('the hazard itself: a deferred transaction that read first gets "database is locked" without waiting', async () => {
    const { path, db } = ledger();
    const readThenWrite = db.transaction(() => {
      db.prepare('SELECT count(*) FROM events').get();
      db.prepare('CREATE TABLE probe (x)').run();
    });
    await expect(whileAnotherConnectionHoldsTheWriteLock(path, 300, () => readThenWrite())).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
  });

  it('recordEvents appends once the other writer lets go', async () => {
    const { path, db } = ledger();
    const before = new LedgerRepository(db).lastEvent().seq;
    const [recorded] = await whileAnotherConnectionHoldsTheWriteLock(path, 300, () => recordEvents(db, [followUp('sent while another writer held the lock')]));
    expect(recorded).toMatchObject({ added: true, seq: before + 1, ticket: 'T-1', type: 'message' });
    expect(new LedgerRepository(db).lastEvent().seq).toBe(before + 1);
  });
});
