// Verification as of an instant: writes `outcome.verified` for candidates whose window has passed,
// `outcome.reversed` for reopens within the clawback, and `outcome.discrepancy` for late events that would
// have changed a verified outcome. Idempotent: what the ledger already says is never written again.
import type { VerificationReport } from '../../../shared/contracts/outcomes.ts';
import type { SlaMetricKey } from '../../../shared/contracts/sla.ts';
import type { Db } from '../db/connection.ts';
import { recordEvents } from '../derived/record-events.ts';
import { ticketSlaOutcome } from '../sla/sla-queries.ts';
import { effectiveStartMs, periodOf, priceMinor } from './contract-schema.ts';
import { clawbackEndMs, evaluateTicket, reopensAfter, ticketFacts, type Evaluation, type SlaLookup } from './evaluate.ts';
import { formatMinor } from './money.ts';
import { contractIds, readBook, resolveContract, type ContractVersions, type VerifiedRecord } from './outcome-book.ts';
import { OutcomeRepository } from './outcome-repository.ts';

const SYSTEM = { kind: 'system', id: 'attest-verifier' } as const;

export function defaultSlaLookup(db: Db): SlaLookup {
  return (ticketId: string, metric: SlaMetricKey) => ticketSlaOutcome(db, ticketId, metric);
}

/** Tickets a contract may concern: created from its first effective date, in any category a version covers. */
export function scopeTickets(repository: OutcomeRepository, contract: ContractVersions): string[] {
  const from = Math.min(...contract.versions.map(effectiveStartMs));
  const categories = contract.versions.some((v) => v.categories.length === 0) ? null : [...new Set(contract.versions.flatMap((v) => v.categories))];
  return repository.ticketsInScope(new Date(from).toISOString(), categories);
}

/** Why a verified outcome no longer matches the ledger, or null when it still does. */
function discrepancyOf(record: VerifiedRecord, evaluation: Evaluation): string | null {
  if (evaluation.kind === 'verifiable' && evaluation.solveSeq === record.solveSeq && evaluation.version === record.version) return null;
  if (evaluation.kind === 'verifiable' || evaluation.kind === 'pending') {
    return evaluation.version !== record.version
      ? `the ticket now falls under version ${evaluation.version}, not ${record.version}`
      : `the first solve is now event #${evaluation.solveSeq}, not #${record.solveSeq}`;
  }
  return evaluation.reason;
}

function verifyContract(db: Db, repository: OutcomeRepository, contract: ContractVersions, asOfMs: number, sla: SlaLookup, report: VerificationReport): void {
  const book = readBook(repository, contract);
  const ids = [...new Set([...scopeTickets(repository, contract), ...book.keys()])];
  const verified: Record<string, unknown>[] = [];
  for (const [ticket, events] of repository.ticketEventsMany(ids)) {
    const evaluation = evaluateTicket(ticket, events, contract.versions, asOfMs, sla);
    report.examined++;
    if (book.has(ticket) || evaluation.kind !== 'verifiable') continue;
    const version = contract.versions.find((v) => v.version === evaluation.version)!;
    verified.push({
      ticket,
      type: 'outcome.verified',
      at: new Date(evaluation.windowEndMs).toISOString(),
      actor: SYSTEM,
      contract: contract.id,
      version: version.version,
      price: formatMinor(priceMinor(version), contract.digits),
      currency: contract.currency,
      period: periodOf(evaluation.windowEndMs, contract.timezone),
      category: String(JSON.parse(events.find((e) => e.type === 'created')!.payload).category),
      solveSeq: evaluation.solveSeq,
      evidence: evaluation.evidence,
    });
  }
  if (verified.length > 0) report.verifiedAdded += recordEvents(db, verified).filter((r) => r.added).length;

  // Second pass over every verification (the new ones included): reversals and discrepancies. Events are read
  // again, chunk by chunk, so memory stays bounded on large ledgers.
  const followUps: Record<string, unknown>[] = [];
  const records = readBook(repository, contract);
  for (const [ticket, events] of repository.ticketEventsMany([...records.keys()])) {
    const record = records.get(ticket)!;
    const verifiedMs = Date.parse(record.at);
    if (verifiedMs > asOfMs) continue;
    const known = { events, evaluation: evaluateTicket(ticket, events, contract.versions, asOfMs, sla) };
    const problem = discrepancyOf(record, known.evaluation);
    if (problem && !record.discrepancies.some((d) => d.reason === problem)) {
      const late = known.evaluation.evidence.filter((seq) => seq > record.seq);
      followUps.push({
        ticket: record.ticket,
        type: 'outcome.discrepancy',
        at: new Date(asOfMs).toISOString(),
        actor: SYSTEM,
        contract: contract.id,
        version: record.version,
        verifiedSeq: record.seq,
        reason: problem,
        evidence: late.length > 0 ? late : known.evaluation.evidence,
      });
    }
    if (record.reversal) continue;
    const version = contract.versions.find((v) => v.version === record.version)!;
    const facts = ticketFacts(known.events, asOfMs);
    const solveIndex = facts.events.findIndex((e) => e.seq === record.solveSeq);
    if (solveIndex < 0) continue;
    const clawbackEnd = clawbackEndMs(verifiedMs, version);
    const reopen = reopensAfter(facts.events, solveIndex).find((e) => e.atMs >= verifiedMs);
    if (!reopen || reopen.atMs > clawbackEnd) continue;
    followUps.push({
      ticket: record.ticket,
      type: 'outcome.reversed',
      at: reopen.at,
      actor: SYSTEM,
      contract: contract.id,
      version: record.version,
      verifiedSeq: record.seq,
      price: formatMinor(record.priceMinor, contract.digits),
      currency: contract.currency,
      period: periodOf(reopen.atMs, contract.timezone),
      reason: 'reopened',
      evidence: [reopen.seq],
    });
  }
  for (const recorded of followUps.length > 0 ? recordEvents(db, followUps) : []) {
    if (!recorded.added) continue;
    if (recorded.type === 'outcome.reversed') report.reversedAdded++;
    else report.discrepanciesAdded++;
  }
}

/** `attest outcomes --as-of`, and the console when it opens: verification of every contract in the ledger. */
export function runVerification(db: Db, asOf: string, sla: SlaLookup = defaultSlaLookup(db)): VerificationReport {
  const asOfMs = Date.parse(asOf);
  if (Number.isNaN(asOfMs)) throw new Error(`as-of: "${asOf}" is not an ISO 8601 timestamp`);
  const repository = new OutcomeRepository(db);
  const ids = contractIds(repository);
  const report: VerificationReport = { asOf: new Date(asOfMs).toISOString(), contracts: ids, verifiedAdded: 0, reversedAdded: 0, discrepanciesAdded: 0, examined: 0 };
  for (const id of ids) verifyContract(db, repository, resolveContract(repository, id), asOfMs, sla, report);
  return report;
}
