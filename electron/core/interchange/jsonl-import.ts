// "Attest JSONL v1" import: one transaction per file; a bad line leaves the database exactly as it was.
// Lines are appended through the ledger's one rule book as lines from a file (LedgerWriter source 'file'):
// exported (chained) lines are taken exactly or refused; other lines are a source system's facts, recorded at
// the time of the import and attributed, with the file's SHA-256, to the person who imported it.
import { createHash, type Hash } from 'node:crypto';
import { basename } from 'node:path';
import type { ImportReport } from '../../../shared/contract.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { installationVerifierKeys } from '../checkpoints/installation-key.ts';
import { restoreProvenanceProblem, type RestoreCheckpoint } from '../checkpoints/restore-provenance.ts';
import type { VerifierKey } from '../checkpoints/signed-note.ts';
import { eventTypeSpecOf, LineError, parseEventLine } from '../ledger/event-lines.ts';
import { LedgerWriter } from '../ledger/ledger.ts';
import { noteAppended, refreshAfterAppend } from '../derived/refresh.ts';
import { readLinesSync, splitLines, type NumberedLine } from './line-reader.ts';
import { parseLines, type LineCounts, type ParsedLine } from './parsed-lines.ts';
import { parsedAhead } from './parse-ahead.ts';

export class ImportError extends Error {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly reason: string;
  constructor(file: string, line: number, field: string, reason: string) {
    super(`${file}:${line}: ${field}: ${reason}`);
    this.file = file;
    this.line = line;
    this.field = field;
    this.reason = reason;
  }
}

export interface EventSource {
  /** Shown in errors and reports: the path as the user gave it. */
  name: string;
  /** The lines parsed, in order (parsed-lines.ts), here or ahead in a thread. */
  parsed: Iterable<ParsedLine>;
  /** Once `parsed` is read to the end: the lines counted (blank ones too) and the SHA-256 of the file's bytes. */
  end: () => { linesRead: number; sha256: string };
}

/** A source parsed in this thread as it is taken. */
function sourceInThisThread(name: string, lines: Iterable<NumberedLine>, digest: Hash): EventSource {
  const counts: LineCounts = { linesRead: 0 };
  return { name, parsed: parseLines(lines, counts), end: () => ({ linesRead: counts.linesRead, sha256: digest.digest('hex') }) };
}

/** From this size on, a file's lines are read and parsed ahead in a thread of their own (parse-ahead.ts). */
export const PARSE_AHEAD_MIN_BYTES = 8 << 20;

/** A file as a source: parsed in this thread, or ahead in another from `parseAheadMinBytes` (starting one costs ~0.1 s). */
function fileSource(path: string, parseAheadMinBytes: number): EventSource {
  if (statSync(path).size < parseAheadMinBytes) {
    const digest = createHash('sha256');
    return sourceInThisThread(path, readLinesSync(path, undefined, digest), digest);
  }
  const ahead = parsedAhead({ kind: 'jsonl', path });
  return {
    name: path,
    parsed: ahead.items,
    end: () => {
      const { linesRead, sha256 } = ahead.end();
      return { linesRead, sha256: sha256! };
    },
  };
}

export interface JsonlImportOptions {
  /**
   * The export's signed checkpoint, needed to restore events only Attest writes into an empty ledger; default:
   * FILE.checkpoint beside an imported file, when it exists.
   */
  checkpoint?: RestoreCheckpoint;
  /** Keys a restore checkpoint may be signed by; default: this installation's keys. */
  trustedKeys?: readonly VerifierKey[];
  /** The person who imports the file: the actor of its `import.file` record. */
  importedBy?: Actor;
  /** The time of the append (default now): every unchained line's recordedAt. */
  recordedAt?: string;
  /** The clock chained lines' recordedAt is checked against (tests move it). */
  now?: () => string;
  /** A file this large or larger is parsed ahead in a thread (default PARSE_AHEAD_MIN_BYTES; tests lower it). */
  parseAheadMinBytes?: number;
}

export interface AppendStats {
  linesRead: number;
  eventsAdded: number;
  duplicatesSkipped: number;
  /** Events added from lines without seq/hash (facts of a source system), which an import.file record attributes. */
  unchainedAdded: number;
  /** By ticket, the types of the events appended to it. */
  touched: Map<string, ReadonlySet<string>>;
  /** Types of the ledger-wide events that were added. */
  ledgerTypes: Set<string>;
  headHash: string;
}

const SYSTEM_IMPORTER: Actor = { kind: 'system', id: 'attest-import' };

/**
 * Validates and appends every line of `source` to the ledger. Must run inside a transaction;
 * the caller refreshes the projections of `touched` before committing.
 */
