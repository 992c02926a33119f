import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { checkRange } from './verify-range.ts';

// A plain read-only connection of its own (never an in-memory copy: the caller falls back to one thread then).
const { dbPath, fromSeq, toSeq } = workerData as { dbPath: string; fromSeq: number; toSeq: number };
const db = new Database(dbPath, { readonly: true, fileMustExist: true });
try {
  const result = checkRange(db, fromSeq, toSeq, (checked) => parentPort!.postMessage({ progress: checked }));
  parentPort!.postMessage({ result });
} finally {
  db.close();
}
