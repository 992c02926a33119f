// Read-ahead before SQLite's structural checks (issue 15): the file is read through once, sequentially, so the check's
// page-by-page reads in b-tree order come from the operating system's cache (a cold 1,000,000-ticket file: quick_check
// 80 s → 6 + 8 s). Whether bytes were read is taken from the kernel's own count (/proc/thread-self/io, rchar: bytes
// this thread asked read() for), not from the module's return value alone. Timings are never asserted.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { verifyDatabaseFile } from '../../electron/core/verification/verify-database.ts';
import { READ_AHEAD_MIN_BYTES, readAhead } from '../../electron/core/db/read-ahead.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';

const THIS_THREAD = '/proc/thread-self/io';
const THIS_PROCESS = '/proc/self/io';
const counted = existsSync(THIS_THREAD) && existsSync(THIS_PROCESS);

/** Bytes read through read()/pread() so far, as the kernel counts them: by this thread, or by the whole process. */
function bytesRead(counters: typeof THIS_THREAD | typeof THIS_PROCESS = THIS_THREAD): number {
  const line = readFileSync(counters, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('rchar:'));
  return Number(line!.split(':')[1]);
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * A table of `rows` random blobs of `rowBytes` each, written in one transaction; returns its insert (one blob of the
 * size bound).
 */
function fillWithRandomBytes(db: Database.Database, rows: number, rowBytes: number): Database.Statement {
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO filler (body) VALUES (randomblob(?))');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(rowBytes);
  })();
  return insert;
}

/** A WAL database with `mib` MiB in a table, its last commit still in the WAL (the connection is returned open). */
function databaseWithWal(dir: string, mib: number): { path: string; db: Database.Database } {
  const path = join(dir, 'filled.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  const insert = fillWithRandomBytes(db, mib * 16, 64 * 1024);
  db.pragma('wal_checkpoint(TRUNCATE)');
  insert.run(256 * 1024);
  return { path, db };
}

describe.skipIf(!counted)('read-ahead (bytes read counted by the kernel)', () => {
  it('reads the file and its write-ahead log through once, and changes neither', () => {
    const { path, db } = databaseWithWal(tempDir(), 4);
    try {
      const expected = statSync(path).size + statSync(`${path}-wal`).size;
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(256 * 1024);
      const before = { file: sha256(path), wal: sha256(`${path}-wal`) };
      const counter = bytesRead();
      const read = readAhead(path, { minBytes: 1, availableBytes: 1e12 });
      const counted = bytesRead() - counter;
      expect(read).toBe(expected);
      expect(counted).toBeGreaterThanOrEqual(expected);
      expect({ file: sha256(path), wal: sha256(`${path}-wal`) }).toEqual(before);
    } finally {
      db.close();
    }
  });

  it('leaves a file below the minimum, one over half the memory available and a missing one unread', () => {
    const { path, db } = databaseWithWal(tempDir(), 2);
    try {
      const size = statSync(path).size + statSync(`${path}-wal`).size;
      for (const budget of [{ minBytes: size + 1, availableBytes: 1e12 }, { minBytes: 1, availableBytes: 2 * size - 2 }]) {
        const counter = bytesRead();
        expect(readAhead(path, budget)).toBe(0);
        expect(bytesRead() - counter).toBeLessThan(size / 4);
      }
      expect(readAhead(join(tempDir(), 'absent.db'), { minBytes: 1, availableBytes: 1e12 })).toBe(0);
      // Exactly half the memory available still reads it.
      expect(readAhead(path, { minBytes: 1, availableBytes: 2 * size })).toBe(size);
    } finally {
      db.close();
    }
  });

  it('the structural check before a write reads a large file through first, then checks it page by page', () => {
    const path = largeLedgerFile();
    const size = statSync(path).size;
    const before = sha256(path);
    const counter = bytesRead();
    const db = openDatabase(path, { mustExist: true });
    const counted = bytesRead() - counter;
    db.close();
    // The read-ahead (the whole file) and quick_check's own reads of every page in use (nearly all of it).
    expect(counted).toBeGreaterThan(1.9 * size);
    expect(sha256(path)).toBe(before);
  });

  it.each([
    ['on the caller\'s thread', { threads: 1 }],
    ['in a worker thread of its own, beside the chain\'s', { threads: 2, minEvents: 0 }],
  ])("verification's integrity check reads the file through first, then checks it page by page: %s", async (_, threads) => {
    const path = largeLedgerFile();
    const size = statSync(path).size;
    // The whole process's count: the integrity check runs in a worker thread when the chain does.
    const counter = bytesRead(THIS_PROCESS);
    const result = await verifyDatabaseFile(path, threads);
    const counted = bytesRead(THIS_PROCESS) - counter;
    expect(result.status.intact).toBe(true);
    expect(result.integrityAlongside).toBe(threads.threads > 1);
    expect(counted).toBeGreaterThan(1.9 * size);
  });
});

/** An Attest ledger (the small fixture's events) made larger than READ_AHEAD_MIN_BYTES by a table of random bytes. */
function largeLedgerFile(): string {
  const path = join(tempDir(), 'ledger.db');
  const db = openDatabase(path);
  importJsonlFile(db, SMALL_FIXTURE);
  db.close();
  // Past the size from which a file is read ahead; a check also reads each of its pages, so together about twice.
  const raw = new Database(path);
  fillWithRandomBytes(raw, (READ_AHEAD_MIN_BYTES / (256 * 1024)) * 1.25, 256 * 1024);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  expect(statSync(path).size).toBeGreaterThan(READ_AHEAD_MIN_BYTES);
  return path;
}
