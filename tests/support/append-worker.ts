// Another Attest process's writer, in its own thread with its own connection: appends one customer message per
// transaction (with the ticket projections refreshed, as every write does) until told to stop, then reports how
// many it appended. Used to race verification against real concurrent commits.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { registerFeatures } from '../../electron/core/features.ts';

const { dbPath, stop } = workerData as { dbPath: string; stop: SharedArrayBuffer };
registerFeatures();
const flag = new Int32Array(stop);
const db = openDatabase(dbPath);
let appended = 0;
try {
  while (Atomics.load(flag, 0) === 0) {
    const at = new Date().toISOString();
    recordEvents(db, [{ ticket: 'T-1', type: 'message', at, author: { kind: 'customer', id: 'c-1' }, public: true, body: `follow-up ${appended}` }]);
    appended++;
  }
} finally {
  db.close();
}
parentPort!.postMessage(appended);
