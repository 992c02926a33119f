import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from '../db/connection.ts';
import type { DatabaseKey } from '../db/database-key.ts';
import { checkRange } from './verify-range.ts';

// A read-only connection of its own (never an in-memory copy: the caller falls back to one thread then), opened with
// the key its parent opened the file with: worker threads do not share the parent's key registry.
// `stop` (shared with the caller) ends the check between two batches of events, its connection closed: a caller that
// closes never has to terminate this thread in the middle of a SQLite call.
const { dbPath, key, fromSeq, toSeq, stop } = workerData as { dbPath: string; key: Uint8Array | null; fromSeq: number; toSeq: number; stop?: SharedArrayBuffer };
const db = openReadOnly(dbPath, { key: key ? (Buffer.from(key) as DatabaseKey) : null });
try {
  const result = checkRange(db, fromSeq, toSeq, (checked) => parentPort!.postMessage({ progress: checked }), stop ? new Int32Array(stop) : undefined);
  parentPort!.postMessage({ result });
} finally {
  db.close();
  // A stop buffer of two words: the second tells a caller blocked in Atomics.wait that the file is closed.
  if (stop && stop.byteLength >= 8) {
    const words = new Int32Array(stop);
    Atomics.store(words, 1, 1);
    Atomics.notify(words, 1);
  }
}
