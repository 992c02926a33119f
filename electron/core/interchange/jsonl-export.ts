import { closeSync, openSync, writeSync } from 'node:fs';
import type { Db } from '../db/connection.ts';
import { formatEventLine } from '../ledger/event-lines.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';

export interface ExportReport {
  file: string;
  events: number;
  headHash: string;
}

/** Writes every event, in ledger order, with its sequence number, recorded time and hashes. */
export function exportJsonl(db: Db, outPath: string): ExportReport {
  const repository = new LedgerRepository(db);
  const fd = openSync(outPath, 'w');
  let events = 0;
  let headHash = '';
  let buffer: string[] = [];
  try {
    db.transaction(() => {
      for (const row of repository.iterateRows()) {
        buffer.push(formatEventLine(row));
        events++;
        headHash = row.hash;
        if (buffer.length >= 10_000) {
          writeSync(fd, buffer.join('\n') + '\n');
          buffer = [];
        }
      }
    })();
    if (buffer.length > 0) writeSync(fd, buffer.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
  return { file: outPath, events, headHash };
}
