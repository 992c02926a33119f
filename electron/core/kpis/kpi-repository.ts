// SQL of the KPI projections: per-ticket facts, their daily rollup, and the reads the reports need.
import { preparedOnce } from '../db/statement-cache.ts';
import type { KpiCounts, KpiDrillRow, KpiGrouping, TicketCountKey } from '../../../shared/contracts/kpis.ts';
import type { Db } from '../db/connection.ts';
import { groupedByTicket, type DerivedProjection, type TicketEvents } from '../derived/derived-projection.ts';
import { ticketFacts, type FactEvent, type TicketFacts } from './ticket-facts.ts';

const DAY_MS = 86_400_000;
const CHUNK = 2000;

const FACT_COLUMNS =
  'ticket_id, created_at, category, channel, actor, resolved, resolved_ai, ever_solved, fcr, deflected, reopened, escalated, csat, worklog_minutes, agent_work_minutes, verified, verified_spend_minor, spend_currency';

const SUM_COLUMNS = [
  'tickets',
  'resolved',
  'resolved_ai',
  'ever_solved',
  'fcr',
  'deflected',
  'reopened',
  'escalated',
  'csat_n',
  'csat_sum',
  'csat_sq',
  'csat_sat',
  'worklog_n',
  'worklog_sum',
  'worklog_sq',
  'agentwork_n',
  'agentwork_sum',
  'agentwork_sq',
  'verified',
  'verified_spend_minor',
] as const;

/**
 * The one predicate, on a fact row, of each sum that counts tickets: the rollup counts the rows it holds for, and the
 * KPI drill-down lists exactly those rows (numerator and denominator of a figure, KPI_FRACTIONS).
 */
export const COUNT_PREDICATES: Record<TicketCountKey, string> = {
  tickets: '1',
  resolved: 'resolved = 1',
  resolvedAi: 'resolved_ai = 1',
  everSolved: 'ever_solved = 1',
  fcr: 'fcr = 1',
  deflected: 'deflected = 1',
  reopened: 'reopened = 1',
  escalated: 'escalated = 1',
  csatN: 'csat IS NOT NULL',
  csatSat: 'csat >= 4',
  worklogN: 'worklog_minutes IS NOT NULL',
  agentworkN: 'agent_work_minutes IS NOT NULL',
  verified: 'verified = 1',
};
const counted = (key: TicketCountKey): string => `total(${COUNT_PREDICATES[key]})`;

/** The rollup's sums, computed from fact rows (same order as SUM_COLUMNS). */
export const FACT_SUMS = `${counted('tickets')}, ${counted('resolved')}, ${counted('resolvedAi')}, ${counted('everSolved')}, ${counted('fcr')}, ${counted('deflected')}, ${counted('reopened')}, ${counted('escalated')},
  ${counted('csatN')}, total(csat), total(csat * csat), ${counted('csatSat')},
  ${counted('worklogN')}, total(worklog_minutes), total(worklog_minutes * worklog_minutes),
  ${counted('agentworkN')}, total(agent_work_minutes), total(agent_work_minutes * agent_work_minutes),
  ${counted('verified')}, sum(verified_spend_minor)`;
// Money stays integer: sum(), not total() (which is a float).
const ROLLUP_SUMS = SUM_COLUMNS.map((column) => (column === 'verified_spend_minor' ? `sum(${column})` : `total(${column})`)).join(', ');
/**
 * The spend currencies of the summed tickets (one ISO code, or several joined by commas); read beside the sums so a
 * report can refuse to total spend in more than one currency. Each currency's spend sits in rollup rows of its own.
 */
const SPEND_CURRENCIES = "group_concat(DISTINCT nullif(spend_currency, ''))";

/** Sums of the facts; verified spend in integer minor units of the currencies in GroupedSums.currencies. */
export type RawSums = Omit<KpiCounts, 'slaAchieved' | 'slaBreached' | 'verifiedSpend' | 'verifiedSpendMinor'> & { verifiedSpendMinor: number };

