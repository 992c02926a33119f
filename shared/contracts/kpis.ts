// KPIs, baselines, the pilot/migration board and the ROI calculator. The KPI definitions below are the one
// source of their wording: the console's tooltips, the README and the hash frozen with
// every baseline all come from KPI_DEFINITIONS.
import { z } from 'zod';
import { signatureInputSchema, type SignatureRow } from './people.ts';
import type { CategoryMode } from '../domain.ts';

export const KPI_IDS = [
  'tickets',
  'fcr',
  'deflection',
  'aht',
  'csat',
  'slaCompliance',
  'reopenRate',
  'escalationRate',
  'costPerResolution',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export interface KpiDefinition {
  id: KpiId;
  label: string;
  definition: string;
}

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  {
    id: 'tickets',
    label: 'Tickets',
    definition:
      'Tickets created in the period (a ticket counts in the period of its created event, whatever happened later). Every other KPI is computed over these tickets.',
  },
  {
    id: 'fcr',
    label: 'First-contact resolution',
    definition:
      'Resolved tickets (status solved or closed now) that got exactly one public agent reply (AI or human) and were never reopened, divided by all resolved tickets. Solve and reopen as the README defines them under "Definitions".',
  },
  {
    id: 'deflection',
    label: 'Deflection rate',
    definition:
      'Tickets resolved by the AI (solved now by an AI resolution) with no human touch at all, not even after the solve, divided by all tickets. AI resolution and human touch as the README defines them under "Definitions".',
  },
  {
    id: 'aht',
    label: 'Average handle time',
    definition:
      'Mean human handle time per human-handled ticket, in minutes: the sum of the ticket\'s worklog events. Where the selection has no worklogs at all, agent work time is used instead and labeled "agent_work": the minutes from a human agent\'s first to last action on the ticket (an upper bound, it includes waiting).',
  },
  {
    id: 'csat',
    label: 'CSAT',
    definition:
      'Mean of the customer satisfaction scores (1–5; a ticket\'s latest rating counts) and the share of ratings that are 4 or 5; responses = tickets with a rating.',
  },
  {
    id: 'slaCompliance',
    label: 'SLA compliance',
    definition:
      'SLA metrics achieved divided by metrics achieved or breached, over every metric of every ticket (first reply, next reply, periodic update, requester wait, agent work, total resolution), from the SLA engine; metrics still running do not count.',
  },
  {
    id: 'reopenRate',
    label: 'Reopen rate',
    definition: 'Tickets reopened at least once, divided by the tickets that were ever solved.',
  },
  {
    id: 'escalationRate',
    label: 'Escalation rate',
    definition: 'Tickets with at least one escalated event (a handoff to a human), divided by all tickets.',
  },
  {
    id: 'costPerResolution',
    label: 'Cost per resolution',
    definition:
      'Human: the fully loaded annual cost of an agent (base salary × loaded multiplier) divided by the tickets an agent resolves per year. AI: verified AI spend (prices of verified, not reversed outcomes of the tickets) plus the monthly infrastructure cost for the months of the period, divided by the verified resolutions.',
  },
];

export const AHT_SOURCES = ['worklog', 'agent_work'] as const;
export type AhtSource = (typeof AHT_SOURCES)[number];
export const KPI_GROUPINGS = ['category', 'channel', 'actor'] as const;
export type KpiGrouping = (typeof KPI_GROUPINGS)[number];

/** Sums a KPI is computed from; they add up across days and groups (and carry what confidence intervals need). */
export const kpiCountsSchema = z
  .object({
    tickets: z.number(),
    resolved: z.number(),
    resolvedAi: z.number(),
    everSolved: z.number(),
    fcr: z.number(),
    deflected: z.number(),
    reopened: z.number(),
    escalated: z.number(),
    csatN: z.number(),
    csatSum: z.number(),
    csatSq: z.number(),
    csatSat: z.number(),
    worklogN: z.number(),
    worklogSum: z.number(),
    worklogSq: z.number(),
    agentworkN: z.number(),
    agentworkSum: z.number(),
    agentworkSq: z.number(),
    verified: z.number(),
    verifiedSpend: z.number(),
    slaAchieved: z.number().nullable(),
    slaBreached: z.number().nullable(),
  })
  .strict();
export type KpiCounts = z.infer<typeof kpiCountsSchema>;

