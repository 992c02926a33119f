// The write gate of a console connected to a team ledger. A write is still one turn of the gate and one
// synchronous piece of work on the local replica (the core is not rewritten), but its rows are not kept there:
//  1. the replica catches up with the server (writes are refused while it is offline or stopped);
//  2. the work runs in a local transaction on the fresh replica, and what it appended (and any password it set) is
//     captured, then rolled back: the replica only ever holds what the server holds;
//  3. the captured rows are appended to PostgreSQL with what the work assumed (team-append.ts);
//  4. the replica pulls them back through the exact-import path. On a conflict the work re-runs on fresh data.
import type { Db } from '../db/connection.ts';
import { WriteGate, type WriteGateOptions } from '../db/write-gate.ts';
import { beginWrite, maxWaitFromEnv, WriteBusyError, type WriteLock } from '../db/write-lock.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { allowTeamWrites } from '../ledger/replica-guard.ts';
import { ReplicaRepository } from './replica-repository.ts';
import type { TeamReplica } from './replica.ts';
import { isConnectionError, TeamUnavailableError } from './team-connection.ts';
import { AppendLockBusyError, appendLocked, appendToTeam, HistoryDiffersError, withAppendLock, type AppendLockOptions, namesPositionsOf, type PendingAppend, type TeamAppendOutcome } from './team-append.ts';

/** How often a write is re-decided after the team ledger moved on under it before the console gives up. */
const MAX_ATTEMPTS = 50;

/** The team ledger kept moving on where this write looked (a busy ticket): nothing was recorded. */
export class TeamConflictError extends Error {}

/** What a write appended to the replica inside its (to be rolled back) transaction. */
function startCapture(db: Db): { finish(): PendingAppend } {
  const ledger = new LedgerRepository(db);
  const replica = new ReplicaRepository(db);
  const base = ledger.lastEvent();
  const credentialsBefore = new Map(replica.credentials().map((row) => [row.account, `${row.password}\u0000${row.changedAt}`]));
  return {
    finish(): PendingAppend {
      const rows = replica.rowsAfter(base.seq);
      const tickets = [...new Set(rows.map((row) => row[1]).filter((ticket): ticket is string => ticket !== null))];
      const credentials = replica.credentials().filter((row) => credentialsBefore.get(row.account) !== `${row.password}\u0000${row.changedAt}`);
      return { base, rows, tickets: replica.ticketHeads(tickets, base.seq), credentials };
    },
  };
}

const isEmpty = (pending: PendingAppend): boolean => pending.rows.length === 0 && pending.credentials.length === 0;

/**
 * The change with what its work answers: an answer that names the change's own positions (the seq of a review just
 * recorded, an import's head hash) would be stale after re-chaining, so such a change is re-decided instead.
 */
function withAnswer(pending: PendingAppend, answer: unknown): PendingAppend {
  // The change's own rows only: the head it was decided on stays where it is when the rows are re-chained.
  const { base, rows } = pending;
  return { ...pending, answerNamesPositions: namesPositionsOf(answer, base.seq + 1, base.seq + rows.length, new Set(rows.map((row) => row[8]))) };
}

export class TeamWriteGate extends WriteGate {
  private readonly replica: TeamReplica;
  private syncQueued = false;

  constructor(replica: TeamReplica, options: WriteGateOptions = {}) {
    super(options);
    this.replica = replica;
  }

  /** Every write is captured on the replica's own connection and appended to the team ledger: none from elsewhere. */
  override acceptsWritesFromOtherThreads(): boolean {
    return false;
  }

  override write<T>(db: Db, what: string, work: () => T): Promise<T> {
    return this.turn(what, () => this.commit(db, what, work));
  }

