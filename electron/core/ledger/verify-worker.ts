import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/connection.ts';
import { checkRange } from './verify-range.ts';

const { dbPath, fromSeq, toSeq } = workerData as { dbPath: string; fromSeq: number; toSeq: number };
const db = openDatabase(dbPath, { readonly: true, skipMigrations: true });
try {
  parentPort!.postMessage(checkRange(db, fromSeq, toSeq));
} finally {
  db.close();
}
