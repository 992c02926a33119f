// The KPI overview's figures — label, value, baseline and change, each formatted by shared/format.ts — defined
// once, so the KPI PDF report prints what the console shows, in the same words and the same units.
import type { DrillKpi, KpiId, KpiValues } from './contracts/kpis.ts';
import { formatCount, formatDecimal, formatMoney, formatPercent, formatPointsDelta, minorDigits } from './format.ts';

export interface OverviewFigure {
  key: string;
  kpi: KpiId;
  label: string;
  /** What the figure is measured in: "%", "min", "count", "score 1–5" or a currency code. */
  unit: string;
  value: string;
  /** The frozen baseline's value, formatted alike; null without a baseline or where it has no baseline. */
  baseline: string | null;
  /** Period − baseline ("+3.1 pp", "−0.4 min"); null where there is nothing to compare. */
  change: string | null;
  /** True: better than the baseline; false: worse; null: equal, no baseline, or no direction. */
  better: boolean | null;
  /** The drill-down (numerator and denominator) that opens the figure's tickets. */
  drill: DrillKpi;
  note?: string;
}

/**
 * A KPI amount: exact integer minor units when the report gives them, else a decimal of the currency rounded once to
 * its minor unit; "—" when there is no amount or no currency (amounts without a currency are never shown).
 */
export function kpiMoney(value: number | null | undefined, currency: string | null, minor?: number | null): string {
  if (!currency) return '—';
  if (minor !== undefined && minor !== null) return formatMoney(minor, currency);
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return formatMoney(Math.round(value * 10 ** minorDigits(currency)), currency);
}

