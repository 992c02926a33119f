// The one way features write to the ledger from code (AI steps, outcomes, disputes, settings…):
// each line is validated exactly like an imported JSONL line, appended to the chain, and every
// projection is brought up to date, all in one transaction.
import type { Db } from '../db/connection.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import { parseEventLine } from '../ledger/event-lines.ts';
import { LedgerWriter } from '../ledger/ledger.ts';
import { noteAppended, refreshAfterAppend } from './refresh.ts';

export interface RecordedEvent {
  seq: number;
  hash: string;
  ticket: string | null;
  type: string;
  /** false when the same fact was already in the ledger (recording is idempotent). */
  added: boolean;
}

export function recordEvents(db: Db, lines: readonly Record<string, unknown>[], recordedAt = new Date().toISOString()): RecordedEvent[] {
  return inWriteTransaction(db, () => {
    const writer = new LedgerWriter(db);
    // By ticket, the types appended: a projection that reads none of them is left as it is.
    const touched = new Map<string, ReadonlySet<string>>();
    const ledgerTypes = new Set<string>();
    const recorded: RecordedEvent[] = [];
    for (const line of lines) {
      const event = parseEventLine(line);
      const added = writer.append(event, recordedAt) === 'added';
      if (added) {
        if (event.ticket === null) ledgerTypes.add(event.type);
        else noteAppended(touched, event.ticket, event.type);
        const head = writer.currentHead();
        recorded.push({ seq: head.seq, hash: head.hash, ticket: event.ticket, type: event.type, added });
      } else {
        recorded.push({ seq: 0, hash: '', ticket: event.ticket, type: event.type, added });
      }
    }
    writer.flush();
    refreshAfterAppend(db, touched, ledgerTypes);
    return recorded;
  });
}

/**
 * Records the process's session.started now if it is due (sessions/session-start.ts), before code that reads the
 * head to compute what it appends (a checkpoint's treeSize): its own event then follows the head it read.
 */
export function announceSession(db: Db, recordedAt = new Date().toISOString()): void {
  inWriteTransaction(db, () => {
    const writer = new LedgerWriter(db);
    writer.announceSession(recordedAt);
    writer.flush();
  });
}
