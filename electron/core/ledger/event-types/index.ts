// Every event type the ledger accepts. A feature adds its types in its own module and spreads it here.
import { contractVersionRule } from '../../outcomes/contract-rules.ts';
import {
  disputeDecidedRule,
  disputeOpenedRule,
  outcomeDiscrepancyRule,
  outcomeReversedRule,
  outcomeVerifiedRule,
} from '../../outcomes/outcome-rules.ts';
import { slaPolicyRule } from '../../sla/policy-rules.ts';
import { AI_EVENT_TYPES } from './ai-events.ts';
import { CATEGORY_EVENT_TYPES } from './category-events.ts';
import { CHECKPOINT_EVENT_TYPES } from './checkpoint-events.ts';
import { KPI_EVENT_TYPES } from './kpi-events.ts';
import { SLA_EVENT_TYPES } from './sla-events.ts';
import { IMPORT_EVENT_TYPES } from './import-events.ts';
import { OUTCOME_EVENT_TYPES } from './outcome-events.ts';
import { TICKET_EVENT_TYPES } from './ticket-events.ts';
import type { EventRule, EventTypeSpec } from './types.ts';

export type { EventTypeSpec } from './types.ts';

/**
 * Types only Attest itself writes: a file may carry them only as exact chained lines of an Attest export.
 * Verifications and disputes, AI steps and decisions, importer records and frozen baselines are Attest's own
 * statements; a source system or a person cannot state them by writing a line.
 */
const WRITTEN_BY_ATTEST = new Set([
  'outcome.verified',
  'outcome.reversed',
  'outcome.discrepancy',
  'outcome.disputed',
  'outcome.dispute_upheld',
  'outcome.dispute_rejected',
  'ai.triage',
  'ai.retrieval',
  'ai.draft',
  'ai.check',
  'ai.decision',
  'ai.review',
  'ai.settings',
  'import.file',
  'import.flag',
  'baseline.frozen',
  'checkpoint',
]);

const RULES: Readonly<Record<string, readonly EventRule[]>> = {
  'contract.version': [contractVersionRule],
  'sla.policy': [slaPolicyRule],
  'outcome.verified': [outcomeVerifiedRule],
  'outcome.reversed': [outcomeReversedRule],
  'outcome.discrepancy': [outcomeDiscrepancyRule],
  'outcome.disputed': [disputeOpenedRule],
  'outcome.dispute_upheld': [disputeDecidedRule],
  'outcome.dispute_rejected': [disputeDecidedRule],
};

function withRuleBook(specs: Record<string, EventTypeSpec>): Record<string, EventTypeSpec> {
  return Object.fromEntries(
    Object.entries(specs).map(([type, spec]) => [
      type,
      { ...spec, writtenBy: WRITTEN_BY_ATTEST.has(type) ? 'attest' : (spec.writtenBy ?? 'source'), rules: [...(spec.rules ?? []), ...(RULES[type] ?? [])] },
    ]),
  );
}

export const EVENT_TYPE_SPECS: Readonly<Record<string, EventTypeSpec>> = withRuleBook({
  ...TICKET_EVENT_TYPES,
  ...CATEGORY_EVENT_TYPES,
  ...KPI_EVENT_TYPES,
  ...SLA_EVENT_TYPES,
  ...IMPORT_EVENT_TYPES,
  ...AI_EVENT_TYPES,
  ...OUTCOME_EVENT_TYPES,
  ...CHECKPOINT_EVENT_TYPES,
});
