// Keeps every projection in step with the ledger after events were appended, and rebuilds them all.
import type { Db } from '../db/connection.ts';
import { withIndexesDeferred } from '../db/deferred-indexes.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import { CHUNK as TICKET_CHUNK, rebuildTicketChunk, refreshTicketChunk, TICKET_QUERY_INDEXES } from '../tickets/projections.ts';
import { TicketRepository } from '../tickets/ticket-repository.ts';
import { byCodeUnit, type DerivedProjection, type ProjectedEvent, type TicketEvents } from './derived-projection.ts';
import { dependenciesOf, orderedProjections } from './projection-registry.ts';

/**
 * The tickets an append touched: their ids, or by id the types of the events appended to each, when the writer
 * knows them (a projection that reads only some types is then refreshed only where one of those arrived).
 */
export type TouchedTickets = ReadonlySet<string> | ReadonlyMap<string, ReadonlySet<string>>;

/** A set of event types shared by every ticket that got exactly these types; it cannot be changed. */
class SharedTypeSet extends Set<string> {
  private sealed = false;
  constructor(types: Iterable<string>) {
    super(types);
    this.sealed = true;
  }
  override add(type: string): this {
    if (this.sealed) throw new TypeError('a shared set of event types cannot be changed');
    return super.add(type);
  }
  override delete(): boolean {
    throw new TypeError('a shared set of event types cannot be changed');
  }
  override clear(): void {
    throw new TypeError('a shared set of event types cannot be changed');
  }
}

/**
 * The shared set for each combination of types seen, reached from the set before one more type arrived. A large
 * import touches a million tickets but only a few hundred combinations: a set (and a copy of each type's string,
 * as each line's JSON held it) per ticket was most of what an import kept in memory while its projections were
 * refreshed. Bounded, in case a ledger's types ever combined without end: past the bound a set is made per ticket.
 */
const EMPTY_TYPES = new SharedTypeSet([]);
const typeSetsAfter = new Map<ReadonlySet<string>, Map<string, ReadonlySet<string>>>();
const MAX_SHARED_TYPE_SETS = 10_000;
let sharedTypeSets = 0;

function withType(types: ReadonlySet<string>, type: string): ReadonlySet<string> {
  if (types.has(type)) return types;
  let next = typeSetsAfter.get(types);
  const known = next?.get(type);
  if (known) return known;
  const combined = new SharedTypeSet([...types, type]);
  if (sharedTypeSets >= MAX_SHARED_TYPE_SETS) return combined;
  if (!next) typeSetsAfter.set(types, (next = new Map()));
  next.set(type, combined);
  sharedTypeSets++;
  return combined;
}

/** Notes an event of `type` appended to `ticket`. */
export function noteAppended(touched: Map<string, ReadonlySet<string>>, ticket: string, type: string): void {
  const types = touched.get(ticket) ?? EMPTY_TYPES;
  const next = withType(types, type);
  if (next !== types) touched.set(ticket, next);
}

/** Of these tickets (in order), those whose appended events this projection may read. */
function ticketsItReads(projection: DerivedProjection, ticketIds: readonly string[], touched: TouchedTickets): readonly string[] {
  const reads = projection.ticketEventTypes;
  if (!reads || !(touched instanceof Map)) return ticketIds;
  return ticketIds.filter((id) => {
    const types = touched.get(id);
    return types === undefined || reads.some((type) => types.has(type));
  });
}

function eventsOf(events: TicketEvents, ticketIds: readonly string[]): TicketEvents {
  const subset = new Map<string, readonly ProjectedEvent[]>();
  for (const id of ticketIds) {
    const list = events.get(id);
    if (list) subset.set(id, list);
  }
  return subset;
}

/**
 * One pass over the tickets, a chunk at a time, for these projections in their order (and the ticket tables first
 * when `withTicketTables`): each chunk's events read once for all of them (a projection of a ticket depends on that
 * ticket alone; see DerivedProjection).
 */
