// The first step of reading a JSONL line, wherever it runs (the importing thread, or the thread that parses ahead):
// limits checked, JSON decoded, a "__proto__" key refused. Problems are LineErrors; the caller names file and line.
import { LineError } from '../ledger/event-lines.ts';
import { FIELD_TOO_LONG, MAX_FIELD_BYTES, MAX_NESTING_DEPTH, NESTED_TOO_DEEP, nestingProblem, oversizedField } from '../files/input-limits.ts';
import type { NumberedLine } from './line-reader.ts';

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

/** The line's JSON value, within the input limits; throws LineError. */
export function decodeLine(line: NumberedLine): unknown {
  // Depth is checked before parsing, so later walks of the value (validation, canonical hashing) stay shallow.
  if (mayNestTooDeep(line.text) && nestingProblem(line.text)) throw new LineError('(line)', NESTED_TOO_DEEP);
  let value: unknown;
  try {
    // The cheap test first: the reviver costs time on every key, and almost no line needs it.
    value = line.text.includes('__proto__') ? JSON.parse(line.text, refuseProtoKeys) : JSON.parse(line.text);
  } catch (error) {
    if (error instanceof LineError) throw error;
    if (line.unterminated) throw new LineError('(line)', 'the file ends in the middle of this line (truncated?); nothing was imported');
    throw new LineError('(line)', `invalid JSON: ${(error as Error).message}`);
  }
  // A decoded string holds at most 3 bytes of UTF-8 per character of the line: short lines need no walk.
  const oversized = line.text.length * 3 > MAX_FIELD_BYTES ? oversizedField(value) : null;
  if (oversized !== null) throw new LineError(oversized, FIELD_TOO_LONG);
  return value;
}