const ratio = z.number().min(0).max(1).nullable();
export const kpiValuesSchema = z
  .object({
    tickets: z.number().int().min(0),
    fcr: ratio,
    deflection: ratio,
    ahtMinutes: z.number().nullable(),
    ahtSource: z.enum(AHT_SOURCES).nullable(),
    csatMean: z.number().nullable(),
    csatSatisfiedShare: ratio,
    csatResponses: z.number().int().min(0),
    slaCompliance: ratio,
    reopenRate: ratio,
    escalationRate: ratio,
    costPerResolution: z.object({ human: z.number().nullable(), ai: z.number().nullable() }).strict(),
    counts: kpiCountsSchema,
  })
  .strict();
export type KpiValues = z.infer<typeof kpiValuesSchema>;

export interface KpiReport extends KpiValues {
  from: string;
  to: string;
  by: KpiGrouping | null;
  groups: Record<string, KpiValues>;
  /** Why a KPI is null (or partial): KPI id -> reason. */
  notes: Record<string, string>;
}

/** The cost side of cost per resolution and ROI. Defaults: the seed's $50,000 agent at a 1.6 loaded multiplier ($80,000). */
export const costModelSchema = z
  .object({
    baseSalary: z.number().min(0).default(50_000),
    loadedMultiplier: z.number().min(1).max(5).default(1.6),
    ticketsPerAgentYear: z.number().positive().default(4_000),
    infrastructurePerMonth: z.number().min(0).default(400),
  })
  .strict();
export type CostModel = z.output<typeof costModelSchema>;
export const DEFAULT_COST_MODEL: CostModel = costModelSchema.parse({});

const dateOrInstant = z.string().min(10).max(40);
const period = { from: dateOrInstant, to: dateOrInstant };
const categoryFilter = z.array(z.string().min(1).max(200)).max(100).default([]);

export const KPI_DRILL = [
  'tickets',
  'resolved',
  'fcr',
  'not_fcr',
  'deflected',
  'reopened',
  'escalated',
  'csat',
  'csat_dissatisfied',
  'worklog',
  'verified',
] as const;
export type KpiDrill = (typeof KPI_DRILL)[number];

// ---------------------------------------------------------------------------------------------- board

export const boardThresholdsSchema = z
  .object({
    /** FCR may not fall more than this (ratio points) below the baseline. */
    fcrMaxDrop: z.number().min(0).max(1).default(0),
    /** CSAT mean may not fall more than this below the baseline. */
    csatMaxDrop: z.number().min(0).max(4).default(0.1),
    /** Reopen rate may not rise more than this (ratio points) above the baseline. */
    reopenMaxRise: z.number().min(0).max(1).default(0.02),
    /** Fewer observations than this on either side: no verdict for that check. */
    minSample: z.number().int().min(1).default(30),
  })
  .strict();
export type BoardThresholds = z.output<typeof boardThresholdsSchema>;

export interface Interval {
  low: number;
  high: number;
}

export interface Estimate {
  value: number | null;
  n: number;
  /** 95% interval: Wilson score for proportions, Student t for means. */
  ci: Interval | null;
}

export type CheckVerdict = 'pass' | 'fail' | 'inconclusive' | 'insufficient_data';

export interface BoardCheck {
  kpi: 'fcr' | 'csat' | 'reopenRate';
  rule: string;
  baseline: Estimate;
  pilot: Estimate;
  /** pilot − baseline with its 95% interval (Newcombe hybrid score for proportions, Welch for means). */
  difference: Estimate;
  verdict: CheckVerdict;
}

export interface BoardComparison {
  kpi: 'deflection' | 'aht' | 'escalationRate';
  baseline: Estimate;
  pilot: Estimate;
  difference: Estimate;
  /** AHT only: which time both sides measure, chosen as the overview chooses it for the pilot (minutes). */
  ahtSource?: AhtSource | null;
}

export interface BoardRow {
  category: string;
  tier: number;
  mode: CategoryMode;
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
  modeSeq: number | null;
  checks: BoardCheck[];
  comparisons: BoardComparison[];
  verdict: CheckVerdict;
}

