// A second console in its own thread: opens its own core (its own SQLite connection) on the given file,
// waits at a shared start line so every worker calls at the same moment, then invokes one method and
// posts the result. Used to race real concurrent writers against each other.
import { parentPort, workerData } from 'node:worker_threads';
import { openCore } from '../../electron/core/service.ts';

export interface RaceWorkerData {
  dbPath: string;
  user: string;
  method: string;
  input: unknown;
  /** Int32Array over a SharedArrayBuffer: [0] workers ready, [1] start signal. */
  startLine: SharedArrayBuffer;
}

const data = workerData as RaceWorkerData;
const core = openCore({ dbPath: data.dbPath, role: 'supervisor', user: data.user });
const startLine = new Int32Array(data.startLine);
Atomics.add(startLine, 0, 1);
Atomics.notify(startLine, 0);
Atomics.wait(startLine, 1, 0);
const result = await core.invoke(data.method, data.input);
core.close();
parentPort!.postMessage(result);
