// Verification as of an instant — a deliberate job (`attest outcomes`, the console's "Run outcome verification"),
// never a side effect of a read: writes `outcome.verified` for candidates whose window has passed,
// `outcome.reversed` for reopens within the clawback, and `outcome.discrepancy` for late events that would have
// changed a verified outcome. Idempotent: what the ledger already says is never written again.
//
// Every input comes from the ledger: the contract versions from their `contract.version` events, each ticket's
// facts and its earlier outcome events from the ticket's own events (at <= as-of), the SLA from the engine run over
// those events. Tickets are processed in batches, each written in its own short transaction, so readers (the
// HTTP bridge, the console) get their turn between batches. The console keeps what its runs settled
// (verification-memory.ts): a later run reads again only the tickets whose outcome may have moved since.
import type { VerificationProgress, VerificationReport } from '../../../shared/contracts/outcomes.ts';
import type { Db } from '../db/connection.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import type { WriteTurn } from '../db/write-gate.ts';
import { recordEvents } from '../derived/record-events.ts';
import { LedgerRepository, type EventRow } from '../ledger/ledger-repository.ts';
import { lastPolicyAt } from '../sla/sla-repository.ts';
import { resolveAsOf, type AsOf } from './as-of.ts';
import { effectiveStartMs, periodOf, priceMinor } from './contract-schema.ts';
import { clawbackEndMs, evaluateTicket, reopensAfter, ticketFacts, type Evaluation, type SlaLookup } from './evaluate.ts';
import { formatMinor } from './money.ts';
import { bookFrom, contractIds, resolveContract, type ContractVersions, type VerifiedRecord } from './outcome-book.ts';
import { outcomeEventsIn, OutcomeRepository } from './outcome-repository.ts';
import { slaLookupAsOf } from './sla-as-of.ts';
import { bringUpToHead, isSettled, settle, unbilledSpan, type UnbilledEvaluation, type VerificationMemory } from './verification-memory.ts';

const SYSTEM = { kind: 'system', id: 'attest-verifier' } as const;

/** Tickets per batch: each batch is read, judged and written in one short transaction. */
export const VERIFICATION_BATCH = 250;
/** The console's job sizes its batches to hold its thread about this long at a time (reads answer between). */
export const JOB_SLICE_MS = 40;
/** Its first batch, before it has timed one. */
const FIRST_SLICED_BATCH = 20;
const SMALLEST_BATCH = 5;

export interface VerificationOptions {
  /** Overrides the SLA engine (tests). */
  sla?: SlaLookup;
  /** Tickets per batch (fixed); default VERIFICATION_BATCH, or sized by `sliceMs`. */
  batchSize?: number;
  /**
   * Size each batch from the time the last one took so that one holds the thread about this long (the console's
   * job); ignored when batchSize is given. Batches never change what is verified: each ticket is judged alone.
   */
  sliceMs?: number;
  /** The wall clock, for the "as-of may not be later than now" rule. */
  nowMs?: number;
  /** The job's writes, one batch per turn (the console's write gate); default: each batch as it comes. */
  write?: WriteTurn;
  /** Asked before each batch of the console's job: true ends the job there, its report marked cancelled. */
  cancelled?: () => boolean;
  /**
   * What earlier runs on this ledger remembered (verification-memory.ts): tickets that need nothing written are not
   * read again, and this run adds what it settles. Kept by the console between its jobs; not with an `sla` override.
   */
  memory?: VerificationMemory;
}

