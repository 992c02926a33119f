// KPI values for a period (tickets created in it), overall and per group: the numbers of `attest kpis` and the console.
import {
  costModelSchema,
  type AhtSource,
  type DrillKpi,
  KPI_FRACTIONS,
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
import { sumKpis, sumKpisByDay, verifiedCells, type KpiFilter, type RawSums, type VerifiedCell } from './kpi-repository.ts';
import { KpiInputError } from './kpi-input-error.ts';
import { costModelMinor, infrastructureForPeriod, infrastructureShares, moneyCurrency, shareOf, type MoneyCurrency } from './kpi-money.ts';
import { minorToMajor, roundMinor } from '../outcomes/money.ts';
import { KpiExclusion } from './kpi-exclusions.ts';

const DAY_MS = 86_400_000;
const MONTH_DAYS = 365.25 / 12;

export { KpiInputError };

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

/** The money side of a selection: its currency and the share of the period's infrastructure cost it bears. */
export interface KpiMoney {
  currency: MoneyCurrency;
  /** Infrastructure cost this selection (or group) bears, minor units; null without a currency. */
  infrastructureMinor: number | null;
  cost: CostModel;
}

const NO_MONEY: KpiMoney = { currency: { currency: null, reason: 'no amounts' }, infrastructureMinor: null, cost: costModelSchema.parse({}) };

/** KPI values from sums (and SLA counts where the SLA engine has them); money in minor units of one currency. */
export function kpiValues(sums: RawSums, sla: SlaCounts | null, money: KpiMoney = NO_MONEY): KpiValues {
  const { cost, currency } = money;
  const known = currency.currency !== null ? currency : null;
  const counts: KpiCounts = {
    ...sums,
    verifiedSpend: known ? minorToMajor(sums.verifiedSpendMinor, known.digits) : sums.verifiedSpendMinor === 0 ? 0 : null,
    verifiedSpendMinor: known || sums.verifiedSpendMinor === 0 ? sums.verifiedSpendMinor : null,
    slaAchieved: sla?.achieved ?? null,
    slaBreached: sla?.breached ?? null,
  };
  const source = ahtSourceOf(sums);
  const aht =
    source === 'worklog'
      ? { ahtMinutes: sums.worklogSum / sums.worklogN, ahtSource: source }
      : source === 'agent_work'
        ? { ahtMinutes: sums.agentworkSum / sums.agentworkN, ahtSource: source }
        : { ahtMinutes: null, ahtSource: null };
  const humanResolved = sums.resolved - sums.resolvedAi;
  // The ratios' numerators and denominators are the drill-down's (KPI_FRACTIONS): one definition for both.
  const share = (kpi: DrillKpi): number | null => ratio(sums[KPI_FRACTIONS[kpi].member], sums[KPI_FRACTIONS[kpi].population]);
  return {
    tickets: sums.tickets,
    fcr: share('fcr'),
    deflection: share('deflection'),
    ...aht,
    csatMean: ratio(sums.csatSum, sums.csatN),
    csatSatisfiedShare: share('csat'),
    csatResponses: sums.csatN,
    slaCompliance: sla ? ratio(sla.achieved, sla.achieved + sla.breached) : null,
    reopenRate: share('reopenRate'),
    escalationRate: share('escalationRate'),
    costPerResolution: known ? costInMinor(sums, humanResolved, money, known) : costWithoutCurrency(humanResolved, cost),
    currency: known?.currency ?? null,
    counts,
  };
}

/** Cost per resolution in minor units: spend and infrastructure exact, the per-resolution rate rounded once. */
function costInMinor(sums: RawSums, humanResolved: number, money: KpiMoney, known: { currency: string; digits: number }): KpiValues['costPerResolution'] {
  const salaryMinor = costModelMinor(money.cost, 'baseSalary', known.currency, known.digits);
  const humanMinor = humanResolved > 0 ? roundMinor((salaryMinor * money.cost.loadedMultiplier) / money.cost.ticketsPerAgentYear) : null;
  const infrastructureMinor = sums.verified > 0 ? (money.infrastructureMinor ?? 0) : null;
  const aiSpendMinor = infrastructureMinor === null ? null : sums.verifiedSpendMinor + infrastructureMinor;
  const aiMinor = aiSpendMinor === null ? null : roundMinor(aiSpendMinor / sums.verified);
  const major = (minor: number | null): number | null => (minor === null ? null : minor / 10 ** known.digits);
  const aiResolutions = sums.verified > 0 ? sums.verified : sums.deflected;
  const laborSavingsMinor = humanMinor === null ? null : roundMinor((aiResolutions * salaryMinor * money.cost.loadedMultiplier) / money.cost.ticketsPerAgentYear);
  return {
    human: major(humanMinor),
    ai: aiSpendMinor === null ? null : aiSpendMinor / sums.verified / 10 ** known.digits,
    humanMinor,
    aiMinor,
    aiSpendMinor,
    infrastructureMinor,
    laborSavingsMinor,
  };
}

/** No currency known: the human rate as a plain number (scripts read it), no minor-unit amounts, nothing added up. */
function costWithoutCurrency(humanResolved: number, cost: CostModel): KpiValues['costPerResolution'] {
  return { human: humanResolved > 0 ? (cost.baseSalary * cost.loadedMultiplier) / cost.ticketsPerAgentYear : null, ai: null };
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
  /** Count import-flagged tickets in the KPIs their flags spoil (default: leave them out). */
  includeFlagged?: boolean;
}

/** Whether a verified cell belongs to the report's selection (its filter) and to which group. */
function cellFilter(filter: KpiFilter): (cell: VerifiedCell) => boolean {
  return (cell) =>
    (filter.categories.length === 0 || filter.categories.includes(cell.category)) &&
    (filter.channel === undefined || filter.channel === cell.channel) &&
    (filter.actor === undefined || filter.actor === cell.actor);
}

export function kpiReport(db: Db, query: KpiQuery): KpiReport {
  const period = resolvePeriod(query.from, query.to);
  const cost = costModelSchema.parse(query.costModel ?? {});
  const months = periodMonths(period);
  const filter: KpiFilter = { categories: query.category ?? [], channel: query.channel, actor: query.actor };
  const exclusion = new KpiExclusion(db, period.fromTs, period.toTs, filter, query.includeFlagged === true);
  const sums = exclusion.applyTo(sumKpis(db, period.fromTs, period.toTs, filter, query.by), query.by);
  const notes: Record<string, string> = {};

  const slaUsable = filter.channel === undefined && filter.actor === undefined && hasSlaPolicy(db);
  const sla = slaUsable ? exclusion.applyToSla(slaCounts(db, period, filter.categories, query.by), filter.categories) : null;
  if (!hasSlaPolicy(db)) notes.slaCompliance = 'no SLA policy has been imported (attest sla import), so there is nothing to comply with';
  else if (!slaUsable) notes.slaCompliance = 'the SLA engine cannot filter by channel or actor';
  else if (query.by === 'channel' || query.by === 'actor') notes.slaCompliance = `per-${query.by} groups: the SLA engine has no ${query.by} grouping (null there)`;
  if (sums.all.verified === 0) notes['costPerResolution.ai'] = 'no verified AI outcomes for tickets created in this period (outcome contracts: attest outcomes)';
  if (sums.all.worklogN === 0 && sums.all.agentworkN > 0) notes.aht = 'no worklog events in this selection: agent work time (first to last human action) is used';

  const currency = moneyCurrency(db, sums.currencies, cost.currency);
  let shares: Map<string, number> = new Map();
  let cells: VerifiedCell[] = [];
  if (currency.currency === null) notes.money = currency.reason;
  else {
    cells = verifiedCells(db, period.fromTs, period.toTs);
    const monthly = costModelMinor(cost, 'infrastructurePerMonth', currency.currency, currency.digits);
    shares = infrastructureShares(infrastructureForPeriod(monthly, months), cells);
  }
  const inSelection = cellFilter(filter);
  const moneyOf = (selected: (cell: VerifiedCell) => boolean): KpiMoney => ({
    currency,
    cost,
    infrastructureMinor: currency.currency === null ? null : shareOf(shares, cells, (cell) => inSelection(cell) && selected(cell)),
  });

  const overall = kpiValues(sums.all, sla?.all ?? null, moneyOf(() => true));
  const groups: Record<string, KpiValues> = {};
  for (const [key, groupSums] of [...sums.groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const groupSla = query.by === 'category' && sla ? (sla.groups.get(key) ?? { achieved: 0, breached: 0 }) : null;
    groups[key] = kpiValues(groupSums, groupSla, moneyOf((cell) => cell[query.by!] === key));
  }
  return { from: query.from, to: query.to, ...overall, by: query.by ?? null, groups, notes, flagged: exclusion.summary() };
}

/** Monday (UTC) of the week of a day "YYYY-MM-DD". */
function weekOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * DAY_MS).toISOString().slice(0, 10);
}

