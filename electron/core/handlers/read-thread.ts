// Reads that walk every ticket or every event in scope — the Outcomes tab's live attribution (a dry evaluation of each
// ticket not yet verified) and the audit's session-gap report — run in a worker thread with a read-only connection of
// its own, so the console's thread keeps answering other requests meanwhile (issue 15: at a million tickets no
// console action blocks another). They are reads: the thread opens the file read-only and writes nothing.
// A thread that cannot start (a build without its bundled file) falls back to the same read on the console's thread:
// slower for everyone, never a different answer.
import { Worker } from 'node:worker_threads';
import { databaseKeyFor } from '../db/database-key.ts';
import type { Db } from '../db/connection.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { OFF_THREAD_READS, type OffThreadRead, type ReadThreadMessage } from './read-thread-reads.ts';

let readWorkerUrlOverride: URL | undefined;

/** Bundled builds (Electron main) ship the read thread as its own file and point here to it. */
export function setReadWorkerUrl(url: URL): void {
  readWorkerUrlOverride = url;
}

function rethrown(error: Extract<ReadThreadMessage, { error: string }>): Error {
  if (error.kind === 'not_found') return new NotFoundError(error.error);
  if (error.kind === 'input') return new InputError(error.error);
  return new Error(error.error);
}

/** `name`'s read of `input` on a thread of its own; on `db`'s thread if no thread can be started. */
export function readOffThread<N extends OffThreadRead>(db: Db, dbPath: string, name: N, input: Parameters<(typeof OFF_THREAD_READS)[N]>[1]): Promise<ReturnType<(typeof OFF_THREAD_READS)[N]>> {
  type Result = ReturnType<(typeof OFF_THREAD_READS)[N]>;
  const onThisThread = (): Result => (OFF_THREAD_READS[name] as (db: Db, input: unknown) => Result)(db, input);
  if (dbPath === ':memory:' || dbPath === '') return Promise.resolve().then(onThisThread);
  return new Promise<Result>((resolve, reject) => {
    let worker: Worker;
    try {
      const key = databaseKeyFor(dbPath);
      worker = new Worker(readWorkerUrlOverride ?? new URL('./read-worker.ts', import.meta.url), { workerData: { dbPath, key: key ? new Uint8Array(key) : null, name, input } });
    } catch {
      resolve(onThisThread());
      return;
    }
    let answered = false;
    worker.once('message', (message: ReadThreadMessage) => {
      answered = true;
      if ('error' in message) reject(rethrown(message));
      else resolve(message.result as Result);
    });
    const fallBack = (): void => {
      if (answered) return;
      answered = true;
      try {
        resolve(onThisThread());
      } catch (error) {
        reject(error as Error);
      }
    };
    worker.once('error', fallBack);
    worker.once('exit', fallBack);
  });
}
