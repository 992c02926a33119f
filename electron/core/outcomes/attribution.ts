// The live attribution counter: for a period, the tickets verified (from the ledger), and — by a dry evaluation
// that writes nothing — those still pending verification and those rejected.
import type { AttributionCounts } from '../../../shared/contracts/outcomes.ts';
import type { Db } from '../db/connection.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { changedSince, changesOf, remember, rememberedVerdicts, verdictOf, type RememberedVerdict } from './attribution-memory.ts';
import { resolveAsOf } from './as-of.ts';
import { periodOf } from './contract-schema.ts';
import { evaluateTicket, type SlaLookup } from './evaluate.ts';
import { bookExtended, contractIds, readBook, resolveContract, type VerifiedRecord } from './outcome-book.ts';
import { OutcomeRepository, scopeStepOf, type ScopeStep } from './outcome-repository.ts';
import { slaLookupAsOf } from './sla-as-of.ts';
import { idsInNaturalOrder, naturallySortedDiff, naturallySortedEdit, naturallySortedHas } from './natural-order.ts';
import { scopeTickets } from './verification.ts';

/**
 * Each shared scope in natural order, kept with it: the lists below are derived from it in that order, so none of them
 * is sorted again. A scope updated from another (a ticket came in or went out, OutcomeRepository.ticketsInScope) is
 * that one's order edited: sorting 267,000 ids took tens of milliseconds at a million tickets, on every import commit.
 */
const naturalScopes = new WeakMap<readonly string[], readonly string[]>();

function inNaturalOrderKept(scope: readonly string[]): readonly string[] {
  const kept = naturalScopes.get(scope);
  if (kept) return kept;
  const step = scopeStepOf(scope);
  const before = step && naturalScopes.get(step.from);
  const sorted = Object.freeze(before ? naturallySortedEdit(before, step.left, step.came) : idsInNaturalOrder(scope));
  if (step && before) {
    // One step back at most, as the scopes' own: a chain would keep every scope ever sorted.
    naturalSteps.delete(before);
    naturalSteps.set(sorted, { from: before, came: step.came, left: step.left });
  }
  if (Object.isFrozen(scope)) naturalScopes.set(scope, sorted);
  return sorted;
}

/** Which scope in natural order a scope in natural order was edited from (see scopeStepOf). */
const naturalSteps = new WeakMap<readonly string[], ScopeStep>();

/**
 * The last tickets in scope found without a verification in a book, by book: a connection's book and scope are the
 * same lists while its ledger stays the same (outcome-book.ts bookFrom, OutcomeRepository.ticketsInScope), and so is
 * this difference between them — which took about 30 ms per request at 300,000 tickets.
 */
const unverifiedByBook = new WeakMap<ReadonlyMap<string, unknown>, { scope: readonly string[]; unverified: readonly string[] }>();

/** The scope's tickets (in natural order) that the book has not verified, in the same order. */
function unverifiedInScope(scope: readonly string[], book: ReadonlyMap<string, VerifiedRecord>): readonly string[] {
  const kept = unverifiedByBook.get(book);
  if (kept?.scope === scope) return kept.unverified;
  // A difference kept for this book or the one it extends (an outcome verification's every commit extends the book),
  // of this scope or the one it was updated from (an import's commit may bring tickets in): that difference, edited.
  const extension = bookExtended(book);
  const step = naturalSteps.get(scope);
  let unverified: readonly string[] | null = null;
  const bases: { base: ReadonlyMap<string, VerifiedRecord>; addedToBook: readonly string[] }[] = [{ base: book, addedToBook: [] }];
  if (extension) bases.push({ base: extension.book, addedToBook: extension.added });
  for (const { base, addedToBook } of bases) {
    const before = unverifiedByBook.get(base);
    if (before?.scope === scope) unverified = naturallySortedEdit(before.unverified, addedToBook, []);
    else if (step && before?.scope === step.from) {
      unverified = naturallySortedEdit(before.unverified, [...addedToBook, ...step.left], step.came.filter((id) => !book.has(id)));
    }
    if (unverified) break;
  }
  unverified = Object.freeze(unverified ?? scope.filter((id) => !book.has(id)));
  // Only lists kept for their snapshot are worth keeping a difference of (a book built for one caller is its own).
  if (Object.isFrozen(scope) && Object.isFrozen(book)) unverifiedByBook.set(book, { scope, unverified });
  return unverified;
}

