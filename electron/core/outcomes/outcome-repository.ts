// SQL for outcome contracts: the `outcome_events` projection and the ticket queries verification needs.
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { inTransaction } from '../db/transaction.ts';
import { eventsOfTypes, type DerivedProjection, type TicketEvents } from '../derived/derived-projection.ts';
import { LedgerRepository, type EventRow } from '../ledger/ledger-repository.ts';
import { contractSchema, type Contract } from './contract-schema.ts';
import { firstNotBefore } from './sorted-search.ts';

export const OUTCOME_TYPES = [
  'contract.version',
  'outcome.verified',
  'outcome.reversed',
  'outcome.discrepancy',
  'outcome.disputed',
  'outcome.dispute_upheld',
  'outcome.dispute_rejected',
] as const;
export type OutcomeEventType = (typeof OUTCOME_TYPES)[number];

const TYPE_LIST = OUTCOME_TYPES.map((type) => `'${type}'`).join(', ');
const TICKET_TYPE_LIST = OUTCOME_TYPES.filter((type) => type !== 'contract.version').map((type) => `'${type}'`).join(', ');
const TICKET_TYPES: ReadonlySet<string> = new Set(OUTCOME_TYPES.filter((type) => type !== 'contract.version'));

export interface OutcomeEvent {
  seq: number;
  ticket: string | null;
  type: OutcomeEventType;
  at: string;
  actor: Actor;
  payload: Record<string, unknown>;
}

export interface IssuedStatementPayload {
  contract: string;
  period: string;
  sha256: string;
  totals: Record<string, string | number>;
  checkpoint: { seq: number; treeSize: number; rootHash: string };
  /** The statement file's exact text. */
  document: string;
}

export interface IssuedStatementEvent {
  seq: number;
  at: string;
  actor: Actor;
  payload: IssuedStatementPayload;
}

export interface CosignedCheckpoint {
  seq: number;
  /** The `checkpoint` event it cosigns. */
  checkpointSeq: number;
  treeSize: number;
  cosigner: string;
}

export interface StoredContract {
  contract: Contract;
  seq: number;
  at: string;
}

interface Row {
  seq: number;
  ticket_id: string | null;
  type: OutcomeEventType;
  at: string;
  actor: string;
  payload: string;
}

const toEvent = (row: Row): OutcomeEvent => ({
  seq: row.seq,
  ticket: row.ticket_id,
  type: row.type,
  at: row.at,
  actor: JSON.parse(row.actor) as Actor,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
});

function frozenEvent(row: Row): OutcomeEvent {
  const event = toEvent(row);
  Object.freeze(event.actor);
  Object.freeze(event.payload);
  return Object.freeze(event);
}

/**
 * Per connection, the last outcome events it read (outcomeEvents) and the snapshot they were read at: one list, replaced
 * when the ledger changes, gone with the connection (as the attribution counter's verdicts, attribution-memory.ts).
 */
const lastOutcomeEvents = new WeakMap<Db, KeptOutcomeEvents>();

const sameRows = (a: ProjectionRows, b: ProjectionRows): boolean => a.rows === b.rows && a.total === b.total;

interface KeptOutcomeEvents {
  snapshot: string;
  contractId: string | undefined;
  events: readonly OutcomeEvent[];
  /** What the list was read from: the ledger's head and its hash, the schema, and the projection's rows up to the head. */
  head: number;
  headHash: string | null;
  schemaVersion: number;
  projectionRows: ProjectionRows;
}

/**
 * Which kept list a kept list extends: it holds that list's events, in order, then those appended after its head. A
 * book built from the shorter list can be extended by the rest (outcome-book.ts bookFrom) instead of built again.
 */
const extensions = new WeakMap<readonly OutcomeEvent[], { list: readonly OutcomeEvent[]; length: number }>();

/**
 * Records that frozen list `longer` holds the events of frozen list `shorter`, in order, then only events after them
 * in the ledger — which outcomeEvents has checked when it calls this. One step back at most: a chain of lists, each
 * holding the one before, would keep every list ever read.
 */
export function noteListExtends(longer: readonly OutcomeEvent[], shorter: readonly OutcomeEvent[]): void {
  extensions.delete(shorter);
  extensions.set(longer, { list: shorter, length: shorter.length });
}

/** The list a list returned by outcomeEvents extends (its first `length` events are that list's), if it extends one. */
export function extendedList(events: readonly OutcomeEvent[]): { list: readonly OutcomeEvent[]; length: number } | undefined {
  return extensions.get(events);
}

