// KPIs, baselines, the pilot/migration board and the ROI calculator. The KPI definitions below are the one
// source of their wording: the console's tooltips, the README and the hash frozen with
// every baseline all come from KPI_DEFINITIONS.
import { z } from 'zod';
import { signatureInputSchema, type SignatureRow } from './people.ts';
import type { CategoryMode } from '../domain.ts';
import { currencyDigits, isCurrencyCode, MoneyError, roundMinor, toMinor } from '../money.ts';

/** An ISO 4217 currency code Intl knows ("EUR"), checked where it enters: the contract's input schemas. */
export const currencyCodeSchema = z.string().refine(isCurrencyCode, { message: 'must be an ISO 4217 currency code such as "EUR"' });

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
      'Human: the fully loaded annual cost of an agent (base salary × loaded multiplier) divided by the tickets an agent resolves per year. AI: verified AI spend (prices of verified, not reversed outcomes of the tickets) plus the monthly infrastructure cost for the months of the period, divided by the verified resolutions. The infrastructure cost is shared: each category bears it in proportion to its share of the period\'s verified resolutions (largest remainder in whole cents, so the categories add up to the total to the cent), and within a category each channel and actor likewise. Money is in integer minor units of one currency, the outcome contract\'s; a cost model in another currency is refused.',
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
    /** Verified spend in major units (603.9); null when the tickets' outcomes are in more than one currency. */
    verifiedSpend: z.number().nullable(),
    /** The same in integer minor units of the values' currency (absent in baselines frozen before it existed). */
    verifiedSpendMinor: z.number().int().nullable().optional(),
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
    costPerResolution: z
      .object({
        /** Major units (20 = 20.00), kept for scripts; the *Minor fields are the exact amounts. */
        human: z.number().nullable(),
        ai: z.number().nullable(),
        /** Per resolution, rounded once to the minor unit. */
        humanMinor: z.number().int().nullable().optional(),
        aiMinor: z.number().int().nullable().optional(),
        /** Verified spend plus the infrastructure share, exact: aiSpendMinor = verifiedSpendMinor + infrastructureMinor. */
        aiSpendMinor: z.number().int().nullable().optional(),
        /** The share of the period's infrastructure cost these tickets bear (see the definition). */
        infrastructureMinor: z.number().int().nullable().optional(),
        /**
         * Labor savings: the AI's resolutions (verified, else deflected) × the loaded annual cost of an agent / the
         * tickets an agent resolves a year, rounded once (not the rounded per-resolution rate times the count).
         */
        laborSavingsMinor: z.number().int().nullable().optional(),
      })
      .strict(),
    /** The currency of every amount here; null when none is known (no contract, no cost-model currency) or mixed. */
    currency: z.string().nullable().optional(),
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
  /** Tickets of the selection an import flagged: left out of the KPIs their flags spoil unless included. */
  flagged: KpiFlaggedTickets;
}

/** Import-flagged tickets of a KPI selection (README: "Data-quality report", the exclusion table). */
export interface KpiFlaggedTickets {
  /** false (the default): left out of the KPIs their flags spoil; true: counted like every other ticket. */
  included: boolean;
  /** Tickets of the selection with a flag that spoils at least one KPI. */
  tickets: number;
  /** Per KPI: how many tickets of the selection its flags spoil (left out, or counted when included). */
  byKpi: Partial<Record<KpiId, number>>;
}

/** Count import-flagged tickets in the KPIs their flags spoil (default: leave them out). */
const includeFlagged = z.boolean().optional();

/**
 * The cost side of cost per resolution and ROI; amounts in major units of `currency` (at most its decimals).
 * Defaults: a 50,000 agent at a 1.6 loaded multiplier (80,000), in the ledger's currency — the outcome
 * contract's. A currency given must be the contract's: a cost model in another one is refused, never added.
 */
