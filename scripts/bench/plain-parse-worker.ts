// The second thread of the ingest baseline, when the import parses its lines in a thread of its own
// (electron/core/interchange/line-parser-thread.ts): the baseline's own parsing of the same lines (JSON.parse, the
// actor and payload split off and written as JSON) in this thread, handed over the same way, while the other inserts.
import { workerData, type MessagePort } from 'node:worker_threads';
import { readLinesSync } from '../../electron/core/interchange/line-reader.ts';
import { BatchSender } from '../../electron/core/interchange/thread-batches.ts';
import { plainRow, type PlainBatch, type PlainRow } from './plain-rows.ts';

const ROWS_PER_BATCH = 2000;
const { path, control, port } = workerData as { path: string; control: SharedArrayBuffer; port: MessagePort };
const sender = new BatchSender<PlainBatch>(port, control);
let rows: PlainRow[] = [];
try {
  for (const { text } of readLinesSync(path)) {
    if (!text) continue;
    rows.push(plainRow(text));
    if (rows.length < ROWS_PER_BATCH) continue;
    sender.send({ rows: JSON.stringify(rows), end: false });
    rows = [];
    if (sender.stopped()) break;
  }
  if (!sender.stopped()) sender.send({ rows: JSON.stringify(rows), end: true });
} finally {
  sender.close();
}
