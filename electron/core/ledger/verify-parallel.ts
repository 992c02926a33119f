// Full-chain verification spread over worker threads (one per core), so a million-ticket ledger is
// checked quickly and the caller's thread stays free. Any doubt falls back to the sequential check,
// which also explains the first break.
//
// Consistency: the caller runs this inside one read transaction, so the range and the recorded head
// are one snapshot; workers check exactly the sequence numbers of that snapshot (rows of an append-only table
// below the snapshot's head cannot change without tampering, which the check is for), so a write that commits
// meanwhile can never look like a break.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { databaseKeyFor } from '../db/database-key.ts';
import type { ChainFinding, ChainStatus } from '../../../shared/contract.ts';
import { GENESIS_HASH } from '../../../shared/domain.ts';
import { isInMemoryCopy, type Db } from '../db/connection.ts';
import { checkRange, joinRanges, PROGRESS_EVERY, stopRequested, VerificationStopped, type RangeCheck } from './verify-range.ts';
import { statusFromChain, verifyLedger } from './verify.ts';
import { LedgerRepository } from './ledger-repository.ts';

/** Below this many events one thread is faster than starting workers. */
const PARALLEL_THRESHOLD = 200_000;

let workerUrlOverride: URL | undefined;

/** Bundled builds (Electron main) ship the worker as its own file and point here to it. */
export function setVerifyWorkerUrl(url: URL): void {
  workerUrlOverride = url;
}

/** Where the chain-check thread's code is (a thread that starts chain checks of its own passes it on). */
export function verifyWorkerUrl(): URL {
  return workerUrlOverride ?? new URL('./verify-worker.ts', import.meta.url);
}

/**
 * Runs one task of the verify worker (verify-worker.ts) with the file's key. Settles only once the thread has exited —
 * its connection closed — so a caller that waits for it also waits for every file handle it opened: with the result
 * `take` found among its messages, or VerificationStopped when `stopped()` says so, or its failure.
 */
function verifyWorkerTask<T>(task: Record<string, unknown> & { task: string; dbPath: string }, take: (message: Record<string, unknown>) => T | undefined, stopped = (): boolean => false): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(verifyWorkerUrl(), { workerData: { ...task, key: databaseKeyFor(task.dbPath) } });
    let result: T | undefined;
    let failure: Error | null = null;
    worker.on('message', (message: Record<string, unknown>) => {
      const taken = take(message);
      if (taken !== undefined) result = taken;
    });
    worker.once('error', (error) => (failure = error));
    worker.once('exit', (code) => {
      if (stopped()) reject(new VerificationStopped());
      else if (result !== undefined) resolve(result);
      else reject(failure ?? new Error(`verify worker (${task.task}) exited with code ${code}`));
    });
  });
}

/**
 * Checks a slice in a thread of its own (see verifyWorkerTask). With `stop` set the thread ends between two batches
 * and the promise rejects with VerificationStopped.
 */
export function checkRangeInWorker(dbPath: string, fromSeq: number, toSeq: number, onProgress?: (checked: number) => void, stop?: Int32Array): Promise<RangeCheck> {
  return verifyWorkerTask<RangeCheck>(
    { task: 'range', dbPath, fromSeq, toSeq, stop: stop?.buffer },
    (message) => {
      if (message.progress !== undefined) onProgress?.(message.progress as number);
      return message.result as RangeCheck | undefined;
    },
    () => stopRequested(stop),
  );
}

/**
 * SQLite's full structural check (integrity_check) of the file in a thread of its own, with its own read-only
 * connection: what it finds wrong, empty when sound. One SQLite call: a stop cannot cut it short, so a stopped
 * verification waits for it as it always waited for this check.
 */
export function integrityProblemsInWorker(dbPath: string): Promise<string[]> {
  return verifyWorkerTask<string[]>({ task: 'integrity', dbPath }, (message) => message.problems as string[] | undefined);
}

/** The ranges joined into one chain (joinRanges), intact only if it also begins at event #1, linked to the genesis hash. */
function fromGenesis(ranges: RangeCheck[]): RangeCheck {
  const chain = joinRanges(ranges);
  const anchored = chain.first === null || (chain.first.seq === 1 && chain.first.prevHash === GENESIS_HASH);
  return { ...chain, intact: chain.intact && anchored };
}

