// A read thread of the console (read-thread.ts): opens the file read-only once, with the key its parent opened it with
// (threads do not share the parent's key registry), then answers the named reads its parent sends, one at a time, until
// it is told to stop; then it closes its connection and says so in the control buffer.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly, type Db } from '../db/connection.ts';
import type { DatabaseKey } from '../db/database-key.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { JsonText } from '../json-text.ts';
import { registerFeatures } from '../features.ts';
import { OFF_THREAD_READS, READ_CLOSED, READ_STARTED, READ_STOP, type ReadRequest, type ReadThreadMessage } from './read-thread-reads.ts';

const { dbPath, key, control: buffer } = workerData as { dbPath: string; key: Uint8Array | null; control: SharedArrayBuffer };
const control = new Int32Array(buffer);
let db: Db | null = null;
let closed = false;

/** The file is no longer open here: a closing core waiting for this thread may go on. */
function close(): void {
  if (closed) return;
  closed = true;
  try {
    if (db?.open) db.close();
  } finally {
    Atomics.store(control, READ_CLOSED, 1);
    Atomics.notify(control, READ_CLOSED);
    parentPort!.close();
  }
}

function answer(request: ReadRequest): ReadThreadMessage {
  try {
    db ??= openReadOnly(dbPath, { key: key ? (Buffer.from(key) as DatabaseKey) : null });
    const result = (OFF_THREAD_READS[request.name] as (db: Db, input: unknown) => unknown)(db, request.input);
    // Written as JSON here, so the console's thread never copies or encodes a large answer (json-text.ts).
    return { id: request.id, json: JsonText.of(result).bytes };
  } catch (error) {
    const kind = error instanceof NotFoundError ? 'not_found' : error instanceof InputError ? 'input' : 'other';
    return { id: request.id, error: (error as Error).message, kind };
  }
}

Atomics.store(control, READ_STARTED, 1);
if (Atomics.load(control, READ_STOP) === 1) {
  close();
} else {
  registerFeatures();
  parentPort!.on('message', (request: ReadRequest | 'stop') => {
    // Stop is both a word in the buffer (set while the core waits, its thread blocked) and a message (an idle thread).
    if (request === 'stop' || Atomics.load(control, READ_STOP) === 1) {
      close();
      return;
    }
    const message = answer(request);
    // The answer's buffer moves to the console's thread rather than being copied (TextEncoder gives it its own).
    parentPort!.postMessage(message, 'json' in message ? [message.json.buffer as ArrayBuffer] : []);
    if (Atomics.load(control, READ_STOP) === 1) close();
  });
}
