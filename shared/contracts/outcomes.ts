// Outcome contracts: verified resolutions, statements, reversals, disputes. See the README's outcome contracts section.
import { z } from 'zod';
import { signatureInputSchema, type SignatureRow } from './people.ts';

export const OUTCOME_STATES = ['verified', 'pending', 'not_billable', 'reversed', 'out_of_scope'] as const;
export type OutcomeState = (typeof OUTCOME_STATES)[number];

export interface ContractVersionRow {
  id: string;
  version: number;
  effectiveFrom: string;
  timezone: string;
  currency: string;
  /** Decimal string, e.g. "0.99". */
  price: string;
  categories: string[];
  criteria: {
    noHumanPublicReply: boolean;
    noEscalation: boolean;
    verificationWindowHours: number;
    minCsat: number | null;
    requireSla: string[];
  };
  clawbackDays: number;
  /** The ledger event that recorded this version. */
  seq: number;
  importedAt: string;
}

export interface Explanation {
  ticket: string;
  state: OutcomeState;
  reason: string;
  evidence: number[];
  contract: string | null;
  version: number | null;
  /** The contract clause the reason rests on, e.g. "criteria.minCsat". */
  clause: string | null;
  /** Set when the ticket is verified and a dispute is open on it. */
  dispute: DisputeRow | null;
  /** Late events that would have changed a verified outcome (flagged, not applied). */
  discrepancies: DiscrepancyRow[];
  /** The instant the explanation is as of (only events with `at` <= it count). */
  asOf: string;
  /**
   * 'ledger': the state rests on outcome events the verification job wrote; 'dry_evaluation': no verification is
   * recorded yet, the state is the contract applied to the events as of `asOf` by a pure function (nothing written).
   */
  basis: 'ledger' | 'dry_evaluation';
}

export interface StatementLine {
  ticket: string;
  category: string;
  version: number;
  /**
   * 'billed', 'held' (open dispute), 'reversed' (a credit in this period), 'billed_and_reversed', or
   * 'awaiting_cosignature' (the contract requires a buyer-cosigned checkpoint covering the verification; none yet).
   */
  status: 'billed' | 'held' | 'reversed' | 'billed_and_reversed' | 'awaiting_cosignature';
  verifiedSeq: number;
  verifiedAt: string;
  charge: string;
  credit: string;
  net: string;
  reversedSeq: number | null;
  reversalReason: 'reopened' | 'dispute_upheld' | null;
  disputeSeq: number | null;
  discrepancy: boolean;
  evidence: number[];
}

/**
 * A change to a period already issued, posted in the first period not yet issued: the difference between what the
 * ledger says of that outcome in the original period now and what it said when the last statement was issued.
 */
export interface AdjustmentLine {
  ticket: string;
  category: string;
  /** The original (issued) period the change concerns. */
  period: string;
  verifiedSeq: number;
  /** The line's status in the original period when the last statement was issued ('absent': no line then). */
  was: StatementLine['status'] | 'absent';
  /** Its status there now. */
  now: StatementLine['status'] | 'absent';
  /** Differences (may be negative) of the original line's charge and credit; net = charge − credit. */
  charge: string;
  credit: string;
  net: string;
  /** The ledger events since the last issue that made the change (outcome events, a covering cosignature). */
  events: number[];
}

export interface CategoryTotals {
  verified: number;
  reversed: number;
  disputed: number;
  subtotal: string;
  credits: string;
  total: string;
  /** Outcomes awaiting a buyer-cosigned checkpoint (not charged). */
  awaiting: number;
  /** Net of the adjustment lines of the category (included in total). */
  adjustments: string;
}

/**
 * A period of a contract: open (a live view), issued (a closed document), or closed without a statement of its own
 * (before the last issued one; it shows what it held when that was issued, later changes are adjustments).
 */
export interface PeriodState {
  period: string;
  state: 'open' | 'issued' | 'closed';
  /** Set when issued: the `statement.issued` event, who issued it and when, the document's SHA-256 and total. */
  seq: number | null;
  issuedAt: string | null;
  issuedBy: string | null;
  issuedByName: string | null;
  sha256: string | null;
  total: string | null;
  /** The checkpoint the issued statement was computed under. */
  treeSize: number | null;
  rootHash: string | null;
  /** This period is the first not yet issued: changes to issued periods are posted here as adjustments. */
  frontier: boolean;
}

export interface IssuedStatementResult {
  contract: string;
  period: string;
  seq: number;
  sha256: string;
  total: string;
  currency: string;
  checkpoint: { seq: number; treeSize: number; rootHash: string };
}

export interface Statement {
  period: string;
  contract: { id: string; versions: number[]; timezone: string };
  currency: string;
  verified: number;
  reversed: number;
  disputed: number;
  discrepancies: number;
  subtotal: string;
  credits: string;
  heldBack: string;
  /** Outcomes of the period awaiting a buyer-cosigned checkpoint (not charged), and their amount. */
  awaiting: number;
  awaitingAmount: string;
  /** Changes to issued periods posted here (only in the first period not yet issued). */
  adjustments: AdjustmentLine[];
  adjustmentsTotal: string;
  /** subtotal − credits + adjustmentsTotal. */
  total: string;
  lines: StatementLine[];
  byCategory: Record<string, CategoryTotals>;
  /**
   * The electronic signatures of the records the statement relies on: the contract versions it applies and the
   * dispute decisions of its lines (who, when, meaning, reason, and the signed event's seq and hash).
   */
  signatures: SignatureRow[];
}

