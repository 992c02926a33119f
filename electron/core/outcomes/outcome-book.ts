// What the ledger says a contract has billed: each ticket's verification with its reversal, disputes and
// discrepancies, read from the outcome events. Also picks the contract a command is about.
import { InputError } from '../errors.ts';
import type { DiscrepancyRow, DisputeRow } from '../../../shared/contracts/outcomes.ts';
import type { Actor } from '../../../shared/domain.ts';
import { priceMinor as contractPriceMinor, type Contract } from './contract-schema.ts';
import { currencyDigits, formatMinor, MoneyError, toMinor } from './money.ts';
import { extendedList, type OutcomeEvent, type OutcomeRepository } from './outcome-repository.ts';

export class OutcomeInputError extends InputError {}

export interface Reversal {
  seq: number;
  at: string;
  period: string;
  priceMinor: number;
  reason: 'reopened' | 'dispute_upheld';
  evidence: number[];
}

export interface VerifiedRecord {
  seq: number;
  ticket: string;
  at: string;
  version: number;
  priceMinor: number;
  period: string;
  category: string;
  solveSeq: number;
  evidence: number[];
  reversal: Reversal | null;
  disputes: DisputeRow[];
  discrepancies: DiscrepancyRow[];
  /** Set when the verification's recorded price or version disagrees with the contract version events. */
  priceProblem: string | null;
}

export interface ContractVersions {
  id: string;
  versions: Contract[];
  /** Ledger seq of each version's `contract.version` event. */
  seqs: Map<number, number>;
  timezone: string;
  currency: string;
  digits: number;
}

export function actorName(actor: Actor): string {
  return actor.id ?? actor.model ?? actor.kind;
}

/** The contract a command is about: the one named, or the only one in the ledger. */
export function resolveContract(repository: OutcomeRepository, contractId?: string): ContractVersions {
  const stored = repository.contractVersions();
  const ids = [...new Set(stored.map((s) => s.contract.id))];
  if (ids.length === 0) throw new OutcomeInputError('no outcome contract in this database; load one with "attest contract import --db FILE CONTRACT.json"');
  const id = contractId ?? (ids.length === 1 ? ids[0]! : null);
  if (id === null) throw new OutcomeInputError(`this database holds several contracts (${ids.join(', ')}); name one with --contract`);
  const own = stored.filter((s) => s.contract.id === id);
  if (own.length === 0) throw new OutcomeInputError(`no contract "${id}" in this database (known: ${ids.join(', ')})`);
  const versions = own.map((s) => s.contract).sort((a, b) => a.version - b.version);
  const latest = versions[versions.length - 1]!;
  return {
    id,
    versions,
    seqs: new Map(own.map((s) => [s.contract.version, s.seq])),
    timezone: latest.timezone,
    currency: latest.currency,
    digits: currencyDigits(latest.currency)!,
  };
}

export function contractIds(repository: OutcomeRepository): string[] {
  return [...new Set(repository.contractVersions().map((s) => s.contract.id))];
}

