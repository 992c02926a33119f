// A console job in a thread of its own (job-thread.ts starts it): the outcome verification, a helpdesk import or the
// auditor pack. The job is the one the CLI runs (runVerificationJob, importFile, writePack: the same steps, rules and ledger appends); only where
// it runs differs. Reading, judging, hashing, appending and refreshing the projections all happen here, on a
// connection of this thread, at a lower priority, so the console's thread only hands out write turns. Each write is
// still a turn of the console's write gate — asked for by message — so a job never writes while a person's change is
// being written.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Db } from '../db/connection.ts';
import { useDatabaseKey, type DatabaseKey } from '../db/database-key.ts';
import { runLocked, type WriteTurn } from '../db/write-gate.ts';
import { beginWrite, WriteBusyError, type WriteLock } from '../db/write-lock.ts';
import { PackStopped, writePack } from '../audit/pack.ts';
import { registerFeatures } from '../features.ts';
import { setResourcesDir } from '../resources.ts';
import { adoptProcessSession, processSession } from '../sessions/session-start.ts';
import { importFile, importLabel } from '../importers/import-run.ts';
import { ImportCancelled } from '../importers/import-types.ts';
import { ImportError } from '../interchange/jsonl-import.ts';
import { runVerificationJob } from '../outcomes/verification.ts';
import { emptyVerificationMemory, packVerificationMemory, transferablesOf, unpackVerificationMemory } from '../outcomes/verification-memory.ts';
import {
  JOB_CANCEL,
  JOB_STATE,
  STATE_IDLE,
  STATE_IN_SQLITE,
  type ConsoleToJobMessage,
  type ImportJob,
  type JobData,
  type JobFailure,
  type JobThreadMessage,
  type PackJob,
  type VerificationJob,
} from './job-protocol.ts';