export interface VerificationReport {
  asOf: string;
  contracts: string[];
  verifiedAdded: number;
  reversedAdded: number;
  discrepanciesAdded: number;
  examined: number;
  /**
   * Of `examined`, the tickets the console's memory of its earlier runs on this ledger settled without reading them
   * again: no event of theirs since, and nothing their verdict reads changed (present only when a memory was used).
   */
  remembered?: number;
  /**
   * True when the job was cancelled (outcomes.cancelVerify) between two batches: what it recorded before stays in
   * the ledger (each batch is its own transaction), and a later run carries on from there.
   */
  cancelled?: boolean;
}

export interface AttributionCounts {
  period: string;
  contract: string | null;
  asOf: string;
  /** From the ledger: outcome.verified events billed in the period. */
  verified: string[];
  /** Dry evaluation (nothing written): AI solves whose window still runs or that await the verification job. */
  pending: string[];
  /** Dry evaluation: tickets in scope that became not billable in the period. */
  rejected: string[];
  /** The part of `pending` whose window has ended: verification has not run for them since. */
  awaitingVerification: string[];
  /**
   * The periods with something to count (a verified outcome billed or a ticket in scope rejected in it), newest first.
   * Without a period asked for, the counter reads the first of them (the current period when there is none).
   */
  periodsWithData?: string[];
}

/** Pushed as the core event `outcomes.progress` after each batch of the verification job. */
export interface VerificationProgress {
  asOf: string;
  contract: string;
  /** Tickets examined so far, of `total` across all contracts. */
  done: number;
  total: number;
  verifiedAdded: number;
  reversedAdded: number;
  discrepanciesAdded: number;
}

export interface DisputeRow {
  seq: number;
  ticket: string;
  contract: string;
  verifiedSeq: number;
  openedAt: string;
  openedBy: string;
  reason: string;
  state: 'open' | 'upheld' | 'rejected';
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  decisionSeq: number | null;
  /** Who signed the decision (ledgers with accounts); listed by outcomes.disputes. */
  decisionSignatures?: SignatureRow[];
}

export interface DiscrepancyRow {
  seq: number;
  ticket: string;
  contract: string;
  verifiedSeq: number;
  at: string;
  reason: string;
  evidence: number[];
}

export interface DisputeList {
  disputes: DisputeRow[];
  discrepancies: DiscrepancyRow[];
}

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month "YYYY-MM"');
const contractId = z.string().min(1).max(100).optional();
const reason = z.string().trim().min(1, 'say why').max(2000);
const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, 'must be an ISO 8601 timestamp with a time zone');

export const outcomeInputs = {
  'outcomes.contracts': z.object({}).strict().default({}),
  'outcomes.verify': z.object({ asOf: timestamp.optional() }).strict().default({}),
  // Cancels the running verification job between two batches; false when none is running.
  'outcomes.cancelVerify': z.object({}).strict().default({}),
  'outcomes.explain': z.object({ ticket: z.string().min(1).max(200), contract: contractId, asOf: timestamp.optional() }).strict(),
  'outcomes.periods': z.object({ contract: contractId }).strict().default({}),
  'outcomes.statement': z.object({ period, contract: contractId }).strict(),
  'outcomes.statementPdf': z.object({ period, contract: contractId }).strict(),
  'outcomes.periodStates': z.object({ contract: contractId }).strict().default({}),
  // Issuing closes the period for good; signed (meaning "approved") when the ledger has accounts.
  'outcomes.issueStatement': z.object({ period, contract: contractId, signature: signatureInputSchema.optional() }).strict(),
  'outcomes.attribution': z.object({ period: period.optional(), contract: contractId, asOf: timestamp.optional() }).strict().default({}),
  'outcomes.disputes': z.object({}).strict().default({}),
  'outcomes.disputeOpen': z.object({ ticket: z.string().min(1).max(200), reason, contract: contractId }).strict(),
  // Deciding a dispute is signed when the ledger has accounts (signature: password again, meaning, reason).
  'outcomes.disputeUphold': z.object({ dispute: z.number().int().positive(), reason, signature: signatureInputSchema.optional() }).strict(),
  'outcomes.disputeReject': z.object({ dispute: z.number().int().positive(), reason, signature: signatureInputSchema.optional() }).strict(),
} as const;

export interface OutcomeCoreEvents {
  'outcomes.progress': VerificationProgress;
}

export interface OutcomeOutputs {
  'outcomes.contracts': ContractVersionRow[];
  'outcomes.verify': VerificationReport;
  'outcomes.cancelVerify': { cancelled: boolean };
  'outcomes.explain': Explanation;
  'outcomes.periods': string[];
  'outcomes.statement': Statement;
  /** Base64 of the PDF file. */
  'outcomes.statementPdf': { fileName: string; base64: string };
  'outcomes.periodStates': PeriodState[];
  'outcomes.issueStatement': IssuedStatementResult;
  'outcomes.attribution': AttributionCounts;
  'outcomes.disputes': DisputeList;
  'outcomes.disputeOpen': DisputeRow;
  'outcomes.disputeUphold': DisputeRow;
  'outcomes.disputeReject': DisputeRow;
}
