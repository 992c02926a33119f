// All SQL that touches the `events` table and the recorded head.
import { preparedOnce } from '../db/statement-cache.ts';
import { GENESIS_HASH } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';

export interface EventRow {
  seq: number;
  ticket_id: string | null;
  type: string;
  at: string;
  recorded_at: string;
  actor: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

/** Column order of the raw (array) rows used on hot paths. */
export type RawEventRow = [number, string | null, string, string, string, string, string, string, string];

const COLUMNS = 'seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash';

/** The triggers that make `events` append-only, exactly as migration 001 creates them. */
const PROTECTION_TRIGGERS: Readonly<Record<string, string>> = {
  events_no_update: "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END",
  events_no_delete: "CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END",
};

/**
 * The trigger that refuses a REPLACE of an existing event, exactly as migration 023 creates it: required of every file
 * that records that migration (a file written before it never had the trigger, and a check that reads must not
 * migrate it).
 */
const REPLACE_TRIGGER = {
  name: 'events_no_replace',
  sql: "CREATE TRIGGER events_no_replace BEFORE INSERT ON events WHEN EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq) BEGIN SELECT RAISE(ABORT, 'events are append-only: REPLACE of an existing event refused'); END",
  migration: 23,
};

/**
 * A short fingerprint of an event's content (type, time, sizes of actor and payload) for the duplicate
 * check. Equal fingerprints are only a hint: the stored content confirms (StoredContentMemory, hasSameContent).
 */
export function contentKey(type: string, at: string, actor: string, payload: string): string {
  return `${type}\u0000${at}\u0000${actor.length}:${payload.length}`;
}

export interface Head {
  seq: number;
  hash: string;
  /** recordedAt of the last event ('' before the first): the ledger records events in time order. */
  recordedAt: string;
}

/** The head as the ledger wrote it down (ledger_head), to detect a truncated tail. */
export interface RecordedHead {
  seq: number;
  hash: string;
}

/** Events read per statement by iterateRange (a few MB of rows). */
const RANGE_BATCH = 5000;

/**
 * An event as the chain check reads it: its number, its stored link and hash, and the exact bytes its hash covers
 * (hashing.ts hashPreimage) as one string — or null for a row with a value of a storage type Attest never writes
 * there (see CHAIN_PREIMAGE), whose preimage the caller builds from the row itself.
 */
export type ChainRow = [seq: number, prevHash: string, hash: string, preimage: string | null];

/**
 * hashPreimage() written by SQLite for a row read: the same members in the same order, the JSON columns (actor,
 * payload: stored as canonical JSON text) taken as they are, the strings through json_quote — which escapes exactly
 * the characters JSON.stringify escapes, with the same escapes (tests/unit/chain-preimage-sql.test.ts holds both to an
 * RFC 8785 library on every character). Built in one string by SQLite instead of seven read into JavaScript and
 * joined there: the chain check's cost besides SHA-256 is mostly reading the rows. Only for rows whose values have the
 * storage types Attest writes (text; a NULL ticket): json_quote would write a number or refuse a blob differently from
 * JSON.stringify, so such a row (a doctored file) gets NULL and is hashed the way it always was.
 */
const CHAIN_PREIMAGE = `CASE WHEN typeof(actor) = 'text' AND typeof(payload) = 'text' AND typeof(at) = 'text' AND typeof(recorded_at) = 'text'
    AND typeof(prev_hash) = 'text' AND typeof(type) = 'text' AND typeof(ticket_id) IN ('text', 'null')
  THEN '{"actor":' || actor || ',"at":' || json_quote(at) || ',"payload":' || payload || ',"prevHash":' || json_quote(prev_hash) ||
    ',"recordedAt":' || json_quote(recorded_at) || ',"seq":' || seq || ',"ticket":' || json_quote(ticket_id) || ',"type":' || json_quote(type) || '}'
  END`;

export class LedgerRepository {
  private readonly db: Db;
  private readonly insertStmt;
  private readonly anyEventStmt;
  private readonly sameContentStmt;
  private readonly contentOfStmt;
  private readonly rowAtSeqStmt;
  private readonly lastStmt;
  private readonly byTicketStmt;

