// The console's deep check (every projection rebuilt from the events and compared), in a thread of its own so the
// console keeps answering while it copies and rebuilds. Read-only: it opens its own read-only connection.
import { parentPort, workerData } from 'node:worker_threads';
import { registerFeatures } from '../features.ts';
import { verifyDatabaseFile } from './verify-database.ts';
import { useDatabaseKey } from '../db/database-key.ts';

const { dbPath, key } = workerData as { dbPath: string; key?: Uint8Array | null };
registerFeatures();
// The key its parent opened the file with (worker threads do not share the parent's key registry).
useDatabaseKey(dbPath, key ? Buffer.from(key) : null);
// No top-level await: the Electron build bundles this worker as CommonJS.
void verifyDatabaseFile(dbPath, { deep: true, threads: 1 }).then(
  (result) =>
    parentPort!.postMessage({
      status: result.status,
      deep: result.deep && { tablesCompared: result.deep.tablesCompared, rowsCompared: result.deep.rowsCompared, findings: result.deep.findings },
    }),
  (error: unknown) => parentPort!.postMessage({ error: (error as Error).message }),
);