/**
 * A shared book's verified tickets by the period they are billed in, each list in natural order: the same for every
 * request that reads the same book (a connection's, while its ledger stays the same), so they are kept with it. At
 * a million tickets the book holds 114,000 verifications; listing and sorting them again was a fifth of a request.
 * A book extended from one whose lists are kept gets those lists with the tickets it added put in place (a record's
 * period is that of its verification: a later event never moves it).
 */
const verifiedByBook = new WeakMap<ReadonlyMap<string, VerifiedRecord>, ReadonlyMap<string, readonly string[]>>();

function verifiedByPeriod(book: ReadonlyMap<string, VerifiedRecord>): ReadonlyMap<string, readonly string[]> {
  const kept = verifiedByBook.get(book);
  if (kept) return kept;
  const extension = bookExtended(book);
  const before = extension && verifiedByBook.get(extension.book);
  let byPeriod: Map<string, readonly string[]>;
  if (before) {
    byPeriod = new Map(before);
    const added = Map.groupBy(extension!.added, (ticket) => book.get(ticket)!.period);
    for (const [period, tickets] of added) byPeriod.set(period, Object.freeze(naturallySortedEdit(byPeriod.get(period) ?? [], [], tickets)));
  } else {
    const grouped = Map.groupBy(book.values(), (record) => record.period);
    byPeriod = new Map([...grouped].map(([period, records]) => [period, Object.freeze(idsInNaturalOrder(records.map((record) => record.ticket)))] as const));
  }
  // Only a book kept for its snapshot is worth keeping lists of (one built for one caller is its own).
  if (Object.isFrozen(book)) verifiedByBook.set(book, byPeriod);
  return byPeriod;
}

/** The unverified tickets by their verdicts, each list in natural order: pending, awaiting, rejected by the period decided in. */
interface Classified {
  pending: readonly string[];
  awaiting: readonly string[];
  rejected: ReadonlyMap<string, readonly string[]>;
  /** The period each rejected ticket is listed in. */
  rejectedIn: Map<string, string>;
}

/** Lists being filled: the pending, the awaiting, and the rejected by the period they were decided in. */
interface Placed {
  pending: string[];
  awaiting: string[];
  rejected: Map<string, string[]>;
}

/** The list `lists` holds for `key`, a new one put there when it has none. */
function listIn(lists: Map<string, string[]>, key: string): string[] {
  let list = lists.get(key);
  if (!list) lists.set(key, (list = []));
  return list;
}

/** Puts the ticket where its verdict says (pending, and awaiting when verifiable; rejected in a period; or nowhere). */
function place(placed: Placed, rejectedIn: Map<string, string>, ticket: string, verdict: RememberedVerdict): void {
  const kind = verdict.kind;
  if (kind === 'pending' || kind === 'verifiable') placed.pending.push(ticket);
  if (kind === 'verifiable') placed.awaiting.push(ticket);
  if (kind === 'not_billable') {
    rejectedIn.set(ticket, verdict.decidedInPeriod!);
    listIn(placed.rejected, verdict.decidedInPeriod!).push(ticket);
  }
}

/** The lists of the unverified tickets (in natural order), each read from its verdict in `verdicts`. */
function classify(unverified: readonly string[], verdicts: ReadonlyMap<string, RememberedVerdict>): Classified {
  attributionListStats.derived++;
  const placed: Placed = { pending: [], awaiting: [], rejected: new Map() };
  const rejectedIn = new Map<string, string>();
  for (const ticket of unverified) place(placed, rejectedIn, ticket, verdicts.get(ticket)!);
  for (const list of placed.rejected.values()) Object.freeze(list);
  return { pending: Object.freeze(placed.pending), awaiting: Object.freeze(placed.awaiting), rejected: placed.rejected, rejectedIn };
}

/**
 * The lists of `kept`, brought to `unverified` and `verdicts` by the tickets that may have moved: those that came into
 * or left the unverified tickets, and those whose verdict was added or dropped since. `kept` is not used again (its
 * rejectedIn becomes the new lists').
 */
