// Human labels and units of the KPI exports' figures: the board's KPIs and the ROI calculator's inputs and
// results. Units: "%", "min", "count", "score 1–5", "×", "months", or CURRENCY (the report's currency code).
import type { AhtSource, BoardCheck, BoardComparison, RoiInputs, RoiResult } from '../../../shared/contracts/kpis.ts';

export const BOARD_KPI_LABELS: Record<BoardCheck['kpi'] | BoardComparison['kpi'], string> = {
  fcr: 'First-contact resolution',
  csat: 'CSAT mean',
  reopenRate: 'Reopen rate',
  deflection: 'Deflection rate',
  aht: 'Average handle time',
  escalationRate: 'Escalation rate',
};

/** The unit a board figure is in; AHT says which time it measures, as the overview does. */
export function boardUnit(kpi: BoardCheck['kpi'] | BoardComparison['kpi'], ahtSource: AhtSource | null): string {
  if (kpi === 'csat') return 'score 1–5';
  if (kpi === 'aht') return ahtSource === 'agent_work' ? 'min (agent work time)' : 'min (worklog)';
  return '%';
}

/** The calculator's amounts and counts (its currency is the table's unit, not a row). */
export type RoiInputFigure = Exclude<keyof RoiInputs, 'currency'>;

export const ROI_INPUT_LABELS: Record<RoiInputFigure, [string, string]> = {
  baseSalary: ['Base salary per agent-year', 'CURRENCY'],
  loadedMultiplier: ['Loaded cost multiplier', '×'],
  ticketsPerAgentYear: ['Tickets resolved per agent-year', 'count'],
  slaPenaltyPerBreach: ['Penalty per SLA breach', 'CURRENCY'],
  revenuePerRetainedCustomer: ['Revenue per retained customer', 'CURRENCY'],
  churnReductionPerCsatPoint: ['Churn reduction per CSAT point', '%'],
  pricePerResolution: ['Price per AI resolution', 'CURRENCY'],
  infrastructurePerMonth: ['AI infrastructure per month', 'CURRENCY'],
  months: ['Months in the period', 'months'],
  aiResolutions: ['AI resolutions', 'count'],
  verifiedSpend: ['Verified AI spend (from the ledger)', 'CURRENCY'],
  breachesAvoided: ['SLA breaches avoided', 'count'],
  csatDelta: ['CSAT change against the baseline', 'score 1–5'],
  customers: ['Customers (distinct requesters)', 'count'],
};

export const ROI_RESULT_LABELS: Record<keyof RoiResult, [string, string]> = {
  roi: ['Return on investment', '×'],
  laborSavings: ['Labor savings', 'CURRENCY'],
  riskReduction: ['Risk reduction (SLA penalties avoided)', 'CURRENCY'],
  revenuePreservation: ['Revenue preservation', 'CURRENCY'],
  usageSpend: ['AI usage spend', 'CURRENCY'],
  infrastructure: ['AI infrastructure', 'CURRENCY'],
  aiSpend: ['AI spend (usage + infrastructure)', 'CURRENCY'],
  humanCostPerResolution: ['Human cost per resolution', 'CURRENCY'],
};
