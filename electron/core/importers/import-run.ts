// Imports one helpdesk export file: one transaction, bounded memory, progress and cancel, idempotent by
// source ticket id. Each fact keeps its real actor; the `import.file` event attributes the run's events
// (seq firstSeq..lastSeq) to the file's name and SHA-256.
import { basename } from 'node:path';
import {
  ANOMALY_EXCLUDES,
  type CsvMapping,
  type ImportAnomaly,
  type ImportAnomalyKind,
  type ImportFileReport,
  type ImportFinishing,
  type ImportFormat,
  type ImportKpi,
  type ImportRunPhase,
} from '../../../shared/contracts/importers.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { beginWrite, beginWriteSync, type WriteLock } from '../db/write-lock.ts';
import { refreshAfterAppend } from '../derived/refresh.ts';
import { ImportError } from '../interchange/jsonl-import.ts';
import { LineError, parseEventLine } from '../ledger/event-lines.ts';
import { LedgerWriter } from '../ledger/ledger.ts';
import { readCsvRecords, type CsvRecord } from './csv-records.ts';
import { MappedRows } from './csv-mapping.ts';
import { ChunkedFileReader } from './file-reader.ts';
import { FreshdeskRows } from './freshdesk.ts';
import { ImportRepository } from './import-repository.ts';
import { FieldError, ImportCancelled, type HistoryLine, type SourceItem } from './import-types.ts';
import { readJsonRecords } from './json-items.ts';
import { flagLine, ticketLines } from './ticket-lines.ts';
import { ZendeskPeople, zendeskItem } from './zendesk.ts';

export interface ImportFileOptions {
  format: ImportFormat;
  path: string;
  /** Shown in errors and the report (default: the path). */
  name?: string;
  /** Required for format 'csv'. */
  mapping?: CsvMapping;
  /** Zone of Freshdesk times written without an offset (default UTC). */
  timezone?: string;
  /** Who ran the import (the `import.file` event's actor). */
  actor?: Actor;
  recordedAt?: string;
  signal?: { cancelled: boolean };
  onProgress?(progress: ImportProgress): void;
  /**
   * Opens the import's write transaction once no other writer holds the database (importFile only). The
   * console's write gate passes its own, so the import is one turn of the gate; the CLI passes one that
   * says on stderr what it waits for. Default: wait quietly (write-lock.ts).
   */
  begin?: (db: Db, what: string) => Promise<WriteLock>;
}

/** How an import is named to those who wait for it. */
export function importLabel(options: Pick<ImportFileOptions, 'name' | 'path'>): string {
  return `import of ${basename(options.name ?? options.path)}`;
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
  phase: ImportRunPhase;
  /** While finishing: the step now under way, and how many of the finishing steps are done. */
  finishing: ImportFinishing | null;
}

/** Anomalies listed in a report; beyond this they are only counted (memory stays bounded). */
const MAX_LISTED_ANOMALIES = 10_000;
/** Ticket projections are refreshed in batches of this many tickets, not all at the end. */
const REFRESH_BATCH = 5_000;
/**
 * Projections are refreshed this many tickets at a time, a step each (a progress step while finishing): about a tenth
 * of a second of the console's thread per step at a million tickets.
 */
const REFRESH_STEP = 250;

function* sourceItems(db: Db, reader: ChunkedFileReader, options: ImportFileOptions): Generator<SourceItem> {
  if (options.format === 'zendesk') {
    const repository = new ImportRepository(db);
    const people = new ZendeskPeople((ticketId) => repository.requesterOf(ticketId));
    for (const record of readJsonRecords(reader)) {
      const item = zendeskItem(record, people);
      if (item) yield item;
    }
    return;
  }
  const records = readCsvRecords(reader, options.mapping?.delimiter ?? ',');
  const header = records.next();
  if (header.done) throw new FieldError(1, '(file)', 'the file is empty (expected a header row)');
  const rows = options.format === 'freshdesk' ? new FreshdeskRows(header.value, { timezone: options.timezone }) : mappedRows(header.value, options);
  for (const record of records) yield { kind: 'ticket', ticket: rows.ticket(record) };
}

function mappedRows(header: CsvRecord, options: ImportFileOptions): MappedRows {
  if (!options.mapping) throw new FieldError(1, '--mapping', 'the csv format needs a mapping file');
  return new MappedRows(header, options.mapping);
}

