// A large JSONL import's lines read, decoded and validated in a thread of their own (line-parser-worker.ts) while
// this thread appends the events before them. On two cores that took about a fifth off an import's time: parsing a
// line's JSON and validating and canonicalizing its event is about as much work as the append's checks, hashing and
// insert that must stay in the thread holding the transaction. The events are the same ones, in the same order, and a
// bad line fails the import at the same line with the same message: both threads run parsedLinesOf (parsed-lines.ts).
// The import runs in one synchronous transaction, so this thread waits for each batch (thread-batches.ts).
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { ImportError } from './import-error.ts';
import type { ParserMessage } from './line-parser-protocol.ts';
import { readLinesSync } from './line-reader.ts';
import { parsedLinesOf, type ParsedLine, type ParsedLines } from './parsed-lines.ts';
import { BatchReceiver, CONTROL_BYTES, SenderNotStarted } from './thread-batches.ts';

/** Below this size a file is parsed in the importing thread: starting the parser thread (its code loaded) costs more. */
export const PARSER_THREAD_MIN_BYTES = 16 * 2 ** 20;
/** The parser thread's young generation (MB). */
const PARSER_YOUNG_GENERATION_MB = 32;
/** How long the parser may take to load its code before the import parses the file itself. */
const START_TIMEOUT_MS = 20_000;
/** How long the parser may stay silent once started (a batch takes milliseconds) before the import fails. */
const SILENCE_TIMEOUT_MS = 300_000;

let workerUrlOverride: URL | undefined;

/** Where the parser thread's code is, for a build that ships it elsewhere (undefined: next to this file). */
export function setLineParserWorkerUrl(url: URL | undefined): void {
  workerUrlOverride = url;
}

function workerUrl(): URL | null {
  const url = workerUrlOverride ?? new URL('./line-parser-worker.ts', import.meta.url);
  // A build that does not ship the file (the desktop bundle: only the CLI imports files): the importing thread parses
  // the lines itself rather than wait for a thread that cannot start.
  return url.protocol === 'file:' && !existsSync(fileURLToPath(url)) ? null : url;
}

/**
 * The file's events parsed in a thread of its own, or null when the file is smaller than `minBytes` (or cannot be
 * read, or the thread's code is not there): the caller then parses it itself, which also reports a file it cannot
 * read as it always has.
 */
export function parsedInItsOwnThread(path: string, minBytes = PARSER_THREAD_MIN_BYTES): ParsedLines | null {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return null;
    size = stat.size;
  } catch {
    return null;
  }
  const url = size >= minBytes ? workerUrl() : null;
  if (!url) return null;
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(url, {
    workerData: { path, name: path, control, port: port2 },
    transferList: [port2],
    // Its heap holds a few batches and the line being parsed: a small young generation keeps what it collects from
    // adding to the import's peak memory (issue 15: an import of 10 M events under 1.5 GB).
    resourceLimits: { maxYoungGenerationSizeMb: PARSER_YOUNG_GENERATION_MB },
  });
  // The import waits for it synchronously: it must never be what keeps a process alive. A thread that fails to load
  // reports it here only once this thread is free again; the import has parsed the file itself by then (START_TIMEOUT_MS).
  worker.unref();
  worker.on('error', () => undefined);
  const batches = new BatchReceiver<ParserMessage>(port1, control, path, { startMs: START_TIMEOUT_MS, silenceMs: SILENCE_TIMEOUT_MS });
  let linesRead = 0;
  let digest: string | null = null;
  let closed = false;

  const close = (): void => {
    if (closed) return;
    closed = true;
    batches.close();
    // It holds no database and no lock: stopping it wherever it is loses nothing.
    void worker.terminate();
  };

  /** The file parsed here after all, when the thread never started (nothing was taken from it). */
  function* parsedHereInstead(): Generator<ParsedLine> {
    const hash = createHash('sha256');
    let read = 0;
    yield* parsedLinesOf(path, readLinesSync(path, undefined, hash), () => read++);
    linesRead = read;
    digest = hash.digest('hex');
  }

  function* lines(): Generator<ParsedLine> {
    for (let first = true; ; first = false) {
      let message: ParserMessage;
      try {
        message = batches.next();
      } catch (error) {
        if (!(first && error instanceof SenderNotStarted)) throw error;
        close();
        yield* parsedHereInstead();
        return;
      }
      yield* JSON.parse(message.lines) as ParsedLine[];
      if (message.end) {
        linesRead = message.end.linesRead;
        digest = message.end.digest;
        return;
      }
      if (message.failed) {
        const failed = message.failed;
        throw 'file' in failed ? new ImportError(failed.file, failed.line, failed.field, failed.reason) : new Error(failed.message);
      }
    }
  }

  return {
    name: path,
    lines: lines(),
    linesRead: () => linesRead,
    digestHex: () => {
      if (digest === null) throw new Error(`${path} was not read to its end`);
      return digest;
    },
    close,
  };
}
