// Full-chain verification spread over worker threads (one per core), so a million-ticket ledger is
// checked quickly and the caller's thread stays free. Any doubt falls back to the sequential check,
// which also explains the first break.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChainStatus } from '../../../shared/contract.ts';
import { GENESIS_HASH } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import type { RangeCheck } from './verify-range.ts';
import { statusFromChain, verifyLedger } from './verify.ts';
import { LedgerRepository } from './ledger-repository.ts';

/** Below this many events one thread is faster than starting workers. */
const PARALLEL_THRESHOLD = 200_000;

let workerUrlOverride: URL | undefined;

/** Bundled builds (Electron main) ship the worker as its own file and point here to it. */
export function setVerifyWorkerUrl(url: URL): void {
  workerUrlOverride = url;
}

export function checkRangeInWorker(dbPath: string, fromSeq: number, toSeq: number): Promise<RangeCheck> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrlOverride ?? new URL('./verify-worker.ts', import.meta.url), { workerData: { dbPath, fromSeq, toSeq } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`verify worker exited with code ${code}`)));
  });
}

function stitch(ranges: RangeCheck[]): { intact: boolean; count: number; last: { seq: number; hash: string } } {
  let last = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  for (const range of ranges) {
    if (!range.intact) return { intact: false, count, last };
    if (!range.first || !range.last) continue;
    if (range.first.seq !== last.seq + 1 || range.first.prevHash !== last.hash) return { intact: false, count, last };
    count += range.count;
    last = range.last;
  }
  return { intact: true, count, last };
}

export interface ParallelOptions {
  threads?: number;
  /** Below this many events the check runs on the caller's thread. */
  minEvents?: number;
}

export async function verifyLedgerParallel(db: Db, dbPath: string, options: ParallelOptions = {}): Promise<ChainStatus> {
  const threads = options.threads ?? availableParallelism();
  const { minSeq, maxSeq, total } = db.prepare('SELECT min(seq) AS minSeq, max(seq) AS maxSeq, count(*) AS total FROM events').get() as {
    minSeq: number | null;
    maxSeq: number | null;
    total: number;
  };
  if (threads < 2 || total < (options.minEvents ?? PARALLEL_THRESHOLD) || minSeq === null || maxSeq === null) return verifyLedger(db);
  const span = Math.ceil((maxSeq - minSeq + 1) / threads);
  let ranges: RangeCheck[];
  try {
    ranges = await Promise.all(
      Array.from({ length: threads }, (_, i) => checkRangeInWorker(dbPath, minSeq + i * span, Math.min(maxSeq, minSeq + (i + 1) * span - 1))),
    );
  } catch {
    return verifyLedger(db);
  }
  const chain = stitch(ranges);
  if (!chain.intact || chain.count !== total) return verifyLedger(db);
  return statusFromChain(new LedgerRepository(db), chain.count, chain.last);
}