export function appendEventLines(db: Db, source: EventSource, options: JsonlImportOptions = {}): AppendStats {
  const recordedAt = options.recordedAt ?? new Date().toISOString();
  const writer = new LedgerWriter(db, { source: 'file', now: options.now, importedBy: options.importedBy });
  const firstSeq = writer.currentHead().seq + 1;
  const touched = new Map<string, ReadonlySet<string>>();
  const ledgerTypes = new Set<string>();
  const startedEmpty = firstSeq === 1;
  let lastLine = 0;
  let eventsAdded = 0;
  let unchainedAdded = 0;
  let duplicatesSkipped = 0;
  const attestOnlyRestored = new Set<string>();
  let firstAdded = firstSeq;
  for (const item of source.parsed) {
    lastLine = item.lineNumber;
    if (!('event' in item)) throw new ImportError(source.name, item.lineNumber, item.field, item.reason);
    const { event } = item;
    try {
      if (writer.append(event, recordedAt) === 'added') {
        // The file's first event (a session.started the writer records before it is not the file's).
        if (eventsAdded === 0) firstAdded = writer.currentHead().seq;
        eventsAdded++;
        if (event.hash === undefined) unchainedAdded++;
        else if (eventTypeSpecOf(event.type).writtenBy === 'attest') attestOnlyRestored.add(event.type);
        if (event.ticket !== null) noteAppended(touched, event.ticket, event.type);
        else ledgerTypes.add(event.type);
      } else {
        duplicatesSkipped++;
      }
    } catch (error) {
      if (error instanceof LineError) throw new ImportError(source.name, item.lineNumber, error.field, error.reason);
      throw error;
    }
  }
  const { linesRead, sha256 } = source.end();
  if (attestOnlyRestored.size > 0) {
    const problem = restoreProvenanceProblem(db, options.checkpoint, options.trustedKeys ?? installationVerifierKeys(), [...attestOnlyRestored]);
    if (problem) throw new ImportError(source.name, lastLine, 'checkpoint', problem);
  }
  // Who brought events in, from which file: the importing person, never the lines' own actors. Only a whole export
  // restored into an empty ledger is reproduced as it was, with nothing added.
  if (unchainedAdded > 0 || (eventsAdded > 0 && !startedEmpty)) {
    const record = parseEventLine({
      type: 'import.file',
      at: recordedAt,
      actor: options.importedBy ?? SYSTEM_IMPORTER,
      file: basename(source.name),
      sha256,
      format: 'jsonl',
      rows: linesRead,
      imported: unchainedAdded,
      updated: 0,
      duplicates: duplicatesSkipped,
      skipped: 0,
      events: eventsAdded,
      firstSeq: firstAdded,
      lastSeq: writer.currentHead().seq,
      anomalies: {},
    });
    writer.appendOwnRecord(record, recordedAt);
    ledgerTypes.add('import.file');
  }
  writer.flush();
  return { linesRead, eventsAdded, duplicatesSkipped, unchainedAdded, touched, ledgerTypes, headHash: writer.currentHead().hash };
}

/** Where one import's time went, each step timed apart in the one transaction (for the benchmark). */
export interface ImportSteps {
  /** Reading, validating, canonicalizing, hashing and chaining the lines, and the duplicate check. */
  appendMs: number;
  /** Bringing every projection up to date for the tickets (and ledger-wide facts) the lines touched. */
  projectionsMs: number;
  /** The commit: the write-ahead log written out and synced. */
  commitMs: number;
}

/** importEventSource, with its steps timed. */
export function importEventSourceTimed(db: Db, source: EventSource, options: JsonlImportOptions = {}): { report: ImportReport; steps: ImportSteps } {
  const steps: ImportSteps = { appendMs: 0, projectionsMs: 0, commitMs: 0 };
  let workDone = 0;
  const run = db.transaction((): ImportReport => {
    const started = performance.now();
    const stats = appendEventLines(db, source, options);
    const appended = performance.now();
    refreshAfterAppend(db, stats.touched, stats.ledgerTypes);
    workDone = performance.now();
    steps.appendMs = appended - started;
    steps.projectionsMs = workDone - appended;
    return {
      file: source.name,
      linesRead: stats.linesRead,
      eventsAdded: stats.eventsAdded,
      duplicatesSkipped: stats.duplicatesSkipped,
      ticketsTouched: stats.touched.size,
      headHash: stats.headHash,
    };
  });
  const report = run.immediate();
  steps.commitMs = performance.now() - workDone;
  return { report, steps };
}

export function importEventSource(db: Db, source: EventSource, options: JsonlImportOptions = {}): ImportReport {
  return importEventSourceTimed(db, source, options).report;
}

/** importJsonlFile, with its steps timed. */
export function importJsonlFileTimed(db: Db, path: string, options: JsonlImportOptions = {}): { report: ImportReport; steps: ImportSteps } {
  const beside = `${path}.checkpoint`;
  const checkpoint = options.checkpoint ?? (existsSync(beside) ? { name: beside, text: readFileSync(beside, 'utf8') } : undefined);
  return importEventSourceTimed(db, fileSource(path, options.parseAheadMinBytes ?? PARSE_AHEAD_MIN_BYTES), { ...options, checkpoint });
}

export function importJsonlFile(db: Db, path: string, options: JsonlImportOptions = {}): ImportReport {
  return importJsonlFileTimed(db, path, options).report;
}

export function importJsonlText(db: Db, fileName: string, text: string, options: JsonlImportOptions = {}): ImportReport {
  return importEventSource(db, sourceInThisThread(fileName, splitLines(text), createHash('sha256').update(text)), options);
}