export interface ParallelOptions {
  threads?: number;
  /** Below this many events the check runs on the caller's thread. */
  minEvents?: number;
  /** Events checked so far, of the total in the snapshot. */
  onProgress?: (checked: number, total: number) => void;
  /** Findings of other checks made in the same snapshot (projections, checkpoints), reported with the chain's. */
  extraFindings?: () => ChainFinding[];
  /**
   * Work on a thread of its own, one of the check's threads (the chain takes the others), started with the chain's
   * worker threads and waited for (even when the chain fails or is stopped) before extraFindings: only when the check
   * runs in worker threads; on one thread it is not called.
   */
  alongside?: () => Promise<unknown>;
  /** Told when the chain's worker threads are done (before `alongside` is waited for): only in worker threads. */
  onChainThreadsDone?: () => void;
  /** Told the thread count the check uses (1: the caller's thread; with `alongside`, its thread among them), once it is decided. */
  onThreads?: (threads: number) => void;
  /** A stop flag (on a SharedArrayBuffer, read by every thread of the check): set, the check ends with VerificationStopped. */
  stop?: Int32Array;
}

/** The thread count a verification of `total` events actually uses. */
function verificationThreads(db: Db, total: number, options: ParallelOptions = {}): number {
  const threads = options.threads ?? availableParallelism();
  if (threads < 2 || total < (options.minEvents ?? PARALLEL_THRESHOLD) || isInMemoryCopy(db)) return 1;
  return threads;
}

/** Verifies the chain; run it inside a read transaction on `db` (see the note at the top). */
export async function verifyLedgerParallel(db: Db, dbPath: string, options: ParallelOptions = {}): Promise<ChainStatus> {
  const repository = new LedgerRepository(db);
  const { minSeq, maxSeq } = repository.seqRange();
  // The events an intact chain holds: one for every seq from the first to the last. Counting the rows instead read a
  // whole index before the check began (0.3 s alone on the 1,000,000-ticket demo; 12.3 s as a console opened on it
  // beside five other threads). A chain with a seq missing checks fewer than this, which the comparison below sends to
  // the sequential check that explains it, as a count would have.
  const total = minSeq === null || maxSeq === null ? 0 : maxSeq - minSeq + 1;
  const threads = verificationThreads(db, total, options);
  options.onThreads?.(threads);
  const sequential = (): ChainStatus => {
    const status = verifyLedger(db, options.extraFindings?.() ?? []);
    options.onProgress?.(total, total);
    return status;
  };
  if (threads < 2 || minSeq === null || maxSeq === null) {
    if (options.onProgress && minSeq !== null && maxSeq !== null) {
      // One thread: check the range with progress first; only a break needs the slower explaining pass.
      let checked = 0;
      const range = checkRange(db, minSeq, maxSeq, (n) => options.onProgress!((checked += n), total), options.stop);
      const chain = fromGenesis([range]);
      if (chain.intact && chain.count === total && chain.last) {
        options.onProgress(total, total);
        return statusFromChain(repository, chain.count, chain.last, null, options.extraFindings?.() ?? []);
      }
    }
    return sequential();
  }
  // Work alongside takes one of the threads: on two cores, two chain threads beside a third (SQLite's integrity check)
  // made both several times slower (measured at 300,000 tickets: 66 s instead of 14 for the pair).
  const chainThreads = options.alongside ? threads - 1 : threads;
  const span = Math.ceil((maxSeq - minSeq + 1) / chainThreads);
  let checked = 0;
  const progress = (n: number): void => options.onProgress?.(Math.min(total, (checked += n)), total);
  // Every thread is waited for, even after one fails: none may still hold the file when this returns.
  const beside = Promise.allSettled([options.alongside?.()]);
  const settled = await Promise.allSettled(
    Array.from({ length: chainThreads }, (_, i) => checkRangeInWorker(dbPath, minSeq + i * span, Math.min(maxSeq, minSeq + (i + 1) * span - 1), progress, options.stop)),
  );
  options.onChainThreadsDone?.();
  const [besideOutcome] = await beside;
  if (stopRequested(options.stop)) throw new VerificationStopped();
  if (besideOutcome?.status === 'rejected') throw besideOutcome.reason;
  const ranges = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  if (ranges.length < settled.length) return sequential();
  const chain = fromGenesis(ranges);
  if (!chain.intact || chain.count !== total || !chain.last) return sequential();
  options.onProgress?.(total, total);
  return statusFromChain(repository, chain.count, chain.last, null, options.extraFindings?.() ?? []);
}

export { PROGRESS_EVERY };
