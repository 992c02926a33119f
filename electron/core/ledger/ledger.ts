// Appends events to the hash chain. Callers run it inside their own transaction.
import type { Db } from '../db/connection.ts';
import { canonicalActorJson, eventHash } from './hashing.ts';
import { LineError, type LedgerEventInput } from './event-lines.ts';
import { FingerprintFilter } from './fingerprint-filter.ts';
import { contentKey, LedgerRepository, type Head } from './ledger-repository.ts';

export type AppendOutcome = 'added' | 'duplicate';

export class LedgerWriter {
  private readonly repository: LedgerRepository;
  private head: Head;
  private dirty = false;
  /** Tickets seen by this writer: whether they already had events when it first met them. */
  private readonly ticketHadEvents = new Map<string | null, boolean>();
  /** Fingerprints of the events this writer appended, to spot duplicates within one import cheaply. */
  private readonly appended = new FingerprintFilter();

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
    const actor = canonicalActorJson(event.actor);
    const key = contentKey(event.type, event.at, actor, event.payload);
    if (event.seq !== undefined && event.hash !== undefined) {
      if (this.repository.hashAtSeq(event.seq) === event.hash) return 'duplicate';
      if (event.seq === this.head.seq + 1 && event.prevHash === this.head.hash) {
        const fields = { seq: event.seq, ticket: event.ticket, type: event.type, at: event.at, recordedAt: event.recordedAt!, actor, payload: event.payload, prevHash: event.prevHash };
        if (eventHash(fields) !== event.hash) throw new LineError('hash', 'does not match the content of the line (the event was altered after export)');
        this.write(fields, event.hash);
        this.appended.add(`${event.ticket}\u0000${key}`);
        return 'added';
      }
    }
    // A duplicate is possible only for a ticket that had events before, or for an event this writer may
    // already have appended; only then is the stored content compared, exactly.
    const fingerprint = `${event.ticket}\u0000${key}`;
    if (
      (this.hadEvents(event.ticket) || this.appended.mightContain(fingerprint)) &&
      this.repository.hasSameContent(event.ticket, event.type, event.at, actor, event.payload)
    ) {
      return 'duplicate';
    }
    this.appended.add(fingerprint);
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

  private hadEvents(ticket: string | null): boolean {
    let had = this.ticketHadEvents.get(ticket);
    if (had === undefined) {
      had = this.repository.hasEvents(ticket);
      this.ticketHadEvents.set(ticket, had);
    }
    return had;
  }

  /** Records the head so that a truncated tail is detectable; call once before committing. */
  flush(): void {
    if (this.dirty) this.repository.saveHead(this.head);
    this.dirty = false;
  }

  private write(fields: { seq: number; ticket: string | null; type: string; at: string; recordedAt: string; actor: string; payload: string; prevHash: string }, hash: string): void {
    this.repository.insert([fields.seq, fields.ticket, fields.type, fields.at, fields.recordedAt, fields.actor, fields.payload, fields.prevHash, hash]);
    this.head = { seq: fields.seq, hash };
    this.dirty = true;
  }
}
