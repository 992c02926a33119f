// Taking SQLite's write lock without ever failing with "database is locked" after a few seconds.
//
// SQLite lets one connection write at a time (WAL: readers are never blocked). A connection's busy_timeout waits
// synchronously — it freezes the event loop, and in the console the import that holds the lock runs on that same
// loop, so the wait could only end in "database is locked". Here the lock is tried without waiting and retried
// after short asynchronous pauses, for a generous bounded time, telling the caller what it waits for.
//
// Who holds the lock is written in a small note beside the database (`<db>-writer`: pid, what, since), so a
// waiter in another process can say "import of tickets.csv". The note is advisory: it is read only when the
// lock is found taken, and a note left by a process that no longer runs (a crash) is ignored.
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Db } from './connection.ts';

export interface WriteHolder {
  pid: number;
  /** What it writes: "import of tickets.csv", "categories set billing". */
  what: string;
  /** ISO time it took the lock. */
  since: string;
}

/** Ten minutes: long enough for a large import in another process, short enough that a stuck one is reported. */
export const DEFAULT_MAX_WAIT_MS = 10 * 60 * 1000;

/** `ATTEST_WRITE_WAIT_SECONDS` bounds the wait for another process's write (tests make it short). */
export function maxWaitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ATTEST_WRITE_WAIT_SECONDS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_WAIT_MS;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_MAX_WAIT_MS;
}

/** The plain sentence for someone waiting on another process's write. */
export function waitingMessage(holder: WriteHolder | null): string {
  return holder
    ? `waiting for another Attest process that is writing (${holder.what}, pid ${holder.pid}, since ${holder.since})…`
    : 'waiting for another Attest process that is writing…';
}

/** The write could not start within the bound: nothing of it was recorded. */
export class WriteBusyError extends Error {
  readonly holder: WriteHolder | null;
  readonly what: string;
  constructor(what: string, holder: WriteHolder | null, waitedMs: number) {
    const who = holder ? `another Attest process (pid ${holder.pid}) has been writing (${holder.what}) since ${holder.since}` : 'another process is writing to the database';
    super(`${what}: not recorded: ${who}; gave up after waiting ${Math.round(waitedMs / 1000)} s (ATTEST_WRITE_WAIT_SECONDS sets the wait)`);
    this.holder = holder;
    this.what = what;
  }
}

function notePath(db: Db): string | null {
  // In-memory and temporary databases have no file other processes could share.
  return db.memory || db.name === '' ? null : `${db.name}-writer`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface StoredNote extends WriteHolder {
  token: string;
}

function readNote(path: string): StoredNote | null {
  try {
    const note = JSON.parse(readFileSync(path, 'utf8')) as Partial<StoredNote>;
    if (typeof note.pid !== 'number' || typeof note.what !== 'string' || typeof note.since !== 'string' || typeof note.token !== 'string') return null;
    return note as StoredNote;
  } catch {
    return null;
  }
}

/** Who holds the write lock according to its note; null when unknown or when the note's process is gone. */
export function readWriteHolder(db: Db): WriteHolder | null {
  const path = notePath(db);
  const note = path ? readNote(path) : null;
  if (!note || !isRunning(note.pid)) return null;
  return { pid: note.pid, what: note.what, since: note.since };
}

/**
 * Tries `BEGIN IMMEDIATE` without waiting: true when this connection now holds the write lock, false when
 * another connection does. The connection's own busy_timeout is restored afterwards.
 */
export function tryBeginImmediate(db: Db): boolean {
  if (db.inTransaction) throw new Error('a transaction is already open on this connection: a write must start its own, never join another');
  const previous = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw error;
  } finally {
    db.pragma(`busy_timeout = ${Number(previous)}`);
  }
}

export interface BeginWriteOptions {
  /** How long to wait for another process (default: ATTEST_WRITE_WAIT_SECONDS, else ten minutes). */
  maxWaitMs?: number;
  /** Called when the lock is found taken, and again whenever the holder changes. */
  onWait?: (holder: WriteHolder | null) => void;
  /** Called once the wait is over (the lock was taken or the wait given up). */
  onWaitEnd?: () => void;
}

/**
 * The write lock of one connection, taken by `beginWrite`; `end` commits or rolls back and clears the note.
 * Ending twice is harmless (the second finds no transaction), so cleanup code may always call it.
 */
export interface WriteLock {
  end(outcome: 'commit' | 'rollback'): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens an IMMEDIATE transaction on `db` as soon as no other connection writes, waiting asynchronously (reads
 * and other work of this process go on meanwhile). Throws WriteBusyError after the bound; writes a holder note.
 */
export async function beginWrite(db: Db, what: string, options: BeginWriteOptions = {}): Promise<WriteLock> {
  const maxWaitMs = options.maxWaitMs ?? maxWaitFromEnv();
  const started = Date.now();
  let waiting = false;
  let lastHolder: string | undefined;
  try {
    for (let attempt = 0; !tryBeginImmediate(db); attempt++) {
      const holder = readWriteHolder(db);
      const waited = Date.now() - started;
      if (waited >= maxWaitMs) throw new WriteBusyError(what, holder, waited);
      const key = holder ? `${holder.pid} ${holder.what}` : '';
      if (!waiting || key !== lastHolder) options.onWait?.(holder);
      waiting = true;
      lastHolder = key;
      // Short pauses first (most writes take milliseconds), then at most half a second.
      await sleep(Math.min(500, 10 * 2 ** attempt, Math.max(1, maxWaitMs - waited)));
    }
  } finally {
    if (waiting) options.onWaitEnd?.();
  }
  return announce(db, what);
}

/** The synchronous variant for code that cannot wait (scripts, tests): SQLite's own busy_timeout applies. */
export function beginWriteSync(db: Db, what: string): WriteLock {
  if (db.inTransaction) throw new Error('a transaction is already open on this connection: a write must start its own, never join another');
  db.exec('BEGIN IMMEDIATE');
  return announce(db, what);
}

function announce(db: Db, what: string): WriteLock {
  const path = notePath(db);
  const note: StoredNote = { pid: process.pid, what, since: new Date().toISOString(), token: randomUUID() };
  if (path) {
    // Written whole under a temporary name, then renamed: a waiter never reads half a note.
    const temporary = `${path}.${note.token}`;
    try {
      writeFileSync(temporary, JSON.stringify(note));
      renameSync(temporary, path);
    } catch {
      // The note is a courtesy to waiters (a read-only folder has none); the write itself goes on.
      rmSync(temporary, { force: true });
    }
  }
  let released = false;
  const release = (): void => {
    if (released || !path) return;
    released = true;
    // Another process may have taken the lock (and written its note) right after our commit: keep theirs.
    if (readNote(path)?.token === note.token) rmSync(path, { force: true });
  };
  return {
    end(outcome) {
      try {
        if (db.inTransaction) db.exec(outcome === 'commit' ? 'COMMIT' : 'ROLLBACK');
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      } finally {
        release();
      }
    },
  };
}
