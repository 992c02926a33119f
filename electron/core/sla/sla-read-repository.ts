// All SQL of the SLA engine's read side: outcomes, the daily rollups, the running clocks, and the policy versions,
// as rows (a ticket's every clock is computed on read: computed-clocks.ts). sla-queries.ts turns them into the
// reports of the contract.
import { SLA_METRICS, type SlaActorKind, type SlaGrouping, type SlaMetricKey, type SlaTrendPoint } from '../../../shared/contracts/sla.ts';
import type { Priority } from '../../../shared/domain.ts';
import type { TicketSlaState } from '../../../shared/contract.ts';
import type { Db } from '../db/connection.ts';

export type StoredOutcome = 'achieved' | 'breached' | 'open';
/** [metric, group key ('' without grouping), first count, second count]. */
export type CountRow = [SlaMetricKey, string, number, number];

const FINAL = `metric IN (${SLA_METRICS.map((m) => `'${m}'`).join(', ')}) AND outcome IN ('achieved', 'breached')`;
const GROUP_COLUMN: Record<SlaGrouping, string> = { priority: 'priority', category: 'category', actor: 'actor' };

function keyColumn(by: SlaGrouping | undefined): string {
  return by ? GROUP_COLUMN[by] : "''";
}

export function storedTicketOutcome(db: Db, ticketId: string, metric: SlaMetricKey): { outcome: StoredOutcome; deadline: string | null } | undefined {
  return db.prepare('SELECT outcome, deadline FROM sla_outcomes WHERE ticket_id = ? AND metric = ?').get(ticketId, metric) as
    | { outcome: StoredOutcome; deadline: string | null }
    | undefined;
}

/** Achieved and breached per metric and group over whole days [fromDay, toDay) of the rollup. */
export function rollupCounts(db: Db, by: SlaGrouping | undefined, fromDay: string, toDay: string): CountRow[] {
  return db
    .prepare('SELECT metric, key, sum(achieved), sum(breached) FROM sla_rollup WHERE dim = ? AND day >= ? AND day < ? GROUP BY metric, key')
    .raw()
    .all(by ?? 'all', fromDay, toDay) as CountRow[];
}

/** Achieved and breached final outcomes of tickets created in [from, to), per metric and group, for each range. */
export function finalOutcomeCounts(db: Db, by: SlaGrouping | undefined, ranges: readonly (readonly [string, string])[]): CountRow[] {
  const stmt = db
    .prepare(
      `SELECT metric, ${keyColumn(by)}, sum(outcome = 'achieved'), sum(outcome = 'breached') FROM sla_outcomes
       WHERE ${FINAL} AND created_at >= ? AND created_at < ? GROUP BY 1, 2`,
    )
    .raw();
  return ranges.flatMap(([from, to]) => stmt.all(from, to) as CountRow[]);
}

/** Open clocks of tickets created in [from, to), row by row, for each range: [metric, key, breached by asOf, still in progress]. */
export function openOutcomeCounts(db: Db, by: SlaGrouping | undefined, asOf: string, ranges: readonly (readonly [string, string])[]): CountRow[] {
  const stmt = db
    .prepare(
      `SELECT metric, ${keyColumn(by)}, sum(deadline IS NOT NULL AND deadline <= ?), sum(deadline IS NULL OR deadline > ?) FROM sla_outcomes
       WHERE outcome = 'open' AND created_at >= ? AND created_at < ? GROUP BY 1, 2`,
    )
    .raw();
  return ranges.flatMap(([from, to]) => stmt.all(asOf, asOf, from, to) as CountRow[]);
}

/**
 * Open clocks of tickets created on whole days [fromDay, toDay), as the open rollup counts them
 * (025_sla_open_rollup.sql): [metric, key, breached by asOf, still in progress]. Due before asOf's day: breached; due
 * after it or never: in progress; due on that day: read row by row (the deadline index) and compared with asOf.
 */
