// Phases "ingest", "ingest-plain" and "reimport": the generator's history through `attest import`'s own function
// (importJsonlFile: validate, canonicalize, dedupe, hash, chain AND refresh every projection, in one transaction; a large
// file's lines parsed in a second thread, as the CLI's import parses them, and the thread count printed), with
// its steps timed apart in that same run, against the same lines by a plain prepared INSERT into the events table of
// the same schema; and imports into the full ledger (all duplicates, then about 10% new events). Each phase runs in
// its own process, so its peak RSS is its own.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { DEMO_DEFAULT_START } from '../../electron/core/demo/generator.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { defaultSlaPolicyLine } from '../../electron/core/sla/default-policies.ts';
import { importJsonlFileTimed, type ImportSteps } from '../../electron/core/interchange/jsonl-import.ts';
import { PARSER_THREAD_MIN_BYTES } from '../../electron/core/interchange/line-parser-thread.ts';
import { readLinesSync } from '../../electron/core/interchange/line-reader.ts';
import { BatchReceiver, CONTROL_BYTES } from '../../electron/core/interchange/thread-batches.ts';
import { formatPercent } from '../../shared/format.ts';
import { plainEventInserter, slaOutcomeCount } from './bench-repository.ts';
import { plainRow, type PlainBatch, type PlainRow } from './plain-rows.ts';
import { count, log, rate, ratio, seconds, time, type BenchContext } from './bench-kit.ts';

/** Figures a phase hands to the parent, which prints the ratios between phases. */
export interface IngestFigures {
  events: number;
  ms: number;
  /** The import's append step alone (no projections, no commit), for the ratio the earlier bench printed. */
  appendMs?: number;
}

export function ingestPhase(ctx: BenchContext): IngestFigures {
  const db = openDatabase(ctx.ledgerDbPath);
  try {
    // A deployment sets its SLA policies before its history comes in. Into a ledger without any, the SLA projection
    // (the largest an import refreshes: clocks, outcomes, states, rollup) has nothing to compute and the figure
    // flatters the import; the generator's history holds no policy of its own.
    recordEvents(db, [defaultSlaPolicyLine(DEMO_DEFAULT_START)]);
    const [{ report, steps }, ms] = time(() => importJsonlFileTimed(db, ctx.historyFile));
    const threads = steps.parsedInOwnThread ? 'on 2 threads: its lines read, decoded and validated in one while the other appends' : 'on 1 thread';
    log(
      `attest import (importJsonlFile, appends and refreshes every projection in its transaction; ${threads}) into a database holding only the default SLA policies: ` +
        `${count(report.eventsAdded)} events, ${count(report.ticketsTouched)} tickets in ${seconds(ms)}: ${rate(report.eventsAdded, ms)}; ` +
        `the SLA outcomes it recorded (a ticket's metric each): ${count(slaOutcomeCount(db))}`,
    );
    // Where that import's time went, each step timed apart inside it (the rest: opening the file's transaction).
    const share = (stepMs: number): string => formatPercent(stepMs / ms);
    log(
      `of which: append (read, validate, canonicalize, dedupe, hash, chain) ${seconds(steps.appendMs)} (${share(steps.appendMs)}, ${rate(report.eventsAdded, steps.appendMs)}), ` +
        `projections of ${count(report.ticketsTouched)} tickets ${seconds(steps.projectionsMs)} (${share(steps.projectionsMs)}), commit ${seconds(steps.commitMs)} (${share(steps.commitMs)})`,
    );
    return { events: report.eventsAdded, ms, appendMs: steps.appendMs };
  } finally {
    db.close();
  }
}

/**
 * The baseline's lines, each made into a row: in this thread, or — when the import parses the same file in a thread of
 * its own (it is at least PARSER_THREAD_MIN_BYTES) — in a second thread handed over the same way, so the baseline
 * runs on the import's thread count.
 */
