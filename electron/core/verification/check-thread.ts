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
  /**
   * After the full check (deep false) of an intact chain of at most this many events, the deep check follows in the
   * same thread: 'checked' reports the full check first. Null: the thread ends with the check it was asked for.
   */
  thenDeepUpTo: number | null;
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
  /** The full check's verdict, sent when the deep check follows in the same thread (thenDeepUpTo). */
  | { kind: 'checked'; status: ChainStatus }
  | { kind: 'done'; status: ChainStatus; deep: DeepResult | null }
  | { kind: 'stopped' }
  | { kind: 'error'; message: string };

export type CheckOutcome = Exclude<CheckWorkerMessage, { kind: 'progress' | 'checked' }>;

/** The full check's outcome, and whether the deep check goes on after it in the same thread. */
export interface FullCheckOutcome {
  outcome: CheckOutcome;
  deepFollows: boolean;
}

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
  /** See CheckWorkerData.thenDeepUpTo (a full check only). */
  thenDeepUpTo?: number;
}

export class CheckThread {
  /** The check's outcome, once its thread has exited (a crash of the thread is an 'error' outcome). */
  readonly ended: Promise<CheckOutcome>;
  /**
   * The full check's outcome: as soon as it is known when the deep check follows in the thread (thenDeepUpTo), else
   * the thread's outcome once it has exited. `ended` is then the deep check's.
   */
  readonly checked: Promise<FullCheckOutcome>;
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
      thenDeepUpTo: options.deep ? null : (options.thenDeepUpTo ?? null),
      control: this.control.buffer as SharedArrayBuffer,
    };
    const worker = new Worker(workerUrlOverride ?? new URL('./deep-worker.ts', import.meta.url), { workerData: data });
    this.worker = worker;
    // A full check keeps the process alive, as its chain threads always have (a script may await "Verify now"); the
    // deep check that follows it does not, and close()/closeAsync() wait for either.
    if (!options.keepAlive) worker.unref();
    let fullChecked: (full: FullCheckOutcome) => void = () => undefined;
    this.checked = new Promise((resolve) => (fullChecked = resolve));
    this.ended = new Promise((resolve) => {
      let outcome: CheckOutcome | null = null;
      worker.on('message', (message: CheckWorkerMessage) => {
        if (message.kind === 'progress') options.onProgress?.(message.checked, message.total);
        else if (message.kind === 'checked') fullChecked({ outcome: { kind: 'done', status: message.status, deep: null }, deepFollows: true });
        else outcome = message;
      });
      worker.once('error', (error) => (outcome ??= { kind: 'error', message: error.message }));
      worker.once('exit', (code) => resolve(outcome ?? { kind: 'error', message: `the check thread exited with code ${code} before it answered` }));
    });
    // Settled already when 'checked' came (a promise settles once).
    void this.ended.then((outcome) => fullChecked({ outcome, deepFollows: false }));
  }

  /** Asks the check to stop at its next batch or phase (it then closes its connections and ends). */
  stop(): void {
    Atomics.store(this.control, CHECK_STOP, 1);
  }

  /** Keeps the process alive until the thread has ended (for a caller that awaits `ended` while closing). */
  hold(): void {
    this.worker.ref();
  }

  /** Lets the process end while the thread still runs (the deep check after a full check that kept it alive). */
  release(): void {
    this.worker.unref();
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