  /**
   * A long job (an import on its own connection). It cannot be re-decided like a single write, so it holds the team
   * ledger's append lock for its whole run, as it holds a desktop file's write lock: other consoles' writes wait for
   * it instead of making it start over. Its transaction is captured and rolled back when it commits, and its rows
   * appended in the same PostgreSQL transaction before the lock is released.
   */
  override hold<T>(what: string, job: (begin: (db: Db) => Promise<WriteLock>) => Promise<T>): Promise<T> {
    return this.turn(what, async () => {
      let appended = false;
      try {
        return await withAppendLock(this.replica.pool, async (queries) => {
          // Nobody appends now: caught up here, the replica stays at the team ledger's head until the job ends.
          await this.replica.pull();
          this.replica.requireWritable();
          let pending: PendingAppend | null = null;
          const result = await job(async (db) => {
            allowTeamWrites(db);
            const lock = await beginWrite(db, what, this.waitHooks());
            const capture = startCapture(db);
            return {
              end(outcome) {
                if (outcome === 'commit' && db.inTransaction) pending = capture.finish();
                lock.end('rollback');
              },
            };
          });
          const captured = pending as PendingAppend | null;
          if (!captured || isEmpty(captured)) return { commit: false, value: result };
          const outcome = await appendLocked(queries, captured);
          if (outcome.kind === 'conflict') throw new TeamConflictError(`${what}: not recorded: ${outcome.reason}`);
          appended = true;
          return { commit: true, value: result };
        }, this.lockWaiting(`attest: ${what}`));
      } catch (error) {
        throw await this.refusal(error, what);
      } finally {
        if (appended) await this.catchUpAfterAppend();
      }
    });
  }

  /** Asks for a sync in its own turn (on NOTIFY and on the timer); requests made while one waits are merged. */
  requestSync(): void {
    if (this.syncQueued) return;
    this.syncQueued = true;
    void this.turn('team sync', async () => {
      this.syncQueued = false;
      await this.replica.pull();
    }).catch(() => undefined);
  }

  /** Catches up now, in a turn of its own; resolves when the replica is at the server's head (or throws why not). */
  sync(): Promise<number> {
    return this.turn('team sync', () => this.replica.pull());
  }

  private async commit<T>(db: Db, what: string, work: () => T): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.replica.pull();
      this.replica.requireWritable();
      const lock = await beginWrite(db, what, this.waitHooks());
      let result: T;
      let pending: PendingAppend;
      try {
        const capture = startCapture(db);
        result = work();
        if (result instanceof Promise) throw new Error('a write turn runs synchronous work only');
        pending = withAnswer(capture.finish(), result);
      } finally {
        lock.end('rollback');
      }
      if (isEmpty(pending)) return result;
      const outcome = await this.submit(pending, what);
      if (outcome.kind === 'appended') {
        await this.catchUpAfterAppend();
        return result;
      }
      if (attempt >= MAX_ATTEMPTS) throw new TeamConflictError(`${what}: not recorded: ${outcome.reason} (re-decided ${attempt} times)`);
    }
  }

  private async submit(pending: PendingAppend, what: string): Promise<TeamAppendOutcome> {
    try {
      return await appendToTeam(this.replica.pool, pending, this.lockWaiting());
    } catch (error) {
      throw await this.refusal(error, what);
    }
  }

  /** Waiting for the team ledger's append lock shows like waiting for another process's write (the gate's status). */
  private lockWaiting(label?: string): AppendLockOptions {
    const hooks = this.waitHooks();
    return {
      label,
      maxWaitMs: maxWaitFromEnv(),
      onWait: (holder) => hooks.onWait?.(holder ? { pid: holder.pid, what: holder.what.replace(/^attest: /, ''), since: holder.since } : null),
      onWaitEnd: () => hooks.onWaitEnd?.(),
    };
  }

  /** What a failed append tells the caller; a lost connection or another history first makes the replica look. */
  private async refusal(error: unknown, what: string): Promise<unknown> {
    if (error instanceof AppendLockBusyError) return new WriteBusyError(what, error.holder && { ...error.holder, what: error.holder.what.replace(/^attest: /, '') }, error.waitedMs);
    if (error instanceof HistoryDiffersError) {
      // The pull that follows names it and stops the replica.
      await this.replica.pull().catch(() => undefined);
      return new TeamUnavailableError(`${what}: not recorded: ${error.message}`);
    }
    if (isConnectionError(error)) {
      await this.replica.pull().catch(() => undefined);
      return new TeamUnavailableError(
        `${what}: the team ledger stopped answering while this change was being recorded (${(error as Error).message}); if it was recorded it shows once the connection is back`,
      );
    }
    return error;
  }

  /** The change is on the server: pull it back. Offline right now is no failure of the write — it was recorded. */
  private async catchUpAfterAppend(): Promise<void> {
    try {
      await this.replica.pull();
    } catch (error) {
      if (!(error instanceof TeamUnavailableError)) throw error;
    }
  }
}
