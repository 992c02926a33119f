// Lines of an event file as the ledger's writer takes them: decoded and validated (parseEventLine), or the problem
// that stops the import at that line. Produced here, in the importing thread, or ahead in a thread of their own
// (parse-ahead.ts) — the same items in the same order either way, so the writer's rules judge them identically.
import { LineError, parseEventLine, type LedgerEventInput } from '../ledger/event-lines.ts';
import { decodeLine } from './line-decode.ts';
import { LineTooLongError, type NumberedLine } from './line-reader.ts';

export type ParsedLine =
  | { lineNumber: number; event: LedgerEventInput }
  /** A line that is not a valid event: the import stops here, naming the line and field. */
  | { lineNumber: number; field: string; reason: string };

/** Counts filled in as the lines are read (complete once the items are consumed to the end). */
export interface LineCounts {
  linesRead: number;
}

/**
 * The events of `lines`, each parsed, blank lines skipped (but counted); a bad line, or a line over the length
 * limit, ends the items with its problem.
 */
export function* parseLines(lines: Iterable<NumberedLine>, counts: LineCounts): Generator<ParsedLine> {
  try {
    for (const line of lines) {
      counts.linesRead++;
      if (line.text.trim() === '') continue;
      try {
        yield { lineNumber: line.lineNumber, event: parseEventLine(decodeLine(line)) };
      } catch (error) {
        if (!(error instanceof LineError)) throw error;
        yield { lineNumber: line.lineNumber, field: error.field, reason: error.reason };
        return;
      }
    }
  } catch (error) {
    if (!(error instanceof LineTooLongError)) throw error;
    yield { lineNumber: error.lineNumber, field: '(line)', reason: error.message };
  }
}
