// The console's checks of the whole file — the full check (chain, head, integrity, projections' claims,
// checkpoints, signatures) and the deep check (every projection rebuilt and compared) — in a thread of their own, so
// the console keeps answering while they read a million events. Read-only: its own read-only connection.
//
// Stopping: the console never terminates this thread (terminating a thread inside a SQLite call can abort the
// process). It sets control[STOP]; the check ends between two batches or phases, closes its connection and those of
// the chain threads it started, and only then sets control[CLOSED] and notifies — what ChainMonitor.close waits on.
import { parentPort, workerData } from 'node:worker_threads';
import { registerFeatures } from '../features.ts';
import { deepCheckFile, verifyDatabaseFile } from './verify-database.ts';
import { useDatabaseKey } from '../db/database-key.ts';
import { setVerifyWorkerUrl } from '../ledger/verify-parallel.ts';
import { VerificationStopped } from '../ledger/verify-range.ts';
import { CHECK_CLOSED, CHECK_STARTED, CHECK_STOP, type CheckWorkerData, type CheckWorkerMessage, type DeepResult } from './check-thread.ts';
import type { DeepReport } from './deep-verify.ts';

const data = workerData as CheckWorkerData;
const control = new Int32Array(data.control);
const post = (message: CheckWorkerMessage): void => parentPort!.postMessage(message);
registerFeatures();
// The key its parent opened the file with (worker threads do not share the parent's key registry), and where the
// chain threads' code is in a bundled build.
useDatabaseKey(data.dbPath, data.key ? Buffer.from(data.key) : null);
if (data.verifyWorkerUrl) setVerifyWorkerUrl(new URL(data.verifyWorkerUrl));
// A view of the stop word alone: the verification reads index 0.
const stop = new Int32Array(data.control, CHECK_STOP * 4, 1);
const closed = (): void => {
  Atomics.store(control, CHECK_CLOSED, 1);
  Atomics.notify(control, CHECK_CLOSED);
};
// Started before the stop is read (see CHECK_STARTED): a console closing now either waits for us or is seen here.
Atomics.store(control, CHECK_STARTED, 1);
const failed = (error: unknown): CheckWorkerMessage => (error instanceof VerificationStopped ? { kind: 'stopped' } : { kind: 'error', message: (error as Error).message });
const deepResult = (deep: DeepReport): DeepResult => ({ tablesCompared: deep.tablesCompared, rowsCompared: deep.rowsCompared, findings: deep.findings });
/** The verification itself, as the message that ends it. */
function check(): Promise<CheckWorkerMessage> {
  return verifyDatabaseFile(data.dbPath, {
    deep: data.deep,
    threads: data.threads,
    minEvents: data.minEvents,
    stop,
    onProgress: (checked, total) => post({ kind: 'progress', checked, total }),
  }).then(
    (result): CheckWorkerMessage => ({
      kind: 'done',
      status: result.status,
      deep: result.deep && deepResult(result.deep),
    }),
    failed,
  );
}
/**
 * The full check, then (thenDeepUpTo) the deep check of an intact chain in this same thread: its modules are loaded
 * already, and the chain is not checked a second time (a second thread would load them again and check it again).
 */
async function checkThenDeep(): Promise<CheckWorkerMessage> {
  const full = await check();
  const upTo = data.thenDeepUpTo;
  if (full.kind !== 'done' || upTo === null || !full.status.chainIntact || full.status.eventCount > upTo || Atomics.load(stop, 0) !== 0) return full;
  post({ kind: 'checked', status: full.status });
  return deepCheckFile(data.dbPath, stop).then(
    (deep): CheckWorkerMessage => ({ kind: 'done', status: full.status, deep: deepResult(deep) }),
    failed,
  );
}
// No top-level await: the Electron build bundles this worker as CommonJS.
const checking: Promise<CheckWorkerMessage> = Atomics.load(stop, 0) !== 0 ? Promise.resolve({ kind: 'stopped' }) : checkThenDeep();
void checking.then((message) => {
  // verifyDatabaseFile has closed its connection and waited for its chain threads: nothing here holds the file.
  closed();
  post(message);
});
