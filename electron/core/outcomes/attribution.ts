// The live attribution counter: for a period, the tickets verified (from the ledger), and — by a dry evaluation
// that writes nothing — those still pending verification and those rejected.
import type { AttributionCounts } from '../../../shared/contracts/outcomes.ts';
import type { Db } from '../db/connection.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { changesOf, remember, rememberedVerdicts, verdictOf, type RememberedVerdict } from './attribution-memory.ts';
import { resolveAsOf } from './as-of.ts';
import { periodOf } from './contract-schema.ts';
import { evaluateTicket, type SlaLookup } from './evaluate.ts';
import { bookExtended, contractIds, readBook, resolveContract, type VerifiedRecord } from './outcome-book.ts';
import { OutcomeRepository } from './outcome-repository.ts';
import { slaLookupAsOf } from './sla-as-of.ts';
import { idsInNaturalOrder } from './natural-order.ts';
import { scopeTickets } from './verification.ts';

/**
 * The last tickets in scope found without a verification in a book, by book: a connection's book and scope are the
 * same lists while its ledger stays the same (outcome-book.ts bookFrom, OutcomeRepository.ticketsInScope), and so is
 * this difference between them — which took about 30 ms per request at 300,000 tickets.
 */
const unverifiedByBook = new WeakMap<ReadonlyMap<string, unknown>, { scope: readonly string[]; unverified: readonly string[] }>();

function unverifiedInScope(scope: readonly string[], book: ReadonlyMap<string, VerifiedRecord>): readonly string[] {
  const kept = unverifiedByBook.get(book);
  if (kept?.scope === scope) return kept.unverified;
  // A book extended from one whose difference with the same scope is kept: that difference less the tickets it added
  // (an outcome verification's every commit extends the book; the scope stays the same list while no ticket comes in).
  const extension = bookExtended(book);
  const before = extension && unverifiedByBook.get(extension.book);
  const added = before?.scope === scope && new Set(extension!.added);
  const unverified = Object.freeze(added ? before.unverified.filter((id) => !added.has(id)) : scope.filter((id) => !book.has(id)));
  // Only lists kept for their snapshot are worth keeping a difference of (a book built for one caller is its own).
  if (Object.isFrozen(scope) && Object.isFrozen(book)) unverifiedByBook.set(book, { scope, unverified });
  return unverified;
}

/**
 * A shared book's verified tickets by the period they are billed in, each list in natural order: the same for every
 * request that reads the same book (a connection's, while its ledger stays the same), so they are kept with it. At
 * a million tickets the book holds 114,000 verifications; listing and sorting them again was a fifth of a request.
 */
const verifiedByBook = new WeakMap<ReadonlyMap<string, VerifiedRecord>, ReadonlyMap<string, readonly string[]>>();

function verifiedByPeriod(book: ReadonlyMap<string, VerifiedRecord>): ReadonlyMap<string, readonly string[]> {
  const kept = verifiedByBook.get(book);
  if (kept) return kept;
  const byPeriod = Map.groupBy(book.values(), (record) => record.period);
  const sorted = new Map([...byPeriod].map(([period, records]) => [period, Object.freeze(idsInNaturalOrder(records.map((record) => record.ticket)))] as const));
  // Only a book kept for its snapshot is worth keeping lists of (one built for one caller is its own).
  if (Object.isFrozen(book)) verifiedByBook.set(book, sorted);
  return sorted;
}

/** The unverified tickets by their verdicts: pending and awaiting in natural order, rejected by the period decided in. */
interface Classified {
  pending: readonly string[];
  awaiting: readonly string[];
  rejected: ReadonlyMap<string, string[]>;
  /** Each period's rejected tickets in natural order, sorted when first asked. */
  sortedRejected: Map<string, readonly string[]>;
}

function classify(unverified: readonly string[], verdicts: ReadonlyMap<string, RememberedVerdict>): Classified {
  const pending: string[] = [];
  const awaiting: string[] = [];
  const rejected = new Map<string, string[]>();
  for (const ticket of unverified) {
    const verdict = verdicts.get(ticket)!;
    if (verdict.kind === 'pending' || verdict.kind === 'verifiable') pending.push(ticket);
    if (verdict.kind === 'verifiable') awaiting.push(ticket);
    else if (verdict.kind === 'not_billable') {
      const list = rejected.get(verdict.decidedInPeriod!);
      if (list) list.push(ticket);
      else rejected.set(verdict.decidedInPeriod!, [ticket]);
    }
  }
  return { pending: Object.freeze(idsInNaturalOrder(pending)), awaiting: Object.freeze(idsInNaturalOrder(awaiting)), rejected, sortedRejected: new Map() };
}