const num = (value: unknown): number => Number(value);
const str = (value: unknown): string => String(value);
/** A recorded amount in minor units, or null when it is not a plain amount of the currency. */
function minorOrNull(value: unknown, digits: number): number | null {
  try {
    return toMinor(str(value), digits);
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
}
const seqs = (value: unknown): number[] => (Array.isArray(value) ? value.map(Number) : []);

function disputeFrom(event: OutcomeEvent): DisputeRow {
  return {
    seq: event.seq,
    ticket: event.ticket!,
    contract: str(event.payload.contract),
    verifiedSeq: num(event.payload.verifiedSeq),
    openedAt: event.at,
    openedBy: actorName(event.actor),
    reason: str(event.payload.reason),
    state: 'open',
    decidedAt: null,
    decidedBy: null,
    decisionReason: null,
    decisionSeq: null,
  };
}

/**
 * Every verification of the contract (or of one ticket), keyed by ticket, read from the ledger's outcome
 * events; only events with `at` <= `asOfIso` count when it is given. See bookFrom.
 */
export function readBook(repository: OutcomeRepository, contract: ContractVersions, ticket?: string, asOfIso?: string): ReadonlyMap<string, VerifiedRecord> {
  const events = ticket === undefined ? repository.outcomeEvents(contract.id) : repository.outcomeEventsOfTicket(ticket);
  return bookFrom(asOfIso === undefined ? events : eventsWhere(events, (e) => e.at <= asOfIso), contract);
}

/**
 * Brings this connection's book of every contract up to its head, as the Outcomes tab's reads would (each reads the
 * book of the latest events: bookFrom keeps it with the list it was built from, and extends it by the events appended
 * since): for a read thread kept current after a job's commit (handlers/read-thread.ts). Returns how many records.
 */
export function booksUpToDate(repository: OutcomeRepository): number {
  let records = 0;
  for (const id of contractIds(repository)) records += readBook(repository, resolveContract(repository, id)).size;
  return records;
}

/** The events that pass `keep`: the very list when all of them do (so a book built from it before can be reused). */
export function eventsWhere(events: readonly OutcomeEvent[], keep: (event: OutcomeEvent) => boolean): readonly OutcomeEvent[] {
  return events.every(keep) ? events : events.filter(keep);
}

/**
 * A book with what extending it needs: its records by the seq of their verification, its dispute rows by seq, and the
 * seqs its events named that it did not hold (a verification or dispute an event refers to but that is not in the
 * list, or comes later in it: only a doctored or hand-written ledger has them).
 */
interface BookState {
  book: Map<string, VerifiedRecord>;
  bySeq: Map<number, VerifiedRecord>;
  disputes: Map<number, DisputeRow>;
  unfoundVerifications: Set<number>;
  unfoundDisputes: Set<number>;
  /** The records added or copied since the book was last shared (to be frozen before it is). */
  changed: VerifiedRecord[];
}

/**
 * The last book built from each frozen event list (the list a connection shares between requests, see
 * OutcomeRepository.outcomeEvents), by the contract versions it was built for. Its records are frozen too.
 */
const booksOfSharedLists = new WeakMap<readonly OutcomeEvent[], { contract: string; book: ReadonlyMap<string, VerifiedRecord>; state: BookState }>();

/** A contract's versions as a key: each version is fixed by the ledger event that recorded it. */
function versionsKey(contract: ContractVersions): string {
  return `${contract.id}|${[...contract.seqs].join(';')}`;
}

function freezeRecord(record: VerifiedRecord): void {
  for (const dispute of record.disputes) Object.freeze(dispute);
  for (const discrepancy of record.discrepancies) Object.freeze(discrepancy);
  Object.freeze(record.disputes);
  Object.freeze(record.discrepancies);
  Object.freeze(record.evidence);
  if (record.reversal) Object.freeze(Object.freeze(record.reversal).evidence);
  Object.freeze(record);
}

/**
 * bookFrom, reusing the book last built from the same frozen list for the same contract versions: the Outcomes tab's
 * reads (periods, their states, attribution, disputes, a statement) each need the whole book of one snapshot. The
 * map and the records in it are shared and read-only.
 *
 * A list that extends an earlier one (OutcomeRepository.outcomeEvents: the same events, then those appended since)
 * gets that list's book extended by the new events rather than built again: while an outcome verification commits
 * batch after batch, every request of the Outcomes tab on every read thread built the whole book again (35-65 ms at
 * 300,000 tickets, each time). Extending gives the very book building does (see extendBook).
 */
export function bookFrom(events: readonly OutcomeEvent[], contract: ContractVersions): ReadonlyMap<string, VerifiedRecord> {
  if (!Object.isFrozen(events)) return buildBook(events, contract).book;
  const key = versionsKey(contract);
  const kept = booksOfSharedLists.get(events);
  if (kept?.contract === key) return kept.book;
  const base = extendedList(events);
  const before = base && booksOfSharedLists.get(base.list);
  const extended = before?.contract === key ? extendBook(before.state, events.slice(base!.length), contract) : null;
  const state = extended ?? buildBook(events, contract);
  for (const record of state.changed) freezeRecord(record);
  state.changed = [];
  const shared = readOnlyMap(state.book);
  booksOfSharedLists.set(events, { contract: key, book: shared, state });
  if (extended) {
    // One step back at most, as the lists (outcome-repository.ts): a chain would keep every book ever built.
    bookExtensions.delete(before!.book);
    bookExtensions.set(shared, { book: before!.book, added: extended.added });
  }
  return shared;
}

/** Which shared book a shared book extends, and the tickets it added (see bookExtended). */
const bookExtensions = new WeakMap<ReadonlyMap<string, VerifiedRecord>, { book: ReadonlyMap<string, VerifiedRecord>; added: readonly string[] }>();

/**
 * The shared book `book` was extended from, and the tickets it added (the rest of its records are the other book's
 * tickets, some of them with a record changed): for a reader that keeps something derived from the other book.
 */
export function bookExtended(book: ReadonlyMap<string, VerifiedRecord>): { book: ReadonlyMap<string, VerifiedRecord>; added: readonly string[] } | undefined {
  return bookExtensions.get(book);
}

/**
 * A map no caller can change: the book is shared by every read of one snapshot (at 300,000 tickets a copy for each
 * caller cost 13 ms, five times per Outcomes tab). Writing methods throw, so a caller that would change it fails
 * loudly in tests instead of changing what the next request reads.
 */
function readOnlyMap<K, V>(map: Map<K, V>): ReadonlyMap<K, V> {
  const refuse = (): never => {
    throw new TypeError('a shared outcome book is read-only: copy it (new Map(book)) to change it');
  };
  return Object.freeze(Object.assign(map, { set: refuse, delete: refuse, clear: refuse }));
}

/**
 * The book of outcome events (in ledger order): each ticket's first verification of the contract (a ticket is
 * billed at most once), with its reversal, disputes and discrepancies. The price billed is the price of the
 * contract version the verification names, from that version's `contract.version` event; a verification whose
 * recorded price differs is billed at the contract's price and flagged.
 */
function buildBook(events: readonly OutcomeEvent[], contract: ContractVersions): BookState {
  const state: BookState = { book: new Map(), bySeq: new Map(), disputes: new Map(), unfoundVerifications: new Set(), unfoundDisputes: new Set(), changed: [] };
  applyEvents(state, events, contract, (record) => record, (row) => row);
  return state;
}

/**
 * `state`'s book (built from a list) extended by `added`, the events after that list's last: the book building the
 * whole list gives, or null where it would not be. Building takes each kind of event in turn (verifications, then
 * reversals, discrepancies, disputes, decisions), so applying the added events the same way gives the same book
 * unless an added event would have been taken before an earlier one it bears on:
 *  - an added verification or dispute that an earlier event named before it existed;
 *  - an added reversal of a verification an earlier upheld dispute already reversed (building takes the reversal
 *    first, so it is the one that counts).
 * The state's records and rows are frozen and shared: the new book copies those it changes.
 */
function extendBook(state: BookState, added: readonly OutcomeEvent[], contract: ContractVersions): (BookState & { added: string[] }) | null {
  const own = added.filter((e) => e.payload.contract === contract.id);
  for (const event of own) {
    if (event.type === 'outcome.verified' && state.unfoundVerifications.has(event.seq)) return null;
    if (event.type === 'outcome.disputed' && state.unfoundDisputes.has(event.seq)) return null;
    if (event.type === 'outcome.reversed' && state.bySeq.get(num(event.payload.verifiedSeq))?.reversal?.reason === 'dispute_upheld') return null;
  }
  const extended: BookState = {
    book: new Map(state.book),
    bySeq: new Map(state.bySeq),
    disputes: new Map(state.disputes),
    unfoundVerifications: new Set(state.unfoundVerifications),
    unfoundDisputes: new Set(state.unfoundDisputes),
    changed: [],
  };
  const copies = new Map<VerifiedRecord, VerifiedRecord>();
  const writable = (record: VerifiedRecord): VerifiedRecord => {
    if (!Object.isFrozen(record)) return record;
    let copy = copies.get(record);
    if (!copy) {
      copy = { ...record, disputes: [...record.disputes], discrepancies: [...record.discrepancies] };
      copies.set(record, copy);
      extended.changed.push(copy);
      extended.book.set(copy.ticket, copy);
      extended.bySeq.set(copy.seq, copy);
    }
    return copy;
  };
  const writableRow = (row: DisputeRow, record: VerifiedRecord | undefined): DisputeRow => {
    if (!Object.isFrozen(row)) return row;
    const copy = { ...row };
    extended.disputes.set(copy.seq, copy);
    const holder = record && writable(record);
    if (holder) holder.disputes = holder.disputes.map((d) => (d.seq === copy.seq ? copy : d));
    return copy;
  };
  applyEvents(extended, own, contract, writable, writableRow);
  // Changed are the records added and those copied to change: the added ones are not in the book extended.
  return Object.assign(extended, { added: extended.changed.filter((record) => !state.book.has(record.ticket)).map((record) => record.ticket) });
}

/**
 * Applies a contract's events, in ledger order, to a book: verifications first, then reversals, discrepancies,
 * disputes and decisions. `writable` gives a record that may be changed, `writableRow` a dispute row (with the record
 * whose list holds it).
 */
function applyEvents(
  state: BookState,
  events: readonly OutcomeEvent[],
  contract: ContractVersions,
  writable: (record: VerifiedRecord) => VerifiedRecord,
  writableRow: (row: DisputeRow, record: VerifiedRecord | undefined) => DisputeRow,
): void {
  const own = events.filter((e) => e.payload.contract === contract.id);
  const eventsOfType = (type: OutcomeEvent['type']): OutcomeEvent[] => own.filter((e) => e.type === type);
  const { book, bySeq, disputes } = state;
  // Each version's price, and each recorded price text, parsed once: a book holds one record per ticket billed, and
  // almost all of them record one of a few prices.
  const versionPrices = new Map<number, { version: Contract; priceMinor: number }>();
  for (const v of contract.versions) if (!versionPrices.has(v.version)) versionPrices.set(v.version, { version: v, priceMinor: contractPriceMinor(v) });
  const recordedPrices = new Map<string, number | null>();
  const recordedMinorOf = (price: unknown): number | null => {
    const text = str(price);
    let minor = recordedPrices.get(text);
    if (minor === undefined) recordedPrices.set(text, (minor = minorOrNull(text, contract.digits)));
    return minor;
  };
  for (const event of eventsOfType('outcome.verified')) {
    if (book.has(event.ticket!)) continue;
    const priced = versionPrices.get(num(event.payload.version));
    const version = priced?.version;
    const recordedMinor = recordedMinorOf(event.payload.price);
    const priceMinor = priced ? priced.priceMinor : 0;
    const record: VerifiedRecord = {
      seq: event.seq,
      ticket: event.ticket!,
      at: event.at,
      version: num(event.payload.version),
      priceMinor,
      period: str(event.payload.period),
      category: str(event.payload.category),
      solveSeq: num(event.payload.solveSeq),
      evidence: seqs(event.payload.evidence),
      reversal: null,
      disputes: [],
      discrepancies: [],
      priceProblem: !version
        ? `the verification names version ${str(event.payload.version)} of ${contract.id}, which the ledger does not hold; nothing is billed for it`
        : recordedMinor !== priceMinor
          ? `the verification records the price ${str(event.payload.price)}, version ${version.version} of ${contract.id} says ${formatMinor(priceMinor, contract.digits)}; billed at the contract's price`
          : null,
    };
    book.set(record.ticket, record);
    bySeq.set(record.seq, record);
    state.changed.push(record);
  }
  const target = (event: OutcomeEvent): VerifiedRecord | undefined => {
    const record = bySeq.get(num(event.payload.verifiedSeq));
    if (!record) state.unfoundVerifications.add(num(event.payload.verifiedSeq));
    return record;
  };
  for (const event of eventsOfType('outcome.reversed')) {
    const record = target(event);
    if (record && !record.reversal) {
      writable(record).reversal = { seq: event.seq, at: event.at, period: str(event.payload.period), priceMinor: record.priceMinor, reason: 'reopened', evidence: seqs(event.payload.evidence) };
    }
  }
  for (const event of eventsOfType('outcome.discrepancy')) {
    const record = target(event);
    if (!record) continue;
    writable(record).discrepancies.push({
      seq: event.seq,
      ticket: event.ticket!,
      contract: contract.id,
      verifiedSeq: num(event.payload.verifiedSeq),
      at: event.at,
      reason: str(event.payload.reason),
      evidence: seqs(event.payload.evidence),
    });
  }
  for (const event of eventsOfType('outcome.disputed')) {
    const record = target(event);
    if (!record) continue;
    const row = disputeFrom(event);
    writable(record).disputes.push(row);
    disputes.set(row.seq, row);
  }
  const decisions = [...eventsOfType('outcome.dispute_upheld'), ...eventsOfType('outcome.dispute_rejected')].sort(
    (a, b) => a.seq - b.seq,
  );
  for (const event of decisions) {
    const found = disputes.get(num(event.payload.disputeSeq));
    if (!found) state.unfoundDisputes.add(num(event.payload.disputeSeq));
    if (!found || found.state !== 'open') continue;
    const record = target(event);
    const row = writableRow(found, bySeq.get(found.verifiedSeq));
    row.state = event.type === 'outcome.dispute_upheld' ? 'upheld' : 'rejected';
    row.decidedAt = event.at;
    row.decidedBy = actorName(event.actor);
    row.decisionReason = str(event.payload.reason);
    row.decisionSeq = event.seq;
    if (row.state === 'upheld' && record && !record.reversal) {
      writable(record).reversal = { seq: event.seq, at: event.at, period: str(event.payload.period), priceMinor: record.priceMinor, reason: 'dispute_upheld', evidence: [row.seq, event.seq] };
    }
  }
}

export function openDispute(record: VerifiedRecord): DisputeRow | null {
  return record.disputes.find((d) => d.state === 'open') ?? null;
}
