// The rule book of the outcome events Attest writes: a reversal or dispute refers to a verified outcome of the
// same ticket, a dispute is decided once, an outcome is reversed once. It runs in the ledger's append path,
// so an exported line replayed into a ledger obeys the same lifecycle as the console's own writes.
import type { AppendingEvent } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';
import type { LedgerReader, StoredEvent } from '../ledger/ledger-reader.ts';

const REVERSING = new Set(['outcome.reversed', 'outcome.dispute_upheld']);
const DECIDING = new Set(['outcome.dispute_upheld', 'outcome.dispute_rejected']);

function verifiedOutcome(event: AppendingEvent, history: readonly StoredEvent[]): StoredEvent {
  const verifiedSeq = event.payload.verifiedSeq as number;
  const verified = history.find((e) => e.seq === verifiedSeq);
  if (!verified || verified.type !== 'outcome.verified') {
    throw new LineError('verifiedSeq', `#${verifiedSeq} is not a verified outcome of ticket ${event.ticket}`);
  }
  if (verified.payload.contract !== event.payload.contract) {
    throw new LineError('contract', `must be ${String(verified.payload.contract)}, the contract of outcome #${verifiedSeq}`);
  }
  return verified;
}

function reversalOf(history: readonly StoredEvent[], verifiedSeq: number): StoredEvent | undefined {
  return history.find((e) => REVERSING.has(e.type) && e.payload.verifiedSeq === verifiedSeq);
}

function openDisputeOf(history: readonly StoredEvent[], verifiedSeq: number): StoredEvent | undefined {
  const decided = new Set(history.filter((e) => DECIDING.has(e.type)).map((e) => e.payload.disputeSeq));
  return history.find((e) => e.type === 'outcome.disputed' && e.payload.verifiedSeq === verifiedSeq && !decided.has(e.seq));
}

export function outcomeVerifiedRule(event: AppendingEvent, ledger: LedgerReader): void {
  const history = ledger.ofTicket(event.ticket!);
  const contract = event.payload.contract;
  const standing = history.find(
    (e) => e.type === 'outcome.verified' && e.payload.contract === contract && e.payload.solveSeq === event.payload.solveSeq && !reversalOf(history, e.seq),
  );
  if (standing) throw new LineError('solveSeq', `the solve #${String(event.payload.solveSeq)} is already a verified outcome (#${standing.seq}) under ${String(contract)}`);
  const solve = history.find((e) => e.seq === event.payload.solveSeq);
  if (!solve || solve.type !== 'status') throw new LineError('solveSeq', `#${String(event.payload.solveSeq)} is not a status change of ticket ${event.ticket}`);
}

export function outcomeReversedRule(event: AppendingEvent, ledger: LedgerReader): void {
  const history = ledger.ofTicket(event.ticket!);
  const verified = verifiedOutcome(event, history);
  const reversal = reversalOf(history, verified.seq);
  if (reversal) throw new LineError('verifiedSeq', `outcome #${verified.seq} was already reversed (#${reversal.seq})`);
}

export function outcomeDiscrepancyRule(event: AppendingEvent, ledger: LedgerReader): void {
  verifiedOutcome(event, ledger.ofTicket(event.ticket!));
}

export function disputeOpenedRule(event: AppendingEvent, ledger: LedgerReader): void {
  const history = ledger.ofTicket(event.ticket!);
  const verified = verifiedOutcome(event, history);
  const reversal = reversalOf(history, verified.seq);
  if (reversal) throw new LineError('verifiedSeq', `outcome #${verified.seq} was already reversed (#${reversal.seq}); there is nothing to dispute`);
  const open = openDisputeOf(history, verified.seq);
  if (open) throw new LineError('verifiedSeq', `outcome #${verified.seq} already has an open dispute (#${open.seq})`);
}

export function disputeDecidedRule(event: AppendingEvent, ledger: LedgerReader): void {
  const history = ledger.ofTicket(event.ticket!);
  const verified = verifiedOutcome(event, history);
  const open = openDisputeOf(history, verified.seq);
  if (!open || open.seq !== event.payload.disputeSeq) {
    throw new LineError('disputeSeq', `#${String(event.payload.disputeSeq)} is not an open dispute of outcome #${verified.seq}`);
  }
  if (event.type === 'outcome.dispute_upheld') {
    const reversal = reversalOf(history, verified.seq);
    if (reversal) throw new LineError('verifiedSeq', `outcome #${verified.seq} was already reversed (#${reversal.seq}); reject the dispute instead`);
  }
}
