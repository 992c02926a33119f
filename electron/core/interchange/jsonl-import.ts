// "Attest JSONL v1" import: one transaction per file; a bad line leaves the database exactly as it was.
import type { ImportReport } from '../../../shared/contract.ts';
import type { Db } from '../db/connection.ts';
import { LineError, parseEventLine } from '../ledger/event-lines.ts';
import { LedgerWriter } from '../ledger/ledger.ts';
import { refreshAfterAppend } from '../derived/refresh.ts';
import { readLinesSync, splitLines, type NumberedLine } from './line-reader.ts';

export class ImportError extends Error {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  constructor(file: string, line: number, field: string, reason: string) {
    super(`${file}:${line}: ${field}: ${reason}`);
    this.file = file;
    this.line = line;
    this.field = field;
  }
}

export interface EventSource {
  /** Shown in errors and reports: the path as the user gave it. */
  name: string;
  lines: Iterable<NumberedLine>;
}

function decode(source: EventSource, line: NumberedLine): unknown {
  try {
    return JSON.parse(line.text);
  } catch (error) {
    throw new ImportError(source.name, line.lineNumber, '(line)', `invalid JSON: ${(error as Error).message}`);
  }
}

export interface AppendStats {
  linesRead: number;
  eventsAdded: number;
  duplicatesSkipped: number;
  touched: Set<string>;
  /** Types of the ledger-wide events that were added. */
  ledgerTypes: Set<string>;
  headHash: string;
}

/**
 * Validates and appends every line of `source` to the ledger. Must run inside a transaction;
 * the caller refreshes the projections of `touched` before committing.
 */
export function appendEventLines(db: Db, source: EventSource, recordedAt: string): AppendStats {
  const writer = new LedgerWriter(db);
  const touched = new Set<string>();
  const ledgerTypes = new Set<string>();
  let linesRead = 0;
  let eventsAdded = 0;
  let duplicatesSkipped = 0;
  for (const line of source.lines) {
    linesRead++;
    if (line.text.trim() === '') continue;
    try {
      const event = parseEventLine(decode(source, line));
      if (writer.append(event, recordedAt) === 'added') {
        eventsAdded++;
        if (event.ticket !== null) touched.add(event.ticket);
        else ledgerTypes.add(event.type);
      } else {
        duplicatesSkipped++;
      }
    } catch (error) {
      if (error instanceof LineError) throw new ImportError(source.name, line.lineNumber, error.field, error.reason);
      throw error;
    }
  }
  writer.flush();
  return { linesRead, eventsAdded, duplicatesSkipped, touched, ledgerTypes, headHash: writer.currentHead().hash };
}

export function importEventSource(db: Db, source: EventSource, recordedAt = new Date().toISOString()): ImportReport {
  const run = db.transaction((): ImportReport => {
    const stats = appendEventLines(db, source, recordedAt);
    refreshAfterAppend(db, stats.touched, stats.ledgerTypes);
    return {
      file: source.name,
      linesRead: stats.linesRead,
      eventsAdded: stats.eventsAdded,
      duplicatesSkipped: stats.duplicatesSkipped,
      ticketsTouched: stats.touched.size,
      headHash: stats.headHash,
    };
  });
  return run.immediate();
}

export function importJsonlFile(db: Db, path: string): ImportReport {
  return importEventSource(db, { name: path, lines: readLinesSync(path) });
}

export function importJsonlText(db: Db, fileName: string, text: string): ImportReport {
  return importEventSource(db, { name: fileName, lines: splitLines(text) });
}