function rejectedIn(classified: Classified, period: string): readonly string[] {
  let list = classified.sortedRejected.get(period);
  if (!list) classified.sortedRejected.set(period, (list = Object.freeze(idsInNaturalOrder(classified.rejected.get(period) ?? []))));
  return list;
}

/**
 * The lists a request made from a memory's verdicts, kept with them: the same for the next request while those verdicts
 * have not changed (changesOf) and the unverified tickets are the same list — and then it has nothing to judge either.
 * At a million tickets going through 150,000 verdicts and sorting what they say was about half of a request.
 */
const classifiedByVerdicts = new WeakMap<ReadonlyMap<string, RememberedVerdict>, { changes: number; unverified: readonly string[]; classified: Classified }>();

/**
 * verified: verified outcomes billed in the period (recorded by as-of); pending: AI solves awaiting verification
 * as of then; rejected: tickets in scope that became not billable in the period (by the event that decided it).
 * Without a period: the latest period with data (a verified outcome billed or a rejection decided in it), so a
 * ledger whose activity ended months ago opens on its last month, not on an empty current one; the current period
 * (as of) when nothing has been counted yet.
 *
 * A connection remembers the verdicts between requests as of now (attribution-memory.ts): a request judges only the
 * tickets that gained events or whose verification window ended since. `remember: false` judges every ticket.
 */
export function attribution(
  db: Db,
  options: { period?: string; contract?: string; asOf?: string; sla?: SlaLookup; nowMs?: number; remember?: boolean } = {},
): AttributionCounts {
  const asOf = resolveAsOf(options.asOf, options.nowMs);
  // The head first: anything appended while this request reads is judged again by the next one.
  const ledger = new LedgerRepository(db);
  const head = ledger.lastEvent();
  const repository = new OutcomeRepository(db);
  if (contractIds(repository).length === 0) {
    return { period: options.period ?? asOf.iso.slice(0, 7), contract: null, asOf: asOf.iso, verified: [], pending: [], rejected: [], awaitingVerification: [], periodsWithData: [] };
  }
  const contract = resolveContract(repository, options.contract);
  const book = readBook(repository, contract, undefined, asOf.iso);
  const verified = verifiedByPeriod(book);
  const sla = options.sla ?? slaLookupAsOf(db, asOf);
  const unverified = unverifiedInScope(scopeTickets(repository, contract), book);
  // A test's own SLA lookup is not the ledger's: nothing judged with it is remembered.
  const remembered =
    options.remember === false || options.sla
      ? null
      : rememberedVerdicts(db, contract.id, head, asOf.ms, ledger);
  const kept = remembered ? classifiedByVerdicts.get(remembered) : undefined;
  let classified: Classified;
  if (remembered && kept && kept.unverified === unverified && kept.changes === changesOf(remembered)) {
    classified = kept.classified;
  } else {
    const verdicts = remembered ?? new Map<string, RememberedVerdict>();
    const toJudge = remembered ? unverified.filter((id) => !remembered.has(id)) : unverified;
    for (const [ticket, events] of repository.ticketEventsMany(toJudge)) {
      const verdict = verdictOf(evaluateTicket(ticket, events, contract.versions, asOf.ms, sla), contract.timezone);
      if (remembered) remember(remembered, ticket, verdict);
      else verdicts.set(ticket, verdict);
    }
    classified = classify(unverified, verdicts);
    if (remembered) classifiedByVerdicts.set(remembered, { changes: changesOf(remembered), unverified, classified });
  }
  const periodsWithData = [...new Set([...verified.keys(), ...classified.rejected.keys()])].sort().reverse();
  const period = options.period ?? periodsWithData[0] ?? periodOf(asOf.ms, contract.timezone);
  // Copies: the kept lists are shared by the requests that read the same book and verdicts.
  return {
    period,
    contract: contract.id,
    asOf: asOf.iso,
    verified: [...(verified.get(period) ?? [])],
    pending: [...classified.pending],
    rejected: [...rejectedIn(classified, period)],
    awaitingVerification: [...classified.awaiting],
    periodsWithData,
  };
}
