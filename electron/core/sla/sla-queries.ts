// Read side of the SLA engine. ticketSlaOutcome and slaCompliance are the stable API other features
// (outcome contracts, KPIs) build on: keep their signatures and semantics (README, SLA section).
import { InputError } from '../errors.ts';
import {
  SLA_METRICS,
  type SlaClock,
  type SlaComplianceReport,
  type SlaGrouping,
  type SlaLiveBoard,
  type SlaLiveRow,
  type SlaMetricCounts,
  type SlaMetricKey,
  type SlaOutcome,
  type SlaPolicyVersionRow,
  type SlaTicketReport,
  type SlaTicketsPage,
  type SlaTrendPoint,
} from '../../../shared/contracts/sla.ts';
import type { Db } from '../db/connection.ts';
import { businessCalendar } from './business-calendar.ts';
import type { ClockRecord } from './clock-record.ts';
import { evidenceSeqsOfTickets, ticketClockRecords } from './computed-clocks.ts';
import { policyFileSchema, type PolicyFile } from './policy-schema.ts';
import {
  clocksApproaching,
  clocksBreached,
  countClocksBreached,
  finalOutcomeCounts,
  openOutcomeCounts,
  openRollupCounts,
  policyFileOfVersion,
  policyVersionRecords,
  rollupCounts,
  storedTicketOutcome,
  ticketOutcomeRows,
  ticketsWithOutcome,
  weeklyActorTrend,
  type LiveClockRow,
} from './sla-read-repository.ts';

export type { SlaComplianceReport, SlaMetricKey } from '../../../shared/contracts/sla.ts';

const DAY_MS = 86_400_000;

export class SlaRangeError extends InputError {}

/**
 * A ticket's outcome for one metric, as of now. 'not_applicable': no policy target applies to it (or the
 * metric never started, e.g. next_reply when the customer never wrote again); 'breached' once any of its
 * clocks passed its target (for a running clock: once its deadline has passed); 'achieved' when every
 * clock stopped within target; otherwise 'in_progress'.
 */
export function ticketSlaOutcome(db: Db, ticketId: string, metric: SlaMetricKey): 'achieved' | 'breached' | 'in_progress' | 'not_applicable' {
  const row = storedTicketOutcome(db, ticketId, metric);
  if (!row) return 'not_applicable';
  return openOutcome(row.outcome, row.deadline, new Date().toISOString());
}

function openOutcome(outcome: 'achieved' | 'breached' | 'open', deadline: string | null, asOf: string): 'achieved' | 'breached' | 'in_progress' {
  if (outcome !== 'open') return outcome;
  return deadline !== null && deadline <= asOf ? 'breached' : 'in_progress';
}

