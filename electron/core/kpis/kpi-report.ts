// KPI values for a period (tickets created in it), overall and per group: the numbers of `attest kpis` and the console.
import { InputError } from '../errors.ts';
import {
  costModelSchema,
  type AhtSource,
  type CostModel,
  type KpiCounts,
  type KpiGrouping,
  type KpiReport,
  type KpiSeriesPoint,
  type KpiValues,
} from '../../../shared/contracts/kpis.ts';
import type { Db } from '../db/connection.ts';
import { slaCompliance, type SlaComplianceReport } from '../sla/sla-queries.ts';
import { hasSlaPolicy } from '../sla/sla-repository.ts';
import { sumKpis, sumKpisByDay, type KpiFilter, type RawSums } from './kpi-repository.ts';

const DAY_MS = 86_400_000;
const MONTH_DAYS = 365.25 / 12;

export class KpiInputError extends InputError {}

export interface ResolvedPeriod {
  from: string;
  to: string;
  fromTs: string;
  toTs: string;
}

/** "YYYY-MM-DD" is a whole UTC day (`to` includes it); an ISO timestamp is an instant (`to` excluded). */
export function periodBound(value: string, edge: 'from' | 'to'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const ms = Date.parse(`${value}T00:00:00.000Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw new KpiInputError(`${edge}: "${value}" is not a valid date`);
    return new Date(edge === 'to' ? ms + DAY_MS : ms).toISOString();
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    throw new KpiInputError(`${edge}: "${value}" is not a date (YYYY-MM-DD) or an ISO 8601 timestamp with a zone`);
  }
  return new Date(ms).toISOString();
}

export function resolvePeriod(from: string, to: string): ResolvedPeriod {
  const fromTs = periodBound(from, 'from');
  const toTs = periodBound(to, 'to');
  if (toTs < fromTs) throw new KpiInputError(`to: ${to} is before from: ${from}`);
  return { from, to, fromTs, toTs };
}

export function periodMonths(period: ResolvedPeriod): number {
  return (Date.parse(period.toTs) - Date.parse(period.fromTs)) / DAY_MS / MONTH_DAYS;
}

const ratio = (k: number, n: number): number | null => (n > 0 ? k / n : null);

interface SlaCounts {
  achieved: number;
  breached: number;
}

/**
 * Which time AHT measures for a selection — the one definition the overview, the board and the exports use: its
 * worklogs where it has any, else agent work time (first to last human action), else none.
 */
export function ahtSourceOf(sums: Pick<RawSums, 'worklogN' | 'agentworkN'>): AhtSource | null {
  return sums.worklogN > 0 ? 'worklog' : sums.agentworkN > 0 ? 'agent_work' : null;
}

/** KPI values from sums (and SLA counts where the SLA engine has them). */
export function kpiValues(sums: RawSums, sla: SlaCounts | null, cost: CostModel, months: number): KpiValues {
  const counts: KpiCounts = { ...sums, slaAchieved: sla?.achieved ?? null, slaBreached: sla?.breached ?? null };
  const source = ahtSourceOf(sums);
  const aht =
    source === 'worklog'
      ? { ahtMinutes: sums.worklogSum / sums.worklogN, ahtSource: source }
      : source === 'agent_work'
        ? { ahtMinutes: sums.agentworkSum / sums.agentworkN, ahtSource: source }
        : { ahtMinutes: null, ahtSource: null };
  const humanResolved = sums.resolved - sums.resolvedAi;
  return {
    tickets: sums.tickets,
    fcr: ratio(sums.fcr, sums.resolved),
    deflection: ratio(sums.deflected, sums.tickets),
    ...aht,
    csatMean: ratio(sums.csatSum, sums.csatN),
    csatSatisfiedShare: ratio(sums.csatSat, sums.csatN),
    csatResponses: sums.csatN,
    slaCompliance: sla ? ratio(sla.achieved, sla.achieved + sla.breached) : null,
    reopenRate: ratio(sums.reopened, sums.everSolved),
    escalationRate: ratio(sums.escalated, sums.tickets),
    costPerResolution: {
      human: humanResolved > 0 ? (cost.baseSalary * cost.loadedMultiplier) / cost.ticketsPerAgentYear : null,
      ai: sums.verified > 0 ? (sums.verifiedSpend + cost.infrastructurePerMonth * months) / sums.verified : null,
    },
    counts,
  };
}

function slaTotals(metrics: SlaComplianceReport['metrics']): SlaCounts {
  let achieved = 0;
  let breached = 0;
  for (const counts of Object.values(metrics)) {
    achieved += counts.achieved;
    breached += counts.breached;
  }
  return { achieved, breached };
}

/** SLA counts overall and per category (the SLA engine has no channel grouping; its actor is who fulfilled a metric). */
function slaCounts(db: Db, period: ResolvedPeriod, categories: readonly string[], by: KpiGrouping | undefined): { all: SlaCounts; groups: Map<string, SlaCounts> } {
  const byCategory = categories.length > 0 || by === 'category';
  const report = slaCompliance(db, { from: period.from, to: period.to, ...(byCategory ? { by: 'category' as const } : {}) });
  const groups = new Map<string, SlaCounts>();
  if (!byCategory) return { all: slaTotals(report.metrics), groups };
  const all = { achieved: 0, breached: 0 };
  for (const [category, metrics] of Object.entries(report.groups)) {
    if (categories.length > 0 && !categories.includes(category)) continue;
    const totals = slaTotals(metrics);
    groups.set(category, totals);
    all.achieved += totals.achieved;
    all.breached += totals.breached;
  }
  return { all, groups };
}

export interface KpiQuery {
  from: string;
  to: string;
  by?: KpiGrouping;
  category?: readonly string[];
  channel?: string;
  actor?: string;
  costModel?: Partial<CostModel>;
}

export function kpiReport(db: Db, query: KpiQuery): KpiReport {
  const period = resolvePeriod(query.from, query.to);
  const cost = costModelSchema.parse(query.costModel ?? {});
  const months = periodMonths(period);
  const filter: KpiFilter = { categories: query.category ?? [], channel: query.channel, actor: query.actor };
  const sums = sumKpis(db, period.fromTs, period.toTs, filter, query.by);
  const notes: Record<string, string> = {};

  const slaUsable = filter.channel === undefined && filter.actor === undefined && hasSlaPolicy(db);
  const sla = slaUsable ? slaCounts(db, period, filter.categories, query.by) : null;
  if (!hasSlaPolicy(db)) notes.slaCompliance = 'no SLA policy has been imported (attest sla import), so there is nothing to comply with';
  else if (!slaUsable) notes.slaCompliance = 'the SLA engine cannot filter by channel or actor';
  else if (query.by === 'channel' || query.by === 'actor') notes.slaCompliance = `per-${query.by} groups: the SLA engine has no ${query.by} grouping (null there)`;
  if (sums.all.verified === 0) notes['costPerResolution.ai'] = 'no verified AI outcomes for tickets created in this period (outcome contracts: attest outcomes)';
  if (sums.all.worklogN === 0 && sums.all.agentworkN > 0) notes.aht = 'no worklog events in this selection: agent work time (first to last human action) is used';

  const overall = kpiValues(sums.all, sla?.all ?? null, cost, months);
  const groups: Record<string, KpiValues> = {};
  for (const [key, groupSums] of [...sums.groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const groupSla = query.by === 'category' && sla ? (sla.groups.get(key) ?? { achieved: 0, breached: 0 }) : null;
    groups[key] = kpiValues(groupSums, groupSla, cost, months);
  }
  return { from: query.from, to: query.to, ...overall, by: query.by ?? null, groups, notes };
}

const WEEK_MS = 7 * DAY_MS;

/** Monday (UTC) of the week of a day "YYYY-MM-DD". */
function weekOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * DAY_MS).toISOString().slice(0, 10);
}

export function kpiSeries(db: Db, query: { from: string; to: string; category?: readonly string[]; bucket: 'day' | 'week' }): KpiSeriesPoint[] {
  const period = resolvePeriod(query.from, query.to);
  const days = sumKpisByDay(db, period.fromTs, period.toTs, { categories: query.category ?? [] });
  const buckets = new Map<string, RawSums>();
  for (const [day, sums] of days) {
    const key = query.bucket === 'week' ? weekOf(day) : day;
    const target = buckets.get(key);
    if (!target) buckets.set(key, { ...sums });
    else for (const k of Object.keys(sums) as (keyof RawSums)[]) target[k] += sums[k];
  }
  const months = (query.bucket === 'week' ? WEEK_MS : DAY_MS) / DAY_MS / MONTH_DAYS;
  return [...buckets.entries()].map(([bucket, sums]) => {
    const v = kpiValues(sums, null, costModelSchema.parse({}), months);
    return {
      bucket,
      tickets: v.tickets,
      fcr: v.fcr,
      deflection: v.deflection,
      csatMean: v.csatMean,
      ahtMinutes: v.ahtMinutes,
      reopenRate: v.reopenRate,
      escalationRate: v.escalationRate,
    };
  });
}