/**
 * Whether the ledger still holds every event a kept read was made from, so that only events after its head are new:
 * nothing can have changed an event (the append-only triggers, REPLACE's included, are all in place and the schema has
 * not changed since: dropping a trigger changes it), and the event at the old head is the one it was (not another
 * file, not a shorter chain).
 */
function ledgerStillHolds(kept: { head: number; headHash: string | null; schemaVersion: number }, ledger: LedgerRepository, head: number, schemaVersion: number): boolean {
  return head >= kept.head && schemaVersion === kept.schemaVersion && ledger.eventsAreAppendOnly() && ledger.eventHash(kept.head) === kept.headHash;
}

/** A fingerprint of the outcome projection's rows up to a seq: how many, and the sum of their seqs. */
interface ProjectionRows {
  rows: number;
  total: number;
}

/**
 * Per connection, the last tickets in a contract's scope it read (ticketsInScope), with the snapshot and bounds, and
 * the ledger it was read from: its head, the head's hash and the schema.
 */
const lastTicketsInScope = new WeakMap<Db, { snapshot: string; bounds: string } & KeptScope>();

/**
 * Which scope a scope was updated from and the tickets that came in and went out: for a reader that keeps something
 * derived from the earlier list (attribution.ts keeps each scope in natural order). One step back, as the book's.
 */
const scopeSteps = new WeakMap<readonly string[], ScopeStep>();

/** A list of tickets edited from another: the list it came from, the tickets that came in and those that went out. */
export interface ScopeStep {
  from: readonly string[];
  came: readonly string[];
  left: readonly string[];
}

/** See scopeSteps. */
export const scopeStepOf = (tickets: readonly string[]): ScopeStep | undefined => scopeSteps.get(tickets);

interface KeptScope {
  tickets: readonly string[];
  head: number;
  headHash: string | null;
  schemaVersion: number;
  /** The scope's rows as the tickets table held them: how many, and the sum of their ids' lengths. */
  rows: ScopeRows;
}

interface ScopeRows {
  rows: number;
  size: number;
}

/** What `ids` add to a ScopeRows: SQLite's length() of a text counts characters (code points), as Array.from does. */
const rowsOf = (ids: readonly string[]): ScopeRows => ({ rows: ids.length, size: ids.reduce((sum, id) => sum + Array.from(id).length, 0) });

/** Above this share of the scope's tickets having gained events, the scope is read again rather than brought up to date. */
const SCOPE_UPDATE_SHARE = 1 / 8;

/** Characters whose UTF-16 order differs from their UTF-8 order: surrogates, and those above them. */
const OUT_OF_ORDER_UNITS = /[\uD800-\uFFFF]/;

/**
 * SQLite's order of ids (BINARY: their UTF-8 bytes), which `ORDER BY id` gives: JavaScript's order of strings (UTF-16
 * code units) is the same unless a surrogate pair meets a character from U+E000 up.
 */
