import { writeAll, writeFileAtomicWith } from '../files/atomic-file.ts';
import type { Db } from '../db/connection.ts';
import { formatEventLine } from '../ledger/event-lines.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';

export interface ExportReport {
  file: string;
  events: number;
  headHash: string;
}

/**
 * Streams the exported lines of events #1..upTo (every event when absent), in ledger order, to an open file; call it
 * inside a transaction so the lines are one snapshot.
 */
export function writeEventLines(db: Db, fd: number, upTo = Number.MAX_SAFE_INTEGER, afterEachChunk?: () => void): { events: number; headHash: string } {
  let events = 0;
  let headHash = '';
  let buffer: string[] = [];
  for (const row of new LedgerRepository(db).iterateRows()) {
    if (row.seq > upTo) break;
    buffer.push(formatEventLine(row));
    events++;
    headHash = row.hash;
    if (buffer.length >= 10_000) {
      // writeAll: a nearly full disk accepts part of a write without an error; the rest must follow or fail.
      writeAll(fd, buffer.join('\n') + '\n');
      buffer = [];
      afterEachChunk?.();
    }
  }
  if (buffer.length > 0) writeAll(fd, buffer.join('\n') + '\n');
  return { events, headHash };
}

/**
 * Writes every event, in ledger order, with its sequence number, recorded time and hashes — whole or not at all (a
 * temporary file renamed into place: a full disk leaves no short export that looks complete).
 */
export function exportJsonl(db: Db, outPath: string): ExportReport {
  return { file: outPath, ...writeFileAtomicWith(outPath, (fd) => db.transaction(() => writeEventLines(db, fd))()) };
}