export function kpiSeries(db: Db, query: { from: string; to: string; category?: readonly string[]; bucket: 'day' | 'week'; includeFlagged?: boolean }): KpiSeriesPoint[] {
  const period = resolvePeriod(query.from, query.to);
  const filter: KpiFilter = { categories: query.category ?? [] };
  // The series sums whole UTC days (the days the period touches): flagged tickets are taken out over the same days.
  const dayFromTs = `${period.fromTs.slice(0, 10)}T00:00:00.000Z`;
  const dayToTs = new Date(Math.ceil(Date.parse(period.toTs) / DAY_MS) * DAY_MS).toISOString();
  const exclusion = new KpiExclusion(db, dayFromTs, dayToTs, filter, query.includeFlagged === true);
  const days = exclusion.applyToDays(sumKpisByDay(db, period.fromTs, period.toTs, filter), dayFromTs, dayToTs);
  const buckets = new Map<string, RawSums>();
  for (const [day, sums] of days) {
    const key = query.bucket === 'week' ? weekOf(day) : day;
    const target = buckets.get(key);
    if (!target) buckets.set(key, { ...sums });
    else for (const k of Object.keys(sums) as (keyof RawSums)[]) target[k] += sums[k];
  }
  return [...buckets.entries()].map(([bucket, sums]) => {
    const v = kpiValues(sums, null);
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
