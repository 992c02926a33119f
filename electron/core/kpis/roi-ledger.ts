// The ROI calculator's values that come from the ledger (the rest are the user's inputs).
import type { RoiLedgerValues } from '../../../shared/contracts/kpis.ts';
import type { Db } from '../db/connection.ts';
import { findBaseline } from './baselines.ts';
import { distinctRequesters } from './kpi-repository.ts';
import { kpiReport, periodMonths, resolvePeriod } from './kpi-report.ts';

export function roiLedgerValues(db: Db, query: { from: string; to: string; baselineSeq?: number }): RoiLedgerValues {
  const period = resolvePeriod(query.from, query.to);
  const baseline = findBaseline(db, query.baselineSeq);
  const pilot = kpiReport(db, { from: query.from, to: query.to });
  const notes: Record<string, string> = {};
  const c = pilot.counts;
  const verified = c.verified > 0;
  if (pilot.notes.money) notes.currency = pilot.notes.money;
  if (!verified) notes.aiResolutions = 'no verified outcomes yet: AI resolutions without human involvement (deflections) are used, and spend is estimated from the price input';

  let breachesAvoided: number | null = null;
  const b = baseline?.overall.counts;
  if (!baseline) notes.breachesAvoided = 'no baseline frozen';
  else if (b?.slaAchieved == null || b.slaBreached == null || c.slaAchieved === null || c.slaBreached === null) notes.breachesAvoided = 'no SLA outcomes for the baseline or the period';
  else if (b.slaAchieved + b.slaBreached === 0) notes.breachesAvoided = 'the baseline has no final SLA outcomes';
  else {
    const baselineRate = b.slaBreached / (b.slaAchieved + b.slaBreached);
    breachesAvoided = baselineRate * (c.slaAchieved + c.slaBreached) - c.slaBreached;
  }
  let csatDelta: number | null = null;
  if (baseline?.overall.csatMean != null && pilot.csatMean !== null) csatDelta = pilot.csatMean - baseline.overall.csatMean;
  else notes.csatDelta = baseline ? 'no CSAT ratings in the baseline or the period' : 'no baseline frozen';

  return {
    from: query.from,
    to: query.to,
    months: periodMonths(period),
    aiResolutions: verified ? c.verified : c.deflected,
    aiResolutionsSource: verified ? 'verified_outcomes' : 'ai_deflections',
    verifiedSpend: verified ? c.verifiedSpend : null,
    verifiedSpendMinor: verified ? (c.verifiedSpendMinor ?? null) : null,
    currency: pilot.currency ?? null,
    breachesAvoided,
    csatDelta,
    customers: distinctRequesters(db, period.fromTs, period.toTs),
    baseline: baseline ? { seq: baseline.seq, name: baseline.name } : null,
    notes,
  };
}