  constructor(db: Db) {
    this.db = db;
    // Prepared once per connection: a repository is made for every write.
    this.insertStmt = preparedOnce(db, `INSERT INTO events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.anyEventStmt = preparedOnce(db, 'SELECT 1 FROM events WHERE ticket_id IS ? LIMIT 1', 'pluck');
    this.sameContentStmt = preparedOnce(db, 'SELECT 1 FROM events WHERE ticket_id IS ? AND type = ? AND at = ? AND actor = ? AND payload = ? LIMIT 1', 'pluck');
    this.contentOfStmt = preparedOnce(db, 'SELECT type, at, actor, payload FROM events WHERE ticket_id IS ?', 'raw');
    this.rowAtSeqStmt = preparedOnce(db, `SELECT ${COLUMNS} FROM events WHERE seq = ?`, 'raw');
    this.lastStmt = preparedOnce(db, 'SELECT seq, hash, recorded_at AS recordedAt FROM events ORDER BY seq DESC LIMIT 1');
    this.byTicketStmt = preparedOnce(db, `SELECT ${COLUMNS} FROM events WHERE ticket_id = ? ORDER BY seq`);
  }

  lastEvent(): Head {
    return (this.lastStmt.get() as Head | undefined) ?? { seq: 0, hash: GENESIS_HASH, recordedAt: '' };
  }

  /** The stored hash of event #seq, or null when there is none (seq 0 included). */
  eventHash(seq: number): string | null {
    return (preparedOnce(this.db, 'SELECT hash FROM events WHERE seq = ?', 'pluck').get(seq) as string | undefined) ?? null;
  }

  /**
   * SQLite's schema cookie as this connection sees it: any CREATE/DROP (such as dropping the append-only triggers, or
   * a migration) changes it. Reading it writes nothing.
   */
  schemaVersion(): number {
    return this.db.pragma('schema_version', { simple: true }) as number;
  }

  /** The team ledger this file is a replica of (migration 011), or null for a desktop ledger. */
  replicaOf(): string | null {
    const table = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'team_replica'").pluck().get();
    if (table === undefined) return null;
    return (this.db.prepare('SELECT team FROM team_replica WHERE id = 1').pluck().get() as string | undefined) ?? null;
  }

  recordedHead(): RecordedHead | null {
    return (this.db.prepare('SELECT seq, hash FROM ledger_head WHERE id = 1').get() as RecordedHead | undefined) ?? null;
  }

  saveHead(head: RecordedHead): void {
    this.db
      .prepare('INSERT INTO ledger_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash')
      .run(head.seq, head.hash);
  }

  count(): number {
    return this.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  }

  insert(row: RawEventRow): void {
    this.insertStmt.run(row);
  }

  /** Whether the ledger holds an event with exactly this content (same ticket, type, time, actor, payload). */
  hasSameContent(ticket: string | null, type: string, at: string, actor: string, payload: string): boolean {
    return this.sameContentStmt.get(ticket, type, at, actor, payload) !== undefined;
  }

  /** What was appended after `seq`: its tickets and the types of its ledger-wide events, each once (a range of the key). */
  appendedAfter(seq: number): { tickets: string[]; ledgerWideTypes: string[] } {
    const { lastSeqOf, ledgerWideTypes } = this.lastSeqOfTicketsBetween(seq, Number.MAX_SAFE_INTEGER);
    return { tickets: [...lastSeqOf.keys()], ledgerWideTypes };
  }

  /**
   * What was appended after `afterSeq`, up to `throughSeq`: each ticket with its last event's seq, and the types of the
   * ledger-wide events (each once).
   */
  lastSeqOfTicketsBetween(afterSeq: number, throughSeq: number): { lastSeqOf: Map<string, number>; ledgerWideTypes: string[] } {
    const rows = this.db
      .prepare('SELECT ticket_id, CASE WHEN ticket_id IS NULL THEN type END, max(seq) FROM events WHERE seq > ? AND seq <= ? GROUP BY 1, 2')
      .raw()
      .all(afterSeq, throughSeq) as [string | null, string | null, number][];
    const lastSeqOf = new Map<string, number>();
    const ledgerWideTypes: string[] = [];
    for (const [ticket, type, seq] of rows) {
      if (ticket !== null) lastSeqOf.set(ticket, seq);
      else ledgerWideTypes.push(type!);
    }
    return { lastSeqOf, ledgerWideTypes };
  }

  /** [type, at, actor, payload] of every event of the ticket (the duplicate check's StoredContentMemory). */
  contentOf(ticket: string | null): [string, string, string, string][] {
    return this.contentOfStmt.all(ticket) as [string, string, string, string][];
  }

  hasEvents(ticket: string | null): boolean {
    return this.anyEventStmt.get(ticket) !== undefined;
  }

  eventAtSeq(seq: number): EventRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq = ?`).get(seq) as EventRow | undefined;
  }

