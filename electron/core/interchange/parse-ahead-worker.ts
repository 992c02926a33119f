// The thread of parse-ahead.ts: reads and parses the task's lines, posting them in batches, at most a few batches
// ahead of the thread that appends them; a bad line ends the items (the taker stops there), any other error is
// posted as the failure.
import { createHash } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import { registerFeatures } from '../features.ts';
import { generateDemoHistory } from '../demo/generator.ts';
import { parseEventLine } from '../ledger/event-lines.ts';
import { readLinesSync } from './line-reader.ts';
import { parseLines, type LineCounts, type ParsedLine } from './parsed-lines.ts';
import { AHEAD_BATCH_CHARS, AHEAD_BATCH_ITEMS, AHEAD_MAX_BATCHES, AHEAD_PRODUCED, AHEAD_STOP, AHEAD_TAKEN, type ParseAheadEnd, type ParseAheadMessage, type ParseAheadTask } from './parse-ahead.ts';

const { task, control: buffer, port } = workerData as { task: ParseAheadTask; control: SharedArrayBuffer; port: MessagePort };
const control = new Int32Array(buffer);
let produced = 0;

/** Posts one message; then waits while the taker is AHEAD_MAX_BATCHES behind. False when the taker stopped. */
function post(message: ParseAheadMessage): boolean {
  port.postMessage(message);
  Atomics.store(control, AHEAD_PRODUCED, ++produced);
  Atomics.notify(control, AHEAD_PRODUCED);
  for (;;) {
    if (Atomics.load(control, AHEAD_STOP) === 1) return false;
    const taken = Atomics.load(control, AHEAD_TAKEN);
    if (produced - taken < AHEAD_MAX_BATCHES) return true;
    Atomics.wait(control, AHEAD_TAKEN, taken, 1000);
  }
}

function* demoItems(tickets: number, seed: number, counts: LineCounts): Generator<ParsedLine> {
  for (const line of generateDemoHistory({ tickets, seed })) {
    counts.linesRead++;
    yield { lineNumber: counts.linesRead, event: parseEventLine(line) };
  }
}

function run(): void {
  registerFeatures();
  const counts: LineCounts = { linesRead: 0 };
  const digest = task.kind === 'jsonl' ? createHash('sha256') : null;
  const items = task.kind === 'jsonl' ? parseLines(readLinesSync(task.path, undefined, digest!), counts) : demoItems(task.tickets, task.seed, counts);
  let batch: ParsedLine[] = [];
  let chars = 0;
  for (const item of items) {
    batch.push(item);
    chars += 'event' in item ? item.event.payload.length : item.reason.length;
    if (batch.length === AHEAD_BATCH_ITEMS || chars >= AHEAD_BATCH_CHARS) {
      if (!post({ items: batch })) return;
      batch = [];
      chars = 0;
    }
  }
  const end: ParseAheadEnd = { linesRead: counts.linesRead, sha256: digest ? digest.digest('hex') : null };
  post({ items: batch, end });
}

try {
  run();
} catch (error) {
  port.postMessage({ failure: (error as Error).message } satisfies ParseAheadMessage);
  Atomics.store(control, AHEAD_PRODUCED, ++produced);
  Atomics.notify(control, AHEAD_PRODUCED);
}