export function openRollupCounts(db: Db, by: SlaGrouping | undefined, asOf: string, fromDay: string, toDay: string): CountRow[] {
  const asOfDay = asOf.slice(0, 10);
  const nextDay = new Date(Date.parse(`${asOfDay}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
  const days = db
    .prepare(
      `SELECT metric, key, sum(CASE WHEN deadline_day <> '' AND deadline_day < ? THEN open ELSE 0 END),
              sum(CASE WHEN deadline_day = '' OR deadline_day > ? THEN open ELSE 0 END)
       FROM sla_open_rollup WHERE dim = ? AND day >= ? AND day < ? GROUP BY metric, key`,
    )
    .raw()
    .all(asOfDay, asOfDay, by ?? 'all', fromDay, toDay) as CountRow[];
  // Every deadline on asOf's day, and no other, sorts between that day and the next (ISO 8601 text).
  const dueThatDay = db
    .prepare(
      `SELECT metric, ${keyColumn(by)}, sum(deadline <= ?), sum(deadline > ?) FROM sla_outcomes
       WHERE outcome = 'open' AND deadline IS NOT NULL AND deadline >= ? AND deadline < ? AND created_at >= ? AND created_at < ? GROUP BY 1, 2`,
    )
    .raw()
    .all(asOf, asOf, asOfDay, nextDay, fromDay, toDay) as CountRow[];
  return [...days, ...dueThatDay];
}

export type TicketOutcomeRow = { metric: SlaMetricKey; outcome: StoredOutcome; deadline: string | null };

/** One ticket's stored outcome per metric; null when there is no such ticket. */
export function ticketOutcomeRows(db: Db, ticketId: string): TicketOutcomeRow[] | null {
  const exists = db.prepare('SELECT 1 FROM tickets WHERE id = ?').get(ticketId);
  if (!exists) return null;
  return db.prepare('SELECT metric, outcome, deadline FROM sla_outcomes WHERE ticket_id = ?').all(ticketId) as TicketOutcomeRow[];
}

/** The policy file of the latest projection row of one version. */
export function policyFileOfVersion(db: Db, version: number): string | undefined {
  return db.prepare('SELECT policy_file FROM sla_policy_versions WHERE version = ? ORDER BY seq DESC LIMIT 1').pluck().get(version) as string | undefined;
}

export type LiveClockRow = { ticket: string; subject: string; priority: Priority; category: string; metric: SlaMetricKey; instance: number; policyId: string; breachAt: string };

const LIVE_SELECT = `SELECT c.ticket_id AS ticket, t.subject, t.priority, t.category, c.metric, c.instance, c.policy_id AS policyId, c.breach_at AS breachAt
                  FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id WHERE c.state = 'running' AND `;

/** Running clocks that breach in (asOf, horizon], soonest first. */
export function clocksApproaching(db: Db, asOf: string, horizon: string, limit: number): LiveClockRow[] {
  return db.prepare(`${LIVE_SELECT} c.breach_at > ? AND c.breach_at <= ? ORDER BY c.breach_at LIMIT ?`).all(asOf, horizon, limit) as LiveClockRow[];
}

/** Running clocks already past their deadline, latest first. */
export function clocksBreached(db: Db, asOf: string, limit: number): LiveClockRow[] {
  return db.prepare(`${LIVE_SELECT} c.breach_at <= ? ORDER BY c.breach_at DESC LIMIT ?`).all(asOf, limit) as LiveClockRow[];
}

export function countClocksBreached(db: Db, asOf: string): number {
  return db.prepare("SELECT count(*) FROM sla_clocks WHERE state = 'running' AND breach_at <= ?").pluck().get(asOf) as number;
}

/** Final outcomes per week (Monday) of creation in days [fromDay, toDay), per metric and who fulfilled it. */
export function weeklyActorTrend(db: Db, fromDay: string, toDay: string): SlaTrendPoint[] {
  return db
    .prepare(
      `SELECT date(day, 'weekday 0', '-6 days') AS week, metric, key AS actor, sum(achieved) AS achieved, sum(breached) AS breached
       FROM sla_rollup WHERE dim = 'actor' AND day >= ? AND day < ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    )
    .all(fromDay, toDay) as SlaTrendPoint[];
}

export interface OutcomeTicketsQuery {
  metric: SlaMetricKey;
  outcome: 'achieved' | 'breached' | 'in_progress';
  fromTs: string;
  toTs: string;
  asOf: string;
  by?: SlaGrouping;
  group?: string;
  offset: number;
  limit: number;
}

export interface OutcomeTicketRow {
  ticket: string;
  subject: string;
  priority: Priority;
  category: string;
  createdAt: string;
  outcome: StoredOutcome;
  deadline: string | null;
  actor: SlaActorKind;
}

/**
 * A stored per-metric outcome (row alias `o`) read as of `@asOf`: an open clock counts as breached once its deadline
 * has passed (as openOutcome in sla-queries.ts). Every SQL that classifies outcomes uses these.
 */
const OUTCOME_AS_OF = {
  achieved: "o.outcome = 'achieved'",
  breached: "(o.outcome = 'breached' OR (o.outcome = 'open' AND o.deadline <= @asOf))",
  in_progress: "(o.outcome = 'open' AND (o.deadline IS NULL OR o.deadline > @asOf))",
} as const;

/**
 * SQL for one ticket's SLA state across its metrics (TICKET_SLA_STATES in shared/contract.ts), as of `@asOf`, for
 * the ticket whose id is the SQL expression `ticketId`: breached if any metric is (OUTCOME_AS_OF.breached: a final
 * breach, or an open metric whose deadline has passed — the earliest open deadline decides), else in_progress if any
 * metric is still open, else achieved (every stored outcome is), else none (no SLA target applies). One lookup of
 * the ticket's row of sla_ticket_states, the per-ticket summary of its sla_outcomes the SLA projection writes with
 * them (tests/unit/sla-ticket-states.test.ts holds it to the outcomes).
 */
export function ticketSlaStateSql(ticketId: string): string {
  return `coalesce((SELECT CASE WHEN s.breached = 1 OR s.open_deadline <= @asOf THEN 'breached'
    WHEN s.open_metrics > 0 THEN 'in_progress' ELSE 'achieved' END
    FROM sla_ticket_states s WHERE s.ticket_id = ${ticketId}), 'none')`;
}

/**
 * ticketSlaStateSql's CASE split into one condition per state (none excepted: a ticket without a row), over a row `s`
 * of sla_ticket_states as of `@asOf`. Breached is written so that each side of its OR has an index (migration 022):
 * an open deadline exists only while a metric is open.
 */
const SLA_STATE_CONDITIONS: Record<Exclude<TicketSlaState, 'none'>, string> = {
  breached: '(s.breached = 1 OR (s.breached = 0 AND s.open_metrics > 0 AND s.open_deadline <= @asOf))',
  in_progress: '(s.breached = 0 AND s.open_metrics > 0 AND (s.open_deadline IS NULL OR s.open_deadline > @asOf))',
  achieved: '(s.breached = 0 AND s.open_metrics = 0)',
};

/**
 * SQL for the ids (`ticket_id`) of the tickets in any of these states as of `@asOf`: those with a row of
 * sla_ticket_states from its conditions, those without one (none) from sla_untargeted (migration 028), which lists
 * exactly the tickets of the queue that have none.
 */
export function ticketsInSlaStatesSql(states: readonly TicketSlaState[]): string {
  const withRow = states.filter((state): state is Exclude<TicketSlaState, 'none'> => state !== 'none');
  const parts: string[] = [];
  if (withRow.length > 0) parts.push(`SELECT s.ticket_id FROM sla_ticket_states s WHERE ${withRow.map((state) => SLA_STATE_CONDITIONS[state]).join(' OR ')}`);
  if (states.includes('none')) parts.push('SELECT ticket_id FROM sla_untargeted');
  if (parts.length === 0) throw new Error('ticketsInSlaStatesSql: no SLA state asked for');
  return parts.join(' UNION ALL ');
}

/**
 * SQL for a page of the ids of the tickets in one SLA state as of `@asOf`, in id order (`direction`), bound to
 * LIMIT ? OFFSET ?. Read in the primary key's order: a page costs the rows up to it, never a sort of every ticket.
 */
export function ticketIdsInSlaStateSql(state: TicketSlaState, direction: 'ASC' | 'DESC'): string {
  if (state === 'none') return `SELECT ticket_id FROM sla_untargeted ORDER BY ticket_id ${direction} LIMIT ? OFFSET ?`;
  return `${ticketsInSlaStatesSql([state])} ORDER BY s.ticket_id ${direction} LIMIT ? OFFSET ?`;
}

/**
 * How many of `ticketCount` tickets are in each SLA state as of `asOf`, from counts of index entries (migration 022)
 * rather than a look at every ticket: the tickets with a final breach, those still open (and of them, those whose
 * earliest open deadline has passed: breached); every other ticket with a row is achieved, a ticket without one is
 * none. The SLA projection writes a row for a ticket only beside its ticket row.
 */
export function slaStateCounts(db: Db, asOf: string, ticketCount: number): Record<TicketSlaState, number> {
  const count = (where: string): number => {
    const statement = db.prepare(`SELECT count(*) FROM sla_ticket_states s${where}`).pluck();
    return (where.includes('@asOf') ? statement.get({ asOf }) : statement.get()) as number;
  };
  const withRow = db.prepare('SELECT count(*) FROM sla_ticket_states').pluck().get() as number;
  const finalBreach = count(' WHERE s.breached = 1');
  const open = count(' WHERE s.breached = 0 AND s.open_metrics > 0');
  const openPastDeadline = count(' WHERE s.breached = 0 AND s.open_metrics > 0 AND s.open_deadline <= @asOf');
  return { breached: finalBreach + openPastDeadline, in_progress: open - openPastDeadline, achieved: withRow - finalBreach - open, none: ticketCount - withRow };
}

/** One page of the tickets with an outcome (as of asOf) for one metric, created in [fromTs, toTs), and their total. */
export function ticketsWithOutcome(db: Db, query: OutcomeTicketsQuery): { total: number; rows: OutcomeTicketRow[] } {
  const outcomeSql = OUTCOME_AS_OF[query.outcome];
  const groupSql = query.by && query.group !== undefined ? ` AND o.${GROUP_COLUMN[query.by]} = @group` : '';
  const where = `o.metric = @metric AND o.created_at >= @fromTs AND o.created_at < @toTs AND ${outcomeSql}${groupSql}`;
  const params = { metric: query.metric, fromTs: query.fromTs, toTs: query.toTs, asOf: query.asOf, group: query.group ?? null, offset: query.offset, limit: query.limit };
  const total = db.prepare(`SELECT count(*) FROM sla_outcomes o WHERE ${where}`).pluck().get(params) as number;
  const rows = db
    .prepare(
      `SELECT o.ticket_id AS ticket, t.subject, t.priority, t.category, o.created_at AS createdAt, o.outcome, o.deadline, o.actor
       FROM sla_outcomes o JOIN tickets t ON t.id = o.ticket_id WHERE ${where} ORDER BY o.created_at, o.ticket_id LIMIT @limit OFFSET @offset`,
    )
    .all(params) as OutcomeTicketRow[];
  return { total, rows };
}

export interface PolicyVersionRecord {
  seq: number;
  version: number;
  effective_from: string;
  recorded_at: string;
  recorded_by: string;
  policy_file: string;
}

export function policyVersionRecords(db: Db): PolicyVersionRecord[] {
  return db.prepare('SELECT seq, version, effective_from, recorded_at, recorded_by, policy_file FROM sla_policy_versions ORDER BY version, seq').all() as PolicyVersionRecord[];
}