export interface BaselineRow {
  seq: number;
  name: string;
  from: string;
  to: string;
  frozenAt: string;
  frozenBy: string;
  definitionsHash: string;
  /** Whether the KPI definitions are still the ones the baseline was frozen under. */
  definitionsMatch: boolean;
  overall: KpiValues;
  byCategory: Record<string, KpiValues>;
  /** Who signed the freeze (ledgers with accounts): shown with the baseline on the board. */
  signatures: SignatureRow[];
}

export interface MigrationBoard {
  baseline: BaselineRow | null;
  pilot: { from: string; to: string };
  thresholds: BoardThresholds;
  rows: BoardRow[];
}

// ---------------------------------------------------------------------------------------------- ROI

export const roiInputsSchema = z
  .object({
    baseSalary: z.number().min(0),
    loadedMultiplier: z.number().min(1).max(5),
    ticketsPerAgentYear: z.number().positive(),
    slaPenaltyPerBreach: z.number().min(0),
    revenuePerRetainedCustomer: z.number().min(0),
    /** Reduction of the churn rate (ratio points) per CSAT point gained. */
    churnReductionPerCsatPoint: z.number().min(0).max(1),
    pricePerResolution: z.number().min(0),
    infrastructurePerMonth: z.number().min(0),
    months: z.number().min(0),
    aiResolutions: z.number().min(0),
    /** Verified spend from the ledger; null: estimated as aiResolutions × pricePerResolution. */
    verifiedSpend: z.number().min(0).nullable(),
    breachesAvoided: z.number(),
    csatDelta: z.number(),
    customers: z.number().min(0),
  })
  .strict();
export type RoiInputs = z.output<typeof roiInputsSchema>;
export type RoiInputKey = keyof RoiInputs;

export const ROI_DEFAULTS: Pick<
  RoiInputs,
  'baseSalary' | 'loadedMultiplier' | 'ticketsPerAgentYear' | 'slaPenaltyPerBreach' | 'revenuePerRetainedCustomer' | 'churnReductionPerCsatPoint' | 'pricePerResolution' | 'infrastructurePerMonth'
> = {
  baseSalary: DEFAULT_COST_MODEL.baseSalary,
  loadedMultiplier: DEFAULT_COST_MODEL.loadedMultiplier,
  ticketsPerAgentYear: DEFAULT_COST_MODEL.ticketsPerAgentYear,
  slaPenaltyPerBreach: 25,
  revenuePerRetainedCustomer: 1_200,
  churnReductionPerCsatPoint: 0.05,
  pricePerResolution: 0.99,
  infrastructurePerMonth: DEFAULT_COST_MODEL.infrastructurePerMonth,
};

export const ROI_FORMULA =
  'ROI = (labor savings + risk reduction + revenue preservation) / AI spend; labor savings = AI resolutions × base salary × loaded multiplier / tickets per agent-year; risk reduction = SLA breaches avoided × penalty per breach; revenue preservation = customers × CSAT change × churn reduction per CSAT point × revenue per retained customer; AI spend = verified spend (or AI resolutions × price per resolution) + infrastructure per month × months';

export interface RoiResult {
  roi: number | null;
  laborSavings: number;
  riskReduction: number;
  revenuePreservation: number;
  usageSpend: number;
  infrastructure: number;
  aiSpend: number;
  humanCostPerResolution: number;
}

export function computeRoi(inputs: RoiInputs): RoiResult {
  const humanCostPerResolution = (inputs.baseSalary * inputs.loadedMultiplier) / inputs.ticketsPerAgentYear;
  const laborSavings = inputs.aiResolutions * humanCostPerResolution;
  const riskReduction = inputs.breachesAvoided * inputs.slaPenaltyPerBreach;
  const revenuePreservation = inputs.customers * inputs.csatDelta * inputs.churnReductionPerCsatPoint * inputs.revenuePerRetainedCustomer;
  const usageSpend = inputs.verifiedSpend ?? inputs.aiResolutions * inputs.pricePerResolution;
  const infrastructure = inputs.infrastructurePerMonth * inputs.months;
  const aiSpend = usageSpend + infrastructure;
  const gains = laborSavings + riskReduction + revenuePreservation;
  return { roi: aiSpend > 0 ? gains / aiSpend : null, laborSavings, riskReduction, revenuePreservation, usageSpend, infrastructure, aiSpend, humanCostPerResolution };
}

