// SLA engine: compliance per metric, one ticket's clocks, the live board of approaching and breached clocks,
// weekly trend, drill-down to tickets, policy versions. See the README's SLA section for the exact semantics.
import { z } from 'zod';
import type { Priority } from '../domain.ts';

export const SLA_METRICS = ['first_reply', 'next_reply', 'periodic_update', 'requester_wait', 'agent_work', 'total_resolution'] as const;
export type SlaMetricKey = (typeof SLA_METRICS)[number];
export const SLA_GROUPINGS = ['priority', 'category', 'actor'] as const;
export type SlaGrouping = (typeof SLA_GROUPINGS)[number];
export type SlaOutcome = 'achieved' | 'breached' | 'in_progress' | 'not_applicable';
/** Who fulfilled the metric (answered, solved); 'none' while nobody has. */
export type SlaActorKind = 'ai' | 'human' | 'customer' | 'system' | 'none';

export interface SlaMetricCounts {
  achieved: number;
  breached: number;
  inProgress: number;
  /** achieved / (achieved + breached); null when both are 0. */
  compliance: number | null;
}

export interface SlaComplianceReport {
  from: string;
  to: string;
  metrics: Record<SlaMetricKey, SlaMetricCounts>;
  /** Empty without `by`; otherwise group key (a priority, a category, or an actor kind) -> counts per metric. */
  groups: Record<string, Record<SlaMetricKey, SlaMetricCounts>>;
}

export type SlaEventKind = 'activate' | 'pause' | 'resume' | 'fulfill' | 'breach';

export interface SlaClockEvent {
  kind: SlaEventKind;
  at: string;
  /** The ledger event that caused it; null for a breach (the clock reached its target between events). */
  seq: number | null;
  cause: string;
}

export interface SlaClock {
  metric: SlaMetricKey;
  /** 1, 2, … for metrics that run more than once (next reply, periodic update). */
  instance: number;
  policyId: string;
  policyVersion: number;
  calendar: string;
  business: boolean;
  targetMinutes: number;
  status: 'achieved' | 'breached' | 'running' | 'paused';
  startedAt: string;
  stoppedAt: string | null;
  /** Running time in the clock's minutes (business or calendar), as of stoppedAt or asOf. */
  elapsedMinutes: number;
  /** When the clock reached (or, running, will reach) its target; null when it never did / is paused before it. */
  breachAt: string | null;
  fulfilledBy: SlaActorKind;
  events: SlaClockEvent[];
}

export interface SlaTicketReport {
  ticket: string;
  asOf: string;
  /** Per metric: the ticket's outcome (as ticketSlaOutcome) and its clocks. */
  metrics: Record<SlaMetricKey, { outcome: SlaOutcome; clocks: SlaClock[] }>;
}

export interface SlaLiveRow {
  ticket: string;
  subject: string;
  priority: Priority;
  category: string;
  metric: SlaMetricKey;
  instance: number;
  policyId: string;
  breachAt: string;
  /** breachAt - asOf in milliseconds: negative when already breached. */
  remainingMs: number;
  state: 'approaching' | 'breached';
}

export interface SlaLiveBoard {
  asOf: string;
  warningMinutes: number;
  /** Running clocks that breach within the warning window, soonest first. */
  approaching: SlaLiveRow[];
  /** Running clocks already past their target, most recently breached first. */
  breached: SlaLiveRow[];
  breachedTotal: number;
}

export interface SlaTrendPoint {
  /** Monday (UTC) of the week, YYYY-MM-DD. */
  week: string;
  metric: SlaMetricKey;
  actor: SlaActorKind;
  achieved: number;
  breached: number;
}

export interface SlaTicketsPage {
  total: number;
  rows: { ticket: string; subject: string; priority: Priority; category: string; createdAt: string; outcome: SlaOutcome; actor: SlaActorKind; evidenceSeqs: number[] }[];
}

/** A file the console downloads: the tickets behind an SLA figure as CSV. */
export interface SlaTicketsExport {
  fileName: string;
  mimeType: 'text/csv';
  encoding: 'utf8';
  data: string;
}

export interface SlaPolicyVersionRow {
  seq: number;
  version: number;
  effectiveFrom: string;
  recordedAt: string;
  recordedBy: string;
  policies: { id: string; calendar: string; match: Record<string, string[]> }[];
  calendars: string[];
}

export interface SlaImportReport {
  file: string;
  version: number;
  effectiveFrom: string;
  policies: number;
  calendars: number;
  seq: number;
}

const dateOrTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/, 'must be YYYY-MM-DD or an ISO 8601 timestamp');
const range = { from: dateOrTime, to: dateOrTime };
/** The tickets behind one SLA figure: a metric's outcome in a period, optionally in one group (sla.tickets, its export). */
const slaTicketSelection = {
  ...range,
  metric: z.enum(SLA_METRICS),
  outcome: z.enum(['achieved', 'breached', 'in_progress']),
  by: z.enum(SLA_GROUPINGS).optional(),
  group: z.string().max(200).optional(),
};

export const slaInputs = {
  'sla.compliance': z.object({ ...range, by: z.enum(SLA_GROUPINGS).optional() }).strict(),
  'sla.trend': z.object(range).strict(),
  'sla.tickets': z
    .object({ ...slaTicketSelection, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) })
    .strict(),
  // The whole list behind an SLA figure (every page of sla.tickets) as CSV.
  'sla.ticketsExport': z.object(slaTicketSelection).strict(),
  'sla.live': z
    .object({ warningMinutes: z.number().int().min(1).max(10_080).default(60), asOf: dateOrTime.optional(), limit: z.number().int().min(1).max(500).default(100) })
    .strict(),
  'sla.ticket': z.object({ id: z.string().min(1).max(200), asOf: dateOrTime.optional() }).strict(),
  'sla.policies': z.object({}).strict().default({}),
  'sla.importPolicies': z.object({ fileName: z.string().min(1).max(500), text: z.string().max(8 * 1024 * 1024) }).strict(),
} as const;

export interface SlaOutputs {
  'sla.compliance': SlaComplianceReport;
  'sla.trend': SlaTrendPoint[];
  'sla.tickets': SlaTicketsPage;
  'sla.ticketsExport': SlaTicketsExport;
  'sla.live': SlaLiveBoard;
  'sla.ticket': SlaTicketReport;
  'sla.policies': SlaPolicyVersionRow[];
  'sla.importPolicies': SlaImportReport;
}
