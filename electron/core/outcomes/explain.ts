// Why a ticket is, is not, or is not yet billable under a contract: the state, the reason, the evidence events.
import { NotFoundError } from '../errors.ts';
import type { Explanation } from '../../../shared/contracts/outcomes.ts';
import type { Db } from '../db/connection.ts';
import type { Contract } from './contract-schema.ts';
import { evaluateTicket, type SlaLookup } from './evaluate.ts';
import { formatMinor } from './money.ts';
import { openDispute, readBook, resolveContract, type ContractVersions, type VerifiedRecord } from './outcome-book.ts';
import { OutcomeRepository } from './outcome-repository.ts';
import { resolveAsOf } from './as-of.ts';
import { slaLookupAsOf } from './sla-as-of.ts';

export class TicketNotFoundError extends NotFoundError {}

/** What a verified outcome passed, in the contract's words. */
function passed(version: Contract): string {
  const { criteria } = version;
  const before = [criteria.noHumanPublicReply ? 'no human public reply' : '', criteria.noEscalation ? 'no escalation' : ''].filter(Boolean);
  const within = ['no reopen', criteria.minCsat != null ? `no CSAT below ${criteria.minCsat}` : ''].filter(Boolean);
  const sla = criteria.requireSla.length ? `; SLA ${criteria.requireSla.join(', ')} achieved` : '';
  return `solved by the AI${before.length ? ` with ${before.join(' and ')} before the solve` : ''}; ${within.join(' and ')} within the ${criteria.verificationWindowHours}-hour window${sla}`;
}

function verifiedExplanation(ticket: string, record: VerifiedRecord, contract: ContractVersions, version: Contract | undefined, asOf: string): Explanation {
  const price = `${formatMinor(record.priceMinor, contract.digits)} ${contract.currency}`;
  const base = {
    ticket,
    contract: contract.id,
    version: record.version,
    discrepancies: record.discrepancies,
    dispute: openDispute(record),
    asOf,
    basis: 'ledger' as const,
  };
  if (record.reversal) {
    const why =
      record.reversal.reason === 'reopened'
        ? `reopened ${record.reversal.at}, within the ${version?.clawbackDays ?? '?'}-day clawback after verification`
        : `dispute upheld: ${record.disputes.find((d) => d.decisionSeq === record.reversal!.seq)?.decisionReason ?? ''}`;
    return {
      ...base,
      state: 'reversed',
      reason: `verified ${record.at} (${price}, period ${record.period}), then reversed: ${why}; credited in ${record.reversal.period}`,
      clause: record.reversal.reason === 'reopened' ? 'clawbackDays' : 'disputes',
      evidence: [...new Set([...record.evidence, record.seq, ...record.reversal.evidence, record.reversal.seq])].sort((a, b) => a - b),
    };
  }
  const notes: string[] = [];
  if (base.dispute) notes.push(`disputed by ${base.dispute.openedBy} (${base.dispute.reason}); held back from statements until a supervisor decides`);
  if (record.discrepancies.length > 0) notes.push(`discrepancy flagged for review: ${record.discrepancies.map((d) => d.reason).join('; ')}`);
  if (record.priceProblem) notes.push(record.priceProblem);
  return {
    ...base,
    state: 'verified',
    reason: `verified ${record.at} under version ${record.version}: ${version ? passed(version) : 'a version the ledger does not hold'}; ${price} billed in ${record.period}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    clause: 'criteria',
    evidence: [...new Set([...record.evidence, record.seq, ...record.discrepancies.flatMap((d) => d.evidence)])].sort((a, b) => a - b),
  };
}

/**
 * Why the ticket is (not) billable as of `asOf` (default now; never later than now). A verification recorded by
 * then is the answer; otherwise the contract is applied to the ticket's events as of then — a dry evaluation
 * that writes nothing and says so.
 */
export function explainTicket(db: Db, ticket: string, options: { contract?: string; asOf?: string; sla?: SlaLookup; nowMs?: number } = {}): Explanation {
  const asOf = resolveAsOf(options.asOf, options.nowMs);
  const repository = new OutcomeRepository(db);
  if (!repository.ticketExists(ticket)) throw new TicketNotFoundError(`ticket ${ticket} not found`);
  const contract = resolveContract(repository, options.contract);
  const record = readBook(repository, contract, ticket, asOf.iso).get(ticket);
  if (record) return verifiedExplanation(ticket, record, contract, contract.versions.find((v) => v.version === record.version), asOf.iso);
  const evaluation = evaluateTicket(ticket, repository.ticketEvents(ticket), contract.versions, asOf.ms, options.sla ?? slaLookupAsOf(db, asOf));
  const base = { ticket, contract: contract.id, version: evaluation.version, clause: evaluation.clause, evidence: evaluation.evidence, dispute: null, discrepancies: [], asOf: asOf.iso, basis: 'dry_evaluation' as const };
  switch (evaluation.kind) {
    case 'out_of_scope':
      return { ...base, state: 'out_of_scope', reason: evaluation.reason };
    case 'not_billable':
      return { ...base, state: 'not_billable', reason: evaluation.reason };
    case 'open':
    case 'pending':
      return { ...base, state: 'pending', reason: evaluation.reason };
    case 'verifiable':
      return {
        ...base,
        state: 'pending',
        reason: `${evaluation.reason}; the window ended ${new Date(evaluation.windowEndMs).toISOString()} — not yet verified: verification has not run since (run "attest outcomes", or "Run outcome verification" in the console)`,
      };
  }
}