/** "YYYY-MM-DD" (a whole UTC day; `to` includes that day) or an ISO timestamp, as a UTC ISO instant. */
export function rangeBound(value: string, edge: 'from' | 'to', field: string = edge): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const ms = Date.parse(`${value}T00:00:00.000Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw new SlaRangeError(`${field}: "${value}" is not a valid date`);
    return new Date(edge === 'to' ? ms + DAY_MS : ms).toISOString();
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw new SlaRangeError(`${field}: "${value}" is not a date (YYYY-MM-DD) or ISO 8601 timestamp`);
  return new Date(ms).toISOString();
}

function resolveRange(query: { from: string; to: string }): { fromTs: string; toTs: string } {
  const fromTs = rangeBound(query.from, 'from');
  const toTs = rangeBound(query.to, 'to');
  if (toTs < fromTs) throw new SlaRangeError(`to: ${query.to} is before from: ${query.from}`);
  return { fromTs, toTs };
}

function emptyCounts(): Record<SlaMetricKey, SlaMetricCounts> {
  return Object.fromEntries(SLA_METRICS.map((m) => [m, { achieved: 0, breached: 0, inProgress: 0, compliance: null }])) as Record<SlaMetricKey, SlaMetricCounts>;
}

/**
 * Compliance of the tickets created in [from, to] (dates are whole UTC days, `to` inclusive; timestamps are
 * instants, `to` exclusive): per metric achieved / breached / inProgress, compliance = achieved / (achieved +
 * breached) or null. Whole days come from the daily rollup, partial days and open clocks from indexed rows.
 */
export function slaCompliance(db: Db, query: { from: string; to: string; by?: 'priority' | 'category' | 'actor' }, asOf = new Date().toISOString()): SlaComplianceReport {
  const { fromTs, toTs } = resolveRange(query);
  const metrics = emptyCounts();
  const groups: Record<string, Record<SlaMetricKey, SlaMetricCounts>> = {};
  const add = (metric: SlaMetricKey, key: string | null, achieved: number, breached: number, inProgress: number): void => {
    const targets = [metrics[metric]];
    if (query.by && key !== null) targets.push((groups[key] ??= emptyCounts())[metric]);
    for (const counts of targets) {
      counts.achieved += achieved;
      counts.breached += breached;
      counts.inProgress += inProgress;
    }
  };

  // Whole UTC days inside the range: the rollups (final outcomes; open ones as of asOf).
  const firstDayMs = Math.ceil(Date.parse(fromTs) / DAY_MS) * DAY_MS;
  const endDayMs = Math.floor(Date.parse(toTs) / DAY_MS) * DAY_MS;
  const partial: [string, string][] = [];
  if (firstDayMs < endDayMs) {
    const [firstDay, endDay] = [new Date(firstDayMs).toISOString().slice(0, 10), new Date(endDayMs).toISOString().slice(0, 10)];
    for (const [metric, key, achieved, breached] of rollupCounts(db, query.by, firstDay, endDay)) add(metric, key, achieved, breached, 0);
    for (const [metric, key, breached, inProgress] of openRollupCounts(db, query.by, asOf, firstDay, endDay)) add(metric, key, 0, breached, inProgress);
    if (fromTs < new Date(firstDayMs).toISOString()) partial.push([fromTs, new Date(firstDayMs).toISOString()]);
    if (new Date(endDayMs).toISOString() < toTs) partial.push([new Date(endDayMs).toISOString(), toTs]);
  } else if (fromTs < toTs) {
    partial.push([fromTs, toTs]);
  }
  // Partial days at the edges: final outcomes straight from the (indexed) rows, and open ones (breached once their
  // deadline has passed).
  for (const [metric, key, achieved, breached] of finalOutcomeCounts(db, query.by, partial)) add(metric, key, achieved, breached, 0);
  for (const [metric, key, breached, inProgress] of openOutcomeCounts(db, query.by, asOf, partial)) add(metric, key, 0, breached, inProgress);

  for (const counts of [metrics, ...Object.values(groups)]) {
    for (const c of Object.values(counts)) c.compliance = c.achieved + c.breached === 0 ? null : c.achieved / (c.achieved + c.breached);
  }
  return { from: query.from, to: query.to, metrics, groups };
}

// ------------------------------------------------------------------------------------------ one ticket

function runningElapsedMs(db: Db, row: ClockRecord, asOf: string): number {
  if (row.state !== 'running' || asOf <= row.last_change_at) return row.elapsed_ms;
  const from = Date.parse(row.last_change_at);
  const to = Date.parse(asOf);
  if (!row.business) return row.elapsed_ms + (to - from);
  const calendar = loadVersionFile(db, row.policy_version)?.calendars[row.calendar];
  return calendar ? row.elapsed_ms + businessCalendar(calendar).between(from, to) : row.elapsed_ms;
}

function loadVersionFile(db: Db, version: number): PolicyFile | null {
  const text = policyFileOfVersion(db, version);
  return text === undefined ? null : policyFileSchema.parse(JSON.parse(text));
}

/** One ticket's clocks per metric, with the metric events that started, paused and stopped them. null: no such ticket. */
export function ticketSlaReport(db: Db, ticketId: string, asOf = new Date().toISOString()): SlaTicketReport | null {
  const outcomes = ticketOutcomeRows(db, ticketId);
  if (!outcomes) return null;
  const clockRows = ticketClockRecords(db, ticketId);
  const metrics = Object.fromEntries(SLA_METRICS.map((m) => [m, { outcome: 'not_applicable' as SlaOutcome, clocks: [] as SlaClock[] }])) as SlaTicketReport['metrics'];
  for (const o of outcomes) metrics[o.metric].outcome = openOutcome(o.outcome, o.deadline, asOf);
  for (const row of clockRows) {
    const events = [...row.events];
    const breachedNow = row.breach_at !== null && (row.breach_recorded === 1 || (row.state === 'running' && row.breach_at <= asOf));
    if (breachedNow && row.breach_recorded === 0) {
      events.push({ kind: 'breach', at: row.breach_at!, seq: null, cause: `target of ${row.target_minutes} ${row.business ? 'business' : 'calendar'} minutes reached` });
    }
    const status: SlaClock['status'] = breachedNow ? 'breached' : row.state === 'fulfilled' ? 'achieved' : row.state;
    metrics[row.metric].clocks.push({
      metric: row.metric,
      instance: row.instance,
      policyId: row.policy_id,
      policyVersion: row.policy_version,
      calendar: row.calendar,
      business: row.business === 1,
      targetMinutes: row.target_minutes,
      status,
      startedAt: row.started_at,
      stoppedAt: row.stopped_at,
      elapsedMinutes: Math.round(runningElapsedMs(db, row, asOf) / 600) / 100,
      breachAt: row.breach_recorded === 1 || row.state === 'running' ? row.breach_at : null,
      fulfilledBy: row.fulfilled_by,
      events,
    });
  }
  return { ticket: ticketId, asOf, metrics };
}

// ------------------------------------------------------------------------------------------ live board

/** Running clocks: those that breach within `warningMinutes` of asOf (soonest first) and those already breached. */
export function slaLiveBoard(db: Db, options: { warningMinutes?: number; asOf?: string; limit?: number } = {}): SlaLiveBoard {
  const warningMinutes = options.warningMinutes ?? 60;
  const asOf = options.asOf ? rangeBound(options.asOf, 'from', 'asOf') : new Date().toISOString();
  const limit = options.limit ?? 100;
  const horizon = new Date(Date.parse(asOf) + warningMinutes * 60_000).toISOString();
  const approaching = clocksApproaching(db, asOf, horizon, limit);
  const breached = clocksBreached(db, asOf, limit);
  const breachedTotal = countClocksBreached(db, asOf);
  const asOfMs = Date.parse(asOf);
  const row = (r: LiveClockRow, state: SlaLiveRow['state']): SlaLiveRow => ({ ...r, remainingMs: Date.parse(r.breachAt) - asOfMs, state });
  return { asOf, warningMinutes, approaching: approaching.map((r) => row(r, 'approaching')), breached: breached.map((r) => row(r, 'breached')), breachedTotal };
}

// ------------------------------------------------------------------------------------------ trend, drill-down, policies

/** Final outcomes per week (Monday, UTC) of ticket creation, per metric and who fulfilled it. */
export function slaTrend(db: Db, query: { from: string; to: string }): SlaTrendPoint[] {
  const { fromTs, toTs } = resolveRange(query);
  return weeklyActorTrend(db, fromTs.slice(0, 10), toTs.slice(0, 10));
}

/** The tickets behind one figure of the compliance report (same range, metric, outcome and group). */
export function slaTickets(
  db: Db,
  query: { from: string; to: string; metric: SlaMetricKey; outcome: 'achieved' | 'breached' | 'in_progress'; by?: SlaGrouping; group?: string; offset?: number; limit?: number },
  asOf = new Date().toISOString(),
): SlaTicketsPage {
  const { fromTs, toTs } = resolveRange(query);
  const { total, rows } = ticketsWithOutcome(db, {
    metric: query.metric,
    outcome: query.outcome,
    fromTs,
    toTs,
    asOf,
    by: query.by,
    group: query.group,
    offset: query.offset ?? 0,
    limit: query.limit ?? 100,
  });
  const evidenceSeqs = evidenceSeqsOfTickets(db, rows.map((r) => r.ticket), query.metric);
  return {
    total,
    rows: rows.map((r) => ({
      ticket: r.ticket,
      subject: r.subject,
      priority: r.priority,
      category: r.category,
      createdAt: r.createdAt,
      outcome: openOutcome(r.outcome, r.deadline, asOf),
      actor: r.actor,
      evidenceSeqs: evidenceSeqs.get(r.ticket) ?? [],
    })),
  };
}

export function listPolicyVersions(db: Db): SlaPolicyVersionRow[] {
  return policyVersionRecords(db).map((row) => {
    const file = policyFileSchema.parse(JSON.parse(row.policy_file));
    return {
      seq: row.seq,
      version: row.version,
      effectiveFrom: row.effective_from,
      recordedAt: row.recorded_at,
      recordedBy: row.recorded_by,
      policies: file.policies.map((p) => ({ id: p.id, calendar: p.calendar, match: Object.fromEntries(Object.entries(p.match).filter(([, v]) => v !== undefined)) as Record<string, string[]> })),
      calendars: Object.keys(file.calendars),
    };
  });
}