function classifyMoved(kept: Classified, moved: ReadonlySet<string>, unverified: readonly string[], verdicts: ReadonlyMap<string, RememberedVerdict>): Classified {
  attributionListStats.edited++;
  const placed: Placed = { pending: [], awaiting: [], rejected: new Map() };
  const leaving = new Map<string, string[]>();
  const rejectedIn = kept.rejectedIn;
  for (const ticket of moved) {
    const before = rejectedIn.get(ticket);
    if (before !== undefined) {
      rejectedIn.delete(ticket);
      listIn(leaving, before).push(ticket);
    }
    if (naturallySortedHas(unverified, ticket)) place(placed, rejectedIn, ticket, verdicts.get(ticket)!);
  }
  const rejected = new Map(kept.rejected);
  for (const period of new Set([...leaving.keys(), ...placed.rejected.keys()])) {
    const list = naturallySortedEdit(rejected.get(period) ?? [], leaving.get(period) ?? [], placed.rejected.get(period) ?? []);
    if (list.length === 0) rejected.delete(period);
    else rejected.set(period, Object.freeze(list));
  }
  return {
    pending: Object.freeze(naturallySortedEdit(kept.pending, moved, placed.pending)),
    awaiting: Object.freeze(naturallySortedEdit(kept.awaiting, moved, placed.awaiting)),
    rejected,
    rejectedIn,
  };
}

/** How often the counter's lists were derived from every verdict, and how often edited by the tickets that moved. */
export const attributionListStats = { derived: 0, edited: 0 };

/**
 * The lists a request made from a memory's verdicts, kept with them: while those verdicts have not changed
 * (changesOf) and the unverified tickets are the same list, the next request has nothing to judge and the same lists.
 * Otherwise only the tickets that moved are judged (those that have no verdict) and placed: at a million tickets going
 * through 150,000 verdicts and sorting what they say was about half of a request, after every commit of an outcome
 * verification.
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
  const unverified = unverifiedInScope(inNaturalOrderKept(scopeTickets(repository, contract)), book);
  // A test's own SLA lookup is not the ledger's: nothing judged with it is remembered.
  const remembered =
    options.remember === false || options.sla
      ? null
      : rememberedVerdicts(db, contract.id, head, asOf.ms, ledger);
  // Each verdict judged goes into the memory (logged, attribution-memory.ts), or into this request's own map.
  const verdicts = remembered ?? new Map<string, RememberedVerdict>();
  const judge = (tickets: readonly string[]): void => {
    for (const [ticket, events] of repository.ticketEventsMany(tickets)) {
      const verdict = verdictOf(evaluateTicket(ticket, events, contract.versions, asOf.ms, sla), contract.timezone);
      if (remembered) remember(remembered, ticket, verdict);
      else verdicts.set(ticket, verdict);
    }
  };
  const kept = remembered ? classifiedByVerdicts.get(remembered) : undefined;
  const changedVerdicts = kept ? changedSince(verdicts, kept.changes) : null;
  let classified: Classified;
  if (kept && changedVerdicts !== null && kept.unverified === unverified && changedVerdicts.length === 0) {
    classified = kept.classified;
  } else if (kept && changedVerdicts !== null) {
    const { removed, added } = naturallySortedDiff(kept.unverified, unverified);
    const moved = new Set([...removed, ...added, ...changedVerdicts]);
    // Every ticket of the kept list had a verdict: those without one now are among the moved.
    judge([...moved].filter((id) => !verdicts.has(id) && naturallySortedHas(unverified, id)));
    classified = classifyMoved(kept.classified, moved, unverified, verdicts);
  } else {
    judge(remembered ? unverified.filter((id) => !remembered.has(id)) : unverified);
    classified = classify(unverified, verdicts);
  }
  if (remembered) classifiedByVerdicts.set(remembered, { changes: changesOf(remembered), unverified, classified });
  const periodsWithData = [...new Set([...verified.keys(), ...classified.rejected.keys()])].sort().reverse();
  const period = options.period ?? periodsWithData[0] ?? periodOf(asOf.ms, contract.timezone);
  // Copies: the kept lists are shared by the requests that read the same book and verdicts.
  return {
    period,
    contract: contract.id,
    asOf: asOf.iso,
    verified: [...(verified.get(period) ?? [])],
    pending: [...classified.pending],
    rejected: [...(classified.rejected.get(period) ?? [])],
    awaitingVerification: [...classified.awaiting],
    periodsWithData,
  };
}