const data = workerData as JobData;
const control = new Int32Array(data.control);
const post = (message: JobThreadMessage, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(message, transfer);
const cancelRequested = (): boolean => Atomics.load(control, JOB_CANCEL) === 1;

/** The console has closed: no SQLite call may start here any more. */
class ConsoleClosed extends Error {}

/** How many enterSqlite calls are open (a pack's write turn runs inside the pack's own busy stretch). */
let sqliteDepth = 0;

/** Marks the thread busy in SQLite, unless the console has closed (then nothing may start here any more). */
function enterSqlite(): void {
  if (sqliteDepth === 0 && Atomics.compareExchange(control, JOB_STATE, STATE_IDLE, STATE_IN_SQLITE) !== STATE_IDLE) throw new ConsoleClosed('the console closed');
  sqliteDepth++;
}

function leaveSqlite(): void {
  if (--sqliteDepth > 0) return;
  Atomics.store(control, JOB_STATE, STATE_IDLE);
  Atomics.notify(control, JOB_STATE);
}

function inSqlite<T>(work: () => T): T {
  enterSqlite();
  try {
    return work();
  } finally {
    leaveSqlite();
  }
}

/** Busy in SQLite for the whole of asynchronous work (a pack reads its snapshot across awaits). */
async function inSqliteAsync<T>(work: () => Promise<T>): Promise<T> {
  enterSqlite();
  try {
    return await work();
  } finally {
    leaveSqlite();
  }
}

let closing = false;
let grant: { resolve: () => void; reject: (error: Error) => void } | null = null;
parentPort!.on('message', (message: ConsoleToJobMessage) => {
  const waiting = grant;
  grant = null;
  if (message.kind === 'granted') waiting?.resolve();
  else {
    closing = true;
    waiting?.reject(new ConsoleClosed('the console closed'));
  }
});

/** Waits for the console's write gate to give this job its turn. */
function askTurn(what: string): Promise<void> {
  if (closing) return Promise.reject(new ConsoleClosed('the console closed'));
  return new Promise<void>((resolve, reject) => {
    grant = { resolve, reject };
    post({ kind: 'turn', what });
  });
}

/**
 * One write as one turn of the console's write gate, on this thread's connection. Busy in SQLite from the first
 * attempt at SQLite's lock to the commit: the gate is ours, but another process may still hold the lock, and
 * beginWrite waits for it (asynchronously) between attempts.
 */
async function inTurn<T>(db: Db, what: string, write: (lock: WriteLock) => T | Promise<T>): Promise<T> {
  await askTurn(what);
  try {
    enterSqlite();
    try {
      return await write(await beginWrite(db, what));
    } finally {
      leaveSqlite();
    }
  } finally {
    post({ kind: 'turnEnded', session: processSession(data.dbPath) });
  }
}

/**
 * Batches here are sized to about this long (at most VERIFICATION_BATCH tickets): this thread holds nobody's event
 * loop, and each commit makes every other connection drop its page cache (SQLite resets a connection's cache when
 * another has written since its last read) — the console's thread re-reads from the file after every batch.
 */
const THREAD_SLICE_MS = 250;

async function verify(db: Db, job: VerificationJob): Promise<unknown> {
  const turn: WriteTurn = (what, work) => inTurn(db, what, (lock) => runLocked(lock, work));
  const memory = job.memory ? unpackVerificationMemory(job.memory) : emptyVerificationMemory();
  const report = await runVerificationJob(db, job.asOf, (progress) => post({ kind: 'progress', progress }), {
    nowMs: job.nowMs,
    write: turn,
    cancelled: cancelRequested,
    sliceMs: THREAD_SLICE_MS,
    memory,
  });
  const packed = packVerificationMemory(memory);
  post({ kind: 'memory', memory: packed }, transferablesOf(packed));
  return report;
}

function importInTurn(db: Db, job: ImportJob): Promise<unknown> {
  const signal = {
    get cancelled() {
      return cancelRequested();
    },
  };
  const { kind: _kind, ...options } = job;
  // The import's one transaction is the turn: importFile opens it with the lock the turn took, and ends it.
  return inTurn(db, importLabel(job), (lock) =>
    importFile(db, { ...options, signal, begin: async () => lock, onProgress: (progress) => post({ kind: 'progress', progress }) }, PROGRESS_EVERY_MS),
  );
}

/** The auditor pack: its checkpoint written in one turn, then the files, read in one snapshot on this connection. */
function pack(db: Db, job: PackJob): Promise<unknown> {
  return writePack(db, job.dir, {
    key: job.signer,
    period: job.period,
    contract: job.contract,
    write: (work) => inTurn(db, 'checkpoint of the pack', (lock) => runLocked(lock, work)),
    // A closing console sets the cancel word before it waits for this thread: the pack stops at its next step.
    stopped: cancelRequested,
  });
}

/** How often an import here says how far it is (it yields nothing to anyone else: the console's thread is free). */
const PROGRESS_EVERY_MS = 100;

function failureOf(error: unknown): JobFailure {
  if (error instanceof WriteBusyError) return { kind: 'busy', message: error.message };
  if (error instanceof ImportError) return { kind: 'import', file: error.file, line: error.line, field: error.field, reason: error.reason };
  if (error instanceof ImportCancelled) return { kind: 'cancelled', message: error.message };
  if (error instanceof PackStopped) return { kind: 'stopped', message: error.message };
  return { kind: 'other', message: (error as Error).message };
}

async function run(): Promise<void> {
  registerFeatures();
  useDatabaseKey(data.dbPath, data.key ? (Buffer.from(data.key) as DatabaseKey) : null);
  setResourcesDir(data.resourcesDir);
  adoptProcessSession(data.dbPath, data.session);
  // The console opened, migrated and checked this file moments ago (structureCheckedByThisProcess: see OpenOptions).
  const db = inSqlite(() => openDatabase(data.dbPath, { mustExist: true, skipMigrations: true, structureCheckedByThisProcess: true }));
  try {
    const job = data.job;
    const running = job.kind === 'verification' ? verify(db, job) : job.kind === 'import' ? importInTurn(db, job) : inSqliteAsync(() => pack(db, job));
    post({ kind: 'done', report: await running });
  } finally {
    try {
      inSqlite(() => db.close());
    } catch {
      // The console closed first: the thread ends without another SQLite call (its connection goes with it).
    }
  }
}

run()
  .catch((error: unknown) => {
    if (!(error instanceof ConsoleClosed)) post({ kind: 'failed', failure: failureOf(error) });
  })
  .finally(() => parentPort!.close());
