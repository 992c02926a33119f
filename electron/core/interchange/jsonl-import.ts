// "Attest JSONL v1" import: one transaction per file; a bad line leaves the database exactly as it was.
// Lines are appended through the ledger's one rule book as lines from a file (LedgerWriter source 'file'):
// exported (chained) lines are taken exactly or refused; other lines are a source system's facts, recorded at
// the time of the import and attributed, with the file's SHA-256, to the person who imported it.
import { createHash, type Hash } from 'node:crypto';
import { basename } from 'node:path';
import type { ImportReport } from '../../../shared/contract.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { existsSync, readFileSync } from 'node:fs';
import { installationVerifierKeys } from '../checkpoints/installation-key.ts';
import { restoreProvenanceProblem, type RestoreCheckpoint } from '../checkpoints/restore-provenance.ts';
import type { VerifierKey } from '../checkpoints/signed-note.ts';
import { eventTypeSpecOf, LineError, parseEventLine } from '../ledger/event-lines.ts';
import { LedgerWriter } from '../ledger/ledger.ts';
import { noteAppended, refreshAfterAppend } from '../derived/refresh.ts';
import { FIELD_TOO_LONG, MAX_FIELD_BYTES, MAX_NESTING_DEPTH, NESTED_TOO_DEEP, nestingProblem, oversizedField } from '../files/input-limits.ts';
import { LineTooLongError, readLinesSync, splitLines, type NumberedLine } from './line-reader.ts';

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
  lines: Iterable<NumberedLine>;
  /** SHA-256 of the file's bytes, complete once `lines` has been read to the end. */
  digest: Hash;
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
}

/** Rejects a "__proto__" key anywhere in a line: assigned to an object it would change its prototype, not add a field. */
function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new LineError('__proto__', 'unknown field (not allowed anywhere in a line)');
  return value;
}

/**
 * Whether the line holds more opening brackets than the nesting limit: only then can it nest too deep (depth never
 * exceeds the number of '{' and '['), so only then is the character-by-character scan needed. Counted with
 * indexOf, which scans natively; an event line has a handful of brackets.
 */
function mayNestTooDeep(text: string): boolean {
  let brackets = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++brackets > MAX_NESTING_DEPTH) return true;
    }
  }
  return false;
}

function decode(source: EventSource, line: NumberedLine): unknown {
  // Depth is checked before parsing, so later walks of the value (validation, canonical hashing) stay shallow.
  if (mayNestTooDeep(line.text) && nestingProblem(line.text)) throw new ImportError(source.name, line.lineNumber, '(line)', NESTED_TOO_DEEP);
  let value: unknown;
  try {
    // The cheap test first: the reviver costs time on every key, and almost no line needs it.
    value = line.text.includes('__proto__') ? JSON.parse(line.text, refuseProtoKeys) : JSON.parse(line.text);
  } catch (error) {
    if (error instanceof LineError) throw new ImportError(source.name, line.lineNumber, error.field, error.reason);
    if (line.unterminated) throw new ImportError(source.name, line.lineNumber, '(line)', 'the file ends in the middle of this line (truncated?); nothing was imported');
    throw new ImportError(source.name, line.lineNumber, '(line)', `invalid JSON: ${(error as Error).message}`);
  }
  // A decoded string holds at most 3 bytes of UTF-8 per character of the line: short lines need no walk.
  const oversized = line.text.length * 3 > MAX_FIELD_BYTES ? oversizedField(value) : null;
  if (oversized !== null) throw new ImportError(source.name, line.lineNumber, oversized, FIELD_TOO_LONG);
  return value;
}

/** The source's lines, with a line over the length limit refused as FILE:LINE like any other bad line. */
function* checkedLines(source: EventSource): Generator<NumberedLine> {
  try {
    yield* source.lines;
  } catch (error) {
    if (error instanceof LineTooLongError) throw new ImportError(source.name, error.lineNumber, '(line)', error.message);
    throw error;
  }
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
  let linesRead = 0;
  let lastLine = 0;
  let eventsAdded = 0;
  let unchainedAdded = 0;
  let duplicatesSkipped = 0;
  const attestOnlyRestored = new Set<string>();
  let firstAdded = firstSeq;
  for (const line of checkedLines(source)) {
    linesRead++;
    if (line.text.trim() === '') continue;
    lastLine = line.lineNumber;
    try {
      const event = parseEventLine(decode(source, line));
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
      if (error instanceof LineError) throw new ImportError(source.name, line.lineNumber, error.field, error.reason);
      throw error;
    }
  }
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
      sha256: source.digest.digest('hex'),
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
  const digest = createHash('sha256');
  const beside = `${path}.checkpoint`;
  const checkpoint = options.checkpoint ?? (existsSync(beside) ? { name: beside, text: readFileSync(beside, 'utf8') } : undefined);
  return importEventSourceTimed(db, { name: path, lines: readLinesSync(path, undefined, digest), digest }, { ...options, checkpoint });
}

export function importJsonlFile(db: Db, path: string, options: JsonlImportOptions = {}): ImportReport {
  return importJsonlFileTimed(db, path, options).report;
}

export function importJsonlText(db: Db, fileName: string, text: string, options: JsonlImportOptions = {}): ImportReport {
  return importEventSource(db, { name: fileName, lines: splitLines(text), digest: createHash('sha256').update(text) }, options);
}
