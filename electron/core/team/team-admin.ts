// What an administrator does to a team ledger: create or migrate it (`attest team init`) and copy a desktop ledger
// into it exactly (`attest team push`). Both connect with the URL given (the database's owner), not as the writer.
import type { Db } from '../db/connection.ts';
import { applyPgMigrations, pgSchemaProblem } from '../db/pg-migrate.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { ReplicaRepository } from './replica-repository.ts';
import { credentialBindings } from '../people/accounts.ts';
import { describeTeam } from './team-connection.ts';
import { grantWriterRole, withTeamClient, writerPrivileges } from './team-repository.ts';

export const DEFAULT_WRITER_ROLE = 'attest_writer';

export interface TeamInitResult {
  team: string;
  applied: string[];
  writerRole: string;
  /** The writer role's privileges on `events`, as PostgreSQL reports them. */
  writerPrivileges: string[];
}

export async function initTeam(url: string, options: { writerRole?: string; writerPassword?: string | null } = {}): Promise<TeamInitResult> {
  return withTeamClient(url, 'attest-team-init', async (client) => {
    const applied = await applyPgMigrations(client);
    const role = options.writerRole ?? DEFAULT_WRITER_ROLE;
    await grantWriterRole(client, role, options.writerPassword ?? null);
    return { team: describeTeam(url), applied, writerRole: role, writerPrivileges: await writerPrivileges(client, role) };
  });
}

export class TeamPushError extends Error {}

export interface TeamPushProgress {
  copied: number;
  total: number;
}

export interface TeamPushResult {
  team: string;
  events: number;
  /** Events the team ledger already held (a push resumed after an interruption). */
  alreadyThere: number;
  headSeq: number;
  headHash: string;
  credentials: number;
}

/** Rows per transaction: a push interrupted keeps what it copied and resumes from there. */
const PUSH_BATCH = 20_000;

/**
 * Copies the desktop ledger `db` into an empty team ledger exactly (same seq, same hashes, same ledger identity), or
 * continues a push that was interrupted (the team ledger then holds a prefix of this very ledger).
 */
export async function pushToTeam(db: Db, url: string, onProgress?: (progress: TeamPushProgress) => void): Promise<TeamPushResult> {
  return withTeamClient(url, 'attest-team-push', async (client, queries) => {
    const problem = await pgSchemaProblem(client);
    if (problem) throw new TeamPushError(problem);
    const local = new LedgerRepository(db);
    const replica = new ReplicaRepository(db);
    // A team console takes a password hash only when the account's events vouch for it (their `credential` digest).
    const unbound = [...credentialBindings(db)].filter(([, digest]) => digest === null).map(([account]) => account);
    if (unbound.length > 0) {
      throw new TeamPushError(
        `account(s) ${unbound.join(', ')} have a password set by an older Attest, not bound to the ledger, which no team console would accept: reset their passwords on this file first (attest user passwd --db FILE --name NAME), then push`,
      );
    }
    const localHead = local.lastEvent();
    const serverHead = await queries.head();
    const ledgerId = replica.ledgerId();
    if (serverHead.seq > 0) {
      const theirs = await queries.ledgerId();
      const mine = local.rowAtSeq(serverHead.seq);
      if (theirs !== ledgerId || !mine || mine[8] !== serverHead.hash) {
        throw new TeamPushError(`the team ledger ${describeTeam(url)} is not empty (${serverHead.seq} events of another history): a push copies a desktop ledger into an empty team ledger only`);
      }
    }
    await client.query('BEGIN');
    try {
      if (serverHead.seq === 0) await queries.setLedgerId(ledgerId);
      await queries.upsertCredentials(replica.credentials());
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    let copied = serverHead.seq;
    while (copied < localHead.seq) {
      const rows = [...local.iterateRange(copied + 1, Math.min(localHead.seq, copied + PUSH_BATCH))];
      await client.query('BEGIN');
      try {
        await queries.insertRows(rows);
        await queries.notifyHead(rows[rows.length - 1]![0]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      copied += rows.length;
      onProgress?.({ copied, total: localHead.seq });
    }
    const after = await queries.head();
    if (after.seq !== localHead.seq || after.hash !== localHead.hash) {
      throw new TeamPushError(`after the push the team ledger ends at #${after.seq} (${after.hash.slice(0, 12)}…), not at this ledger's head #${localHead.seq}`);
    }
    return { team: describeTeam(url), events: localHead.seq - serverHead.seq, alreadyThere: serverHead.seq, headSeq: after.seq, headHash: after.hash, credentials: replica.credentials().length };
  });
}