function refreshInChunks(
  db: Db,
  ticketIds: readonly string[],
  touchedTickets: TouchedTickets,
  projections: readonly DerivedProjection[],
  withTicketTables: boolean,
  chunkSize: number,
): void {
  if (!withTicketTables && projections.length === 0) return;
  const tickets = new TicketRepository(db);
  for (let start = 0; start < ticketIds.length; start += chunkSize) {
    const chunk = ticketIds.slice(start, start + chunkSize);
    const readers = projections.map((projection) => ({ projection, ids: ticketsItReads(projection, chunk, touchedTickets) }));
    if (!withTicketTables && readers.every(({ ids }) => ids.length === 0)) continue;
    const events = tickets.eventsOfTickets(chunk);
    if (withTicketTables) refreshTicketChunk(tickets, chunk, events);
    for (const { projection, ids } of readers) {
      if (ids.length > 0) projection.refreshTickets?.(db, ids, ids.length === chunk.length ? events : eventsOf(events, ids));
    }
  }
}

/** The projections' indexes that serve reads only: the ticket tables' and each registered projection's. */
export function projectionQueryIndexes(): string[] {
  return [...TICKET_QUERY_INDEXES, ...orderedProjections().flatMap((projection) => projection.queryIndexes ?? [])];
}

/**
 * A refresh this large drops the projections' read-only indexes and builds them again at its end
 * (db/deferred-indexes.ts): at least this many tickets, and at least as many as the projections held before. Building
 * an index costs a sorted pass over its whole table, so a refresh of a tenth of the ledger keeps them up to date
 * row by row instead.
 */
export const BULK_REFRESH_MIN_TICKETS = 5000;

/** Run inside the transaction that appended the events. `bulkMinTickets`: see BULK_REFRESH_MIN_TICKETS. */
export function refreshAfterAppend(
  db: Db,
  touchedTickets: TouchedTickets,
  ledgerEventTypes: ReadonlySet<string>,
  chunkSize = TICKET_CHUNK,
  bulkMinTickets = BULK_REFRESH_MIN_TICKETS,
): void {
  const bulk = touchedTickets.size >= bulkMinTickets && touchedTickets.size >= new TicketRepository(db).count();
  if (bulk) {
    withIndexesDeferred(db, projectionQueryIndexes(), () => refreshEveryProjection(db, touchedTickets, ledgerEventTypes, chunkSize));
  } else {
    refreshEveryProjection(db, touchedTickets, ledgerEventTypes, chunkSize);
  }
}

function refreshEveryProjection(db: Db, touchedTickets: TouchedTickets, ledgerEventTypes: ReadonlySet<string>, chunkSize: number): void {
  // In id order, as a rebuild writes them: every projection keyed by ticket id (clocks, facts, outcomes, the
  // indexes by ticket) then grows at one end instead of taking rows at random pages, and a ticket's events are
  // read from one stretch of the ledger's ticket index.
  const ticketIds = [...touchedTickets.keys()].sort(byCodeUnit);
  // A ledger-wide fact (a policy, a contract, a category's mode…) changes a projection for every ticket: that one is
  // rebuilt whole, in its place in the order, so it is up to date for all tickets before any projection after it
  // reads it. The projections between two such rebuilds refresh the touched tickets in one pass, sharing each chunk's
  // events (the demo appends category modes after go-live: each projection read every ticket's events again).
  let segment: DerivedProjection[] = [];
  let withTicketTables = true;
  const refreshSegment = (): void => {
    refreshInChunks(db, ticketIds, touchedTickets, segment, withTicketTables, chunkSize);
    withTicketTables = false;
    segment = [];
  };
  for (const projection of orderedProjections()) {
    if (!projection.ledgerEventTypes?.some((type) => ledgerEventTypes.has(type))) {
      segment.push(projection);
      continue;
    }
    // A projection that never joins the pass over the tickets reads nothing the pass writes (see
    // readsNothingThePassWrites): it is rebuilt where it stands and the pass goes on. Ending the pass before it read
    // every ticket's events twice: the demo appends category modes after go-live, and its final refresh read the
    // events of every ticket it touched once for the ticket tables alone and again for the other projections.
    if (!readsNothingThePassWrites(projection, segment)) refreshSegment();
    projection.rebuildAll(db);
  }
  refreshSegment();
}

