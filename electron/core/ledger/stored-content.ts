// The duplicate check's memory of what tickets already hold. Re-importing a file asks, for every line, whether its
// ticket already holds an event with exactly that content; asked of SQLite, each question walks every stored event
// of the ticket (the events table is indexed by ticket and seq only), so a ticket of n events costs n² row reads.
// Here a ticket's stored content is read once, as exact strings, and every later question about it is a search in
// memory.
//
// The answers stay exact: a key holds the whole type, time, canonical actor and canonical payload, never a digest.
// The memory is bounded: tickets least recently asked about are forgotten (and read again if asked again); a ticket
// whose content alone would take more than a quarter of the budget is never held, and its questions go to SQLite.
//
// A ticket's keys are held as the UTF-8 bytes of one string, each key between two SEPARATORs, outside V8's heap; a
// question is a search for the key's bytes with the separators around them. UTF-8 maps distinct well-formed strings to
// distinct bytes, and a key never holds a SEPARATOR (below), so the search finds exactly the keys equal to the asked
// one. A key that is not well-formed text is asked of SQLite (holdable below).
// Measured on the re-import of the bench's 1,000,000 tickets (issue 15): held as strings on V8's heap (a set per
// ticket, or one string per ticket), the content kept 250–300 MB of it alive (two bytes a character once a ticket's
// text goes beyond Latin-1), V8 grew the heap to 1.26–1.37 GB around that, and the re-import peaked at 1,813–1,880
// MiB RSS; held as bytes, at 930 MiB in the same time.
import type { LedgerRepository } from './ledger-repository.ts';

/** One event's content, exactly as the duplicate check compares it. NUL never occurs in canonical JSON or a time. */
export const exactContentKey = (type: string, at: string, actor: string, payload: string): string => `${type}\u0000${at}\u0000${actor}\u0000${payload}`;

/**
 * Between the keys of a ticket. Canonical JSON writes every control character as an escape (RFC 8785, as
 * JSON.stringify), and event types and times hold none, so no key holds it; a key that did would be asked of SQLite.
 */
const SEPARATOR = '\u0001';

/** Where stored content is read: every event of a ticket, and the question asked of SQLite for a ticket too large to hold. */
type StoredContentSource = Pick<LedgerRepository, 'contentOf' | 'hasSameContent'>;

/**
 * Bytes of content held at most (UTF-8: a byte for most characters of canonical JSON). Re-importing a history in time
 * order touches a ticket again long after other tickets came between: the budget must hold every ticket still active
 * in the file, or a forgotten ticket is read again, and again. Counted in characters, 16 M read the 300,000 tickets
 * of the bench's history 2.15 times each and those of its 1,000,000-ticket history 2.83 times; 128 M read each about
 * once (1.00 and 1.01 times: an LRU replay of the files' ticket sequence, issue 15).
 */
export const DEFAULT_STORED_CONTENT_BUDGET = 128 * 1024 * 1024;

/** A held ticket: the bytes read from the ledger, and the keys appended since (both: SEPARATOR, key, SEPARATOR, …). */
interface HeldTicket {
  read: Buffer;
  appended: string;
}

const bytesOf = (held: HeldTicket): number => held.read.length + held.appended.length * 3;

export class StoredContentMemory {
  /** By ticket, in order of last use (a Map iterates in insertion order; a use re-inserts). null: not held, ask SQLite. */
  private readonly tickets = new Map<string | null, HeldTicket | null>();
  private heldBytes = 0;
  private readonly source: StoredContentSource;
  private readonly budgetBytes: number;

  constructor(source: StoredContentSource, budgetBytes = DEFAULT_STORED_CONTENT_BUDGET) {
    this.source = source;
    this.budgetBytes = budgetBytes;
  }

  /** Whether the ticket holds an event with exactly this content (including events appended since it was read). */
  holds(ticket: string | null, type: string, at: string, actor: string, payload: string): boolean {
    const held = this.use(ticket);
    const key = exactContentKey(type, at, actor, payload);
    if (held === null || !holdable(key)) return this.source.hasSameContent(ticket, type, at, actor, payload);
    const needle = SEPARATOR + key + SEPARATOR;
    return held.read.includes(needle, 0, 'utf8') || held.appended.includes(needle);
  }

  /** Call after appending an event to `ticket`, in the same transaction, so a held ticket stays exact. */
  noteAppended(ticket: string | null, type: string, at: string, actor: string, payload: string): void {
    const held = this.tickets.get(ticket);
    if (!held) return;
    const key = exactContentKey(type, at, actor, payload);
    // A ticket never holds a key it could not find again: its questions go to SQLite from now on.
    if (!holdable(key)) return this.forget(ticket);
    const needle = SEPARATOR + key + SEPARATOR;
    if (held.read.includes(needle, 0, 'utf8') || held.appended.includes(needle)) return;
    const before = bytesOf(held);
    held.appended += key + SEPARATOR;
    this.heldBytes += bytesOf(held) - before;
    this.evictBeyondBudget(ticket);
  }

  private use(ticket: string | null): HeldTicket | null {
    if (this.tickets.has(ticket)) {
      const held = this.tickets.get(ticket)!;
      this.tickets.delete(ticket);
      this.tickets.set(ticket, held);
      return held;
    }
    // ['', key, …, key, ''] joined: a SEPARATOR before and after every key.
    const parts = [''];
    let chars = 1;
    let allHoldable = true;
    for (const [type, at, actor, payload] of this.source.contentOf(ticket)) {
      const key = exactContentKey(type, at, actor, payload);
      if (!holdable(key)) allHoldable = false;
      parts.push(key);
      chars += key.length + 1;
    }
    parts.push('');
    // A UTF-8 byte per character for most text, at most three: judged on characters first, so that a ticket too
    // large to hold is never encoded.
    const read = allHoldable && chars <= this.budgetBytes / 4 ? ownBytes(parts.join(SEPARATOR)) : null;
    const held = read && read.length <= this.budgetBytes / 4 ? { read, appended: SEPARATOR } : null;
    this.tickets.set(ticket, held);
    if (held) {
      this.heldBytes += bytesOf(held);
      this.evictBeyondBudget(ticket);
    }
    return held;
  }

  private forget(ticket: string | null): void {
    const held = this.tickets.get(ticket);
    if (held) this.heldBytes -= bytesOf(held);
    this.tickets.set(ticket, null);
  }

  /** Forgets the least recently used tickets until the held content fits the budget; never `keep`. */
  private evictBeyondBudget(keep: string | null): void {
    for (const [ticket, held] of this.tickets) {
      if (this.heldBytes <= this.budgetBytes) return;
      if (ticket === keep) continue;
      this.tickets.delete(ticket);
      if (held) this.heldBytes -= bytesOf(held);
    }
  }
}

/**
 * The text's UTF-8 bytes in memory of their own: Buffer.from would cut small ones from a shared 8 KiB slab, which a
 * held ticket would keep alive after its neighbours were forgotten.
 */
function ownBytes(text: string): Buffer {
  const bytes = new TextEncoder().encode(text);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Whether a key can be held: well-formed text without a SEPARATOR. A lone surrogate has no UTF-8 bytes of its own
 * (it would be written as U+FFFD), and in a Buffer search's needle it aborts Node 24 (an assertion in node_buffer.cc
 * IndexOfString); canonical lines never hold one (event-lines.ts refuses it), but the guard costs one pass.
 */
const holdable = (key: string): boolean => key.isWellFormed() && !key.includes(SEPARATOR);