class ReportBuilder {
  rows = 0;
  imported = 0;
  updated = 0;
  duplicates = 0;
  skipped = 0;
  partialHistory = 0;
  events = 0;
  readonly anomalies: ImportAnomaly[] = [];
  anomaliesOmitted = 0;
  readonly counts: Partial<Record<ImportAnomalyKind, number>> = {};
  readonly excluded = new Map<ImportKpi, Set<string>>();

  anomaly(row: number, ticket: string, kind: ImportAnomalyKind, detail?: string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    const excludes = [...ANOMALY_EXCLUDES[kind]];
    for (const kpi of excludes) {
      let tickets = this.excluded.get(kpi);
      if (!tickets) this.excluded.set(kpi, (tickets = new Set()));
      tickets.add(ticket);
    }
    if (this.anomalies.length >= MAX_LISTED_ANOMALIES) this.anomaliesOmitted++;
    else this.anomalies.push(detail ? { row, ticket, kind, detail, excludes } : { row, ticket, kind, excludes });
  }
}

/**
 * The import as a sequence of steps (one per source record), so a driver can yield between them. The driver
 * opened the write transaction (`lock`); the steps commit it at the end or roll it back on any failure.
 */
function* importSteps(db: Db, lock: WriteLock, options: ImportFileOptions): Generator<ImportProgress, ImportFileReport> {
  const started = performance.now();
  const name = options.name ?? options.path;
  const recordedAt = options.recordedAt ?? new Date().toISOString();
  const report = new ReportBuilder();
  let line = 0;
  try {
    const reader = new ChunkedFileReader(options.path);
    const writer = new LedgerWriter(db);
    const repository = new ImportRepository(db);
    // The first event the file added (a session.started the writer records before it is not the file's).
    let firstSeq = writer.currentHead().seq + 1;
    let addedAny = false;
    let touched = new Set<string>();
    const reading = (): ImportProgress => ({ bytesRead: reader.bytesRead, totalBytes: reader.totalBytes, rows: report.rows, phase: 'reading', finishing: null });

    const append = (ticketId: string, event: HistoryLine, row: number): boolean => {
      let parsed;
      try {
        parsed = parseEventLine({ ...event, ticket: ticketId });
      } catch (error) {
        if (error instanceof LineError) throw new FieldError(row, `${event.type}.${error.field}`, error.reason);
        throw error;
      }
      if (writer.append(parsed, recordedAt) !== 'added') return false;
      if (!addedAny) firstSeq = writer.currentHead().seq;
      addedAny = true;
      report.events++;
      touched.add(ticketId);
      return true;
    };

    for (const item of sourceItems(db, reader, options)) {
      if (options.signal?.cancelled) throw new ImportCancelled();
      report.rows++;
      if (item.kind === 'events') {
        line = item.row;
        let added = 0;
        for (const event of item.lines) if (append(item.ticketId, event, item.row)) added++;
        if (added > 0) report.updated++;
        else report.duplicates++;
      } else {
        const t = item.ticket;
        line = t.row;
        const { created, lines, flags } = ticketLines(t);
        if (created === null) {
          report.skipped++;
          for (const flag of flags) report.anomaly(t.row, t.ticketId, flag.kind as ImportAnomalyKind, flag.detail);
        } else {
          const isNew = !repository.hasCreated(t.ticketId);
          let added = isNew && append(t.ticketId, created, t.row) ? 1 : 0;
          for (const event of lines) if (append(t.ticketId, event, t.row)) added++;
          for (const flag of flags) {
            if (append(t.ticketId, flagLine(flag, created.at), t.row)) added++;
            if (flag.kind === 'partial_history') report.partialHistory++;
            else report.anomaly(t.row, t.ticketId, flag.kind, flag.detail);
          }
          if (isNew) report.imported++;
          else if (added > 0) report.updated++;
          else report.duplicates++;
        }
      }
      if (touched.size >= REFRESH_BATCH) {
        writer.flush();
        // A slice at a time with a step between: in the console the job yields there, and 5,000 tickets refreshed at
        // once held its thread for seconds (issue 15: no console action blocks another).
        const ids = [...touched];
        touched = new Set();
        for (let from = 0; from < ids.length; from += REFRESH_STEP) {
          refreshAfterAppend(db, new Set(ids.slice(from, from + REFRESH_STEP)), new Set());
          yield reading();
        }
      }
      if ((report.rows & 255) === 0) yield reading();
    }

    // Finishing: the rows are read; the import record, the last tickets' projections and the commit remain.
    // Each is a step of its own, announced before it runs, so the console never sits silently at 100%.
    const lastTickets = [...touched];
    const batches = Math.ceil(lastTickets.length / REFRESH_STEP);
    const finishingTotal = 1 + batches + 2;
    let finishingDone = 0;
    const finishing = (step: string): ImportProgress => ({
      bytesRead: reader.bytesRead,
      totalBytes: reader.totalBytes,
      rows: report.rows,
      phase: 'finishing',
      finishing: { step, done: finishingDone, total: finishingTotal },
    });
    yield finishing('recording the import in the ledger');
    const sha256 = reader.sha256();
    const lastSeq = writer.currentHead().seq;
    let importSeq: number | null = null;
    const ledgerTypes = new Set<string>();
    if (report.events > 0) {
      const event = parseEventLine({
        type: 'import.file',
        at: recordedAt,
        actor: options.actor ?? { kind: 'system', id: 'attest-import' },
        file: basename(name),
        sha256,
        format: options.format,
        rows: report.rows,
        imported: report.imported,
        updated: report.updated,
        duplicates: report.duplicates,
        skipped: report.skipped,
        events: report.events,
        firstSeq,
        lastSeq,
        anomalies: report.counts,
      });
      writer.append(event, recordedAt);
      importSeq = writer.currentHead().seq;
      ledgerTypes.add('import.file');
    }
    writer.flush();
    finishingDone++;
    for (let batch = 0; batch < batches; batch++) {
      const from = batch * REFRESH_STEP;
      const to = Math.min(from + REFRESH_STEP, lastTickets.length);
      yield finishing(`updating ticket projections ${from + 1}–${to} of ${lastTickets.length}`);
      refreshAfterAppend(db, new Set(lastTickets.slice(from, to)), new Set());
      finishingDone++;
    }
    yield finishing('updating ledger-wide projections');
    refreshAfterAppend(db, new Set(), ledgerTypes);
    finishingDone++;
    yield finishing('committing the transaction');
    lock.end('commit');
    const kpiExclusions: Partial<Record<ImportKpi, number>> = {};
    for (const [kpi, tickets] of report.excluded) kpiExclusions[kpi] = tickets.size;
    return {
      file: name,
      format: options.format,
      rows: report.rows,
      imported: report.imported,
      updated: report.updated,
      duplicates: report.duplicates,
      skipped: report.skipped,
      partialHistory: report.partialHistory,
      anomalies: report.anomalies,
      anomaliesOmitted: report.anomaliesOmitted,
      anomalyCounts: report.counts,
      kpiExclusions,
      events: report.events,
      firstSeq: report.events > 0 ? firstSeq : null,
      lastSeq: report.events > 0 ? lastSeq : null,
      importSeq,
      sha256,
      bytes: reader.totalBytes,
      seconds: (performance.now() - started) / 1000,
      headHash: writer.currentHead().hash,
    };
  } catch (error) {
    if (error instanceof FieldError) throw new ImportError(name, error.line, oneLine(error.field), oneLine(error.reason));
    if (error instanceof LineError) throw new ImportError(name, line, oneLine(error.field), oneLine(error.reason));
    throw error;
  } finally {
    lock.end('rollback');
  }
}

