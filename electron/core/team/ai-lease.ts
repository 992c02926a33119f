// AI resolution in team mode: one resolver at a time per ticket. Before a console's AI works on a ticket it takes
// the ticket's lease in PostgreSQL (ai_leases: one INSERT … ON CONFLICT … WHERE expired, so two consoles can never
// both win), renews it while the model is thinking, and releases it when the run is recorded. A console that dies
// holding a lease frees its ticket when the lease expires. A ticket leased by another console is skipped.
//
// The lease saves the work, not the ledger: a run is recorded once per customer turn whatever happens (commitRun
// refuses a duplicate, and the team write gate re-decides on fresh data), so a lease lost to a network hiccup costs
// at most one wasted model call.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { isConnectionError, TeamUnavailableError } from './team-connection.ts';
import { TeamQueries } from './team-repository.ts';

/** How the resolver reports a ticket it left to the console holding its lease. */
export const LEASED_ELSEWHERE = 'being resolved by another console';

/** The team ledger cannot be reached (or this console stopped syncing): no ticket can be taken now. */
export class LeasesUnavailableError extends Error {}

const unavailable = (error: unknown): unknown => {
  if (error instanceof TeamUnavailableError) return new LeasesUnavailableError(error.message);
  if (isConnectionError(error)) return new LeasesUnavailableError(`the team ledger cannot be reached (${(error as Error).message})`);
  return error;
};

/** A lease this console holds; renews itself until released. */
export interface HeldLease {
  readonly ticketId: string;
  release(): Promise<void>;
}

/** What the AI resolver needs in team mode (CoreContext.team.leases). */
export interface AiLeases {
  /** This console's name in the lease table. */
  readonly holder: string;
  /**
   * Takes the ticket's lease and brings the replica up to the server's head, so the caller decides on what the
   * console that held it last recorded; null when another console holds it. Throws LeasesUnavailableError when
   * the team ledger cannot be reached.
   */
  acquire(ticketId: string): Promise<HeldLease | null>;
}

export interface TeamAiLeasesOptions {
  pool: pg.Pool;
  /** Names this console; a random suffix makes each opened core its own holder. */
  replicaId: string;
  /** Catches the replica up with the team ledger (the write gate's sync). */
  catchUp: () => Promise<unknown>;
  /** How long a lease lives without renewal (default 60 s): how long a dead console's tickets wait. */
  seconds?: number;
  /** Renewal interval (default a third of the lease). */
  renewEveryMs?: number;
}

const DEFAULT_LEASE_SECONDS = 60;

export class TeamAiLeases implements AiLeases {
  readonly holder: string;
  private readonly options: TeamAiLeasesOptions;
  private readonly seconds: number;

  constructor(options: TeamAiLeasesOptions) {
    this.options = options;
    this.seconds = options.seconds ?? DEFAULT_LEASE_SECONDS;
    this.holder = `${options.replicaId}:${randomUUID().slice(0, 8)}`;
  }

  async acquire(ticketId: string): Promise<HeldLease | null> {
    const taken = await this.take(ticketId).catch((error: unknown) => {
      throw unavailable(error);
    });
    if (!taken) return null;
    try {
      await this.options.catchUp();
    } catch (error) {
      await this.release(ticketId);
      throw unavailable(error);
    }
    return this.hold(ticketId);
  }

  private async queries<T>(work: (queries: TeamQueries) => Promise<T>): Promise<T> {
    const client = await this.options.pool.connect();
    try {
      return await work(new TeamQueries(client));
    } finally {
      client.release();
    }
  }

  private take(ticketId: string): Promise<boolean> {
    return this.queries((queries) => queries.takeLease(ticketId, this.holder, this.seconds));
  }

  private async release(ticketId: string): Promise<void> {
    // Offline: the lease simply expires.
    await this.queries((queries) => queries.releaseLease(ticketId, this.holder)).catch(() => undefined);
  }

  private hold(ticketId: string): HeldLease {
    const renewing = setInterval(() => {
      // A failed renewal is no failure of the run (see the top of this file); the next one tries again.
      void this.take(ticketId).catch(() => undefined);
    }, this.options.renewEveryMs ?? (this.seconds * 1000) / 3);
    renewing.unref();
    let released: Promise<void> | null = null;
    return {
      ticketId,
      release: () => {
        clearInterval(renewing);
        return (released ??= this.release(ticketId));
      },
    };
  }
}