/** Tickets a contract may concern: created from its first effective date, in any category a version covers. */
export function scopeTickets(repository: OutcomeRepository, contract: ContractVersions): readonly string[] {
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

/** The ticket's verification under the contract, from its own ledger events (every outcome event, whatever its time). */
function recordOf(ticket: string, events: readonly EventRow[], contract: ContractVersions): VerifiedRecord | undefined {
  return bookFrom(outcomeEventsIn(events), contract).get(ticket);
}

function verifiedLine(ticket: string, events: readonly EventRow[], evaluation: Extract<Evaluation, { kind: 'verifiable' }>, contract: ContractVersions): Record<string, unknown> {
  const version = contract.versions.find((v) => v.version === evaluation.version)!;
  return {
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
  };
}

/**
 * Reversal and discrepancy lines a verified outcome calls for as of the instant (none when the ledger already says
 * so); `matches` when it was verified by then and its evaluation still matches it (no discrepancy).
 */
function followUpsOf(
  ticket: string,
  events: readonly EventRow[],
  record: VerifiedRecord,
  contract: ContractVersions,
  asOf: AsOf,
  sla: SlaLookup,
): { lines: Record<string, unknown>[]; matches: boolean } {
  const lines: Record<string, unknown>[] = [];
  const verifiedMs = Date.parse(record.at);
  if (verifiedMs > asOf.ms) return { lines, matches: false };
  const evaluation = evaluateTicket(ticket, events, contract.versions, asOf.ms, sla);
  const problem = discrepancyOf(record, evaluation);
  const matches = problem === null;
  if (problem && !record.discrepancies.some((d) => d.reason === problem)) {
    const late = evaluation.evidence.filter((seq) => seq > record.seq);
    lines.push({
      ticket,
      type: 'outcome.discrepancy',
      at: asOf.iso,
      actor: SYSTEM,
      contract: contract.id,
      version: record.version,
      verifiedSeq: record.seq,
      reason: problem,
      evidence: late.length > 0 ? late : evaluation.evidence,
    });
  }
  if (record.reversal) return { lines, matches };
  const version = contract.versions.find((v) => v.version === record.version);
  const facts = ticketFacts(events, asOf.ms);
  const solveIndex = facts.events.findIndex((e) => e.seq === record.solveSeq);
  if (!version || solveIndex < 0) return { lines, matches };
  const reopen = reopensAfter(facts.events, solveIndex).find((e) => e.atMs >= verifiedMs);
  if (!reopen || reopen.atMs > clawbackEndMs(verifiedMs, version)) return { lines, matches };
  lines.push({
    ticket,
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
  return { lines, matches };
}

/**
 * One batch of tickets, in one transaction: the caller's, or its own, which takes the write lock at its start (nothing
 * can append between its reads and its writes). Verifications first, then reversals and discrepancies, judged on the
 * ledger with the verifications just written. The batch's events are read once; only the tickets that just got a verification are
 * read again (their new event is part of what the second step judges). Reading every ticket twice, and committing
 * twice a batch, was about a third of the job's time (issue 15: 100,000-ticket demo, CPU profile).
 */
function verifyBatch(db: Db, repository: OutcomeRepository, contract: ContractVersions, ids: readonly string[], asOf: AsOf, sla: SlaLookup, report: VerificationReport, memory: BatchMemory | null): void {
  const judge = (): void => judgeBatch(db, repository, contract, ids, asOf, sla, report, memory);
  inWriteTransaction(db, judge);
}

/** Where a batch remembers the tickets it settles (verification-memory.ts), with the ledger it reads the head of. */
interface BatchMemory {
  memory: VerificationMemory;
  ledger: LedgerRepository;
}

/** Every event of the ticket is at or before the instant: a later as-of sees no other (unless one is appended). */
const allSeenBy = (events: readonly EventRow[], asOfMs: number): boolean => events.every((event) => Date.parse(event.at) <= asOfMs);

function judgeBatch(
  db: Db,
  repository: OutcomeRepository,
  contract: ContractVersions,
  ids: readonly string[],
  asOf: AsOf,
  sla: SlaLookup,
  report: VerificationReport,
  memory: BatchMemory | null,
): void {
  const eventsOf = new Map(repository.ticketEventsMany(ids));
  const verified: Record<string, unknown>[] = [];
  const unbilled = new Map<string, UnbilledEvaluation>();
  for (const [ticket, events] of eventsOf) {
    report.examined++;
    if (recordOf(ticket, events, contract)) continue;
    const evaluation = evaluateTicket(ticket, events, contract.versions, asOf.ms, sla);
    if (evaluation.kind === 'verifiable') verified.push(verifiedLine(ticket, events, evaluation, contract));
    else unbilled.set(ticket, evaluation);
  }
  if (verified.length > 0) {
    const added = recordEvents(db, verified).filter((r) => r.added);
    report.verifiedAdded += added.length;
    for (const [ticket, events] of repository.ticketEventsMany(added.map((r) => r.ticket!))) eventsOf.set(ticket, events);
  }

  const followUps: Record<string, unknown>[] = [];
  // Tickets that need nothing more written as of any instant in [fromMs, untilMs), as the memory keeps them.
  const settled: [string, number, number][] = [];
  for (const [ticket, events] of eventsOf) {
    const record = recordOf(ticket, events, contract);
    if (record) {
      const { lines, matches } = followUpsOf(ticket, events, record, contract, asOf, sla);
      followUps.push(...lines);
      if (matches && lines.length === 0) settled.push([ticket, asOf.ms, Number.POSITIVE_INFINITY]);
    } else {
      const evaluation = unbilled.get(ticket);
      if (evaluation) {
        const span = unbilledSpan(evaluation, asOf.ms);
        settled.push([ticket, span.fromMs, span.untilMs]);
      }
    }
  }
  for (const recorded of followUps.length > 0 ? recordEvents(db, followUps) : []) {
    if (!recorded.added) continue;
    if (recorded.type === 'outcome.reversed') report.reversedAdded++;
    else report.discrepanciesAdded++;
  }
  if (!memory) return;
  // The head after this batch's own writes, in its transaction: a later event of a settled ticket voids its entry.
  const through = memory.ledger.lastEvent().seq;
  for (const [ticket, fromMs, untilMs] of settled) if (allSeenBy(eventsOf.get(ticket)!, asOf.ms)) settle(memory.memory, contract.id, ticket, fromMs, untilMs, through);
}

/** The job as steps: each step verifies one batch and yields the progress; the return value is the report. */
function* verificationSteps(db: Db, asOf: AsOf, options: VerificationOptions): Generator<VerificationProgress, VerificationReport> {
  const repository = new OutcomeRepository(db);
  const ids = contractIds(repository);
  const report: VerificationReport = { asOf: asOf.iso, contracts: ids, verifiedAdded: 0, reversedAdded: 0, discrepanciesAdded: 0, examined: 0 };
  const sla = options.sla ?? slaLookupAsOf(db, asOf);
  const memory = options.sla ? null : (options.memory ?? null);
  const ledger = new LedgerRepository(db);
  if (memory) bringUpToHead(memory, ledger);
  // A ticket is settled only by a run that saw every SLA policy version (verification-memory.ts).
  const batchMemory = memory && (lastPolicyAt(db) ?? '') <= asOf.iso ? { memory, ledger } : null;
  const sliced = options.batchSize === undefined && options.sliceMs !== undefined;
  let size = options.batchSize ?? (sliced ? FIRST_SLICED_BATCH : VERIFICATION_BATCH);
  let remembered = 0;
  const plans = ids.map((id) => {
    const contract = resolveContract(repository, id);
    const inScope = [...new Set([...scopeTickets(repository, contract), ...repository.ticketsWithOutcomes(id)])];
    const tickets = memory ? inScope.filter((ticket) => !isSettled(memory, id, ticket, asOf.ms)) : inScope;
    remembered += inScope.length - tickets.length;
    return { contract, tickets };
  });
  if (memory) report.remembered = remembered;
  // Remembered tickets count as examined: the memory says what reading them would find (nothing to write).
  report.examined = remembered;
  const total = plans.reduce((sum, plan) => sum + plan.tickets.length, remembered);
  let done = remembered;
  for (const { contract, tickets } of plans) {
    for (let start = 0; start < tickets.length; ) {
      // Cancelled between two batches: what the earlier batches recorded stays (each was its own transaction).
      if (done > 0 && options.cancelled?.()) return { ...report, examined: done, cancelled: true };
      const batch = tickets.slice(start, start + size);
      start += batch.length;
      const began = performance.now();
      verifyBatch(db, repository, contract, batch, asOf, sla, report, batchMemory);
      if (sliced) {
        const perTicketMs = (performance.now() - began) / batch.length;
        size = Math.max(SMALLEST_BATCH, Math.min(VERIFICATION_BATCH, Math.floor(options.sliceMs! / Math.max(perTicketMs, 0.01))));
      }
      done += batch.length;
      yield { asOf: asOf.iso, contract: contract.id, done, total, verifiedAdded: report.verifiedAdded, reversedAdded: report.reversedAdded, discrepanciesAdded: report.discrepanciesAdded };
    }
  }
  return report;
}

/**
 * `attest outcomes`: verification of every contract in the ledger as of `asOf` (default now; never later than
 * now), all batches in a row.
 */
export function runVerification(db: Db, asOf?: string, sla?: SlaLookup, options: VerificationOptions = {}): VerificationReport {
  const steps = verificationSteps(db, resolveAsOf(asOf, options.nowMs), { ...options, sla: sla ?? options.sla });
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The console's job: the same verification, handing the event loop back between batches (so the HTTP bridge and
 * IPC keep answering reads) and reporting progress after each batch. Batches are sized to about JOB_SLICE_MS each.
 */
export async function runVerificationJob(db: Db, asOf: string | undefined, onProgress: (progress: VerificationProgress) => void, options: VerificationOptions = {}): Promise<VerificationReport> {
  const steps = verificationSteps(db, resolveAsOf(asOf, options.nowMs), { sliceMs: JOB_SLICE_MS, ...options });
  for (;;) {
    // Each step judges and writes one batch: as one turn of the gate, it waits behind an import.
    const step = options.write ? await options.write('outcome verification', () => steps.next()) : steps.next();
    if (step.done) return step.value;
    onProgress(step.value);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
