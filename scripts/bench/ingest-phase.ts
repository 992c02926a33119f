// Phases "ingest", "ingest-plain", "ingest-split" and "reimport": the generator's history through `attest import`'s
// own function (importJsonlFile: validate, canonicalize, dedupe, hash, chain AND refresh every projection, in one
// transaction), against the same lines by a plain prepared INSERT into the events table of the same schema; the
// split of an import into its append and its projections; and imports into the full ledger (all duplicates, then
// about 10% new events). Each phase runs in its own process, so its peak RSS is its own.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { refreshAfterAppend } from '../../electron/core/derived/refresh.ts';
import { appendEventLines, importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { readLinesSync } from '../../electron/core/interchange/line-reader.ts';
import { formatPercent } from '../../shared/format.ts';
import { plainEventInserter } from './bench-repository.ts';
import { count, log, rate, ratio, seconds, time, type BenchContext } from './bench-kit.ts';

/** Figures a phase hands to the parent, which prints the ratios between phases. */
export interface IngestFigures {
  events: number;
  ms: number;
}

export function ingestPhase(ctx: BenchContext): IngestFigures {
  const db = openDatabase(ctx.ledgerDbPath);
  try {
    const [report, ms] = time(() => importJsonlFile(db, ctx.historyFile));
    log(`attest import (importJsonlFile, appends and refreshes every projection in its transaction) into an empty database: ${count(report.eventsAdded)} events, ${count(report.ticketsTouched)} tickets in ${seconds(ms)}: ${rate(report.eventsAdded, ms)}`);
    return { events: report.eventsAdded, ms };
  } finally {
    db.close();
  }
}

export function plainIngestPhase(ctx: BenchContext): IngestFigures {
  const db = openDatabase(join(ctx.dir, 'plain.db'));
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

/** The split reads at most this many lines of the file (a tenth of a 300,000-ticket history), so it adds little to a run. */
const SPLIT_MAX_LINES = 300_000;

function* firstLines<T>(lines: Iterable<T>, limit: number): Generator<T> {
  let n = 0;
  for (const line of lines) {
    if (n++ === limit) return;
    yield line;
  }
}

/**
 * For transparency, where an import's time goes: a second import of the same file (its first SPLIT_MAX_LINES lines)
 * into another empty database, its two steps timed apart inside one transaction exactly as importEventSource runs
 * them (appendEventLines, then refreshAfterAppend for the tickets it touched).
 */
export function splitIngestPhase(ctx: BenchContext): IngestFigures {
  const db = openDatabase(join(ctx.dir, 'split.db'));
  try {
    return db.transaction((): IngestFigures => {
      const lines = firstLines(readLinesSync(ctx.historyFile), SPLIT_MAX_LINES);
      const [stats, appendMs] = time(() => appendEventLines(db, { name: ctx.historyFile, lines, digest: createHash('sha256') }));
      const [, projectMs] = time(() => refreshAfterAppend(db, stats.touched, stats.ledgerTypes));
      const total = appendMs + projectMs;
      const of = stats.linesRead === SPLIT_MAX_LINES ? `its first ${count(stats.eventsAdded)} events` : 'the same file';
      log(
        `split of a second import of ${of}: append (validate, canonicalize, hash, chain) ${seconds(appendMs)} (${formatPercent(appendMs / total)}, ${rate(stats.eventsAdded, appendMs)}), ` +
          `projections of ${count(stats.touched.size)} tickets ${seconds(projectMs)} (${formatPercent(projectMs / total)})`,
      );
      return { events: stats.eventsAdded, ms: appendMs };
    }).immediate();
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

/** The append alone against the same baseline: what the earlier bench called its import ratio (projections left out). */
export const appendRatioLine = (append: IngestFigures, plain: IngestFigures): string =>
  `append alone / plain INSERT (events/s; projections left out, as the earlier bench measured): ${ratio(append.events / append.ms / (plain.events / plain.ms))}`;
