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
// one. A key that is not well-formed text is asked of SQLite (holdable below). A large ticket's keys are held as a set
// of strings instead (SEARCHED_TICKET_MAX_BYTES): a search reads the whole ticket.
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

/**
 * Bytes of a ticket's keys up to which they are held as bytes and searched. A search reads the whole ticket, so asking
 * about each of a ticket's n events costs n² bytes: nothing for the few events of most tickets, but hours for a ticket
 * of 100,000. Past this size the keys are held as a set of strings on V8's heap, where a question costs one lookup
 * however long the ticket; such tickets are few, so they weigh little against the budget.
 */
export const SEARCHED_TICKET_MAX_BYTES = 64 * 1024;

/** The keys of one held ticket, exactly. */
interface HeldKeys {
  /** Bytes counted against the budget. */
  readonly bytes: number;
  has(key: string): boolean;
  add(key: string): void;
  /** Every key, in the order held. */
  keys(): string[];
}

/** Keys as bytes (SEPARATOR, key, SEPARATOR, …) read from the ledger, and those appended since as text of the same form. */
class SearchedKeys implements HeldKeys {
  private readonly read: Buffer;
  private appended = SEPARATOR;
  constructor(read: Buffer) {
    this.read = read;
  }
  get bytes(): number {
    return this.read.length + this.appended.length * 3;
  }
  has(key: string): boolean {
    const needle = SEPARATOR + key + SEPARATOR;
    return this.read.includes(needle, 0, 'utf8') || this.appended.includes(needle);
  }
  add(key: string): void {
    this.appended += key + SEPARATOR;
  }
  keys(): string[] {
    return (this.read.toString('utf8') + this.appended).split(SEPARATOR).filter((key) => key !== '');
  }
}

/**
 * Keys as a set of strings: a large ticket's (SEARCHED_TICKET_MAX_BYTES). Counted at two bytes a character and a set
 * entry each, as V8 may hold them.
 */
class KeySet implements HeldKeys {
  private readonly set: Set<string>;
  bytes = 0;
  constructor(keys: readonly string[]) {
    this.set = new Set();
    for (const key of keys) this.add(key);
  }
  has(key: string): boolean {
    return this.set.has(key);
  }
  add(key: string): void {
    if (this.set.has(key)) return;
    this.set.add(key);
    this.bytes += key.length * 2 + KEY_SET_ENTRY_BYTES;
  }
  keys(): string[] {
    return [...this.set];
  }
}

/** What a string and its set entry take besides its characters, about. */
const KEY_SET_ENTRY_BYTES = 48;

export class StoredContentMemory {
  /** By ticket, in order of last use (a Map iterates in insertion order; a use re-inserts). null: not held, ask SQLite. */
  private readonly tickets = new Map<string | null, HeldKeys | null>();
  private heldBytes = 0;
  private readonly source: StoredContentSource;
  private readonly budgetBytes: number;
  /** A ticket is held at most a quarter of the budget; searched, at most that or searchedMaxBytes. */
  private readonly mostHeldBytes: number;
  private readonly mostSearchedBytes: number;

  constructor(source: StoredContentSource, budgetBytes = DEFAULT_STORED_CONTENT_BUDGET, searchedMaxBytes = SEARCHED_TICKET_MAX_BYTES) {
    this.source = source;
    this.budgetBytes = budgetBytes;
    this.mostHeldBytes = budgetBytes / 4;
    this.mostSearchedBytes = Math.min(searchedMaxBytes, this.mostHeldBytes);
  }

  /** Whether the ticket holds an event with exactly this content (including events appended since it was read). */
  holds(ticket: string | null, type: string, at: string, actor: string, payload: string): boolean {
    const held = this.use(ticket);
    const key = exactContentKey(type, at, actor, payload);
    if (held === null || !holdable(key)) return this.source.hasSameContent(ticket, type, at, actor, payload);
    return held.has(key);
  }

  /** Call after appending an event to `ticket`, in the same transaction, so a held ticket stays exact. */
  noteAppended(ticket: string | null, type: string, at: string, actor: string, payload: string): void {
    let held = this.tickets.get(ticket);
    if (!held) return;
    const key = exactContentKey(type, at, actor, payload);
    // A ticket never holds a key it could not find again: its questions go to SQLite from now on.
    if (!holdable(key)) return this.forget(ticket);
    if (held.has(key)) return;
    const before = held.bytes;
    held.add(key);
    if (held instanceof SearchedKeys && held.bytes > this.mostSearchedBytes) {
      held = new KeySet(held.keys());
      // Setting an existing key keeps its place: an append is not a use.
      this.tickets.set(ticket, held);
    }
    this.heldBytes += held.bytes - before;
    this.evictBeyondBudget(ticket);
  }

  private use(ticket: string | null): HeldKeys | null {
    if (this.tickets.has(ticket)) {
      const held = this.tickets.get(ticket)!;
      this.tickets.delete(ticket);
      this.tickets.set(ticket, held);
      return held;
    }
    const keys: string[] = [];
    let chars = 0;
    let allHoldable = true;
    for (const [type, at, actor, payload] of this.source.contentOf(ticket)) {
      const key = exactContentKey(type, at, actor, payload);
      if (!holdable(key)) allHoldable = false;
      keys.push(key);
      chars += key.length + 1;
    }
    const held = allHoldable ? this.heldFor(keys, chars) : null;
    this.tickets.set(ticket, held);
    if (held) {
      this.heldBytes += held.bytes;
      this.evictBeyondBudget(ticket);
    }
    return held;
  }

  /** The ticket's keys held as bytes, or as a set when large; null when too large to hold (a quarter of the budget). */
  private heldFor(keys: readonly string[], chars: number): HeldKeys | null {
    // A UTF-8 byte per character for most text, at most three: judged on characters first, so that a large ticket is
    // never encoded.
    if (chars + 1 <= this.mostSearchedBytes) {
      // ['', key, …, key, ''] joined: a SEPARATOR before and after every key.
      const read = ownBytes(['', ...keys, ''].join(SEPARATOR));
      if (read.length <= this.mostSearchedBytes) return new SearchedKeys(read);
    }
    if (chars * 2 + keys.length * KEY_SET_ENTRY_BYTES > this.mostHeldBytes) return null;
    return new KeySet(keys);
  }

  private forget(ticket: string | null): void {
    const held = this.tickets.get(ticket);
    if (held) this.heldBytes -= held.bytes;
    this.tickets.set(ticket, null);
  }

  /** Forgets the least recently used tickets until the held content fits the budget; never `keep`. */
  private evictBeyondBudget(keep: string | null): void {
    for (const [ticket, held] of this.tickets) {
      if (this.heldBytes <= this.budgetBytes) return;
      if (ticket === keep) continue;
      this.tickets.delete(ticket);
      if (held) this.heldBytes -= held.bytes;
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