  /** Ledger-wide events (no ticket) of one type; served by the (ticket_id, seq) index. */
  ledgerWideOfType(type: string): EventRow[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE ticket_id IS NULL AND type = ? ORDER BY seq`).all(type) as EventRow[];
  }

  eventsOfTicket(ticket: string): EventRow[] {
    return this.byTicketStmt.all(ticket) as EventRow[];
  }

  /** Every event in sequence order, as arrays, without loading the table into memory. */
  iterateRaw(): IterableIterator<RawEventRow> {
    return this.db.prepare(`SELECT ${COLUMNS} FROM events ORDER BY seq`).raw().iterate() as IterableIterator<RawEventRow>;
  }

  /**
   * Events seq fromSeq..toSeq in sequence order, as arrays, read RANGE_BATCH events at a time: one call into
   * SQLite per batch; one per row cost an eighth of a chain check's time (100,000 tickets, 954k
   * events: 2.76–2.86 s → 2.43–2.52 s). Events are never changed or removed once appended, so the batches read the same
   * rows a single statement would.
   */
  *iterateRange(fromSeq: number, toSeq: number): Generator<RawEventRow> {
    for (const rows of this.rangeInBatches(fromSeq, toSeq)) yield* rows;
  }

  /** iterateRange's batches themselves, for a loop that walks each batch's rows without a generator step per row. */
  *rangeInBatches(fromSeq: number, toSeq: number): Generator<RawEventRow[]> {
    yield* this.batchesOfRange<RawEventRow>(COLUMNS, fromSeq, toSeq);
  }

  /**
   * Raw rows of `columns` (seq first) for events fromSeq..toSeq, RANGE_BATCH at a time. Each batch starts after the
   * last row read, not at a fixed stride: a gap in the numbers (a doctored ledger) or a range far past the head costs
   * nothing.
   */
  private *batchesOfRange<Row extends [number, ...unknown[]]>(columns: string, fromSeq: number, toSeq: number): Generator<Row[]> {
    const batch = this.db.prepare(`SELECT ${columns} FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq LIMIT ${RANGE_BATCH}`).raw();
    for (let from = fromSeq; from <= toSeq; ) {
      const rows = batch.all(from, toSeq) as Row[];
      if (rows.length > 0) yield rows;
      if (rows.length < RANGE_BATCH) return;
      from = rows[rows.length - 1]![0] + 1;
    }
  }

  /** rangeInBatches for the chain check: each event's link, hash and hash preimage (ChainRow). */
  *chainRowsInBatches(fromSeq: number, toSeq: number): Generator<ChainRow[]> {
    yield* this.batchesOfRange<ChainRow>(`seq, prev_hash, hash, ${CHAIN_PREIMAGE}`, fromSeq, toSeq);
  }

  iterateRows(): IterableIterator<EventRow> {
    return this.db.prepare(`SELECT ${COLUMNS} FROM events ORDER BY seq`).iterate() as IterableIterator<EventRow>;
  }

  /** hash -> seq for every event; used only to explain a broken chain. */
  hashIndex(): Map<string, number> {
    const index = new Map<string, number>();
    for (const [seq, hash] of this.db.prepare('SELECT seq, hash FROM events').raw().iterate() as IterableIterator<[number, string]>) {
      index.set(hash, seq);
    }
    return index;
  }

  rowAtSeq(seq: number): RawEventRow | undefined {
    return this.rowAtSeqStmt.get(seq) as RawEventRow | undefined;
  }

  /**
   * The protection triggers of `events` that are missing or do not do what they must (a trigger of the right name
   * with `WHEN 0`, or that raises nothing, protects nothing): compared, whitespace aside, with the ledger's own.
   */
  missingProtectionTriggers(replaceRequired = this.hasReplaceMigration()): string[] {
    const rows = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'").all() as { name: string; sql: string | null }[];
    const normalized = (sql: string): string => sql.replace(/\s+/g, ' ').trim().replace(/;$/, '');
    const required = replaceRequired ? { ...PROTECTION_TRIGGERS, [REPLACE_TRIGGER.name]: REPLACE_TRIGGER.sql } : PROTECTION_TRIGGERS;
    return Object.entries(required)
      .filter(([name, sql]) => {
        const found = rows.find((row) => row.name === name);
        return !found?.sql || normalized(found.sql) !== normalized(sql);
      })
      .map(([name]) => name);
  }

  /**
   * Whether no statement can change or remove an event already in the file: every protection trigger present as the
   * ledger wrote it, REPLACE's included (a file before migration 023 has none, and a REPLACE there changes an event).
   */
  eventsAreAppendOnly(): boolean {
    return this.hasReplaceMigration() && this.missingProtectionTriggers(true).length === 0;
  }

  private hasReplaceMigration(): boolean {
    return (
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").pluck().get() === 1 &&
      this.db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck().get(REPLACE_TRIGGER.migration) === 1
    );
  }

  ticketOfSeq(seq: number): string | null {
    return (this.db.prepare('SELECT ticket_id FROM events WHERE seq = ?').pluck().get(seq) as string | null | undefined) ?? null;
  }

  /**
   * The highest sequence number of the ledger in the caller's snapshot, null when it has no event: the seq key's last
   * page only, whatever the ledger's size or what was appended since a given event (counting the events appended
   * after a long verification — over 100,000 at a million tickets, on a cold connection — held the console's thread
   * for 450 ms; an increment's check sees its every event anyway).
   */
  maxSeq(): number | null {
    return this.db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null;
  }

  /**
   * The range a verification covers, read in the caller's snapshot: the first and last seq (from the primary key, no
   * row counted).
   */
  seqRange(): { minSeq: number | null; maxSeq: number | null } {
    return this.db.prepare('SELECT min(seq) AS minSeq, max(seq) AS maxSeq FROM events').get() as { minSeq: number | null; maxSeq: number | null };
  }
}
