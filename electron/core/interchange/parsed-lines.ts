// The lines of an "Attest JSONL v1" source, decoded and validated (parseEventLine): what the import appends. A line
// is read, its nesting and field sizes checked, its JSON parsed and its event validated and canonicalized here, the
// same in this thread (parsedHere) or in a thread of its own while this one appends (line-parser-thread.ts): both
// run parsedLinesOf over the same reader, so a file gives the same events and fails at the same line either way.
import type { Hash } from 'node:crypto';
import { FIELD_TOO_LONG, MAX_FIELD_BYTES, MAX_NESTING_DEPTH, NESTED_TOO_DEEP, nestingProblem, oversizedField } from '../files/input-limits.ts';
import { LineError, parseEventLine, type LedgerEventInput } from '../ledger/event-lines.ts';
import { ImportError } from './import-error.ts';
import { LineTooLongError, type NumberedLine } from './line-reader.ts';

/** The lines of a file to import, as the user named it. */
export interface EventSource {
  /** Shown in errors and reports: the path as the user gave it. */
  name: string;
  lines: Iterable<NumberedLine>;
  /** SHA-256 of the file's bytes, complete once `lines` has been read to the end. */
  digest: Hash;
}

/** A line that holds an event (blank lines hold none), with its number in the file. */
export interface ParsedLine {
  lineNumber: number;
  event: LedgerEventInput;
}

/** A source's events, in the file's order. */
export interface ParsedLines {
  /** Shown in errors and reports. */
  readonly name: string;
  /** Every line that holds an event, parsed; an ImportError at the first bad line, after the lines before it. */
  readonly lines: Iterable<ParsedLine>;
  /** Lines read, blank ones included: complete once `lines` has ended. */
  linesRead(): number;
  /** The file's SHA-256 (hex): complete once `lines` has ended. */
  digestHex(): string;
  /** Lets go of whatever reads the file (a thread): called however the import ends. */
  close(): void;
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

function decode(name: string, line: NumberedLine): unknown {
  // Depth is checked before parsing, so later walks of the value (validation, canonical hashing) stay shallow.
  if (mayNestTooDeep(line.text) && nestingProblem(line.text)) throw new ImportError(name, line.lineNumber, '(line)', NESTED_TOO_DEEP);
  let value: unknown;
  try {
    // The cheap test first: the reviver costs time on every key, and almost no line needs it.
    value = line.text.includes('__proto__') ? JSON.parse(line.text, refuseProtoKeys) : JSON.parse(line.text);
  } catch (error) {
    if (error instanceof LineError) throw new ImportError(name, line.lineNumber, error.field, error.reason);
    if (line.unterminated) throw new ImportError(name, line.lineNumber, '(line)', 'the file ends in the middle of this line (truncated?); nothing was imported');
    throw new ImportError(name, line.lineNumber, '(line)', `invalid JSON: ${(error as Error).message}`);
  }
  // A decoded string holds at most 3 bytes of UTF-8 per character of the line: short lines need no walk.
  const oversized = line.text.length * 3 > MAX_FIELD_BYTES ? oversizedField(value) : null;
  if (oversized !== null) throw new ImportError(name, line.lineNumber, oversized, FIELD_TOO_LONG);
  return value;
}

/**
 * The events of these lines, in order; `counted` is told every line read, blank ones included. Throws ImportError
 * (FILE:LINE: field: reason) at the first line that is too long, not JSON, nested too deep, too large or not a valid
 * event.
 */
export function* parsedLinesOf(name: string, lines: Iterable<NumberedLine>, counted: () => void): Generator<ParsedLine> {
  try {
    for (const line of lines) {
      counted();
      if (line.text.trim() === '') continue;
      try {
        yield { lineNumber: line.lineNumber, event: parseEventLine(decode(name, line)) };
      } catch (error) {
        if (error instanceof LineError) throw new ImportError(name, line.lineNumber, error.field, error.reason);
        throw error;
      }
    }
  } catch (error) {
    if (error instanceof LineTooLongError) throw new ImportError(name, error.lineNumber, '(line)', error.message);
    throw error;
  }
}

/** The source's events parsed in this thread, as the appender asks for each. */
export function parsedHere(source: EventSource): ParsedLines {
  let read = 0;
  return {
    name: source.name,
    lines: parsedLinesOf(source.name, source.lines, () => read++),
    linesRead: () => read,
    digestHex: () => source.digest.digest('hex'),
    close: () => undefined,
  };
}
