// One of the console's whole-file checks running in its own thread (deep-worker.ts), seen from the console's side:
// its progress, its outcome, and a stop that is a request, never a kill. `ended` settles only once the thread has
// exited, its connections (and those of the chain threads it started) closed.
import { Worker } from 'node:worker_threads';
import type { ChainFinding, ChainStatus } from '../../../shared/contract.ts';
import { databaseKeyFor } from '../db/database-key.ts';
import { verifyWorkerUrl } from '../ledger/verify-parallel.ts';

/** Index of the stop word in the shared control array (set by the console). */
export const CHECK_STOP = 0;
/** Index of the word the thread sets once nothing it opened holds the file any more. */
export const CHECK_CLOSED = 1;
/**
 * Index of the word the thread sets before it opens anything. A thread whose code failed to load never sets it, so
 * a close does not wait for a CHECK_CLOSED that cannot come. The console sets STOP before it reads STARTED, the thread
 * sets STARTED before it reads STOP: one of the two always sees the other.
 */
export const CHECK_STARTED = 2;

export interface CheckWorkerData {
  dbPath: string;
  key: Uint8Array | null;
  /** Where the chain threads' code is when the build bundles it (null: next to the sources). */
  verifyWorkerUrl: string | null;
  deep: boolean;
  threads?: number;
  minEvents?: number;
  /** Three Int32 words: CHECK_STOP, CHECK_CLOSED, CHECK_STARTED. */
  control: SharedArrayBuffer;
}

export interface DeepResult {
  tablesCompared: number;
  rowsCompared: number;
  findings: ChainFinding[];
}

export type CheckWorkerMessage =
  | { kind: 'progress'; checked: number; total: number }
  | { kind: 'done'; status: ChainStatus; deep: DeepResult | null }
  | { kind: 'stopped' }
  | { kind: 'error'; message: string };

export type CheckOutcome = Exclude<CheckWorkerMessage, { kind: 'progress' }>;

let workerUrlOverride: URL | undefined;

/** Bundled builds (Electron main) ship the check thread as its own file and point here to it. */
export function setCheckWorkerUrl(url: URL): void {
  workerUrlOverride = url;
}

export interface CheckThreadOptions {
  deep: boolean;
  threads?: number;
  minEvents?: number;
  onProgress?: (checked: number, total: number) => void;
  /** Keep the process alive while the thread runs (default: it does not). */
  keepAlive?: boolean;
}

export class CheckThread {
  /** The check's outcome, once its thread has exited (a crash of the thread is an 'error' outcome). */
  readonly ended: Promise<CheckOutcome>;
  private readonly control = new Int32Array(new SharedArrayBuffer(12));
  private readonly worker: Worker;

  constructor(dbPath: string, options: CheckThreadOptions) {
    const bundled = workerUrlOverride !== undefined;
    const data: CheckWorkerData = {
      dbPath,
      key: databaseKeyFor(dbPath),
      verifyWorkerUrl: bundled ? verifyWorkerUrl().href : null,
      deep: options.deep,
      threads: options.threads,
      minEvents: options.minEvents,
      control: this.control.buffer as SharedArrayBuffer,
    };
    const worker = new Worker(workerUrlOverride ?? new URL('./deep-worker.ts', import.meta.url), { workerData: data });
    this.worker = worker;
    // A full check keeps the process alive, as its chain threads always have (a script may await "Verify now"); the
    // deep check that follows it does not, and close()/closeAsync() wait for either.
    if (!options.keepAlive) worker.unref();
    this.ended = new Promise((resolve) => {
      let outcome: CheckOutcome | null = null;
      worker.on('message', (message: CheckWorkerMessage) => {
        if (message.kind === 'progress') options.onProgress?.(message.checked, message.total);
        else outcome = message;
      });
      worker.once('error', (error) => (outcome ??= { kind: 'error', message: error.message }));
      worker.once('exit', (code) => resolve(outcome ?? { kind: 'error', message: `the check thread exited with code ${code} before it answered` }));
    });
  }

  /** Asks the check to stop at its next batch or phase (it then closes its connections and ends). */
  stop(): void {
    Atomics.store(this.control, CHECK_STOP, 1);
  }

  /** Keeps the process alive until the thread has ended (for a caller that awaits `ended` while closing). */
  hold(): void {
    this.worker.ref();
  }

  /**
   * Blocks this thread until the check has closed its connections, at most `timeoutMs`; true when it has. For a
   * synchronous close only: the wait lasts until the check's current SQLite call returns.
   */
  waitClosedSync(timeoutMs: number): boolean {
    this.stop();
    // Not started: it will see the stop before it opens anything (or its code never loaded).
    if (Atomics.load(this.control, CHECK_STARTED) === 0) return true;
    return Atomics.wait(this.control, CHECK_CLOSED, 0, timeoutMs) !== 'timed-out';
  }
}
