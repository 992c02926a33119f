// The SQL a console's replica needs on its own SQLite file: the rows it verified (to compare with the server),
// the last sequence number of the tickets a write touched, and the mirror of the team's credentials and identity.
import { hash } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import type { RawEventRow } from '../ledger/ledger-repository.ts';
import type { CredentialRow } from './team-repository.ts';

const COLUMNS = 'seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash';
const SEPARATOR = '\u001f';

/** One row's fields joined as the server's rangeDigest joins them (a null ticket is 'N', a ticket 'T' + id). */
export function rowDigest(row: RawEventRow): string {
  const [seq, ticket, type, at, recordedAt, actor, payload, prevHash, rowHash] = row;
  const text = [String(seq), ticket === null ? 'N' : `T${ticket}`, type, at, recordedAt, actor, payload, prevHash, rowHash].join(SEPARATOR);
  return hash('sha256', text, 'hex');
}

export class ReplicaRepository {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  rowsAfter(afterSeq: number): RawEventRow[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ? ORDER BY seq`).raw().all(afterSeq) as RawEventRow[];
  }

  /** SHA-256 over rows fromSeq..toSeq (see TeamQueries.rangeDigest), and how many there are. */
  rangeDigest(fromSeq: number, toSeq: number): { digest: string; count: number } {
    const digests: string[] = [];
    for (const row of this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq`).raw().iterate(fromSeq, toSeq) as IterableIterator<RawEventRow>) {
      digests.push(rowDigest(row));
    }
    return { digest: hash('sha256', digests.join(''), 'hex'), count: digests.length };
  }

  /** The last sequence number, up to `upTo`, of each ticket's events (0 for a ticket without any). */
  ticketHeads(tickets: readonly string[], upTo: number): Map<string, number> {
    const statement = this.db.prepare('SELECT max(seq) FROM events WHERE ticket_id = ? AND seq <= ?').pluck();
    return new Map(tickets.map((ticket) => [ticket, (statement.get(ticket, upTo) as number | null) ?? 0]));
  }

  credentials(): CredentialRow[] {
    return this.db.prepare('SELECT account, password, changed_at AS changedAt FROM account_credentials ORDER BY account').all() as CredentialRow[];
  }

  /**
   * Takes the team's password hashes the caller accepted (see TeamReplica.boundCredentials). A hash this replica holds
   * is never dropped because the server no longer lists it: accounts are never deleted, only disabled, so a missing
   * row is the server's loss (or someone's doing), not a reason to lock a person out here.
   */
  mirrorCredentials(rows: readonly CredentialRow[]): void {
    const local = new Map(this.credentials().map((row) => [row.account, row]));
    const upsert = this.db.prepare(
      'INSERT INTO account_credentials (account, password, changed_at) VALUES (?, ?, ?) ON CONFLICT (account) DO UPDATE SET password = excluded.password, changed_at = excluded.changed_at',
    );
    for (const row of rows) {
      const mine = local.get(row.account);
      if (!mine || mine.password !== row.password || mine.changedAt !== row.changedAt) upsert.run(row.account, row.password, row.changedAt);
    }
  }

  ledgerId(): string {
    return this.db.prepare('SELECT ledger_id FROM ledger_identity WHERE id = 1').pluck().get() as string;
  }

  /** Marks the file as a replica of `team` (once): desktop writers refuse it from now on (ledger/replica-guard.ts). */
  markReplicaOf(team: string): void {
    this.db.prepare('INSERT INTO team_replica (id, team, joined_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING').run(team, new Date().toISOString());
  }

  /** An empty replica takes the team ledger's identity: its checkpoints then name the same log. */
  adoptLedgerId(ledgerId: string): void {
    this.db.prepare('UPDATE ledger_identity SET ledger_id = ? WHERE id = 1').run(ledgerId);
  }
}
