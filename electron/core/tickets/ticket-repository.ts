// All SQL for the ticket projection (tickets, their search entries and counts), the queue queries and a ticket's
// messages (read from its events).
import { preparedOnce } from '../db/statement-cache.ts';
import { DEFAULT_TICKET_SORT, type Facets, type TicketFilter, type TicketPage, type TicketRow, type TicketSlaState, type TicketSort, type TicketSortKey } from '../../../shared/contract.ts';
import { PRIORITIES, RESOLVED_BY, TICKET_STATUSES, type Priority, type ResolvedBy, type TicketStatus } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { inTransaction } from '../db/transaction.ts';
import { groupedByTicket, type ProjectedEvent } from '../derived/derived-projection.ts';
import { slaStateCounts, ticketIdsInSlaStateSql, ticketSlaStateSql, ticketsInSlaStatesSql } from '../sla/sla-read-repository.ts';
import { messageOf, type TicketMessage, type TicketProjection } from './projector.ts';


interface TicketRecord {
  id: string;
  subject: string;
  channel: string;
  priority: string;
  category: string;
  requester: string | null;
  created_at: string;
  status: string;
  updated_at: string;
  resolved_by: string;
  reopen_count: number;
  escalated: number;
  csat: number | null;
  event_count: number;
}

type ListedRecord = TicketRecord & { sla_state: TicketSlaState };

const ROW_COLUMNS = 'id, subject, channel, priority, category, requester, created_at, status, updated_at, resolved_by, reopen_count, escalated, csat, event_count';
/** The columns of a ProjectedEvent. */
const PROJECTED_EVENT_COLUMNS = 'seq, ticket_id, type, at, actor, payload';

/** The SLA state of the row of `tickets` in scope, as of @asOf: the SLA engine's one definition. */
const SLA_STATE = ticketSlaStateSql('tickets.id');
const LISTED_COLUMNS = `${ROW_COLUMNS}, ${SLA_STATE} AS sla_state`;

/** The SLA states in the order the queue sorts them ascending (the same ranking as SORT_EXPRESSIONS.sla). */
const SLA_STATE_ORDER: readonly TicketSlaState[] = ['breached', 'in_progress', 'achieved', 'none'];

/** A CASE ranking a column's values in the domain's own order (priority low → urgent, not alphabetical). */
function rankOf(column: string, values: readonly string[]): string {
  return `CASE ${column} ${values.map((value, index) => `WHEN '${value}' THEN ${index}`).join(' ')} ELSE ${values.length} END`;
}

/** What each sortable column orders by; the SLA state ranks breached, in progress, achieved, none. */
const SORT_EXPRESSIONS: Record<TicketSortKey, string> = {
  created: 'created_at',
  updated: 'updated_at',
  id: 'id',
  subject: 'subject COLLATE NOCASE',
  status: rankOf('status', TICKET_STATUSES),
  priority: rankOf('priority', PRIORITIES),
  category: 'category',
  channel: 'channel',
  resolvedBy: rankOf('resolved_by', RESOLVED_BY),
  sla: rankOf(SLA_STATE, SLA_STATE_ORDER),
};

/** The sorted column, then the id in the same direction: a total order, so offset pages never overlap or skip. */
function orderBy(sort: TicketSort): string {
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  // The default keeps the exact order the tickets_by_created index serves (created_at DESC, id).
  if (sort.by === DEFAULT_TICKET_SORT.by && sort.direction === DEFAULT_TICKET_SORT.direction) return 'created_at DESC, id';
  return `${SORT_EXPRESSIONS[sort.by]} ${direction}, id ${direction}`;
}

function toRow(record: ListedRecord): TicketRow {
  return {
    id: record.id,
    subject: record.subject,
    channel: record.channel,
    priority: record.priority as Priority,
    category: record.category,
    requester: record.requester,
    createdAt: record.created_at,
    status: record.status as TicketStatus,
    updatedAt: record.updated_at,
    resolvedBy: record.resolved_by as ResolvedBy,
    reopenCount: record.reopen_count,
    escalated: record.escalated === 1,
    csat: record.csat,
    eventCount: record.event_count,
    slaState: record.sla_state,
  };
}

const FACET_COLUMNS = ['status', 'priority', 'category', 'channel', 'resolved_by'] as const;

function facetClauses(filter: TicketFilter): { clauses: string[]; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const values: Record<(typeof FACET_COLUMNS)[number], readonly string[]> = {
    status: filter.status,
    priority: filter.priority,
    category: filter.category,
    channel: filter.channel,
    resolved_by: filter.resolvedBy,
  };
  for (const column of FACET_COLUMNS) {
    const list = values[column];
    if (list.length === 0) continue;
    clauses.push(`${column} IN (${list.map(() => '?').join(', ')})`);
    params.push(...list);
  }
  return { clauses, params };
}

