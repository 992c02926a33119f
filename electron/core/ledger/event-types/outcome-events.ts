// Outcome contracts and what they make of tickets: verifications, reversals, discrepancies and disputes.
import { z } from 'zod';
import { contractSchema } from '../../outcomes/contract-schema.ts';
import type { EventTypeSpec } from './types.ts';

const seq = z.number().int().positive();
const evidence = z.array(seq);
const money = z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal string such as "0.99"');
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month "YYYY-MM"');
const contract = z.string().min(1);
const version = z.number().int().positive();
const reason = z.string().min(1, 'a reason is required');

export const OUTCOME_EVENT_TYPES: Record<string, EventTypeSpec> = {
  // Ledger-wide: one version of an outcome contract, as imported (history is never rewritten).
  'contract.version': { scope: 'ledger', payload: contractSchema },
  // A candidate passed its verification window: a billable event in `period`.
  'outcome.verified': {
    scope: 'ticket',
    payload: z
      .object({ contract, version, price: money, currency: z.string().min(3), period, category: z.string(), solveSeq: seq, evidence })
      .strict(),
  },
  // A reopen after verification, within the clawback: a credit in the period of the reopen.
  'outcome.reversed': {
    scope: 'ticket',
    payload: z
      .object({ contract, version, verifiedSeq: seq, price: money, currency: z.string().min(3), period, reason: z.literal('reopened'), evidence })
      .strict(),
  },
  // An event imported after verification that would have changed it: flagged for review, not applied.
  'outcome.discrepancy': {
    scope: 'ticket',
    payload: z.object({ contract, version, verifiedSeq: seq, reason, evidence }).strict(),
  },
  'outcome.disputed': {
    scope: 'ticket',
    payload: z.object({ contract, verifiedSeq: seq, reason }).strict(),
  },
  // An upheld dispute reverses the outcome: a credit in the period of the decision.
  'outcome.dispute_upheld': {
    scope: 'ticket',
    payload: z
      .object({ contract, verifiedSeq: seq, disputeSeq: seq, reason, price: money, currency: z.string().min(3), period })
      .strict(),
  },
  'outcome.dispute_rejected': {
    scope: 'ticket',
    payload: z.object({ contract, verifiedSeq: seq, disputeSeq: seq, reason }).strict(),
  },
};