export function emptySums(): RawSums {
  return {
    tickets: 0,
    resolved: 0,
    resolvedAi: 0,
    everSolved: 0,
    fcr: 0,
    deflected: 0,
    reopened: 0,
    escalated: 0,
    csatN: 0,
    csatSum: 0,
    csatSq: 0,
    csatSat: 0,
    worklogN: 0,
    worklogSum: 0,
    worklogSq: 0,
    agentworkN: 0,
    agentworkSum: 0,
    agentworkSq: 0,
    verified: 0,
    verifiedSpendMinor: 0,
  };
}

const SUM_KEYS: (keyof RawSums)[] = [
  'tickets',
  'resolved',
  'resolvedAi',
  'everSolved',
  'fcr',
  'deflected',
  'reopened',
  'escalated',
  'csatN',
  'csatSum',
  'csatSq',
  'csatSat',
  'worklogN',
  'worklogSum',
  'worklogSq',
  'agentworkN',
  'agentworkSum',
  'agentworkSq',
  'verified',
  'verifiedSpendMinor',
];

export function addRow(target: RawSums, row: readonly unknown[], offset: number): void {
  for (let i = 0; i < SUM_KEYS.length; i++) target[SUM_KEYS[i]!] += Number(row[offset + i] ?? 0);
}

const bit = (value: boolean): number => (value ? 1 : 0);

function factParams(f: TicketFacts): unknown[] {
  return [
    f.ticketId,
    f.createdAt,
    f.category,
    f.channel,
    f.actor,
    bit(f.resolved),
    bit(f.resolvedAi),
    bit(f.everSolved),
    bit(f.fcr),
    bit(f.deflected),
    bit(f.reopened),
    bit(f.escalated),
    f.csat,
    f.worklogMinutes,
    f.agentWorkMinutes,
    bit(f.verified),
    f.verifiedSpendMinor,
    f.spendCurrency,
  ];
}

function saveFacts(db: Db, facts: readonly TicketFacts[]): void {
  const insert = preparedOnce(db, `INSERT OR REPLACE INTO kpi_ticket_facts (${FACT_COLUMNS}) VALUES (${FACT_COLUMNS.split(',').map(() => '?').join(', ')})`);
  for (const f of facts) insert.run(...factParams(f));
}

