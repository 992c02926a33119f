// Appends events to the hash chain. Callers run it inside their own transaction.
import type { Db } from '../db/connection.ts';
import { canonicalJson, eventHash } from './hashing.ts';
import { LineError, type LedgerEventInput } from './event-lines.ts';
import { LedgerRepository, type Head } from './ledger-repository.ts';

export type AppendOutcome = 'added' | 'duplicate';

export class LedgerWriter {
  private readonly repository: LedgerRepository;
  private head: Head;
  private dirty = false;

  constructor(db: Db) {
    this.repository = new LedgerRepository(db);
    this.head = this.repository.lastEvent();
  }

  currentHead(): Head {
    return { ...this.head };
  }

  /**
   * Appends one event, or reports it as a duplicate of one already in the ledger.
   * Exported lines (with seq and hashes) that continue this chain are appended exactly as they were;
   * any other line gets the next sequence number and a fresh hash.
   */
  append(event: LedgerEventInput, recordedAt: string): AppendOutcome {
    const actor = canonicalJson(event.actor);
    if (event.seq !== undefined && event.hash !== undefined) {
      if (this.repository.hashAtSeq(event.seq) === event.hash) return 'duplicate';
      if (event.seq === this.head.seq + 1 && event.prevHash === this.head.hash) {
        const fields = { seq: event.seq, ticket: event.ticket, type: event.type, at: event.at, recordedAt: event.recordedAt!, actor, payload: event.payload, prevHash: event.prevHash };
        if (eventHash(fields) !== event.hash) throw new LineError('hash', 'does not match the content of the line (the event was altered after export)');
        this.write(fields, event.hash);
        return 'added';
      }
    }
    if (this.repository.hasSameContent(event.ticket, event.type, event.at, actor, event.payload)) return 'duplicate';
    const fields = {
      seq: this.head.seq + 1,
      ticket: event.ticket,
      type: event.type,
      at: event.at,
      recordedAt,
      actor,
      payload: event.payload,
      prevHash: this.head.hash,
    };
    this.write(fields, eventHash(fields));
    return 'added';
  }

  /** Records the head so that a truncated tail is detectable; call once before committing. */
  flush(): void {
    if (this.dirty) this.repository.saveHead(this.head);
    this.dirty = false;
  }

  private write(fields: { seq: number; ticket: string; type: string; at: string; recordedAt: string; actor: string; payload: string; prevHash: string }, hash: string): void {
    this.repository.insert([fields.seq, fields.ticket, fields.type, fields.at, fields.recordedAt, fields.actor, fields.payload, fields.prevHash, hash]);
    this.head = { seq: fields.seq, hash };
    this.dirty = true;
  }
}
