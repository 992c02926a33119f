// One append to the team ledger: serialized in PostgreSQL (pg_advisory_xact_lock), checked against what the
// console assumed when it decided, chained by the client with the same code as on SQLite, inserted, NOTIFYed.
//
// A console decides a change on its replica (at `base`, the head it had verified) and hands in the rows that change
// appended there. If the team ledger is still at `base`, those rows go in exactly. If it moved on, the change is
// re-chained onto the new head only when nothing it assumed moved: none of the tickets it touched has a newer event,
// no ledger-wide fact (an account, a setting, a contract…) was recorded since, and neither its rows nor the answer the
// console gives its caller name a position in the chain at or after `base` (a checkpoint's size, a signature's event,
// an import's first and last seq, the seq of a review just recorded). Else the append is refused and the console
// re-decides on fresh data — so two consoles approving the same draft, or two resolvers taking the same ticket, can
// never both succeed.
import type pg from 'pg';
import { eventHash } from '../ledger/hashing.ts';
import type { RawEventRow } from '../ledger/ledger-repository.ts';
import { TeamQueries, type CredentialRow, type TeamHead } from './team-repository.ts';

/**
 * Ledger-wide facts no rule reads when judging a ticket's event: a session's start and the access log (sign-ins,
 * views, exports). Any other ledger-wide fact (an account, a role, a setting, a contract, a policy) may change how a
 * ticket's event is judged, so a change decided before it is re-decided.
 */
const IGNORED_LEDGER_WIDE = ['session.started'];
const IGNORED_LEDGER_WIDE_PREFIX = 'access.';

export interface PendingAppend {
  /** The replica's head when the change was decided. */
  base: TeamHead;
  /** The rows the change appended on the replica, chained on `base`. */
  rows: RawEventRow[];
  /** The last seq the console saw of each ticket the rows touch (0: none). */
  tickets: ReadonlyMap<string, number>;
  /** Password hashes the change set (people: an account added, a password changed). */
  credentials: readonly CredentialRow[];
  /**
   * The answer the change gives its caller names one of its rows (a seq or a hash, see namesPositionsOf): re-chained
   * it would be stale, so the change is re-decided instead.
   */
  answerNamesPositions?: boolean;
}

export type TeamAppendOutcome =
  | { kind: 'appended'; firstSeq: number; lastSeq: number; rechained: boolean }
  | { kind: 'conflict'; reason: string };

/** The team ledger's history is not the one this console verified: it must stop syncing. */
export class HistoryDiffersError extends Error {
  readonly seq: number;
  constructor(seq: number, detail: string) {
    super(`the team ledger's history differs from what this console verified at #${seq}: ${detail}`);
    this.seq = seq;
  }
}

/**
 * Whether `value` (JSON data, or an answer made of plain objects and arrays) holds a number in fromSeq..toSeq or one of
 * `hashes`: a position in the chain that re-chaining would move.
 */
export function namesPositionsOf(value: unknown, fromSeq: number, toSeq: number, hashes: ReadonlySet<string>, seen = new Set<object>()): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= fromSeq && value <= toSeq;
  if (typeof value === 'string') return hashes.has(value);
  if (value === null || typeof value !== 'object' || seen.has(value)) return false;
  seen.add(value);
  const items = Array.isArray(value) ? value : Object.getPrototypeOf(value) === Object.prototype ? Object.values(value) : [];
  return items.some((item) => namesPositionsOf(item, fromSeq, toSeq, hashes, seen));
}

/** Whether a row's payload names a chain position at or after `fromSeq` (a number in fromSeq..toSeq) or a hash of the batch. */
function namesPositions(row: RawEventRow, fromSeq: number, toSeq: number, hashes: ReadonlySet<string>): boolean {
  if (row[1] === null) return true;
  return namesPositionsOf(JSON.parse(row[6]), fromSeq, toSeq, hashes);
}

/** The rows re-chained onto `head`: new seq, prevHash and hash; a record time never before the head's. */
export function rechain(rows: readonly RawEventRow[], head: TeamHead): RawEventRow[] {
  let previous = head;
  return rows.map((row) => {
    const seq = previous.seq + 1;
    const recordedAt = row[4] < previous.recordedAt ? previous.recordedAt : row[4];
    const fields = { seq, ticket: row[1], type: row[2], at: row[3], recordedAt, actor: row[5], payload: row[6], prevHash: previous.hash };
    const hash = eventHash(fields);
    previous = { seq, hash, recordedAt };
    return [seq, row[1], row[2], row[3], recordedAt, row[5], row[6], fields.prevHash, hash];
  });
}

/** Why the change cannot be re-chained onto `head`, or null when nothing it assumed moved. */
async function conflictSince(queries: TeamQueries, pending: PendingAppend, head: TeamHead): Promise<string | null> {
  const { base, rows } = pending;
  const hashes = new Set([base.hash, ...rows.map((row) => row[8])]);
  const bound = rows.find((row) => namesPositions(row, base.seq, base.seq + rows.length, hashes));
  if (bound) {
    return `the team ledger moved on from #${base.seq} to #${head.seq} and this change (${bound[2]}) names positions in the chain`;
  }
  if (pending.answerNamesPositions) return `the team ledger moved on from #${base.seq} to #${head.seq} and this change's answer names positions in the chain`;
  const serverHeads = await queries.ticketHeads([...pending.tickets.keys()]);
  for (const [ticket, assumed] of pending.tickets) {
    const now = serverHeads.get(ticket) ?? 0;
    if (now > assumed) return `ticket ${ticket} changed on the team ledger (#${now}) after this console decided (it had seen #${assumed})`;
  }
  const ledgerWide = await queries.ledgerWideAfter(base.seq, IGNORED_LEDGER_WIDE, IGNORED_LEDGER_WIDE_PREFIX);
  if (ledgerWide) return `a ledger-wide change (${ledgerWide.type}, #${ledgerWide.seq}) was recorded after this console decided`;
  return null;
}

