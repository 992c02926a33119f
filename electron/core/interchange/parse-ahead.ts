// Event lines read and parsed ahead, in a thread of their own, while this thread appends them: on two cores the
// reading, JSON decoding, validation and canonicalization of the next lines overlap the hashing, rules, inserts and
// projections of the ones before. The appending thread takes them in order and synchronously (an import is one
// transaction, written from inside it), so the items are handed over by a MessagePort read with
// receiveMessageOnPort, and a shared counter wakes the taker when a batch arrives. The thread stays at most a few
// batches ahead (bounded memory) and stops when the taker does.
//
// What runs there is a pure function of the file (or of the demo's options): no database, no rules, no clock. The
// taker's writer judges every event exactly as it would have parsed here (parsed-lines.ts is the one parser).
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { ParsedLine } from './parsed-lines.ts';

export type ParseAheadTask =
  /** The lines of an "Attest JSONL v1" file; the end carries the file's SHA-256 and its line count. */
  | { kind: 'jsonl'; path: string }
  /** The generated demo history (demo/generator.ts), parsed as imported lines. */
  | { kind: 'demo'; tickets: number; seed: number };

export interface ParseAheadEnd {
  linesRead: number;
  /** Hex SHA-256 of the file's bytes (jsonl), null for the demo. */
  sha256: string | null;
}

export type ParseAheadMessage = { items: ParsedLine[]; end?: ParseAheadEnd } | { failure: string };

/** Indexes in the shared control words. */
export const AHEAD_PRODUCED = 0;
export const AHEAD_TAKEN = 1;
export const AHEAD_STOP = 2;
/** Batches the thread may be ahead of the taker. */
export const AHEAD_MAX_BATCHES = 8;
/** A thread that posts nothing for this long has died (a thread's end cannot be seen from a synchronous wait). */
const AHEAD_SILENCE_MS = 120_000;
/** Items per batch: large enough that a message costs little per item, small enough to start the taker early. */
export const AHEAD_BATCH_ITEMS = 2048;
/** A batch is posted sooner once its payloads reach this many characters (a file of long lines stays in bounds). */
export const AHEAD_BATCH_CHARS = 8 << 20;
/**
 * The thread's heap, bounded: left to V8's defaults on a machine with 24 GB it grew its young generation until the
 * re-import of 30,000 tickets peaked at 743–759 MiB RSS against 536 MiB parsing in one thread; with these limits
 * 517 MiB, at the same speed (3.6–3.8 s against 3.5–3.6 s, 4.7–5.0 s in one thread). A batch, and one line of at most
 * MAX_LINE_BYTES being parsed, fit many times over.
 */
const AHEAD_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 };

let workerUrlOverride: URL | undefined;

/** Bundled builds (Electron main) ship the thread as its own file and point here to it. */
export function setParseAheadWorkerUrl(url: URL): void {
  workerUrlOverride = url;
}

/** Threads reading ahead that have not ended yet (tests wait for this to fall back to zero). */
let threadsRunning = 0;
export const threadsReadingAhead = (): number => threadsRunning;

const workerUrl = (): URL => workerUrlOverride ?? new URL('./parse-ahead-worker.ts', import.meta.url);

/**
 * The task's items in order, parsed in a thread; `end()` says what the thread counted once every item was taken.
 * Stopping early (a bad line, an error of the taker) stops the thread.
 */
export function parsedAhead(task: ParseAheadTask): { items: Generator<ParsedLine>; end: () => ParseAheadEnd } {
  let finished: ParseAheadEnd | null = null;
  function* items(): Generator<ParsedLine> {
    const control = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(workerUrl(), {
      workerData: { task, control: control.buffer, port: port2 },
      transferList: [port2],
      resourceLimits: AHEAD_RESOURCE_LIMITS,
    });
    threadsRunning++;
    worker.once('exit', () => threadsRunning--);
    let taken = 0;
    let lastTaken = performance.now();
    try {
      for (;;) {
        const received = receiveMessageOnPort(port1);
        if (!received) {
          if (performance.now() - lastTaken > AHEAD_SILENCE_MS) throw new Error(`the thread reading ahead sent nothing for ${AHEAD_SILENCE_MS / 1000} s (it ended without a word: out of memory?)`);
          // Wakes when the thread counts a batch more than taken (a batch is posted before it is counted).
          Atomics.wait(control, AHEAD_PRODUCED, taken, 1000);
          continue;
        }
        lastTaken = performance.now();
        taken++;
        Atomics.store(control, AHEAD_TAKEN, taken);
        Atomics.notify(control, AHEAD_TAKEN);
        const message = received.message as ParseAheadMessage;
        if ('failure' in message) throw new Error(`reading ahead failed: ${message.failure}`);
        yield* message.items;
        if (message.end) {
          finished = message.end;
          return;
        }
      }
    } finally {
      Atomics.store(control, AHEAD_STOP, 1);
      Atomics.notify(control, AHEAD_TAKEN);
      port1.close();
      void worker.terminate();
    }
  }
  return {
    items: items(),
    end: () => {
      if (!finished) throw new Error('the lines read ahead were not all taken');
      return finished;
    },
  };
}
