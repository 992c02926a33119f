// The pilot and migration board: per category its AI mode (ledger `category.mode` events), pilot vs
// frozen baseline with 95% intervals, and a non-inferiority verdict against configurable thresholds.
import { emptySums, type RawSums } from './kpi-repository.ts';
import type {
  BoardCheck,
  BoardComparison,
  BoardRow,
  BoardThresholds,
  CheckVerdict,
  Estimate,
  KpiValues,
  MigrationBoard,
} from '../../../shared/contracts/kpis.ts';
import type { Db } from '../db/connection.ts';
import { listCategoryModes } from '../categories/category-modes.ts';
import { findBaseline } from './baselines.ts';
import { ahtSourceOf, kpiReport } from './kpi-report.ts';
import { mean, proportion, proportionDifference, welch, type MeanSums } from './stats.ts';

/**
 * Complexity tiers (1 = simplest, migrate first). Categories not listed are tier 3 until someone classifies
 * them: an unknown category is treated as complex.
 */
export const COMPLEXITY_TIERS: Readonly<Record<string, number>> = {
  password_reset: 1,
  shipping_status: 1,
  how_to: 1,
  billing_question: 2,
  refund: 2,
  cancellation: 2,
  bug_report: 3,
  outage: 3,
};

export function complexityTier(category: string): number {
  return COMPLEXITY_TIERS[category] ?? 3;
}

const EMPTY_COUNTS: RawSums = emptySums();
type Counts = RawSums;

const countsOf = (values: KpiValues | undefined): Counts =>
  values ? { ...EMPTY_COUNTS, ...values.counts, verifiedSpendMinor: values.counts.verifiedSpendMinor ?? 0 } : EMPTY_COUNTS;

function ahtSums(c: Counts, source: 'worklog' | 'agent_work'): MeanSums {
  return source === 'worklog' ? { n: c.worklogN, sum: c.worklogSum, sq: c.worklogSq } : { n: c.agentworkN, sum: c.agentworkSum, sq: c.agentworkSq };
}

/**
 * Non-inferiority on the difference d = pilot − baseline with its 95% interval: "higher is better" KPIs pass
 * when the interval's low end is above −margin and fail when its high end is below −margin ("lower is better":
 * mirrored). Otherwise the data cannot tell yet.
 */
export function nonInferiority(difference: Estimate, margin: number, higherIsBetter: boolean, enough: boolean): CheckVerdict {
  if (!enough || !difference.ci) return 'insufficient_data';
  const { low, high } = difference.ci;
  if (higherIsBetter) {
    if (low >= -margin) return 'pass';
    if (high < -margin) return 'fail';
  } else {
    if (high <= margin) return 'pass';
    if (low > margin) return 'fail';
  }
  return 'inconclusive';
}

