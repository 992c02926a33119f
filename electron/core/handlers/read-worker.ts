// The thread of one off-thread read (read-thread.ts): opens the file read-only with the key its parent opened it with
// (threads do not share the parent's key registry), runs the named read, posts the answer, closes its connection.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from '../db/connection.ts';
import type { DatabaseKey } from '../db/database-key.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { registerFeatures } from '../features.ts';
import { OFF_THREAD_READS, type OffThreadRead, type ReadThreadMessage } from './read-thread-reads.ts';

const { dbPath, key, name, input } = workerData as { dbPath: string; key: Uint8Array | null; name: OffThreadRead; input: never };
registerFeatures();
const db = openReadOnly(dbPath, { key: key ? (Buffer.from(key) as DatabaseKey) : null });
let message: ReadThreadMessage;
try {
  message = { result: OFF_THREAD_READS[name](db, input) };
} catch (error) {
  const kind = error instanceof NotFoundError ? 'not_found' : error instanceof InputError ? 'input' : 'other';
  message = { error: (error as Error).message, kind };
} finally {
  db.close();
}
parentPort!.postMessage(message!);
