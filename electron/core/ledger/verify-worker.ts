import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly, structuralProblems } from '../db/connection.ts';
import { readAhead } from '../db/read-ahead.ts';
import type { DatabaseKey } from '../db/database-key.ts';
import { checkRange, stopRequested, VerificationStopped } from './verify-range.ts';

// A read-only connection of its own (never an in-memory copy: the caller falls back to one thread then), opened with
// the key its parent opened the file with: worker threads do not share the parent's key registry.
// `stop` (shared with the caller) ends the check between two batches of events, its connection closed: a caller that
// closes never has to terminate this thread in the middle of a SQLite call. A stop buffer of three words also tells a
// caller blocked in Atomics.wait when the file is closed (word 1), and whether this thread got as far as opening it
// (word 2, set before the stop word is read; the caller sets the stop word before it reads word 2).
type WorkerTask =
  | { task: 'range'; dbPath: string; key: Uint8Array | null; fromSeq: number; toSeq: number; stop?: SharedArrayBuffer }
  | { task: 'integrity'; dbPath: string; key: Uint8Array | null };
const data = workerData as WorkerTask;
const keyOf = (key: Uint8Array | null): DatabaseKey | null => (key ? (Buffer.from(key) as DatabaseKey) : null);

if (data.task === 'integrity') {
  // SQLite's full check walks every b-tree and looks each index entry up in its table: the default page cache, as the
  // verifying connection had when it ran this check itself.
  const db = openReadOnly(data.dbPath, { key: keyOf(data.key) });
  try {
    // In b-tree order, page by page: from the cache once the file has been read through (read-ahead.ts).
    readAhead(data.dbPath);
    parentPort!.postMessage({ problems: structuralProblems(db, 'full') });
  } finally {
    db.close();
  }
} else {
  checkRangeTask(data);
}

function checkRangeTask({ dbPath, key, fromSeq, toSeq, stop }: Extract<WorkerTask, { task: 'range' }>): void {
  const flag = stop ? new Int32Array(stop) : undefined;
  const handshake = flag && flag.length >= 3 ? flag : null;
  if (handshake) Atomics.store(handshake, 2, 1);
  if (stopRequested(flag)) throw new VerificationStopped();
  // A chain thread reads its range once, in order: a page it has read is never needed again, so a small cache does the
  // same work as the default 256 MiB one, which per thread would only add to the process's memory (issue 15: verify
  // under 1.5 GB at 10 M events).
  const SEQUENTIAL_PASS_CACHE_KIB = 16_384;
  const db = openReadOnly(dbPath, { key: keyOf(key), cacheKiB: SEQUENTIAL_PASS_CACHE_KIB });
  try {
    const result = checkRange(db, fromSeq, toSeq, (checked) => parentPort!.postMessage({ progress: checked }), flag);
    parentPort!.postMessage({ result });
  } finally {
    db.close();
    if (handshake) {
      Atomics.store(handshake, 1, 1);
      Atomics.notify(handshake, 1);
    }
  }
}
