// The thread that reads, decodes and validates the lines of a large JSONL import (line-parser-thread.ts) while the
// importing thread appends the events before them: the same parsedLinesOf the import runs in one thread, over the same
// reader. Pure: it reads the file and nothing else (no database), so stopping it at any moment is safe.
import { createHash } from 'node:crypto';
import { workerData, type MessagePort } from 'node:worker_threads';
import { registerFeatures } from '../features.ts';
import { ImportError } from './import-error.ts';
import { BATCH_LINES, BATCH_PAYLOAD_CHARS, type ParserMessage } from './line-parser-protocol.ts';
import { readLinesSync } from './line-reader.ts';
import { parsedLinesOf, type ParsedLine } from './parsed-lines.ts';
import { BatchSender } from './thread-batches.ts';

const { path, name, control, port } = workerData as { path: string; name: string; control: SharedArrayBuffer; port: MessagePort };
registerFeatures();
const sender = new BatchSender<ParserMessage>(port, control);

let read = 0;
let batch: ParsedLine[] = [];
let batchChars = 0;
const digest = createHash('sha256');
try {
  for (const parsed of parsedLinesOf(name, readLinesSync(path, undefined, digest), () => read++)) {
    batch.push(parsed);
    batchChars += parsed.event.payload.length;
    if (batch.length < BATCH_LINES && batchChars < BATCH_PAYLOAD_CHARS) continue;
    sender.send({ lines: JSON.stringify(batch) });
    batch = [];
    batchChars = 0;
    if (sender.stopped()) break;
  }
  if (!sender.stopped()) sender.send({ lines: JSON.stringify(batch), end: { linesRead: read, digest: digest.digest('hex') } });
} catch (error) {
  // The lines before the bad one go first: the appender takes them (its own refusals among them come first).
  const failure =
    error instanceof ImportError
      ? { file: error.file, line: error.line, field: error.field, reason: error.reason }
      : { message: (error as Error).message ?? String(error) };
  sender.send({ lines: JSON.stringify(batch), failed: failure });
} finally {
  sender.close();
}
