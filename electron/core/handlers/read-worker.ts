// The thread of one off-thread read (read-thread.ts): opens the file read-only with the key its parent opened it with
// (threads do not share the parent's key registry), runs the named read, posts the answer, closes its connection.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from '../db/connection.ts';
import type { DatabaseKey } from '../db/database-key.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { registerFeatures } from '../features.ts';
import { OFF_THREAD_READS, READ_CLOSED, READ_STARTED, READ_STOP, type OffThreadRead, type ReadThreadMessage } from './read-thread-reads.ts';

const { dbPath, key, name, input, control: buffer } = workerData as { dbPath: string; key: Uint8Array | null; name: OffThreadRead; input: never; control: SharedArrayBuffer };
const control = new Int32Array(buffer);
Atomics.store(control, READ_STARTED, 1);
try {
  if (Atomics.load(control, READ_STOP) === 0) {
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
  }
} finally {
  // Whatever happened, the file is no longer open here: a closing core waiting for this thread may go on.
  Atomics.store(control, READ_CLOSED, 1);
  Atomics.notify(control, READ_CLOSED);
}