export const costModelSchema = z
  .object({
    currency: currencyCodeSchema.optional(),
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
    /** The currency of every amount above (the ledger's: its outcome contract's); absent: amounts are unlabelled. */
    currency: currencyCodeSchema.nullable().optional(),
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

/** The ROI's amounts in integer minor units of one currency: each part rounded once, the sums exact. */
export interface RoiMoney {
  currency: string;
  roi: number | null;
  humanCostPerResolutionMinor: number;
  laborSavingsMinor: number;
  riskReductionMinor: number;
  revenuePreservationMinor: number;
  gainsMinor: number;
  usageSpendMinor: number;
  infrastructureMinor: number;
  aiSpendMinor: number;
}

/** The money inputs of the calculator, as typed (major units of the inputs' currency). */
export const ROI_MONEY_KEYS = ['baseSalary', 'slaPenaltyPerBreach', 'revenuePerRetainedCustomer', 'pricePerResolution', 'infrastructurePerMonth', 'verifiedSpend'] as const;

/**
 * The ROI in minor units of inputs.currency. Every money input must be a plain amount of that currency (EUR: at
 * most 2 decimals) or a MoneyError names it; each part of the formula is computed from those integers and rounded
 * once (half away from zero); AI spend and the gains are sums of the rounded parts, so the table adds up.
 */
export function roiMoney(inputs: RoiInputs): RoiMoney {
  const currency = inputs.currency;
  if (!currency) throw new MoneyError('the ROI inputs name no currency: amounts cannot be labelled or added');
  const digits = currencyDigits(currency);
  if (digits === null) throw new MoneyError(`currency: "${currency}" is not an ISO 4217 currency code`);
  const minor = (key: (typeof ROI_MONEY_KEYS)[number]): number => {
    const value = inputs[key] ?? 0;
    try {
      return toMinor(value, digits);
    } catch (error) {
      if (error instanceof MoneyError) throw new MoneyError(`${key}: ${error.message} for ${currency}`);
      throw error;
    }
  };
  const salary = minor('baseSalary');
  const loadedPerResolution = (salary * inputs.loadedMultiplier) / inputs.ticketsPerAgentYear;
  const humanCostPerResolutionMinor = roundMinor(loadedPerResolution);
  const laborSavingsMinor = roundMinor(inputs.aiResolutions * loadedPerResolution);
  const riskReductionMinor = roundMinor(inputs.breachesAvoided * minor('slaPenaltyPerBreach'));
  const revenuePreservationMinor = roundMinor(inputs.customers * inputs.csatDelta * inputs.churnReductionPerCsatPoint * minor('revenuePerRetainedCustomer'));
  const usageSpendMinor = inputs.verifiedSpend !== null ? minor('verifiedSpend') : roundMinor(inputs.aiResolutions * minor('pricePerResolution'));
  const infrastructureMinor = roundMinor(minor('infrastructurePerMonth') * inputs.months);
  const aiSpendMinor = usageSpendMinor + infrastructureMinor;
  const gainsMinor = laborSavingsMinor + riskReductionMinor + revenuePreservationMinor;
  return {
    currency,
    roi: aiSpendMinor > 0 ? gainsMinor / aiSpendMinor : null,
    humanCostPerResolutionMinor,
    laborSavingsMinor,
    riskReductionMinor,
    revenuePreservationMinor,
    gainsMinor,
    usageSpendMinor,
    infrastructureMinor,
    aiSpendMinor,
  };
}

/**
 * The ROI in plain numbers (major units), the shape scripts and exports have always read. With a currency the
 * numbers are the exact minor-unit amounts of roiMoney; without one, the formula on the inputs as they are.
 */
export function computeRoi(inputs: RoiInputs): RoiResult {
  if (inputs.currency) {
    const m = roiMoney(inputs);
    const major = (minor: number): number => minor / 10 ** currencyDigits(m.currency)!;
    return {
      roi: m.roi,
      laborSavings: major(m.laborSavingsMinor),
      riskReduction: major(m.riskReductionMinor),
      revenuePreservation: major(m.revenuePreservationMinor),
      usageSpend: major(m.usageSpendMinor),
      infrastructure: major(m.infrastructureMinor),
      aiSpend: major(m.aiSpendMinor),
      humanCostPerResolution: major(m.humanCostPerResolutionMinor),
    };
  }
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
      let moved = (inputs[key] as number) * factor;
      // A what-if amount is still an amount of the currency: whole minor units, so roiMoney can take it.
      const digits = inputs.currency ? currencyDigits(inputs.currency) : null;
      if (digits !== null && (ROI_MONEY_KEYS as readonly string[]).includes(key)) moved = Number(moved.toFixed(digits));
      const changed = { ...inputs, [key]: moved };
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
  /** The same in integer minor units of `currency`. */
  verifiedSpendMinor: number | null;
  /** The ledger's currency (its outcome contract's): the calculator's amounts are in it. */
  currency: string | null;
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

/** The KPIs a drill-down opens: each a share (or a mean) of a population of tickets, both counted from the facts. */
export const DRILL_KPIS = ['tickets', 'fcr', 'deflection', 'aht', 'csat', 'reopenRate', 'escalationRate', 'verified'] as const;
export type DrillKpi = (typeof DRILL_KPIS)[number];

/** Count sums of KpiCounts that are numbers of tickets (each one a predicate on a ticket's facts). */
export type TicketCountKey = 'tickets' | 'resolved' | 'resolvedAi' | 'everSolved' | 'fcr' | 'deflected' | 'reopened' | 'escalated' | 'csatN' | 'csatSat' | 'worklogN' | 'agentworkN' | 'verified';

export interface KpiFraction {
  label: string;
  /** The sum the KPI's numerator is (tickets that count). */
  member: TicketCountKey;
  /** The sum the KPI's denominator is (the population the drill-down lists). */
  population: TicketCountKey;
  memberLabel: string;
  populationLabel: string;
}

/**
 * Numerator and denominator of every drilled KPI, as sums of KpiCounts. kpiValues divides these very sums and the
 * drill-down lists the tickets behind them, so a figure and its tickets cannot drift apart. AHT's member depends on
 * the selection's source (worklogs, or agent work time where there are none): the one given is for worklogs.
 */
export const KPI_FRACTIONS: Record<DrillKpi, KpiFraction> = {
  tickets: { label: 'Tickets', member: 'tickets', population: 'tickets', memberLabel: 'created in the period', populationLabel: 'tickets' },
  fcr: { label: 'First-contact resolution', member: 'fcr', population: 'resolved', memberLabel: 'resolved at first contact', populationLabel: 'resolved tickets' },
  deflection: { label: 'Deflection rate', member: 'deflected', population: 'tickets', memberLabel: 'resolved by the AI with no human touch', populationLabel: 'tickets' },
  aht: { label: 'Average handle time', member: 'worklogN', population: 'tickets', memberLabel: 'with handle time', populationLabel: 'tickets' },
  csat: { label: 'CSAT (share rated 4–5)', member: 'csatSat', population: 'csatN', memberLabel: 'rated 4 or 5', populationLabel: 'rated tickets' },
  reopenRate: { label: 'Reopen rate', member: 'reopened', population: 'everSolved', memberLabel: 'reopened', populationLabel: 'tickets ever solved' },
  escalationRate: { label: 'Escalation rate', member: 'escalated', population: 'tickets', memberLabel: 'escalated', populationLabel: 'tickets' },
  verified: { label: 'Verified AI resolutions', member: 'verified', population: 'tickets', memberLabel: 'with a verified AI outcome', populationLabel: 'tickets' },
};

/** Which rows of a drill-down to list: all of the denominator, its members, the rest, or the tickets import flags exclude. */
export const DRILL_SHOW = ['all', 'counted', 'not_counted', 'excluded'] as const;
export type DrillShow = (typeof DRILL_SHOW)[number];

export interface KpiDrillRow extends Pick<KpiTicketRow, 'id' | 'subject' | 'category' | 'channel' | 'createdAt' | 'actor'> {
  /** In the numerator (false for the rest of the denominator and for excluded tickets). */
  counts: boolean;
  /** Excluded from this KPI by an import flag (then neither in the numerator nor the denominator). */
  excluded: boolean;
  /** Why the ticket counts, does not count, or is excluded, with the moment and event that decide it. */
  why: string;
  /** Ledger sequence numbers of the events that decide it (highlighted on the ticket's timeline). */
  evidence: number[];
}

export interface KpiDrillPage {
  kpi: DrillKpi;
  label: string;
  memberLabel: string;
  populationLabel: string;
  /** The KPI's numerator and denominator over the selection (the same sums the report divides). */
  numerator: number;
  denominator: number;
  /** Tickets of the selection an import flag excludes from this KPI. */
  excluded: number;
  /** AHT only: which handle time the selection's mean uses. */
  ahtSource: AhtSource | null;
  show: DrillShow;
  /** Rows in `show` (all pages). */
  total: number;
  offset: number;
  rows: KpiDrillRow[];
}

export interface KpiExport {
  fileName: string;
  mimeType: string;
  encoding: 'utf8' | 'base64';
  data: string;
}

const drillSelection = {
  ...period,
  category: categoryFilter,
  kpi: z.enum(DRILL_KPIS),
  channel: z.string().max(200).optional(),
  actor: z.enum(['ai', 'human', 'none']).optional(),
  includeFlagged,
};

export const kpisInputs = {
  'kpis.definitions': z.object({}).strict().default({}),
  'kpis.report': z
    .object({ ...period, by: z.enum(KPI_GROUPINGS).optional(), category: categoryFilter, costModel: costModelSchema.optional(), includeFlagged })
    .strict(),
  'kpis.series': z.object({ ...period, category: categoryFilter, bucket: z.enum(['day', 'week']).default('week'), includeFlagged }).strict(),
  'kpis.tickets': z
    .object({
      ...period,
      category: categoryFilter,
      drill: z.enum(KPI_DRILL),
      channel: z.string().max(200).optional(),
      actor: z.enum(['ai', 'human', 'none']).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
      includeFlagged,
    })
    .strict(),
  // A figure's numerator and denominator, ticket by ticket (a page of them), and the whole list as CSV.
  'kpis.drill': z
    .object({
      ...drillSelection,
      show: z.enum(DRILL_SHOW).default('all'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
    })
    .strict(),
  'kpis.drillExport': z.object(drillSelection).strict(),
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
  'kpis.drill': KpiDrillPage;
  'kpis.drillExport': KpiExport;
  'kpis.baselines': BaselineRow[];
  'kpis.freezeBaseline': BaselineRow;
  'kpis.board': MigrationBoard;
  'kpis.roiInputs': RoiLedgerValues;
  'kpis.export': KpiExport;
}
