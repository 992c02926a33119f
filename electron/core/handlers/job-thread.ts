// A console job in a thread of its own (job-worker.ts), seen from the console's thread: the outcome verification, a
// helpdesk import or the auditor pack runs there with its own connection, so reading, judging, hashing and writing never hold the
// console's thread. This side grants the job's write turns at the console's write gate, passes its progress on,
// cancels it, and — when the console closes — stops it between two SQLite calls, never inside one.
import { Worker } from 'node:worker_threads';
import { PackStopped } from '../audit/pack.ts';
import { databaseKeyFor } from '../db/database-key.ts';
import type { WriteGate } from '../db/write-gate.ts';
import { WriteBusyError } from '../db/write-lock.ts';
import { ImportCancelled } from '../importers/import-types.ts';
import { ImportError } from '../interchange/jsonl-import.ts';
import { resourcePath } from '../resources.ts';
import { transferablesOf, type PackedVerificationMemory } from '../outcomes/verification-memory.ts';
import { noteSessionOfThread, processSession } from '../sessions/session-start.ts';
import { keepOutcomesTabCurrent } from './read-thread.ts';
import {
  JOB_CANCEL,
  JOB_CONTROL_WORDS,
  JOB_STATE,
  STATE_IDLE,
  STATE_IN_SQLITE,
  STATE_STOPPED,
  type ConsoleToJobMessage,
  type Job,
  type JobData,
  type JobFailure,
  type JobThreadMessage,
} from './job-protocol.ts';

/** How long a closing console waits for the job's SQLite call under way (a batch, or an import's rollback). */
const CLOSE_WAIT_MS = 120_000;

let workerUrlOverride: URL | undefined;

/** Bundled builds (Electron main) ship the job thread as its own file and point here to it. */
export function setJobWorkerUrl(url: URL): void {
  workerUrlOverride = url;
}

/** Whether jobs on this database can run in a thread: a file (not in memory) and a gate that takes their writes. */
export function jobsRunInThreads(dbPath: string, gate: WriteGate): boolean {
  return dbPath !== ':memory:' && dbPath !== '' && gate.acceptsWritesFromOtherThreads();
}

/** The error the job raised, as the same class on this side (the console reports each kind its own way). */
function errorOf(failure: JobFailure, what: string): Error {
  switch (failure.kind) {
    case 'busy':
      return Object.assign(new WriteBusyError(what, null, 0), { message: failure.message });
    case 'import':
      return new ImportError(failure.file, failure.line, failure.field, failure.reason);
    case 'cancelled':
      return new ImportCancelled();
    case 'stopped':
      return new PackStopped();
    default:
      return new Error(failure.message);
  }
}

/** Running jobs by database file, so a closing core stops its own. */
const running = new Map<string, Set<JobThread<unknown, unknown>>>();

export class JobThread<Progress, Report> {
  /** The job's report; rejects with the job's own error (WriteBusyError, ImportError, ImportCancelled…). */
  readonly report: Promise<Report>;
  private readonly control = new Int32Array(new SharedArrayBuffer(JOB_CONTROL_WORDS * 4));
  private readonly worker: Worker;
  private readonly dbPath: string;
  /** An outcome verification's memory after the job (job-protocol.ts), once its thread has sent it. */
  verificationMemory: PackedVerificationMemory | null = null;
  /** Ends the gate's turn the job holds, if it holds one. */
  private endTurn: (() => void) | null = null;

  constructor(dbPath: string, job: Job, gate: WriteGate, what: string, onProgress: (progress: Progress) => void) {
    this.dbPath = dbPath;
    const key = databaseKeyFor(dbPath);
    const data: JobData = { dbPath, key: key ? new Uint8Array(key) : null, resourcesDir: resourcePath(), session: processSession(dbPath), job, control: this.control.buffer as SharedArrayBuffer };
    // A verification's memory is moved to the job's thread, not copied (it is the job's from here on).
    const transferList = job.kind === 'verification' && job.memory ? transferablesOf(job.memory) : [];
    this.worker = new Worker(workerUrlOverride ?? new URL('./job-worker.ts', import.meta.url), { workerData: data, transferList });
    const send = (message: ConsoleToJobMessage): void => this.worker.postMessage(message);
    let outcome: Extract<JobThreadMessage, { kind: 'done' | 'failed' }> | null = null;
    this.worker.on('message', (message: JobThreadMessage) => {
      if (message.kind === 'progress') onProgress(message.progress as Progress);
      else if (message.kind === 'memory') this.verificationMemory = message.memory;
      else if (message.kind === 'turn') {
        // Held until the job says its transaction ended (or its thread is gone): a person's change queued meanwhile
        // is written right after, never inside it.
        gate
          .hold(message.what, () => {
            send({ kind: 'granted' });
            return new Promise<void>((resolve) => (this.endTurn = resolve));
          })
          .catch(() => send({ kind: 'closing' }));
      } else if (message.kind === 'turnEnded') {
        noteSessionOfThread(dbPath, message.session);
        this.releaseTurn();
        keepOutcomesTabCurrent(dbPath);
      }
      else outcome = message;
    });
    set(running, dbPath).add(this);
    this.report = new Promise((resolve, reject) => {
      this.worker.once('error', (error) => (outcome ??= { kind: 'failed', failure: { kind: 'other', message: error.message } }));
      this.worker.once('exit', (code) => {
        this.releaseTurn();
        running.get(dbPath)?.delete(this);
        if (outcome?.kind === 'done') resolve(outcome.report as Report);
        else if (outcome?.kind === 'failed') reject(errorOf(outcome.failure, what));
        else if (Atomics.load(this.control, JOB_STATE) === STATE_STOPPED) reject(new Error(`${what}: stopped: the console closed`));
        else reject(new Error(`${what}: its thread exited with code ${code} before it answered`));
      });
    });
  }

  /** Asks the job to stop at its next step; what it committed before stays. */
  cancel(): void {
    Atomics.store(this.control, JOB_CANCEL, 1);
  }

  private releaseTurn(): void {
    const end = this.endTurn;
    this.endTurn = null;
    end?.();
  }

  /**
   * For a closing console: cancels the job and waits (blocking this thread, at most CLOSE_WAIT_MS) for the SQLite
   * call under way to end; after this returns none runs in the job's thread and none starts there.
   */
  stopNow(): void {
    this.cancel();
    // Said before this thread blocks: a job inside SQLite that waits for a turn (a pack, for its checkpoint) hears it
    // on its own event loop, gives up the turn it cannot get, and leaves SQLite.
    this.worker.postMessage({ kind: 'closing' } satisfies ConsoleToJobMessage);
    const deadline = Date.now() + CLOSE_WAIT_MS;
    while (Atomics.compareExchange(this.control, JOB_STATE, STATE_IDLE, STATE_STOPPED) === STATE_IN_SQLITE) {
      if (Atomics.wait(this.control, JOB_STATE, STATE_IN_SQLITE, Math.max(1, deadline - Date.now())) === 'timed-out') break;
    }
    running.get(this.dbPath)?.delete(this);
    this.releaseTurn();
  }
}

function set<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let values = map.get(key);
  if (!values) map.set(key, (values = new Set()));
  return values;
}

/** Stops every job running in a thread on this file (a closing core). */
export function stopJobThreads(dbPath: string): void {
  for (const job of running.get(dbPath) ?? []) job.stopNow();
}