function byStoredOrder(a: string, b: string): number {
  if (OUT_OF_ORDER_UNITS.test(a) || OUT_OF_ORDER_UNITS.test(b)) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where `id` is, or would go, in `sorted` (stored order): the first position whose id is not before it. */
const insertionPoint = (sorted: readonly string[], id: string): number => firstNotBefore(sorted, id, byStoredOrder);

const isIn = (sorted: readonly string[], id: string): boolean => sorted[insertionPoint(sorted, id)] === id;

/** The outcome events among a ticket's ledger rows (any order in, ledger order out). */
export function outcomeEventsIn(rows: readonly EventRow[]): OutcomeEvent[] {
  return rows
    .filter((row) => TICKET_TYPES.has(row.type))
    .sort((a, b) => a.seq - b.seq)
    .map((row) => toEvent(row as unknown as Row));
}

/** Tickets per statement when refreshing: bounded, so the id list (and SQLite's work for it) never grows with the ledger. */
const REFRESH_CHUNK = 2000;

export const outcomeProjection: DerivedProjection = {
  name: 'outcome_events',
  ledgerEventTypes: ['contract.version'],
  // A ticket's rows are copies of its outcome events: one that got none keeps exactly the rows it had.
  ticketEventTypes: [...TICKET_TYPES],
  refreshTickets(db: Db, ticketIds: readonly string[], events?: TicketEvents): void {
    // Two statements per chunk of tickets rather than two per ticket: an import refreshes every ticket it touched.
    const remove = db.prepare('DELETE FROM outcome_events WHERE ticket_id IN (SELECT value FROM json_each(?))');
    const copy = db.prepare(
      `INSERT INTO outcome_events (seq, ticket_id, type, at, actor, payload)
       SELECT seq, ticket_id, type, at, actor, payload FROM events
       WHERE ticket_id IN (SELECT value FROM json_each(?)) AND type IN (${TYPE_LIST}) ORDER BY seq`,
    );
    const insert = db.prepare('INSERT INTO outcome_events (seq, ticket_id, type, at, actor, payload) VALUES (?, ?, ?, ?, ?, ?)');
    for (let start = 0; start < ticketIds.length; start += REFRESH_CHUNK) {
      const chunk = ticketIds.slice(start, start + REFRESH_CHUNK);
      const ids = JSON.stringify(chunk);
      remove.run(ids);
      // Events already read (an import's or a rebuild's pass over the tickets) are copied from memory.
      if (!events) copy.run(ids);
      else for (const row of eventsOfTypes(events, chunk, TICKET_TYPES)) insert.run(row.seq, row.ticket_id, row.type, row.at, row.actor, row.payload);
    }
  },
  // The ledger-wide rows (contract versions, issued statements); a rebuild's pass over the tickets adds theirs.
  reset(db: Db): void {
    db.prepare('DELETE FROM outcome_events').run();
    db.prepare(
      `INSERT INTO outcome_events (seq, ticket_id, type, at, actor, payload)
       SELECT seq, ticket_id, type, at, actor, payload FROM events WHERE ticket_id IS NULL AND type IN (${TYPE_LIST}) ORDER BY seq`,
    ).run();
  },
  rebuildAll(db: Db): void {
    db.prepare('DELETE FROM outcome_events').run();
    db.prepare(
      `INSERT INTO outcome_events (seq, ticket_id, type, at, actor, payload)
       SELECT seq, ticket_id, type, at, actor, payload FROM events WHERE type IN (${TYPE_LIST})`,
    ).run();
  },
};

export class OutcomeRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  /** Every contract version, read from the `contract.version` events themselves (ledger-wide, indexed). */
  contractVersions(): StoredContract[] {
    const rows = this.db.prepare("SELECT seq, at, payload FROM events WHERE ticket_id IS NULL AND type = 'contract.version' ORDER BY seq").all() as Row[];
    return rows.map((row) => ({ contract: contractSchema.parse(JSON.parse(row.payload)), seq: row.seq, at: row.at }));
  }

  /**
   * Every outcome event (of one contract), in ledger order. The `outcome_events` projection only says where to
   * look: each row is joined to its event by seq and everything billed — type, ticket, time, price — is read from
   * the event, so an edited projection row cannot change a statement.
   */
  outcomeEvents(contractId?: string): readonly OutcomeEvent[] {
    // The Outcomes tab asks for the periods, their states, the attribution, the disputes and a statement at once, and
    // each of them reads the whole book: a connection keeps the last list it read while the ledger it sees is the same.
    const before = this.snapshot();
    const kept = lastOutcomeEvents.get(this.db);
    if (kept && kept.snapshot === before && kept.contractId === contractId) return kept.events;
    // One read transaction: the checks and the rows read below see the same file.
    const read = inTransaction(this.db, () => {
      const ledger = new LedgerRepository(this.db);
      const head = ledger.lastEvent().seq;
      const schemaVersion = this.db.pragma('schema_version', { simple: true }) as number;
      const extending = kept !== undefined && kept.contractId === contractId && this.stillHolds(kept, ledger, head, schemaVersion);
      const after = extending ? kept.head : 0;
      // CROSS JOIN fixes the loop order: walk the (small) projection and look each event up by seq. Left to itself the
      // planner scans every event of the ledger and probes the projection (1 s at 100,000 tickets, for none found).
      const sql = `SELECT e.seq, e.ticket_id, e.type, e.at, e.actor, e.payload FROM outcome_events o CROSS JOIN events e ON e.seq = o.seq
                   WHERE o.seq > ? AND e.ticket_id IS NOT NULL AND e.type IN (${TICKET_TYPE_LIST})${contractId === undefined ? '' : " AND json_extract(e.payload, '$.contract') = ?"}
                   ORDER BY o.seq`;
      const rows = (contractId === undefined ? this.db.prepare(sql).all(after) : this.db.prepare(sql).all(after, contractId)) as Row[];
      const added = rows.map(frozenEvent);
      // Shared by every later caller: frozen, so none can change what another reads. Nothing added: the same list.
      const events = extending && added.length === 0 ? kept.events : Object.freeze(extending ? [...kept.events, ...added] : added);
      if (extending && events !== kept.events) noteListExtends(events, kept.events);
      // Extending, the rows up to the old head were just found unchanged: only those after it are counted.
      const later = this.projectionRowsBetween(after, head);
      const projectionRows = extending ? { rows: kept.projectionRows.rows + later.rows, total: kept.projectionRows.total + later.total } : later;
      return { events, head, headHash: ledger.eventHash(head), schemaVersion, projectionRows };
    });
    // Kept only when nothing changed while it was read (the query may have seen a later commit than `before`).
    if (this.snapshot() === before) lastOutcomeEvents.set(this.db, { snapshot: before, contractId, ...read });
    return read.events;
  }

  /**
   * Whether the events a kept list was read from are all still there as they were, so that only the events after its
   * head are new. An outcome verification commits every batch, and each commit made the Outcomes tab read every
   * outcome event of the ledger again (0.1–0.7 s at 300,000 tickets). It holds when the ledger still holds what the
   * list was read from (ledgerStillHolds) and the projection that says where outcome events are holds the same rows
   * up to the old head. Otherwise the whole list is read again.
   */
  private stillHolds(kept: KeptOutcomeEvents, ledger: LedgerRepository, head: number, schemaVersion: number): boolean {
    return ledgerStillHolds(kept, ledger, head, schemaVersion) && sameRows(this.projectionRowsBetween(0, kept.head), kept.projectionRows);
  }

  /** The projection's rows after `after` up to `upTo`, as a fingerprint (a range of its key). */
  private projectionRowsBetween(after: number, upTo: number): ProjectionRows {
    return this.db.prepare('SELECT count(*) AS rows, coalesce(sum(seq), 0) AS total FROM outcome_events WHERE seq > ? AND seq <= ?').get(after, upTo) as ProjectionRows;
  }

  /**
   * What this connection sees of the file, as a key: the head, this connection's own changes so far (total_changes,
   * which also moves inside an open transaction) and the commits of every other connection (data_version).
   */
  private snapshot(): string {
    const { head, changes, others } = this.db
      .prepare('SELECT (SELECT max(seq) FROM events) AS head, total_changes() AS changes, (SELECT data_version FROM pragma_data_version()) AS others')
      .get() as { head: number | null; changes: number; others: number };
    return `${head}:${changes}:${others}`;
  }

  /** The `statement.issued` events of one contract, in ledger order (ledger-wide, indexed by type). */
  issuedStatements(contractId: string): IssuedStatementEvent[] {
    const rows = this.db
      .prepare("SELECT seq, at, actor, payload FROM events WHERE ticket_id IS NULL AND type = 'statement.issued' AND json_extract(payload, '$.contract') = ? ORDER BY seq")
      .all(contractId) as Pick<Row, 'seq' | 'at' | 'actor' | 'payload'>[];
    return rows.map((row) => ({ seq: row.seq, at: row.at, actor: JSON.parse(row.actor) as Actor, payload: JSON.parse(row.payload) as IssuedStatementPayload }));
  }

  /** Every recorded cosignature of a checkpoint: its seq, the tree size it covers and the cosigner's verifier key. */
  cosignedCheckpoints(): CosignedCheckpoint[] {
    const rows = this.db
      .prepare("SELECT seq, payload FROM events WHERE ticket_id IS NULL AND type = 'checkpoint.cosigned' ORDER BY seq")
      .all() as Pick<Row, 'seq' | 'payload'>[];
    return rows.map((row) => {
      const payload = JSON.parse(row.payload) as { treeSize: number; cosigner: string; checkpointSeq: number };
      return { seq: row.seq, treeSize: payload.treeSize, cosigner: payload.cosigner, checkpointSeq: payload.checkpointSeq };
    });
  }

  /** One ticket's outcome events, straight from the ledger (indexed by ticket). */
  outcomeEventsOfTicket(ticketId: string): OutcomeEvent[] {
    return outcomeEventsIn(this.db.prepare(`SELECT * FROM events WHERE ticket_id = ? AND type IN (${TICKET_TYPE_LIST}) ORDER BY seq`).all(ticketId) as EventRow[]);
  }

  eventBySeq(seq: number): OutcomeEvent | null {
    const row = this.db.prepare(`SELECT * FROM events WHERE seq = ? AND type IN (${TICKET_TYPE_LIST})`).get(seq) as Row | undefined;
    return row ? toEvent(row) : null;
  }

  /** Tickets that carry an outcome event of the contract. */
  ticketsWithOutcomes(contractId: string): string[] {
    return [...new Set(this.outcomeEvents(contractId).map((e) => e.ticket!))];
  }

  /**
   * Tickets that may fall under a contract: created on or after `fromIso` in one of `categories` (all of them for
   * null). Kept per connection while the ledger it sees stays the same, as the outcome events are: the attribution
   * counter asks on every request for the same list (79,900 tickets, 41 ms, at 300,000 demo tickets).
   */
  ticketsInScope(fromIso: string, categories: readonly string[] | null): readonly string[] {
    const bounds = JSON.stringify([fromIso, categories]);
    const before = this.snapshot();
    const kept = lastTicketsInScope.get(this.db);
    if (kept && kept.snapshot === before && kept.bounds === bounds) return kept.tickets;
    // One read transaction: the head, the tickets that gained events and their rows are one snapshot.
    const read = inTransaction(this.db, (): KeptScope => {
      const ledger = new LedgerRepository(this.db);
      const head = ledger.lastEvent().seq;
      const schemaVersion = this.db.pragma('schema_version', { simple: true }) as number;
      const updated = kept && kept.bounds === bounds ? this.scopeUpdated(kept, ledger, head, schemaVersion, fromIso, categories) : null;
      if (updated) return { ...updated, head, headHash: ledger.eventHash(head), schemaVersion };
      const tickets = Object.freeze(this.readTicketsInScope(fromIso, categories));
      return { tickets, rows: rowsOf(tickets), head, headHash: ledger.eventHash(head), schemaVersion };
    });
    if (this.snapshot() === before) lastTicketsInScope.set(this.db, { snapshot: before, bounds, ...read });
    return read.tickets;
  }

  /**
   * A kept scope brought up to the head, or null when it must be read again. Whether a ticket is in scope depends on
   * its creation time and category, which only its events set: so only the tickets with events after the kept head
   * can have come in or gone out, and the scope is updated by those alone — an outcome verification commits batch
   * after batch, and the Outcomes tab read the whole scope again after each (79,900 tickets, 25-40 ms at 300,000
   * tickets, on each read thread). It holds where the ledger still holds what the scope was read from
   * (ledgerStillHolds, as for the outcome events). The scope itself (the same list when no ticket came in or went out)
   * keeps SQLite's order.
   */
  private scopeUpdated(kept: KeptScope, ledger: LedgerRepository, head: number, schemaVersion: number, fromIso: string, categories: readonly string[] | null): Pick<KeptScope, 'tickets' | 'rows'> | null {
    if (!ledgerStillHolds(kept, ledger, head, schemaVersion)) return null;
    const changed = ledger.appendedAfter(kept.head).tickets;
    if (changed.length > Math.max(1000, kept.tickets.length * SCOPE_UPDATE_SHARE)) return null;
    const rows = this.db
      .prepare('SELECT id, created_at, category FROM tickets WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(changed)) as { id: string; created_at: string; category: string }[];
    const inScope = new Set(rows.filter((t) => t.created_at >= fromIso && (categories === null || categories.includes(t.category))).map((t) => t.id));
    const left = new Set<string>();
    const came: string[] = [];
    const stillThere: string[] = [];
    for (const id of changed) {
      const found = isIn(kept.tickets, id);
      if (found) stillThere.push(id);
      if (found && !inScope.has(id)) left.add(id);
      else if (!found && inScope.has(id)) came.push(id);
    }
    // The scope's rows of the tickets without events since must be the very rows the kept scope had of them: a row
    // changed in place by another program (no event) has the scope read again, not missed. The check counts the rows
    // on an index (9 ms for 79,900 tickets, against 25-40 ms to read them).
    const rowsNow = this.scopeRows(fromIso, categories);
    const changedNow = rowsOf([...inScope]);
    const changedThen = rowsOf(stillThere);
    if (rowsNow.rows - changedNow.rows !== kept.rows.rows - changedThen.rows || rowsNow.size - changedNow.size !== kept.rows.size - changedThen.size) return null;
    if (left.size === 0 && came.length === 0) return { tickets: kept.tickets, rows: rowsNow };
    const stayed = left.size === 0 ? kept.tickets : kept.tickets.filter((id) => !left.has(id));
    const tickets: string[] = [];
    let from = 0;
    for (const id of came.sort(byStoredOrder)) {
      const at = insertionPoint(stayed, id);
      while (from < at) tickets.push(stayed[from++]!);
      tickets.push(id);
    }
    while (from < stayed.length) tickets.push(stayed[from++]!);
    Object.freeze(tickets);
    scopeSteps.delete(kept.tickets);
    scopeSteps.set(tickets, { from: kept.tickets, came: Object.freeze(came), left: Object.freeze([...left]) });
    return { tickets, rows: rowsNow };
  }

  /** How many rows a scope has, and the sum of their ids' lengths (ScopeRows), from the index readTicketsInScope uses. */
  private scopeRows(fromIso: string, categories: readonly string[] | null): ScopeRows {
    const measure = 'SELECT count(*) AS rows, coalesce(sum(length(id)), 0) AS size FROM tickets';
    if (categories === null) return this.db.prepare(`${measure} INDEXED BY tickets_sort_created WHERE created_at >= ?`).get(fromIso) as ScopeRows;
    const marks = categories.map(() => '?').join(', ');
    return this.db.prepare(`${measure} WHERE created_at >= ? AND category IN (${marks})`).get(fromIso, ...categories) as ScopeRows;
  }

  private readTicketsInScope(fromIso: string, categories: readonly string[] | null): string[] {
    if (categories === null) {
      // Named, or SQLite walks every ticket in id order (to skip the sort) and looks up each row for its creation time.
      return this.db.prepare('SELECT id FROM tickets INDEXED BY tickets_sort_created WHERE created_at >= ? ORDER BY id').pluck().all(fromIso) as string[];
    }
    if (categories.length === 0) return [];
    const marks = categories.map(() => '?').join(', ');
    return this.db
      .prepare(`SELECT id FROM tickets WHERE created_at >= ? AND category IN (${marks}) ORDER BY id`)
      .pluck()
      .all(fromIso, ...categories) as string[];
  }

  /** One line per event for explanations: seq, time, type and a short detail (status, author, score). */
  eventSummaries(seqs: readonly number[]): { seq: number; at: string; type: string; detail: string }[] {
    const get = this.db.prepare('SELECT seq, at, type, payload FROM events WHERE seq = ?');
    const out: { seq: number; at: string; type: string; detail: string }[] = [];
    for (const seq of seqs) {
      const row = get.get(seq) as { seq: number; at: string; type: string; payload: string } | undefined;
      if (!row) continue;
      const p = JSON.parse(row.payload) as Record<string, unknown>;
      const kind = (value: unknown): string => String((value as { kind?: string } | undefined)?.kind ?? '');
      const detail =
        row.type === 'status' ? `${String(p.status)} by ${kind(p.by)}`
        : row.type === 'message' ? `${p.public ? 'public' : 'internal'} by ${kind(p.author)}`
        : row.type === 'csat' ? `score ${String(p.score)}`
        : row.type === 'created' ? String(p.category)
        : row.type === 'escalated' ? String(p.reason)
        : typeof p.reason === 'string' ? p.reason : '';
      out.push({ seq: row.seq, at: row.at, type: row.type, detail });
    }
    return out;
  }

  ticketExists(ticketId: string): boolean {
    return this.db.prepare('SELECT 1 FROM tickets WHERE id = ?').get(ticketId) !== undefined;
  }

  ticketEvents(ticketId: string): EventRow[] {
    return this.db.prepare('SELECT * FROM events WHERE ticket_id = ? ORDER BY seq').all(ticketId) as EventRow[];
  }

  /** Events of many tickets, grouped, in one pass per chunk. */
  *ticketEventsMany(ticketIds: readonly string[], chunk = 500): Generator<[string, EventRow[]]> {
    for (let start = 0; start < ticketIds.length; start += chunk) {
      const ids = ticketIds.slice(start, start + chunk);
      const marks = ids.map(() => '?').join(', ');
      const rows = this.db.prepare(`SELECT * FROM events WHERE ticket_id IN (${marks}) ORDER BY ticket_id, seq`).all(...ids) as EventRow[];
      const grouped = new Map<string, EventRow[]>();
      for (const row of rows) {
        const id = row.ticket_id!;
        let list = grouped.get(id);
        if (!list) grouped.set(id, (list = []));
        list.push(row);
      }
      for (const id of ids) yield [id, grouped.get(id) ?? []];
    }
  }
}