function overallVerdict(checks: readonly BoardCheck[]): CheckVerdict {
  if (checks.some((c) => c.verdict === 'fail')) return 'fail';
  if (checks.every((c) => c.verdict === 'pass')) return 'pass';
  if (checks.every((c) => c.verdict === 'insufficient_data')) return 'insufficient_data';
  return 'inconclusive';
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10} points`;
}

export function compareCategory(base: Counts, pilot: Counts, t: BoardThresholds): { checks: BoardCheck[]; comparisons: BoardComparison[] } {
  const enough = (a: number, b: number): boolean => a >= t.minSample && b >= t.minSample;
  const fcrB = { k: base.fcr, n: base.resolved };
  const fcrP = { k: pilot.fcr, n: pilot.resolved };
  const fcrDiff = proportionDifference(fcrB, fcrP);
  const csatB: MeanSums = { n: base.csatN, sum: base.csatSum, sq: base.csatSq };
  const csatP: MeanSums = { n: pilot.csatN, sum: pilot.csatSum, sq: pilot.csatSq };
  const csatDiff = welch(csatB, csatP);
  const reopenB = { k: base.reopened, n: base.everSolved };
  const reopenP = { k: pilot.reopened, n: pilot.everSolved };
  const reopenDiff = proportionDifference(reopenB, reopenP);
  const checks: BoardCheck[] = [
    {
      kpi: 'fcr',
      rule: t.fcrMaxDrop > 0 ? `FCR not more than ${pct(t.fcrMaxDrop)} below baseline` : 'FCR not below baseline',
      baseline: proportion(fcrB.k, fcrB.n),
      pilot: proportion(fcrP.k, fcrP.n),
      difference: fcrDiff,
      verdict: nonInferiority(fcrDiff, t.fcrMaxDrop, true, enough(fcrB.n, fcrP.n)),
    },
    {
      kpi: 'csat',
      rule: `CSAT not below baseline − ${t.csatMaxDrop}`,
      baseline: mean(csatB),
      pilot: mean(csatP),
      difference: { value: csatDiff.value, n: csatDiff.n, ci: csatDiff.ci },
      verdict: nonInferiority(csatDiff, t.csatMaxDrop, true, enough(csatB.n, csatP.n)),
    },
    {
      kpi: 'reopenRate',
      rule: `reopen rate not above baseline + ${pct(t.reopenMaxRise)}`,
      baseline: proportion(reopenB.k, reopenB.n),
      pilot: proportion(reopenP.k, reopenP.n),
      difference: reopenDiff,
      verdict: nonInferiority(reopenDiff, t.reopenMaxRise, false, enough(reopenB.n, reopenP.n)),
    },
  ];
  // AHT measures the time the overview measures for the pilot (one definition: ahtSourceOf), so the board and the
  // overview show the same number in the same unit; the baseline is read in that same time, or has no value.
  const source = ahtSourceOf(pilot) ?? ahtSourceOf(base) ?? 'worklog';
  const ahtB = ahtSums(base, source);
  const ahtP = ahtSums(pilot, source);
  const ahtDiff = welch(ahtB, ahtP);
  const comparisons: BoardComparison[] = [
    {
      kpi: 'deflection',
      baseline: proportion(base.deflected, base.tickets),
      pilot: proportion(pilot.deflected, pilot.tickets),
      difference: proportionDifference({ k: base.deflected, n: base.tickets }, { k: pilot.deflected, n: pilot.tickets }),
    },
    { kpi: 'aht', baseline: mean(ahtB), pilot: mean(ahtP), difference: { value: ahtDiff.value, n: ahtDiff.n, ci: ahtDiff.ci }, ahtSource: source },
    {
      kpi: 'escalationRate',
      baseline: proportion(base.escalated, base.tickets),
      pilot: proportion(pilot.escalated, pilot.tickets),
      difference: proportionDifference({ k: base.escalated, n: base.tickets }, { k: pilot.escalated, n: pilot.tickets }),
    },
  ];
  return { checks, comparisons };
}

export function migrationBoard(db: Db, query: { from: string; to: string; baselineSeq?: number; thresholds: BoardThresholds }): MigrationBoard {
  const baseline = findBaseline(db, query.baselineSeq);
  const pilot = kpiReport(db, { from: query.from, to: query.to, by: 'category' });
  const rows: BoardRow[] = listCategoryModes(db).map((mode) => {
    const { checks, comparisons } = compareCategory(countsOf(baseline?.byCategory[mode.category]), countsOf(pilot.groups[mode.category]), query.thresholds);
    return {
      category: mode.category,
      tier: complexityTier(mode.category),
      mode: mode.mode,
      changedAt: mode.changedAt,
      changedBy: mode.changedBy,
      reason: mode.reason,
      modeSeq: mode.seq,
      checks,
      comparisons,
      verdict: baseline ? overallVerdict(checks) : 'insufficient_data',
    };
  });
  rows.sort((a, b) => a.tier - b.tier || a.category.localeCompare(b.category));
  return { baseline, pilot: { from: query.from, to: query.to }, thresholds: query.thresholds, rows };
}
