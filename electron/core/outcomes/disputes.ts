// Disputes: an auditor flags a billable outcome (held out of statements); a supervisor upholds it (a reversal,
// credited in the period of the decision) or rejects it (billable again). Each step is a ledger event.
import type { DiscrepancyRow, DisputeList, DisputeRow } from '../../../shared/contracts/outcomes.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { recordEvents } from '../derived/record-events.ts';
import { periodOf } from './contract-schema.ts';
import { formatMinor } from './money.ts';
import { contractIds, OutcomeInputError, openDispute, readBook, resolveContract } from './outcome-book.ts';
import { OutcomeRepository } from './outcome-repository.ts';
import { signaturesOf } from '../people/signatures.ts';

function findDispute(db: Db, disputeSeq: number): DisputeRow {
  const repository = new OutcomeRepository(db);
  const event = repository.eventBySeq(disputeSeq);
  if (!event || event.type !== 'outcome.disputed') throw new OutcomeInputError(`no dispute #${disputeSeq}`);
  const contract = resolveContract(repository, String(event.payload.contract));
  const record = readBook(repository, contract, event.ticket!).get(event.ticket!);
  return record!.disputes.find((d) => d.seq === disputeSeq)!;
}

export function openDisputeOn(db: Db, ticket: string, reason: string, actor: Actor, options: { contract?: string; at?: string } = {}): DisputeRow {
  const repository = new OutcomeRepository(db);
  const contract = resolveContract(repository, options.contract);
  const record = readBook(repository, contract, ticket).get(ticket);
  if (!record) throw new OutcomeInputError(`${ticket} has no verified outcome under ${contract.id}: only a billable event can be disputed`);
  if (record.reversal) throw new OutcomeInputError(`${ticket}: the outcome was already reversed (event #${record.reversal.seq})`);
  const open = openDispute(record);
  if (open) throw new OutcomeInputError(`${ticket} already has an open dispute (#${open.seq}, opened by ${open.openedBy})`);
  const [recorded] = recordEvents(db, [
    { ticket, type: 'outcome.disputed', at: options.at ?? new Date().toISOString(), actor, contract: contract.id, verifiedSeq: record.seq, reason },
  ]);
  return findDispute(db, recorded!.seq);
}

export function decideDispute(db: Db, disputeSeq: number, decision: 'upheld' | 'rejected', reason: string, actor: Actor, at = new Date().toISOString()): DisputeRow {
  const dispute = findDispute(db, disputeSeq);
  if (dispute.state !== 'open') throw new OutcomeInputError(`dispute #${disputeSeq} was already ${dispute.state} by ${dispute.decidedBy} (${dispute.decidedAt})`);
  const repository = new OutcomeRepository(db);
  const contract = resolveContract(repository, dispute.contract);
  const record = readBook(repository, contract, dispute.ticket).get(dispute.ticket)!;
  if (decision === 'upheld' && record.reversal) {
    throw new OutcomeInputError(`${dispute.ticket}: the outcome was already reversed (event #${record.reversal.seq}); reject the dispute instead`);
  }
  const common = { ticket: dispute.ticket, at, actor, contract: contract.id, verifiedSeq: record.seq, disputeSeq, reason };
  const line =
    decision === 'upheld'
      ? { ...common, type: 'outcome.dispute_upheld', price: formatMinor(record.priceMinor, contract.digits), currency: contract.currency, period: periodOf(Date.parse(at), contract.timezone) }
      : { ...common, type: 'outcome.dispute_rejected' };
  recordEvents(db, [line]);
  return findDispute(db, disputeSeq);
}

/** Every dispute (open first, oldest first) and every discrepancy, across contracts. */
export function listDisputes(db: Db): DisputeList {
  const repository = new OutcomeRepository(db);
  const disputes: DisputeRow[] = [];
  const discrepancies: DiscrepancyRow[] = [];
  for (const id of contractIds(repository)) {
    for (const record of readBook(repository, resolveContract(repository, id)).values()) {
      disputes.push(...record.disputes);
      discrepancies.push(...record.discrepancies);
    }
  }
  disputes.sort((a, b) => (a.state === 'open' ? 0 : 1) - (b.state === 'open' ? 0 : 1) || a.seq - b.seq);
  discrepancies.sort((a, b) => a.seq - b.seq);
  const signatures = Map.groupBy(signaturesOf(db, disputes.flatMap((d) => (d.decisionSeq === null ? [] : [d.decisionSeq]))), (s) => s.signedSeq);
  return { disputes: disputes.map((d) => (d.decisionSeq !== null && signatures.has(d.decisionSeq) ? { ...d, decisionSignatures: signatures.get(d.decisionSeq)! } : d)), discrepancies };
}
