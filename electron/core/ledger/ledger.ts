// Appends events to the hash chain. Callers run it inside their own transaction.
import type { Db } from '../db/connection.ts';
import { canonicalJson, eventHash } from './hashing.ts';
import { LineError, type LedgerEventInput } from './event-lines.ts';
import { contentKey, LedgerRepository, type Head } from './ledger-repository.ts';

export type AppendOutcome = 'added' | 'duplicate';

/** How many tickets' content keys stay cached; an evicted ticket is simply read again from the database. */
const CACHED_TICKETS = 20_000;

export class LedgerWriter {
  private readonly repository: LedgerRepository;
  private head: Head;
  private dirty = false;
  private readonly knownContent = new Map<string, Set<string>>();

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
    const key = contentKey(event.type, event.at, actor, event.payload);
    if (event.seq !== undefined && event.hash !== undefined) {
      if (this.repository.hashAtSeq(event.seq) === event.hash) return 'duplicate';
      if (event.seq === this.head.seq + 1 && event.prevHash === this.head.hash) {
        const fields = { seq: event.seq, ticket: event.ticket, type: event.type, at: event.at, recordedAt: event.recordedAt!, actor, payload: event.payload, prevHash: event.prevHash };
        if (eventHash(fields) !== event.hash) throw new LineError('hash', 'does not match the content of the line (the event was altered after export)');
        this.write(fields, event.hash);
        this.knownContent.get(event.ticket ?? '')?.add(key);
        return 'added';
      }
    }
    const known = this.contentOf(event.ticket);
    if (known.has(key) && this.repository.hasSameContent(event.ticket, event.type, event.at, actor, event.payload)) return 'duplicate';
    known.add(key);
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

  /** Content keys of a ticket's events: from the cache (kept in step with every append) or the database. */
  private contentOf(ticket: string | null): Set<string> {
    const cacheKey = ticket ?? '';
    let keys = this.knownContent.get(cacheKey);
    if (keys) {
      this.knownContent.delete(cacheKey);
    } else {
      keys = this.repository.contentKeysOfTicket(ticket);
      if (this.knownContent.size >= CACHED_TICKETS) this.knownContent.delete(this.knownContent.keys().next().value!);
    }
    this.knownContent.set(cacheKey, keys);
    return keys;
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