export const SENSITIVITY_KEYS: readonly RoiInputKey[] = [
  'baseSalary',
  'loadedMultiplier',
  'ticketsPerAgentYear',
  'pricePerResolution',
  'infrastructurePerMonth',
  'slaPenaltyPerBreach',
  'revenuePerRetainedCustomer',
  'churnReductionPerCsatPoint',
];

/** ROI with each input moved by −swing and +swing (e.g. 0.2 = ±20%), the others held. */
export function roiSensitivity(inputs: RoiInputs, swing = 0.2): { input: RoiInputKey; low: number | null; high: number | null }[] {
  return SENSITIVITY_KEYS.map((key) => {
    const at = (factor: number): number | null => {
      const changed = { ...inputs, [key]: (inputs[key] as number) * factor };
      if (key === 'loadedMultiplier') changed.loadedMultiplier = Math.max(1, changed.loadedMultiplier);
      if (key === 'ticketsPerAgentYear' && changed.ticketsPerAgentYear <= 0) return null;
      return computeRoi(changed).roi;
    };
    return { input: key, low: at(1 - swing), high: at(1 + swing) };
  });
}

export interface RoiLedgerValues {
  from: string;
  to: string;
  months: number;
  aiResolutions: number;
  aiResolutionsSource: 'verified_outcomes' | 'ai_deflections';
  verifiedSpend: number | null;
  breachesAvoided: number | null;
  csatDelta: number | null;
  customers: number;
  baseline: { seq: number; name: string } | null;
  notes: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------- series, drill-down, export

export interface KpiSeriesPoint {
  bucket: string;
  tickets: number;
  fcr: number | null;
  deflection: number | null;
  csatMean: number | null;
  ahtMinutes: number | null;
  reopenRate: number | null;
  escalationRate: number | null;
}

export interface KpiTicketRow {
  id: string;
  subject: string;
  category: string;
  channel: string;
  createdAt: string;
  actor: string;
  /** Ledger sequence numbers of the events that make this ticket count for the figure. */
  evidence: number[];
}

export interface KpiTicketPage {
  total: number;
  rows: KpiTicketRow[];
}

export interface KpiExport {
  fileName: string;
  mimeType: string;
  encoding: 'utf8' | 'base64';
  data: string;
}

export const kpisInputs = {
  'kpis.definitions': z.object({}).strict().default({}),
  'kpis.report': z
    .object({ ...period, by: z.enum(KPI_GROUPINGS).optional(), category: categoryFilter, costModel: costModelSchema.optional() })
    .strict(),
  'kpis.series': z.object({ ...period, category: categoryFilter, bucket: z.enum(['day', 'week']).default('week') }).strict(),
  'kpis.tickets': z
    .object({
      ...period,
      category: categoryFilter,
      drill: z.enum(KPI_DRILL),
      channel: z.string().max(200).optional(),
      actor: z.enum(['ai', 'human', 'none']).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
    })
    .strict(),
  'kpis.baselines': z.object({}).strict().default({}),
  // Freezing a baseline is signed when the ledger has accounts.
  'kpis.freezeBaseline': z.object({ name: z.string().trim().min(1).max(200), from: z.string(), to: z.string(), signature: signatureInputSchema.optional() }).strict(),
  'kpis.board': z
    .object({ ...period, baselineSeq: z.number().int().positive().optional(), thresholds: boardThresholdsSchema.default(() => boardThresholdsSchema.parse({})) })
    .strict(),
  'kpis.roiInputs': z.object({ ...period, baselineSeq: z.number().int().positive().optional() }).strict(),
  'kpis.export': z
    .object({
      view: z.enum(['overview', 'board', 'roi']),
      format: z.enum(['csv', 'pdf']),
      ...period,
      category: categoryFilter,
      baselineSeq: z.number().int().positive().optional(),
      roi: roiInputsSchema.optional(),
    })
    .strict(),
} as const;

export interface KpisOutputs {
  'kpis.definitions': { definitions: readonly KpiDefinition[]; hash: string; dataRange: { firstDay: string; lastDay: string } | null };
  'kpis.report': KpiReport;
  'kpis.series': KpiSeriesPoint[];
  'kpis.tickets': KpiTicketPage;
  'kpis.baselines': BaselineRow[];
  'kpis.freezeBaseline': BaselineRow;
  'kpis.board': MigrationBoard;
  'kpis.roiInputs': RoiLedgerValues;
  'kpis.export': KpiExport;
}