/** Whether a projection can join the one pass over the tickets (reset, then refreshTickets a chunk at a time). */
const joinsTicketPass = (projection: DerivedProjection): boolean => projection.reset !== undefined && projection.refreshTickets !== undefined;

/**
 * A projection rebuilt whole that cannot join the pass over the tickets reads neither the ticket tables nor a
 * projection that joins the pass: `attest rebuild` rebuilds it before either (rebuildEveryProjection, which refuses
 * one that names such a projection in its `after`), so what it builds cannot depend on them. Of the projections
 * still to be refreshed in the pass, it may name only some that do not join it, whose rows the pass leaves alone.
 */
function readsNothingThePassWrites(projection: DerivedProjection, pending: readonly DerivedProjection[]): boolean {
  if (joinsTicketPass(projection)) return false;
  const dependencies = dependenciesOf(projection.name);
  return pending.every((other) => !dependencies.includes(other.name) || !joinsTicketPass(other));
}

/**
 * `attest rebuild`: drops and replays every projection, in one transaction; reports seconds per projection.
 *
 * One pass over the tickets, as an append's refresh makes: the ticket tables and every projection that can join it
 * (reset + refreshTickets) are written a chunk of tickets at a time, each chunk's events read once and its pages still
 * in SQLite's cache for the projections that read them again (the SLA engine's own extraction). Rebuilding one
 * projection after another re-read every ticket's events from random pages of the ledger three times — at 300,000
 * tickets most of a rebuild. Projections that cannot join (ledger-wide ones, and whole-table copies) are rebuilt
 * whole first; none of them may depend on one that joins the pass (it would read it empty).
 */
export function rebuildAllProjections(db: Db): { tickets: number; seconds: Record<string, number> } {
  return inWriteTransaction(db, () => {
    const seconds: Record<string, number> = { tickets: 0 };
    const timed = (name: string, work: () => void): void => {
      const started = performance.now();
      work();
      seconds[name] = (seconds[name] ?? 0) + (performance.now() - started) / 1000;
    };
    // Every row of every projection is written again: their read-only indexes are built once, at the end.
    const deferred = { buildSeconds: 0 };
    const tickets = withIndexesDeferred(db, projectionQueryIndexes(), () => rebuildEveryProjection(db, timed), deferred);
    seconds.indexes = deferred.buildSeconds;
    return { tickets, seconds };
  });
}

function rebuildEveryProjection(db: Db, timed: (name: string, work: () => void) => void): number {
  const projections = orderedProjections();
  const joining = projections.filter(joinsTicketPass);
  const whole = projections.filter((projection) => !joining.includes(projection));
  for (const projection of whole) {
    const needsJoining = dependenciesOf(projection.name).filter((name) => joining.some((other) => other.name === name));
    if (needsJoining.length > 0) throw new Error(`projection "${projection.name}" is rebuilt whole but comes after ${needsJoining.join(', ')}, rebuilt ticket by ticket`);
    timed(projection.name, () => projection.rebuildAll(db));
  }
  const repository = new TicketRepository(db);
  timed('tickets', () => repository.clearProjections());
  for (const projection of joining) timed(projection.name, () => projection.reset!(db));
  let tickets = 0;
  for (let after = ''; ; ) {
    let ids: string[] = [];
    let events = new Map<string, ProjectedEvent[]>();
    timed('tickets', () => {
      ids = repository.ticketIdsAfter(after, TICKET_CHUNK);
      if (ids.length === 0) return;
      events = repository.eventsOfTickets(ids);
      rebuildTicketChunk(repository, events);
    });
    if (ids.length === 0) break;
    for (const projection of joining) timed(projection.name, () => projection.refreshTickets!(db, ids, events));
    tickets += ids.length;
    after = ids[ids.length - 1]!;
  }
  return tickets;
}