/** Adds (sign 1) or removes (sign -1) these tickets' facts to/from the daily rollup. */
function adjustRollup(db: Db, idsJson: string, sign: 1 | -1): void {
  preparedOnce(
    db,
    `INSERT INTO kpi_rollup (day, category, channel, actor, spend_currency, ${SUM_COLUMNS.join(', ')})
     SELECT substr(created_at, 1, 10), category, channel, actor, spend_currency, ${FACT_SUMS
       .split(/,(?![^(]*\))/)
       .map((expr) => `${sign} * (${expr.trim()})`)
       .join(', ')}
     FROM kpi_ticket_facts WHERE ticket_id IN (SELECT value FROM json_each(?)) GROUP BY 1, 2, 3, 4, 5
     ON CONFLICT (day, category, channel, actor, spend_currency) DO UPDATE SET ${SUM_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
  ).run(idsJson);
  if (sign === -1) preparedOnce(db, 'DELETE FROM kpi_rollup WHERE tickets <= 0').run();
}

function eventsOfTickets(db: Db, ids: readonly string[]): Map<string, FactEvent[]> {
  const rows = preparedOnce(db, 'SELECT ticket_id, seq, type, at, actor, payload FROM events WHERE ticket_id IN (SELECT value FROM json_each(?)) ORDER BY ticket_id, seq')
    .all(JSON.stringify(ids)) as (FactEvent & { ticket_id: string })[];
  return groupedByTicket(rows);
}

export function refreshKpiTickets(db: Db, ticketIds: readonly string[], events?: TicketEvents): void {
  for (let start = 0; start < ticketIds.length; start += CHUNK) {
    const ids = ticketIds.slice(start, start + CHUNK);
    const idsJson = JSON.stringify(ids);
    adjustRollup(db, idsJson, -1);
    preparedOnce(db, 'DELETE FROM kpi_ticket_facts WHERE ticket_id IN (SELECT value FROM json_each(?))').run(idsJson);
    const facts: TicketFacts[] = [];
    // The events the caller read for exactly these tickets, when it handed them over with the whole list.
    const chunkEvents = events && ids.length === ticketIds.length ? events : eventsOfTickets(db, ids);
    for (const [id, ticketEvents] of chunkEvents) {
      const computed = ticketFacts(id, ticketEvents);
      if (computed) facts.push(computed.facts);
    }
    saveFacts(db, facts);
    adjustRollup(db, idsJson, 1);
  }
}

function clearKpis(db: Db): void {
  db.prepare('DELETE FROM kpi_ticket_facts').run();
  db.prepare('DELETE FROM kpi_rollup').run();
}

/** Recomputes every ticket's facts, a chunk of tickets at a time, then the rollup in one statement. */
export function rebuildKpis(db: Db): void {
  clearKpis(db);
  const nextIds = db.prepare('SELECT id FROM tickets WHERE id > ? ORDER BY id LIMIT ?').pluck();
  let after = '';
  for (;;) {
    const ids = nextIds.all(after, CHUNK) as string[];
    if (ids.length === 0) break;
    const facts: TicketFacts[] = [];
    for (const [id, events] of eventsOfTickets(db, ids)) {
      const computed = ticketFacts(id, events);
      if (computed) facts.push(computed.facts);
    }
    saveFacts(db, facts);
    after = ids[ids.length - 1]!;
  }
  db.prepare(
    `INSERT INTO kpi_rollup (day, category, channel, actor, spend_currency, ${SUM_COLUMNS.join(', ')})
     SELECT substr(created_at, 1, 10), category, channel, actor, spend_currency, ${FACT_SUMS} FROM kpi_ticket_facts GROUP BY 1, 2, 3, 4, 5`,
  ).run();
}

export const kpiProjection: DerivedProjection = {
  name: 'kpis',
  // The reports' reads by creation time; facts are written and deleted by ticket, the table's key.
  queryIndexes: ['kpi_facts_by_created'],
  refreshTickets: refreshKpiTickets,
  rebuildAll: rebuildKpis,
  reset: clearKpis,
};

// ---------------------------------------------------------------------------------------------- reads

export interface KpiFilter {
  categories: readonly string[];
  channel?: string;
  actor?: string;
}

/** Sums overall and per group, with the spend currencies met overall and per group (see SPEND_CURRENCIES). */
export type GroupedSums = { all: RawSums; groups: Map<string, RawSums>; currencies: Set<string>; groupCurrencies: Map<string, Set<string>> };

function addCurrencies(target: Set<string>, value: unknown): void {
  if (typeof value !== 'string') return;
  for (const code of value.split(',')) if (code !== '') target.add(code);
}

export function filterSql(filter: KpiFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.categories.length > 0) {
    parts.push('category IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.categories));
  }
  if (filter.channel !== undefined) {
    parts.push('channel = ?');
    params.push(filter.channel);
  }
  if (filter.actor !== undefined) {
    parts.push('actor = ?');
    params.push(filter.actor);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Sums over the tickets created in [fromTs, toTs): whole UTC days from the rollup, partial days at the
 * edges from the indexed facts. Grouped by `by` when given.
 */
export function sumKpis(db: Db, fromTs: string, toTs: string, filter: KpiFilter, by?: KpiGrouping): GroupedSums {
  const result: GroupedSums = { all: emptySums(), groups: new Map(), currencies: new Set(), groupCurrencies: new Map() };
  const key = by ?? "''";
  const where = filterSql(filter);
  const add = (rows: unknown[][]): void => {
    for (const row of rows) {
      addRow(result.all, row, 1);
      addCurrencies(result.currencies, row[1 + SUM_KEYS.length]);
      if (by) {
        const group = String(row[0]);
        let sums = result.groups.get(group);
        if (!sums) result.groups.set(group, (sums = emptySums()));
        addRow(sums, row, 1);
        let currencies = result.groupCurrencies.get(group);
        if (!currencies) result.groupCurrencies.set(group, (currencies = new Set()));
        addCurrencies(currencies, row[1 + SUM_KEYS.length]);
      }
    }
  };
  const parts = periodParts(fromTs, toTs);
  if (parts.days) {
    add(
      db
        .prepare(`SELECT ${key}, ${ROLLUP_SUMS}, ${SPEND_CURRENCIES} FROM kpi_rollup WHERE day >= ? AND day < ?${where.sql} GROUP BY 1`)
        .raw()
        .all(parts.days[0], parts.days[1], ...where.params) as unknown[][],
    );
  }
  const edge = db.prepare(`SELECT ${key}, ${FACT_SUMS}, ${SPEND_CURRENCIES} FROM kpi_ticket_facts WHERE created_at >= ? AND created_at < ?${where.sql} GROUP BY 1`).raw();
  for (const [from, to] of parts.edges) add(edge.all(from, to, ...where.params) as unknown[][]);
  return result;
}

/** [fromTs, toTs) as whole UTC days (read from the rollup) and the partial days at its edges (read from the facts). */
function periodParts(fromTs: string, toTs: string): { days: [string, string] | null; edges: [string, string][] } {
  const firstDayMs = Math.ceil(Date.parse(fromTs) / DAY_MS) * DAY_MS;
  const endDayMs = Math.floor(Date.parse(toTs) / DAY_MS) * DAY_MS;
  const edges: [string, string][] = [];
  if (firstDayMs < endDayMs) {
    if (fromTs < new Date(firstDayMs).toISOString()) edges.push([fromTs, new Date(firstDayMs).toISOString()]);
    if (new Date(endDayMs).toISOString() < toTs) edges.push([new Date(endDayMs).toISOString(), toTs]);
    return { days: [dayOf(firstDayMs), dayOf(endDayMs)], edges };
  }
  if (fromTs < toTs) edges.push([fromTs, toTs]);
  return { days: null, edges };
}

export interface VerifiedCell {
  category: string;
  channel: string;
  actor: string;
  verified: number;
}

/**
 * Verified AI resolutions of the tickets created in [fromTs, toTs) per category, channel and actor, whatever the
 * report's filter: the weights that share the period's infrastructure cost out (kpi-report.ts).
 */
export function verifiedCells(db: Db, fromTs: string, toTs: string): VerifiedCell[] {
  const cells = new Map<string, VerifiedCell>();
  const add = (rows: VerifiedCell[]): void => {
    for (const row of rows) {
      const key = JSON.stringify([row.category, row.channel, row.actor]);
      const cell = cells.get(key);
      if (cell) cell.verified += row.verified;
      else cells.set(key, { ...row });
    }
  };
  const parts = periodParts(fromTs, toTs);
  if (parts.days) {
    add(
      db
        .prepare('SELECT category, channel, actor, sum(verified) AS verified FROM kpi_rollup WHERE day >= ? AND day < ? AND verified > 0 GROUP BY 1, 2, 3')
        .all(parts.days[0], parts.days[1]) as VerifiedCell[],
    );
  }
  const edge = db.prepare('SELECT category, channel, actor, count(*) AS verified FROM kpi_ticket_facts WHERE created_at >= ? AND created_at < ? AND verified = 1 GROUP BY 1, 2, 3');
  for (const [from, to] of parts.edges) add(edge.all(from, to) as VerifiedCell[]);
  return [...cells.values()].filter((cell) => cell.verified > 0);
}

/** The same sums straight from every fact row, no rollup and no index: the benchmark's baseline. */
export function sumKpisFullScan(db: Db, fromTs: string, toTs: string, filter: KpiFilter): RawSums {
  const where = filterSql(filter);
  const sums = emptySums();
  const rows = db
    .prepare(`SELECT '', ${FACT_SUMS} FROM kpi_ticket_facts NOT INDEXED WHERE created_at >= ? AND created_at < ?${where.sql}`)
    .raw()
    .all(fromTs, toTs, ...where.params) as unknown[][];
  for (const row of rows) addRow(sums, row, 1);
  return sums;
}

/** Sums per UTC creation day (days touched by [fromTs, toTs), whole) for trend charts. */
export function sumKpisByDay(db: Db, fromTs: string, toTs: string, filter: KpiFilter): Map<string, RawSums> {
  const where = filterSql(filter);
  const out = new Map<string, RawSums>();
  const rows = db
    .prepare(`SELECT day, ${ROLLUP_SUMS} FROM kpi_rollup WHERE day >= ? AND day < ?${where.sql} GROUP BY day ORDER BY day`)
    .raw()
    .all(fromTs.slice(0, 10), dayOf(Math.ceil(Date.parse(toTs) / DAY_MS) * DAY_MS), ...where.params) as unknown[][];
  for (const row of rows) {
    const sums = emptySums();
    addRow(sums, row, 1);
    out.set(String(row[0]), sums);
  }
  return out;
}

export const DRILL_CONDITIONS = {
  tickets: '1',
  resolved: 'resolved = 1',
  fcr: 'fcr = 1',
  not_fcr: 'resolved = 1 AND fcr = 0',
  deflected: 'deflected = 1',
  reopened: 'reopened = 1',
  escalated: 'escalated = 1',
  csat: 'csat IS NOT NULL',
  csat_dissatisfied: 'csat <= 3',
  worklog: '(worklog_minutes IS NOT NULL OR agent_work_minutes IS NOT NULL)',
  verified: 'verified = 1',
} as const;

/** A drill-down ticket as the repository reads it; the contract's row adds whether and why it counts. */
export type DrillRow = Pick<KpiDrillRow, 'id' | 'subject' | 'category' | 'channel' | 'createdAt' | 'actor'>;

export function drillTickets(
  db: Db,
  fromTs: string,
  toTs: string,
  filter: KpiFilter,
  drill: keyof typeof DRILL_CONDITIONS,
  offset: number,
  limit: number,
  /** Tickets left out (import-flagged tickets leaving the KPI the drill belongs to: kpi-exclusions.ts). */
  exclude?: { sql: string; params: unknown[] },
): { total: number; rows: DrillRow[] } {
  const where = filterSql(filter);
  const condition = `created_at >= ? AND created_at < ?${where.sql} AND ${DRILL_CONDITIONS[drill]}${exclude ? ` AND ${exclude.sql}` : ''}`;
  const params = [fromTs, toTs, ...where.params, ...(exclude?.params ?? [])];
  const total = db.prepare(`SELECT count(*) FROM kpi_ticket_facts WHERE ${condition}`).pluck().get(...params) as number;
  const rows = db
    .prepare(
      `SELECT f.ticket_id AS id, coalesce(t.subject, '') AS subject, f.category, f.channel, f.created_at AS createdAt, f.actor
       FROM kpi_ticket_facts f LEFT JOIN tickets t ON t.id = f.ticket_id
       WHERE f.ticket_id IN (SELECT ticket_id FROM kpi_ticket_facts WHERE ${condition} ORDER BY created_at DESC, ticket_id LIMIT ? OFFSET ?)
       ORDER BY f.created_at DESC, f.ticket_id`,
    )
    .all(...params, limit, offset) as DrillRow[];
  return { total, rows };
}

export function ticketFactEvents(db: Db, ids: readonly string[]): Map<string, FactEvent[]> {
  return eventsOfTickets(db, ids);
}

/** Distinct requesters of the tickets created in [fromTs, toTs). */
export function distinctRequesters(db: Db, fromTs: string, toTs: string): number {
  return db.prepare('SELECT count(DISTINCT requester) FROM tickets WHERE created_at >= ? AND created_at < ?').pluck().get(fromTs, toTs) as number;
}

export interface LedgerWideRow {
  seq: number;
  at: string;
  actor: string;
  payload: string;
}

/** Ledger-wide events of one type (ticket_id IS NULL rides the events_by_ticket index). */
export function ledgerWideEvents(db: Db, type: string): LedgerWideRow[] {
  return db.prepare('SELECT seq, at, actor, payload FROM events WHERE ticket_id IS NULL AND type = ? ORDER BY seq').all(type) as LedgerWideRow[];
}

/** First and last UTC creation day of any ticket (the rollup's primary key starts with the day). */
export function creationDayRange(db: Db): { firstDay: string; lastDay: string } | null {
  const first = db.prepare('SELECT min(day) FROM kpi_rollup').pluck().get() as string | null;
  const last = db.prepare('SELECT max(day) FROM kpi_rollup').pluck().get() as string | null;
  return first && last ? { firstDay: first, lastDay: last } : null;
}

// ---------------------------------------------------------------------------------------------- drill-down

export interface FractionDrillRow extends DrillRow {
  /** 1 when the ticket is in the numerator (the member predicate holds on its fact row). */
  member: number;
}

export interface FractionDrillQuery {
  fromTs: string;
  toTs: string;
  filter: KpiFilter;
  population: TicketCountKey;
  member: TicketCountKey;
  /** Import-flagged tickets the KPI leaves out (kpi-exclusions.ts): the condition that keeps the others. */
  keep?: { sql: string; params: unknown[] };
  /** `excluded`: only the population's tickets `keep` leaves out. */
  show: 'all' | 'counted' | 'not_counted' | 'excluded';
}

function fractionWhere(q: FractionDrillQuery): { sql: string; params: unknown[] } {
  const where = filterSql(q.filter);
  const shown = q.show === 'counted' ? ` AND (${COUNT_PREDICATES[q.member]}) IS TRUE` : q.show === 'not_counted' ? ` AND (${COUNT_PREDICATES[q.member]}) IS NOT TRUE` : '';
  const kept = q.keep ? (q.show === 'excluded' ? ` AND NOT (${q.keep.sql})` : ` AND ${q.keep.sql}`) : q.show === 'excluded' ? ' AND 0' : '';
  return {
    sql: `created_at >= ? AND created_at < ?${where.sql} AND (${COUNT_PREDICATES[q.population]}) IS TRUE${shown}${kept}`,
    params: [q.fromTs, q.toTs, ...where.params, ...(q.keep?.params ?? [])],
  };
}

/** A KPI's denominator and numerator over a selection, counted from the same fact rows the rollup sums, and how many tickets of its population import flags leave out. */
export function fractionCounts(db: Db, q: Omit<FractionDrillQuery, 'show'>): { numerator: number; denominator: number; excluded: number } {
  const count = (show: FractionDrillQuery['show']): [number, number] => {
    const where = fractionWhere({ ...q, show });
    return db.prepare(`SELECT count(*), total(${COUNT_PREDICATES[q.member]}) FROM kpi_ticket_facts WHERE ${where.sql}`).raw().get(...where.params) as [number, number];
  };
  const [denominator, numerator] = count('all');
  const excluded = q.keep ? count('excluded')[0] : 0;
  return { numerator: Number(numerator), denominator: Number(denominator), excluded: Number(excluded) };
}

/**
 * One page of a KPI's denominator (or of its members, or of the rest): the numerator's tickets first, each part
 * newest first, ties by ticket id, so pages partition the list: every ticket on exactly one page.
 */
export function fractionDrillPage(db: Db, q: FractionDrillQuery, offset: number, limit: number): { total: number; rows: FractionDrillRow[] } {
  const where = fractionWhere(q);
  const total = db.prepare(`SELECT count(*) FROM kpi_ticket_facts WHERE ${where.sql}`).pluck().get(...where.params) as number;
  const rows = db
    .prepare(
      `SELECT f.ticket_id AS id, coalesce(t.subject, '') AS subject, f.category, f.channel, f.created_at AS createdAt, f.actor, f.member
       FROM (SELECT ticket_id, category, channel, created_at, actor, coalesce((${COUNT_PREDICATES[q.member]}), 0) AS member
             FROM kpi_ticket_facts WHERE ${where.sql} ORDER BY member DESC, created_at DESC, ticket_id LIMIT ? OFFSET ?) f
       LEFT JOIN tickets t ON t.id = f.ticket_id
       ORDER BY f.member DESC, f.created_at DESC, f.ticket_id`,
    )
    .all(...where.params, limit, offset) as FractionDrillRow[];
  return { total, rows };
}