const percentOrDash = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : formatPercent(v));
const minutes = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${formatDecimal(v)} min`);
const score = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : formatDecimal(v, 2));

function better(current: number | null, base: number | null | undefined, higherIsBetter: boolean): boolean | null {
  if (current === null || base === null || base === undefined || current === base) return null;
  return higherIsBetter ? current > base : current < base;
}

function pointsChange(current: number | null, base: number | null | undefined): string | null {
  return current === null || base === null || base === undefined ? null : formatPointsDelta(current - base);
}

function decimalChange(current: number | null, base: number | null | undefined, digits: number, unit: string): string | null {
  if (current === null || base === null || base === undefined) return null;
  const d = current - base;
  return `${d > 0 ? '+' : d === 0 ? '±' : ''}${formatDecimal(d, digits)}${unit}`;
}

function countChange(current: number, base: number | undefined): string | null {
  if (base === undefined) return null;
  const d = current - base;
  return `${d > 0 ? '+' : d === 0 ? '±' : ''}${formatCount(d)}`;
}

/** The AHT label says which time it is: worklogs, or agent work time where the selection has none. */
export function ahtLabel(source: KpiValues['ahtSource']): string {
  return source === 'agent_work' ? 'Average handle time (agent work time)' : 'Average handle time';
}

/**
 * The overview's figures for a period (`v`) against a baseline (`b`, or null), amounts in `currency` — the order,
 * labels and formats of the console's overview.
 */
export function overviewFigures(v: KpiValues, b: KpiValues | null, notes: Record<string, string>, currency: string | null): OverviewFigure[] {
  const c = v.counts;
  const cost = v.costPerResolution;
  // Labor savings as the report computes it: rounded once, from the unrounded cost of an agent.
  const savingsMinor = cost.laborSavingsMinor ?? null;
  const moneyUnit = currency ?? 'no currency';
  const base = b ?? undefined;
  return [
    {
      key: 'verified', kpi: 'costPerResolution', label: 'Verified AI resolutions', unit: 'count', value: formatCount(c.verified),
      baseline: base ? formatCount(base.counts.verified) : null, change: countChange(c.verified, base?.counts.verified), better: null, drill: 'verified',
      ...(c.verified === 0 && notes['costPerResolution.ai'] ? { note: notes['costPerResolution.ai'] } : {}),
    },
    { key: 'deflection', kpi: 'deflection', label: 'Deflection', unit: '%', value: percentOrDash(v.deflection), baseline: base ? percentOrDash(base.deflection) : null, change: pointsChange(v.deflection, base?.deflection), better: better(v.deflection, base?.deflection, true), drill: 'deflection' },
    { key: 'fcr', kpi: 'fcr', label: 'First-contact resolution', unit: '%', value: percentOrDash(v.fcr), baseline: base ? percentOrDash(base.fcr) : null, change: pointsChange(v.fcr, base?.fcr), better: better(v.fcr, base?.fcr, true), drill: 'fcr' },
    {
      key: 'aht', kpi: 'aht', label: ahtLabel(v.ahtSource), unit: 'min', value: minutes(v.ahtMinutes), baseline: base ? minutes(base.ahtMinutes) : null,
      // Minutes of one kind of time compare only with minutes of the same kind.
      change: base && base.ahtSource === v.ahtSource ? decimalChange(v.ahtMinutes, base.ahtMinutes, 1, ' min') : null,
      better: base && base.ahtSource === v.ahtSource ? better(v.ahtMinutes, base.ahtMinutes, false) : null, drill: 'aht',
      ...(notes.aht ? { note: notes.aht } : {}),
    },
    {
      key: 'csat', kpi: 'csat', label: 'CSAT', unit: 'score 1–5', value: v.csatMean === null ? '—' : `${score(v.csatMean)} · ${formatPercent(v.csatSatisfiedShare)} 4–5`,
      baseline: base ? score(base.csatMean) : null, change: decimalChange(v.csatMean, base?.csatMean, 2, ''), better: better(v.csatMean, base?.csatMean, true), drill: 'csat',
    },
    {
      key: 'sla', kpi: 'slaCompliance', label: 'SLA compliance', unit: '%', value: percentOrDash(v.slaCompliance), baseline: base ? percentOrDash(base.slaCompliance) : null,
      change: pointsChange(v.slaCompliance, base?.slaCompliance), better: better(v.slaCompliance, base?.slaCompliance, true), drill: 'tickets',
      ...(v.slaCompliance === null && notes.slaCompliance ? { note: notes.slaCompliance } : {}),
    },
    { key: 'reopen', kpi: 'reopenRate', label: 'Reopen rate', unit: '%', value: percentOrDash(v.reopenRate), baseline: base ? percentOrDash(base.reopenRate) : null, change: pointsChange(v.reopenRate, base?.reopenRate), better: better(v.reopenRate, base?.reopenRate, false), drill: 'reopenRate' },
    { key: 'escalation', kpi: 'escalationRate', label: 'Escalation rate', unit: '%', value: percentOrDash(v.escalationRate), baseline: base ? percentOrDash(base.escalationRate) : null, change: pointsChange(v.escalationRate, base?.escalationRate), better: better(v.escalationRate, base?.escalationRate, false), drill: 'escalationRate' },
    { key: 'cost', kpi: 'costPerResolution', label: 'Cost per resolution (human / AI)', unit: moneyUnit, value: `${kpiMoney(cost.human, currency, cost.humanMinor)} / ${kpiMoney(cost.ai, currency, cost.aiMinor)}`, baseline: null, change: null, better: null, drill: 'verified', ...(notes.money ? { note: notes.money } : {}) },
    { key: 'spend', kpi: 'costPerResolution', label: 'AI spend (verified)', unit: moneyUnit, value: c.verified > 0 ? kpiMoney(c.verifiedSpend, currency, c.verifiedSpendMinor) : '—', baseline: null, change: null, better: null, drill: 'verified' },
    { key: 'savings', kpi: 'costPerResolution', label: 'Labor savings', unit: moneyUnit, value: kpiMoney(null, currency, savingsMinor), baseline: null, change: null, better: null, drill: c.verified > 0 ? 'verified' : 'deflection' },
    { key: 'tickets', kpi: 'tickets', label: 'Tickets', unit: 'count', value: formatCount(v.tickets), baseline: base ? formatCount(base.tickets) : null, change: countChange(v.tickets, base?.tickets), better: null, drill: 'tickets' },
  ];
}
