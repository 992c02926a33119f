// Phases "ingest", "ingest-plain" and "reimport": the generator's history through `attest import`'s own function
// (importJsonlFile: validate, canonicalize, dedupe, hash, chain AND refresh every projection, in one transaction), with
// its steps timed apart in that same run, against the same lines by a plain prepared INSERT into the events table of
// the same schema; and imports into the full ledger (all duplicates, then about 10% new events). Each phase runs in
// its own process, so its peak RSS is its own.
import { openDatabase } from '../../electron/core/db/connection.ts';
import { DEMO_DEFAULT_START } from '../../electron/core/demo/generator.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { defaultSlaPolicyLine } from '../../electron/core/sla/default-policies.ts';
import { importJsonlFile, importJsonlFileTimed } from '../../electron/core/interchange/jsonl-import.ts';
import { readLinesSync } from '../../electron/core/interchange/line-reader.ts';
import { formatPercent } from '../../shared/format.ts';
import { plainEventInserter, slaOutcomeCount } from './bench-repository.ts';
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
    log(
      `attest import (importJsonlFile, appends and refreshes every projection in its transaction) into a database holding only the default SLA policies: ` +
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

export function plainIngestPhase(ctx: BenchContext): IngestFigures {
  const db = openDatabase(ctx.plainDbPath);
  try {
    const insert = plainEventInserter(db);
    const [events, ms] = time(() =>
      db.transaction(() => {
        let seq = 0;
        const recordedAt = new Date().toISOString();
        for (const { text } of readLinesSync(ctx.historyFile)) {
          if (!text) continue;
          const { ticket, type, at, ...payload } = JSON.parse(text) as Record<string, unknown>;
          const actor = (payload.author ?? payload.by ?? { kind: 'system' }) as object;
          insert(++seq, ticket ?? null, type, at, recordedAt, JSON.stringify(actor), JSON.stringify(payload));
        }
        return seq;
      }).immediate(),
    );
    log(`plain prepared INSERT of the same lines (JSON.parse, then the events table only: no validation, hashing, chain, duplicate check or projections): ${count(events)} events in ${seconds(ms)}: ${rate(events, ms)}`);
    return { events, ms };
  } finally {
    db.close();
  }
}

export function reimportPhase(ctx: BenchContext): void {
  const db = openDatabase(ctx.ledgerDbPath);
  try {
    const [again, againMs] = time(() => importJsonlFile(db, ctx.historyFile));
    if (again.eventsAdded !== 0) throw new Error(`re-import of the same file added ${again.eventsAdded} events; every line should be a duplicate`);
    log(`re-import of the same file into the full ledger: ${count(again.duplicatesSkipped)} duplicates found, ${count(again.eventsAdded)} added in ${seconds(againMs)}: ${rate(again.duplicatesSkipped, againMs, 'lines')}`);
    const [fresh, freshMs] = time(() => importJsonlFile(db, ctx.newEventsFile));
    log(`import of the new-events file into the full ledger: ${count(fresh.eventsAdded)} events added, ${count(fresh.duplicatesSkipped)} duplicates, ${count(fresh.ticketsTouched)} tickets in ${seconds(freshMs)}: ${rate(fresh.eventsAdded, freshMs)}`);
  } finally {
    db.close();
  }
}

export const ingestRatioLine = (ledger: IngestFigures, plain: IngestFigures): string =>
  `ingest ratio (attest import with projections / plain INSERT, events/s): ${ratio(ledger.events / ledger.ms / (plain.events / plain.ms))}   goal ≥ 0.8`;

/** The append step alone against the same baseline: what the earlier bench called its import ratio (projections left out). */
export const appendRatioLine = (ledger: IngestFigures, plain: IngestFigures): string =>
  `append alone / plain INSERT (events/s; projections and commit left out, as the earlier bench measured): ${ratio(ledger.events / ledger.appendMs! / (plain.events / plain.ms))}`;