function plainRows(path: string): { rows: Iterable<PlainRow>; threads: number; close: () => void } {
  if (statSync(path).size < PARSER_THREAD_MIN_BYTES) {
    return { rows: (function* () { for (const { text } of readLinesSync(path)) if (text) yield plainRow(text); })(), threads: 1, close: () => undefined };
  }
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./plain-parse-worker.ts', import.meta.url), { workerData: { path, control, port: port2 }, transferList: [port2] });
  worker.unref();
  const batches = new BatchReceiver<PlainBatch>(port1, control, path, { startMs: 60_000, silenceMs: 300_000 });
  function* rows(): Generator<PlainRow> {
    for (;;) {
      const batch = batches.next();
      yield* JSON.parse(batch.rows) as PlainRow[];
      if (batch.end) return;
    }
  }
  return {
    rows: rows(),
    threads: 2,
    close: () => {
      batches.close();
      void worker.terminate();
    },
  };
}

export function plainIngestPhase(ctx: BenchContext): IngestFigures {
  const db = openDatabase(join(ctx.dir, 'plain.db'));
  const source = plainRows(ctx.historyFile);
  try {
    const insert = plainEventInserter(db);
    const [events, ms] = time(() =>
      db.transaction(() => {
        let seq = 0;
        const recordedAt = new Date().toISOString();
        for (const [ticket, type, at, actor, payload] of source.rows) insert(++seq, ticket, type, at, recordedAt, actor, payload);
        return seq;
      }).immediate(),
    );
    const threads = source.threads === 2 ? 'on 2 threads: the lines parsed in one while the other inserts, as the import splits them' : 'on 1 thread';
    log(`plain prepared INSERT of the same lines (JSON.parse, then the events table only: no validation, hashing, chain, duplicate check or projections; ${threads}): ${count(events)} events in ${seconds(ms)}: ${rate(events, ms)}`);
    return { events, ms };
  } finally {
    source.close();
    db.close();
  }
}

export function reimportPhase(ctx: BenchContext): void {
  const db = openDatabase(ctx.ledgerDbPath);
  try {
    const threadsOf = (steps: ImportSteps): string => (steps.parsedInOwnThread ? '2 threads' : '1 thread');
    const [{ report: again, steps: againSteps }, againMs] = time(() => importJsonlFileTimed(db, ctx.historyFile));
    if (again.eventsAdded !== 0) throw new Error(`re-import of the same file added ${again.eventsAdded} events; every line should be a duplicate`);
    log(
      `re-import of the same file into the full ledger: ${count(again.duplicatesSkipped)} duplicates found, ${count(again.eventsAdded)} added in ${seconds(againMs)}: ` +
        `${rate(again.duplicatesSkipped, againMs, 'lines')} (on ${threadsOf(againSteps)})`,
    );
    const [{ report: fresh, steps: freshSteps }, freshMs] = time(() => importJsonlFileTimed(db, ctx.newEventsFile));
    log(
      `import of the new-events file into the full ledger: ${count(fresh.eventsAdded)} events added, ${count(fresh.duplicatesSkipped)} duplicates, ${count(fresh.ticketsTouched)} tickets in ${seconds(freshMs)}: ` +
        `${rate(fresh.eventsAdded, freshMs)} (on ${threadsOf(freshSteps)})`,
    );
  } finally {
    db.close();
  }
}

export const ingestRatioLine = (ledger: IngestFigures, plain: IngestFigures): string =>
  `ingest ratio (attest import with projections / plain INSERT, events/s): ${ratio(ledger.events / ledger.ms / (plain.events / plain.ms))}   goal ≥ 0.8`;

/** The append step alone against the same baseline: what the earlier bench called its import ratio (projections left out). */
export const appendRatioLine = (ledger: IngestFigures, plain: IngestFigures): string =>
  `append alone / plain INSERT (events/s; projections and commit left out, as the earlier bench measured): ${ratio(ledger.events / ledger.appendMs! / (plain.events / plain.ms))}`;