/** How `withAppendLock` waits for the lock and keeps it. */
export interface AppendLockOptions {
  /** Called while another session holds the lock, with who it is (its application name says what it writes). */
  onWait?: (holder: { pid: number; what: string; since: string } | null) => void;
  /** Called once the wait is over. */
  onWaitEnd?: () => void;
  /** How long to wait for the lock before giving up with AppendLockBusyError (default ten minutes). */
  maxWaitMs?: number;
  /** A long hold (an import): named to waiters, kept alive by pings while `work` runs. */
  label?: string;
}

/** Another console held the team ledger's append lock longer than the wait allows: nothing was recorded. */
export class AppendLockBusyError extends Error {
  readonly holder: { pid: number; what: string; since: string } | null;
  readonly waitedMs: number;
  constructor(holder: { pid: number; what: string; since: string } | null, waitedMs: number) {
    super(`not recorded: ${holder ? `${holder.what} (server pid ${holder.pid}) has held the team ledger since ${holder.since}` : 'another console holds the team ledger'}; gave up after waiting ${Math.round(waitedMs / 1000)} s`);
    this.holder = holder;
    this.waitedMs = waitedMs;
  }
}

/** A session holding the lock idle this long is ended by the server: a console that died frees the lock. */
const IDLE_HOLD_SECONDS = 60;
/** Pings that keep a long hold (an import running on its own) from counting as idle. */
const PING_EVERY_MS = 15_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in one PostgreSQL transaction holding the append lock (pg_advisory_xact_lock): while it runs nobody
 * else appends. Commits when `work` resolves to commit, rolls back otherwise (or when it throws). While another
 * session holds the lock it waits, saying who, for a bounded time.
 */
export async function withAppendLock<T>(pool: pg.Pool, work: (queries: TeamQueries) => Promise<{ commit: boolean; value: T }>, options: AppendLockOptions = {}): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  let pinger: NodeJS.Timeout | null = null;
  try {
    const queries = new TeamQueries(client);
    await client.query('BEGIN');
    try {
      await queries.boundIdleHold(IDLE_HOLD_SECONDS, options.label);
      await acquire(queries, options);
      if (options.label) {
        pinger = setInterval(() => void queries.ping().catch(() => undefined), PING_EVERY_MS);
        pinger.unref();
      }
      const { commit, value } = await work(queries);
      if (pinger) clearInterval(pinger);
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      return value;
    } catch (error) {
      if (pinger) clearInterval(pinger);
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

async function acquire(queries: TeamQueries, options: AppendLockOptions): Promise<void> {
  const maxWaitMs = options.maxWaitMs ?? 10 * 60 * 1000;
  const started = Date.now();
  let waiting = false;
  let lastHolder = '';
  try {
    for (let attempt = 0; !(await queries.tryLockAppends()); attempt++) {
      const holder = await queries.appendLockHolder();
      const waited = Date.now() - started;
      if (waited >= maxWaitMs) {
        throw new AppendLockBusyError(holder, waited);
      }
      const key = holder ? `${holder.pid} ${holder.what}` : '';
      if (!waiting || key !== lastHolder) options.onWait?.(holder);
      waiting = true;
      lastHolder = key;
      // Most appends take milliseconds: short pauses first, then at most a quarter of a second.
      await sleep(Math.min(250, 2 * 2 ** attempt));
    }
  } finally {
    if (waiting) options.onWaitEnd?.();
  }
}

/** Appends `pending` inside a transaction that holds the append lock; see the module comment. */
export async function appendLocked(queries: TeamQueries, pending: PendingAppend): Promise<TeamAppendOutcome> {
  const head = await queries.head();
  const { base } = pending;
  if (head.seq < base.seq) throw new HistoryDiffersError(base.seq, `the team ledger now ends at #${head.seq}`);
  const baseHash = head.seq === base.seq ? head.hash : ((await queries.rowAt(base.seq))?.[8] ?? null);
  if (base.seq > 0 && baseHash !== base.hash) throw new HistoryDiffersError(base.seq, `its event #${base.seq} has another hash there`);
  let rows = pending.rows;
  if (head.seq !== base.seq) {
    const conflict = await conflictSince(queries, pending, head);
    if (conflict) return { kind: 'conflict', reason: conflict };
    rows = rechain(rows, head);
  }
  if (rows.length > 0) await queries.insertRows(rows);
  if (pending.credentials.length > 0) await queries.upsertCredentials(pending.credentials);
  const lastSeq = rows.length > 0 ? rows[rows.length - 1]![0] : head.seq;
  if (rows.length > 0) await queries.notifyHead(lastSeq);
  return { kind: 'appended', firstSeq: rows[0]?.[0] ?? head.seq, lastSeq, rechained: head.seq !== base.seq };
}

/** Appends `pending` in one PostgreSQL transaction of its own; see the module comment. */
export async function appendToTeam(pool: pg.Pool, pending: PendingAppend, options: AppendLockOptions = {}): Promise<TeamAppendOutcome> {
  return withAppendLock(
    pool,
    async (queries) => {
      const outcome = await appendLocked(queries, pending);
      return { commit: outcome.kind === 'appended', value: outcome };
    },
    options,
  );
}