/** Errors are one line: control characters the file put into a field name or value are shown escaped. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** Runs the whole import on this thread (tests, scripts). Throws ImportError (FILE:LINE: field: reason) or ImportCancelled. */
export function importFileSync(db: Db, options: ImportFileOptions): ImportFileReport {
  const lock = beginWriteSync(db, importLabel(options));
  const steps = importSteps(db, lock, options);
  let last = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const now = performance.now();
    // Every finishing step is told (a handful); reading progress at most every 200 ms.
    if (options.onProgress && (step.value.phase === 'finishing' || now - last > 200)) {
      last = now;
      options.onProgress(step.value);
    }
  }
}

/**
 * Same import, yielding to the event loop every few milliseconds so progress can be reported and a
 * cancel can arrive. Give it a connection of its own: its transaction stays open across the yields.
 */
export async function importFile(db: Db, options: ImportFileOptions, sliceMs = 40): Promise<ImportFileReport> {
  const what = importLabel(options);
  const lock = await (options.begin ?? ((connection: Db) => beginWrite(connection, what)))(db, what);
  const steps = importSteps(db, lock, options);
  let sliceStart = performance.now();
  try {
    if (options.signal?.cancelled) throw new ImportCancelled();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      const sliceOver = performance.now() - sliceStart > sliceMs;
      // Every finishing step is told, so the last one said is the one the import ended on.
      if (sliceOver || step.value.phase === 'finishing') options.onProgress?.(step.value);
      if (sliceOver) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  } finally {
    steps.return(undefined as never);
    // A generator closed before its first step never ran its own cleanup.
    lock.end('rollback');
  }
}
