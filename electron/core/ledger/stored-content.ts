// The duplicate check's memory of what tickets already hold. Re-importing a file asks, for every line, whether its
// ticket already holds an event with exactly that content; asked of SQLite, each question walks every stored event
// of the ticket (the events table is indexed by ticket and seq only), so a ticket of n events costs n² row reads.
// Here a ticket's stored content is read once, as exact strings, and every later question about it is a set lookup.
//
// The answers stay exact: a key holds the whole type, time, canonical actor and canonical payload, never a digest.
// The memory is bounded: tickets least recently asked about are forgotten (and read again if asked again); a ticket
// whose content alone would take more than a quarter of the budget is never held, and its questions go to SQLite.
import type { LedgerRepository } from './ledger-repository.ts';

/** One event's content, exactly as the duplicate check compares it. NUL never occurs in canonical JSON or a time. */
export const exactContentKey = (type: string, at: string, actor: string, payload: string): string => `${type}\u0000${at}\u0000${actor}\u0000${payload}`;

/** Where stored content is read: every event of a ticket, and the question asked of SQLite for a ticket too large to hold. */
type StoredContentSource = Pick<LedgerRepository, 'contentOf' | 'hasSameContent'>;

/**
 * Characters of content held at most: V8 keeps text of Latin-1 characters (canonical JSON of most tickets) at a byte
 * a character, other text at two. Re-importing a history in time order touches a ticket again long after other
 * tickets came between: the budget must hold every ticket still active in the file, or a forgotten ticket is read
 * again, and again. 16 M characters read the 300,000 tickets of the bench's history 2.15 times each and those of its
 * 1,000,000-ticket history 2.83 times; 128 M characters read each about once (1.00 and 1.01 times: an LRU replay of
 * the files' ticket sequence, issue 15).
 */
export const DEFAULT_STORED_CONTENT_BUDGET = 128 * 1024 * 1024;

export class StoredContentMemory {
  /** By ticket, in order of last use (a Map iterates in insertion order; a use re-inserts). null: too large to hold. */
  private readonly tickets = new Map<string | null, { keys: Set<string>; chars: number } | null>();
  private heldChars = 0;
  private readonly source: StoredContentSource;
  private readonly budgetChars: number;

  constructor(source: StoredContentSource, budgetChars = DEFAULT_STORED_CONTENT_BUDGET) {
    this.source = source;
    this.budgetChars = budgetChars;
  }

  /** Whether the ticket holds an event with exactly this content (including events appended since it was read). */
  holds(ticket: string | null, type: string, at: string, actor: string, payload: string): boolean {
    const held = this.use(ticket);
    if (held === null) return this.source.hasSameContent(ticket, type, at, actor, payload);
    return held.keys.has(exactContentKey(type, at, actor, payload));
  }

  /** Call after appending an event to `ticket`, in the same transaction, so a held ticket stays exact. */
  noteAppended(ticket: string | null, type: string, at: string, actor: string, payload: string): void {
    const held = this.tickets.get(ticket);
    if (!held) return;
    const key = exactContentKey(type, at, actor, payload);
    if (held.keys.has(key)) return;
    held.keys.add(key);
    held.chars += key.length;
    this.heldChars += key.length;
    this.evictBeyondBudget(ticket);
  }

  private use(ticket: string | null): { keys: Set<string>; chars: number } | null {
    if (this.tickets.has(ticket)) {
      const held = this.tickets.get(ticket)!;
      this.tickets.delete(ticket);
      this.tickets.set(ticket, held);
      return held;
    }
    const keys = this.source.contentOf(ticket).map(([type, at, actor, payload]) => exactContentKey(type, at, actor, payload));
    let chars = 0;
    for (const key of keys) chars += key.length;
    const held = chars > this.budgetChars / 4 ? null : { keys: new Set(keys), chars };
    this.tickets.set(ticket, held);
    if (held) {
      this.heldChars += chars;
      this.evictBeyondBudget(ticket);
    }
    return held;
  }

  /** Forgets the least recently used tickets until the held content fits the budget; never `keep`. */
  private evictBeyondBudget(keep: string | null): void {
    for (const [ticket, held] of this.tickets) {
      if (this.heldChars <= this.budgetChars) return;
      if (ticket === keep) continue;
      this.tickets.delete(ticket);
      if (held) this.heldChars -= held.chars;
    }
  }
}