/** Search: the exact ticket id or requester, or a subject substring (trigram index from 3 characters). */
function searchClause(search: string): { sql: string; params: unknown[] } | null {
  const term = search.trim();
  if (!term) return null;
  if (term.length >= 3) {
    // A quoted FTS5 phrase over trigrams matches the term as a substring, case-insensitively.
    return {
      sql: `rowid IN (SELECT rowid FROM tickets WHERE id = ? UNION ALL SELECT rowid FROM tickets WHERE requester = ?
        UNION ALL SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?)`,
      params: [term, term, `"${term.replace(/"/g, '""')}"`],
    };
  }
  return { sql: "(id = ? OR requester = ? OR subject LIKE ? ESCAPE '\\')", params: [term, term, `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`] };
}

function whereClause(filter: TicketFilter): { sql: string; params: unknown[] } {
  const { clauses, params } = facetClauses(filter);
  const search = searchClause(filter.search);
  if (search) {
    clauses.push(search.sql);
    params.push(...search.params);
  }
  const slaStates = filter.slaState ?? [];
  if (slaStates.length > 0) {
    clauses.push(`${SLA_STATE} IN (${slaStates.map(() => '?').join(', ')})`);
    params.push(...slaStates);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** A filter with no facet and no search (SLA states or not). */
function noFacetOrSearch(filter: TicketFilter): boolean {
  return !filter.search.trim() && facetClauses(filter).clauses.length === 0;
}

/** A filter by SLA state and nothing else (no facet, no search). */
function onlySlaStates(filter: TicketFilter): boolean {
  return (filter.slaState ?? []).length > 0 && noFacetOrSearch(filter);
}

/**
 * How much cheaper reading one ticket of a few chosen by SLA state must be than passing one ticket in the queue's
 * walk: a chosen ticket is looked up by id and sorted, a passed one only has its state looked up.
 */
const FEW_IN_SLA_STATES_FACTOR = 4;

/**
 * The share of the queue at or under which a filter's SLA states are always read first, whatever the walk's estimate.
 * That estimate takes the chosen tickets to be spread evenly over the queue's order; tickets that came in together sit
 * together in it (an import of tickets no SLA target applies to), and the walk to them passes over nearly every
 * ticket: at a million tickets the first page of the 20,000 "none" tickets of an import took 330 ms in the default
 * order and 500 ms by subject (issue 15). Read first, a state costs at most its own tickets. A sixteenth, not the
 * thirty-second it was: at 300,000 tickets the bench's import brings 15,000 such tickets (a twenty-first of the queue),
 * and their first page took 106 ms newest first and 142 ms by subject walking, 7.5–28 ms read first; a state of a
 * sixteenth costs at most about 40 ms read first at a million tickets (0.5–0.7 µs a ticket measured at 300,000),
 * where reading a third of the queue first (a demo's breached tickets) took 80–174 ms against 1–5 ms walking.
 */
const ALWAYS_FEW_SHARE = 1 / 16;

/** The moment SLA states are read as of: now, as ticketSlaOutcome reads them. */
const asOfNow = (): { asOf: string } => ({ asOf: new Date().toISOString() });

/** The named @asOf binding, only for SQL that reads it (better-sqlite3 refuses a named value the SQL lacks). */
function namedIfUsed(sql: string, asOf: { asOf: string }): [{ asOf: string }] | [] {
  return sql.includes('@asOf') ? [asOf] : [];
}

export class TicketRepository {
  private readonly db: Db;
  private readonly insertTicket;
  private readonly insertSearch;
  private readonly addCount;

  constructor(db: Db) {
    this.db = db;
    // Prepared once per connection: a repository is made for every write's refresh.
    this.insertTicket = preparedOnce(
      db,
      `INSERT INTO tickets (id, subject, channel, priority, category, requester, created_at, status, updated_at, resolved_by,
        solved_at, first_reply_at, reopen_count, escalated, csat, assignee, event_count, last_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // The search index and the queue's counts are written here, beside the rows, not by triggers
    // (017_ticket_search_by_repository.sql, 019_ticket_counts_by_repository.sql).
    this.insertSearch = preparedOnce(db, 'INSERT INTO ticket_search (rowid, subject) VALUES (?, ?)');
    this.addCount = preparedOnce(
      db,
      `INSERT INTO ticket_counts (status, priority, category, channel, resolved_by, n) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    );
  }

  /** Without a search, totals come from the ticket_counts rollup instead of counting rows. */
  private total(filter: TicketFilter, asOf: { asOf: string }, stateCounts: Record<TicketSlaState, number> | null): number {
    const slaStates = filter.slaState ?? [];
    // SLA states alone are counted from sla_ticket_states' indexes (they change with the clock: no rollup holds them).
    if (stateCounts && onlySlaStates(filter)) return [...new Set(slaStates)].reduce((sum, state) => sum + stateCounts[state], 0);
    // The rollup counts facets only; a search or an SLA state with facets counts the rows.
    if (filter.search.trim() || slaStates.length > 0) {
      const { sql, params } = whereClause(filter);
      return this.db.prepare(`SELECT count(*) FROM tickets ${sql}`).pluck().get(...params, ...namedIfUsed(sql, asOf)) as number;
    }
    const { clauses, params } = facetClauses(filter);
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    return (this.db.prepare(`SELECT coalesce(sum(n), 0) FROM ticket_counts ${where}`).pluck().get(...params) as number) ?? 0;
  }

  list(filter: TicketFilter, offset: number, limit: number, sort: TicketSort = DEFAULT_TICKET_SORT): TicketPage {
    const asOf = asOfNow();
    // One snapshot for the total and the page (and both steps of a page sorted by SLA state).
    return inTransaction(this.db, () => {
      // With no facet or search, SLA states are counted once, from indexes, for the total and for the page.
      const stateCounts = noFacetOrSearch(filter) && (onlySlaStates(filter) || sort.by === 'sla') ? slaStateCounts(this.db, asOf.asOf, this.count()) : null;
      const total = this.total(filter, asOf, stateCounts);
      if (offset >= total) return { total, offset, rows: [] };
      const records = this.fewInSlaStates(filter, total, offset, limit, sort)
        ? this.pageOfFewInSlaStates(filter, offset, limit, sort, asOf)
        : sort.by !== 'sla'
          ? this.page(filter, offset, limit, sort, asOf)
          : stateCounts
            ? this.pageSortedBySlaStateAlone(filter, stateCounts, offset, limit, sort, asOf)
            : this.pageSortedBySlaState(filter, offset, limit, sort, asOf);
      return { total, offset, rows: records.map(toRow) };
    });
  }

  /**
   * Whether the tickets in the filter's SLA states are so few that reading them all from sla_ticket_states and sorting
   * them costs less than walking the queue in its order until the page is full (that walk looks up each ticket's
   * state, and passes over about total/n of them per match: all of them for a state almost no ticket is in).
   */
  private fewInSlaStates(filter: TicketFilter, total: number, offset: number, limit: number, sort: TicketSort): boolean {
    if (!onlySlaStates(filter)) return false;
    const tickets = this.count();
    // Sorted by SLA state, a page is read state by state in id order (pageSortedBySlaStateAlone), "none" from its own
    // table: the estimate below still decides for the others.
    if (sort.by !== 'sla' && total <= tickets * ALWAYS_FEW_SHARE) return true;
    const walked = Math.min(tickets, ((offset + limit) * tickets) / Math.max(total, 1));
    return total * FEW_IN_SLA_STATES_FACTOR < walked;
  }

  /** A page of the tickets in the filter's SLA states, read from sla_ticket_states and sla_untargeted first, then sorted. */
  private pageOfFewInSlaStates(filter: TicketFilter, offset: number, limit: number, sort: TicketSort, asOf: { asOf: string }): ListedRecord[] {
    const states = [...new Set(filter.slaState!)];
    // CROSS JOIN keeps sla_ticket_states the outer loop: SQLite would otherwise walk the queue's sort index.
    return this.db
      .prepare(
        `SELECT ${LISTED_COLUMNS} FROM (${ticketsInSlaStatesSql(states)}) AS chosen CROSS JOIN tickets ON tickets.id = chosen.ticket_id
         ORDER BY ${orderBy(sort)} LIMIT ? OFFSET ?`,
      )
      .all(limit, offset, asOf) as ListedRecord[];
  }

  /** A page read by the index of its sort key (migration 015). */
  private page(filter: TicketFilter, offset: number, limit: number, sort: TicketSort, asOf: { asOf: string }): ListedRecord[] {
    const { sql, params } = whereClause(filter);
    return this.db
      .prepare(`SELECT ${LISTED_COLUMNS} FROM tickets ${sql} ORDER BY ${orderBy(sort)} LIMIT ? OFFSET ?`)
      .all(...params, limit, offset, asOf) as ListedRecord[];
  }

  /**
   * Sorted by SLA state, with no facet or search (SLA states may be chosen): the order is the states' in turn, each in
   * id order, so the page is found from the count of each state (slaStateCounts) and read from the one or two states
   * it falls in, each in its primary key's order. Sorting every ticket's state took 400–470 ms at offset 140,000 of a
   * 300,000-ticket queue.
   */
  private pageSortedBySlaStateAlone(
    filter: TicketFilter,
    counts: Record<TicketSlaState, number>,
    offset: number,
    limit: number,
    sort: TicketSort,
    asOf: { asOf: string },
  ): ListedRecord[] {
    const chosen = new Set<TicketSlaState>((filter.slaState ?? []).length > 0 ? filter.slaState : SLA_STATE_ORDER);
    const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
    const ids: string[] = [];
    let skip = offset;
    for (const state of direction === 'ASC' ? SLA_STATE_ORDER : [...SLA_STATE_ORDER].reverse()) {
      if (!chosen.has(state) || ids.length >= limit) continue;
      if (skip >= counts[state]) {
        skip -= counts[state];
        continue;
      }
      const sql = ticketIdsInSlaStateSql(state, direction);
      ids.push(...(this.db.prepare(sql).pluck().all(limit - ids.length, skip, ...namedIfUsed(sql, asOf)) as string[]));
      skip = 0;
    }
    return this.recordsInOrder(ids, asOf);
  }

  /** The listed rows of these tickets, in this order. */
  private recordsInOrder(ids: readonly string[], asOf: { asOf: string }): ListedRecord[] {
    const rows = this.db.prepare(`SELECT ${LISTED_COLUMNS} FROM tickets WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids), asOf) as ListedRecord[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)!);
  }

  /**
   * The SLA state is computed as of the request, so no index orders by it and every ticket in the filter is sorted.
   * Only the ids are sorted (from a covering index, not the table), then the page's rows are read by id: the sorter
   * no longer carries every column of every ticket (at 300,000 tickets a page took about 570 ms, now about 200 ms).
   */
  private pageSortedBySlaState(filter: TicketFilter, offset: number, limit: number, sort: TicketSort, asOf: { asOf: string }): ListedRecord[] {
    const { sql, params } = whereClause(filter);
    const ids = this.db
      .prepare(`SELECT id FROM tickets ${sql} ORDER BY ${orderBy(sort)} LIMIT ? OFFSET ?`)
      .pluck()
      .all(...params, limit, offset, asOf) as string[];
    return this.recordsInOrder(ids, asOf);
  }

  get(id: string): TicketRow | null {
    const record = this.db.prepare(`SELECT ${LISTED_COLUMNS} FROM tickets WHERE id = ?`).get(id, asOfNow()) as ListedRecord | undefined;
    return record ? toRow(record) : null;
  }

  facets(): Facets {
    const distinct = (column: string): string[] =>
      this.db.prepare(`SELECT DISTINCT ${column} FROM ticket_counts WHERE n > 0 ORDER BY ${column}`).pluck().all() as string[];
    return { categories: distinct('category'), channels: distinct('channel') };
  }

  count(): number {
    return this.db.prepare('SELECT coalesce(sum(n), 0) FROM ticket_counts').pluck().get() as number;
  }

  /** Tickets that have events but no `created` line are still shown; they take their first event's time. */
  eventsOfTickets(ids: readonly string[]): Map<string, ProjectedEvent[]> {
    const rows = preparedOnce(this.db, `SELECT ${PROJECTED_EVENT_COLUMNS} FROM events WHERE ticket_id IN (SELECT value FROM json_each(?)) ORDER BY ticket_id, seq`).all(
      JSON.stringify(ids),
    ) as ProjectedEvent[];
    return groupedByTicket(rows);
  }

  /** The next `limit` ticket ids after `after`, in id order, read from the ledger. */
  ticketIdsAfter(after: string, limit: number): string[] {
    return this.db
      .prepare('SELECT DISTINCT ticket_id FROM events WHERE ticket_id > ? ORDER BY ticket_id LIMIT ?')
      .pluck()
      .all(after, limit) as string[];
  }

  /** Deletes these tickets' rows (the row, its search entry, its share of the counts). */
  deleteTicketRows(ids: readonly string[]): void {
    const list = JSON.stringify(ids);
    const statements = [
      // The search index forgets each row by the subject it indexed, so before the row goes.
      preparedOnce(this.db, "INSERT INTO ticket_search (ticket_search, rowid, subject) SELECT 'delete', rowid, subject FROM tickets WHERE id IN (SELECT value FROM json_each(?))"),
      // The counts lose the rows about to go, a combination at a time (a count reaching 0 is removed by its trigger).
      preparedOnce(
        this.db,
        `UPDATE ticket_counts SET n = ticket_counts.n - gone.n
         FROM (SELECT status, priority, category, channel, resolved_by, count(*) AS n FROM tickets WHERE id IN (SELECT value FROM json_each(?))
               GROUP BY status, priority, category, channel, resolved_by) AS gone
         WHERE ticket_counts.status = gone.status AND ticket_counts.priority = gone.priority AND ticket_counts.category = gone.category
           AND ticket_counts.channel = gone.channel AND ticket_counts.resolved_by = gone.resolved_by`,
      ),
      preparedOnce(this.db, 'DELETE FROM tickets WHERE id IN (SELECT value FROM json_each(?))'),
    ];
    for (const statement of statements) statement.run(list);
  }

  /**
   * Rewrites the rows of these tickets in place where the row exists and keeps its queue keys (subject, status and
   * the facets ticket_counts counts): the search index and the counts then stay right as they are. Returns the ids
   * rewritten.
   */
  rewriteRowsInPlace(projections: readonly TicketProjection[]): Set<string> {
    const rewritten = new Set<string>();
    if (projections.length === 0) return rewritten;
    const keys = preparedOnce(this.db, 'SELECT subject, status, priority, category, channel, resolved_by FROM tickets WHERE id = ?', 'raw');
    const update = preparedOnce(
      this.db,
      `UPDATE tickets SET requester = ?, created_at = ?, updated_at = ?, solved_at = ?, first_reply_at = ?, reopen_count = ?, escalated = ?,
        csat = ?, assignee = ?, event_count = ?, last_seq = ? WHERE id = ?`,
    );
    for (const { ticket: t } of projections) {
      const stored = keys.get(t.id) as [string, string, string, string, string, string] | undefined;
      if (!stored) continue;
      const [subject, status, priority, category, channel, resolvedBy] = stored;
      if (subject !== t.subject || status !== t.status || priority !== t.priority || category !== t.category || channel !== t.channel || resolvedBy !== t.resolvedBy) continue;
      update.run(t.requester, t.createdAt, t.updatedAt, t.solvedAt, t.firstReplyAt, t.reopenCount, t.escalated ? 1 : 0, t.csat, t.assignee, t.eventCount, t.lastSeq, t.id);
      rewritten.add(t.id);
    }
    return rewritten;
  }

  clearProjections(): void {
    this.db.exec(`DELETE FROM tickets; DELETE FROM ticket_counts;
      INSERT INTO ticket_search (ticket_search) VALUES ('delete-all');`);
  }

  save(projection: TicketProjection): void {
    this.saveAll([projection]);
  }

  /** Writes a batch of ticket projections whose rows are absent (deleted by deleteTicketRows, or a rebuild). */
  saveAll(projections: readonly TicketProjection[]): void {
    const counts = new Map<string, { key: [string, string, string, string, string]; n: number }>();
    for (const { ticket: t } of projections) {
      const { lastInsertRowid } = this.insertTicket.run(
        t.id, t.subject, t.channel, t.priority, t.category, t.requester, t.createdAt, t.status, t.updatedAt, t.resolvedBy,
        t.solvedAt, t.firstReplyAt, t.reopenCount, t.escalated ? 1 : 0, t.csat, t.assignee, t.eventCount, t.lastSeq,
      );
      this.insertSearch.run(lastInsertRowid, t.subject);
      const key: [string, string, string, string, string] = [t.status, t.priority, t.category, t.channel, t.resolvedBy];
      const id = JSON.stringify(key);
      const count = counts.get(id);
      if (count) count.n++;
      else counts.set(id, { key, n: 1 });
    }
    for (const { key, n } of counts.values()) this.addCount.run(...key, n);
  }

  /**
   * A ticket's messages in ledger order, read from its `message` events (the ledger's ticket index): a conversation
   * is read one ticket at a time, so no projection copies every message body (027_drop_messages.sql).
   */
  messagesOf(ticketId: string): TicketMessage[] {
    const rows = preparedOnce(this.db, "SELECT seq, at, payload FROM events WHERE ticket_id = ? AND type = 'message' ORDER BY seq").all(ticketId) as {
      seq: number;
      at: string;
      payload: string;
    }[];
    return rows.map((row) => messageOf(row, JSON.parse(row.payload) as Record<string, unknown>));
  }

  /** A stable dump of every projection table, for checking that a rebuild changes nothing. */
  snapshot(): { tickets: unknown[] } {
    return {
      tickets: this.db.prepare(`SELECT ${ROW_COLUMNS}, solved_at, first_reply_at, assignee, last_seq FROM tickets ORDER BY id`).raw().all(),
    };
  }
}
