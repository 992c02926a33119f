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
import { OFF_THREAD_READS, READ_CLOSED, READ_CONTROL_WORDS, READ_STARTED, READ_STOP, type OffThreadRead, type ReadThreadMessage } from './read-thread-reads.ts';

/** How long a closing core waits for a read thread to close its connection (its read runs to its end). */
const CLOSE_WAIT_MS = 120_000;

/** Control buffers of the read threads running now, by database path. */
const running = new Map<string, Set<Int32Array>>();

/**
 * Stops the read threads on `dbPath` that have not opened the file yet, and waits until every one that has is done
 * with it (synchronously: the core's close returns with no connection of its own left on the file).
 */
export function stopReadThreads(dbPath: string): void {
  const controls = running.get(dbPath);
  if (!controls) return;
  for (const control of controls) Atomics.store(control, READ_STOP, 1);
  for (const control of controls) {
    if (Atomics.load(control, READ_STARTED) === 1) Atomics.wait(control, READ_CLOSED, 0, CLOSE_WAIT_MS);
  }
  running.delete(dbPath);
}

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
    const control = new Int32Array(new SharedArrayBuffer(READ_CONTROL_WORDS * 4));
    try {
      const key = databaseKeyFor(dbPath);
      worker = new Worker(readWorkerUrlOverride ?? new URL('./read-worker.ts', import.meta.url), { workerData: { dbPath, key: key ? new Uint8Array(key) : null, name, input, control: control.buffer } });
    } catch {
      resolve(onThisThread());
      return;
    }
    const controls = running.get(dbPath) ?? new Set<Int32Array>();
    running.set(dbPath, controls.add(control));
    let answered = false;
    worker.once('message', (message: ReadThreadMessage) => {
      answered = true;
      if ('error' in message) reject(rethrown(message));
      else resolve(message.result as Result);
    });
    const fallBack = (): void => {
      running.get(dbPath)?.delete(control);
      if (answered) return;
      answered = true;
      // Stopped by a closing core: the connection is closed, there is nobody to answer.
      if (Atomics.load(control, READ_STOP) === 1) {
        reject(new Error('the database was closed during the read'));
        return;
      }
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
