// Outcome contracts and what they make of tickets: verifications, reversals, discrepancies and disputes.
// Everything but a contract version is Attest's own statement (writtenBy 'attest'); the rules keep each
// contract's history append-only and each outcome's lifecycle in order on every append path.
import { z } from 'zod';
import { contractSchema } from './contract-schema.ts';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';
import { contractVersionRule } from './contract-rules.ts';
import { statementIssuedRule } from './statement-rules.ts';
import { disputeDecidedRule, disputeOpenedRule, outcomeDiscrepancyRule, outcomeReversedRule, outcomeVerifiedRule } from './outcome-rules.ts';

const seq = z.number().int().positive();
const evidence = z.array(seq);
const money = z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal string such as "0.99"');
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month "YYYY-MM"');
const contract = z.string().min(1);
const version = z.number().int().positive();
const reason = z.string().min(1, 'a reason is required');

export const OUTCOME_EVENT_TYPES: Record<string, EventTypeSpec> = {
  // Ledger-wide: one version of an outcome contract, as imported (history is never rewritten).
  'contract.version': { actedBy: 'person', signedOnceAccounts: () => true, scope: 'ledger', payload: contractSchema, rules: [contractVersionRule] },
  // A candidate passed its verification window: a billable event in `period`.
  'outcome.verified': {
    scope: 'ticket',
    writtenBy: 'attest',
    rules: [outcomeVerifiedRule],
    payload: z
      .object({ contract, version, price: money, currency: z.string().min(3), period, category: z.string(), solveSeq: seq, evidence })
      .strict(),
  },
  // A reopen after verification, within the clawback: a credit in the period of the reopen.
  'outcome.reversed': {
    scope: 'ticket',
    writtenBy: 'attest',
    rules: [outcomeReversedRule],
    payload: z
      .object({ contract, version, verifiedSeq: seq, price: money, currency: z.string().min(3), period, reason: z.literal('reopened'), evidence })
      .strict(),
  },
  // An event imported after verification that would have changed it: flagged for review, not applied.
  'outcome.discrepancy': {
    scope: 'ticket',
    writtenBy: 'attest',
    rules: [outcomeDiscrepancyRule],
    payload: z.object({ contract, version, verifiedSeq: seq, reason, evidence }).strict(),
  },
  'outcome.disputed': {
    actedBy: 'person',
    scope: 'ticket',
    writtenBy: 'attest',
    rules: [disputeOpenedRule],
    payload: z.object({ contract, verifiedSeq: seq, reason }).strict(),
  },
  // An upheld dispute reverses the outcome: a credit in the period of the decision.
  'outcome.dispute_upheld': {
    actedBy: 'person',
    signedOnceAccounts: () => true,
    scope: 'ticket',
    writtenBy: 'attest',
    rules: [disputeDecidedRule],
    payload: z
      .object({ contract, verifiedSeq: seq, disputeSeq: seq, reason, price: money, currency: z.string().min(3), period })
      .strict(),
  },
  'outcome.dispute_rejected': {
    actedBy: 'person',
    signedOnceAccounts: () => true,
    scope: 'ticket',
    writtenBy: 'attest',
    rules: [disputeDecidedRule],
    payload: z.object({ contract, verifiedSeq: seq, disputeSeq: seq, reason }).strict(),
  },
  // Ledger-wide: a period's statement issued — closed for good. Signed ("approved") once the ledger has accounts.
  'statement.issued': {
    actedBy: 'person',
    signedOnceAccounts: () => true,
    scope: 'ledger',
    writtenBy: 'attest',
    rules: [statementIssuedRule],
    payload: z
      .object({
        contract,
        period,
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
        totals: z.record(z.string(), z.union([z.string(), z.number()])),
        checkpoint: z.object({ seq, treeSize: z.number().int().nonnegative(), rootHash: z.string().min(1) }).strict(),
        document: z.string().min(2),
      })
      .strict(),
  },
};
