import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from '../db/connection.ts';
import type { DatabaseKey } from '../db/database-key.ts';
import { checkRange } from './verify-range.ts';

// A read-only connection of its own (never an in-memory copy: the caller falls back to one thread then), opened with
// the key its parent opened the file with: worker threads do not share the parent's key registry.
const { dbPath, key, fromSeq, toSeq } = workerData as { dbPath: string; key: Uint8Array | null; fromSeq: number; toSeq: number };
const db = openReadOnly(dbPath, { key: key ? (Buffer.from(key) as DatabaseKey) : null });
try {
  const result = checkRange(db, fromSeq, toSeq, (checked) => parentPort!.postMessage({ progress: checked }));
  parentPort!.postMessage({ result });
} finally {
  db.close();
}
