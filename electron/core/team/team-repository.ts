// All SQL of the team ledger on PostgreSQL. Consoles connect as the writer role (INSERT and SELECT on events);
// the chain itself is guarded by the database's triggers (db/pg-migrations/001_team_ledger.sql).
import type pg from 'pg';
import { loadOnFirstUse } from '../load-on-first-use.ts';
import type { RawEventRow } from '../ledger/ledger-repository.ts';

export interface TeamHead {
  seq: number;
  hash: string;
  recordedAt: string;
}

export interface CredentialRow {
  account: string;
  password: string;
  changedAt: string;
}

export interface ReplicaRow {
  replicaId: string;
  name: string;
  cosigner: string;
  firstSeen: string;
  lastSeen: string;
  verifiedSize: number;
  cosignedSize: number;
  stopped: string | null;
}

export interface ReplicaCosignatureRow {
  checkpointSeq: number;
  replicaId: string;
  treeSize: number;
  rootHash: string;
  cosigner: string;
  timestamp: number;
  signature: string;
}

/** The channel every append NOTIFYs with the new head's sequence number. */
export const LEDGER_CHANNEL = 'attest_ledger';
/** The advisory lock that serializes appends (pg_advisory_xact_lock): "attest" in ASCII. */
const APPEND_LOCK = 0x617474657374;
const COLUMNS = 'seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash';
const GENESIS = '0'.repeat(64);
/** Rows per INSERT statement (9 parameters each, under PostgreSQL's 65,535). */
const INSERT_CHUNK = 1000;

/** The PostgreSQL driver, loaded by the first team connection: a desktop ledger never needs it (load-on-first-use.ts). */
const driver = loadOnFirstUse<typeof pg>('pg');

let typeOverrides: pg.TypeOverrides | undefined;
/** BIGINT columns come back as numbers: sequence numbers and sizes stay far below 2^53. */
function types(): pg.TypeOverrides {
  if (!typeOverrides) {
    typeOverrides = new (driver().TypeOverrides)();
    typeOverrides.setTypeParser(driver().types.builtins.INT8, (value: string) => Number(value));
  }
  return typeOverrides;
}

export function teamPool(url: string, options: { max?: number; application?: string } = {}): pg.Pool {
  return new (driver().Pool)({ connectionString: url, max: options.max ?? 4, types: types(), application_name: options.application ?? 'attest', connectionTimeoutMillis: 5000 });
}

export function teamClient(url: string, application = 'attest'): pg.Client {
  return new (driver().Client)({ connectionString: url, types: types(), application_name: application, connectionTimeoutMillis: 5000 });
}

/** One connection of its own for `work` (an administrator's command, a read-only check), closed afterwards. */
export async function withTeamClient<T>(url: string, application: string, work: (client: pg.Client, queries: TeamQueries) => Promise<T>): Promise<T> {
  const client = teamClient(url, application);
  await client.connect();
  try {
    return await work(client, new TeamQueries(client));
  } finally {
    await client.end();
  }
}

const toHead = (row: { seq: number; hash: string; recorded_at: string } | undefined): TeamHead =>
  row ? { seq: row.seq, hash: row.hash, recordedAt: row.recorded_at } : { seq: 0, hash: GENESIS, recordedAt: '' };

/** Reads and writes of one connection (a pooled client, or the client of a transaction). */
export class TeamQueries {
  readonly client: pg.ClientBase;

  constructor(client: pg.ClientBase) {
    this.client = client;
  }

  async head(): Promise<TeamHead> {
    const result = await this.client.query(`SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1`);
    return toHead(result.rows[0]);
  }

  async ledgerId(): Promise<string> {
    return (await this.client.query('SELECT ledger_id FROM ledger_identity WHERE id = 1')).rows[0].ledger_id as string;
  }

  async setLedgerId(ledgerId: string): Promise<void> {
    await this.client.query('UPDATE ledger_identity SET ledger_id = $1 WHERE id = 1', [ledgerId]);
  }

  /** Events after `afterSeq`, in order, as raw rows (the column order of the desktop ledger). */
  async rowsAfter(afterSeq: number, limit: number): Promise<RawEventRow[]> {
    const result = await this.client.query({ text: `SELECT ${COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`, values: [afterSeq, limit], rowMode: 'array' });
    return result.rows as RawEventRow[];
  }

  async rowAt(seq: number): Promise<RawEventRow | null> {
    const result = await this.client.query({ text: `SELECT ${COLUMNS} FROM events WHERE seq = $1`, values: [seq], rowMode: 'array' });
    return (result.rows[0] as RawEventRow | undefined) ?? null;
  }

  /**
   * SHA-256 over the rows fromSeq..toSeq, each row's fields joined as rowDigest() does (replica-repository.ts; a null ticket is 'N', a ticket 'T' + id): how a replica compares
   * the server's history with the one it verified without reading it all back.
   */
  async rangeDigest(fromSeq: number, toSeq: number): Promise<{ digest: string; count: number }> {
    const result = await this.client.query(
      `SELECT encode(sha256(convert_to(coalesce(string_agg(
          encode(sha256(convert_to(seq::text || chr(31) || CASE WHEN ticket_id IS NULL THEN 'N' ELSE 'T' || ticket_id END || chr(31) || type || chr(31) || at || chr(31) || recorded_at
            || chr(31) || actor || chr(31) || payload || chr(31) || prev_hash || chr(31) || hash, 'UTF8')), 'hex'), '' ORDER BY seq), ''), 'UTF8')), 'hex') AS digest,
          count(*)::int AS count
       FROM events WHERE seq BETWEEN $1 AND $2`,
      [fromSeq, toSeq],
    );
    return { digest: result.rows[0].digest as string, count: result.rows[0].count as number };
  }

  /** Takes the append lock for the rest of the transaction if nobody holds it; false when another session does. */
  async tryLockAppends(): Promise<boolean> {
    return (await this.client.query('SELECT pg_try_advisory_xact_lock($1) AS got', [APPEND_LOCK])).rows[0].got as boolean;
  }

  /** Who holds the append lock (its application name says what it writes), or null. */
  async appendLockHolder(): Promise<{ pid: number; what: string; since: string } | null> {
    const result = await this.client.query(
      `SELECT a.pid, a.application_name, a.xact_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1 LIMIT 1`,
      [Math.floor(APPEND_LOCK / 2 ** 32), APPEND_LOCK % 2 ** 32],
    );
    const row = result.rows[0] as { pid: number; application_name: string; xact_start: Date | null } | undefined;
    return row ? { pid: row.pid, what: row.application_name || 'another console', since: row.xact_start?.toISOString() ?? '' } : null;
  }

  /**
   * For the rest of this transaction: a session that holds it idle longer than `seconds` (a console that died or went
   * to sleep holding the append lock) is ended by the server, and the lock with it; `label`, if any, names it to waiters.
   */
  async boundIdleHold(seconds: number, label?: string): Promise<void> {
    await this.client.query(`SELECT set_config('idle_in_transaction_session_timeout', $1, true)`, [`${seconds}s`]);
    if (label) await this.client.query(`SELECT set_config('application_name', $1, true)`, [label.slice(0, 63)]);
  }

  /** A no-op round trip that keeps a long transaction from counting as idle. */
  async ping(): Promise<void> {
    await this.client.query('SELECT 1');
  }

  /** For each ticket, the last seq of its events (tickets without events are absent). */
  async ticketHeads(tickets: readonly string[]): Promise<Map<string, number>> {
    if (tickets.length === 0) return new Map();
    const result = await this.client.query('SELECT ticket_id, max(seq) AS seq FROM events WHERE ticket_id = ANY($1::text[]) GROUP BY ticket_id', [tickets]);
    return new Map(result.rows.map((row: { ticket_id: string; seq: number }) => [row.ticket_id, Number(row.seq)]));
  }

  /** The first ledger-wide event after `afterSeq` whose type is neither one of `ignoredTypes` nor starts with `ignoredPrefix`, or null. */
  async ledgerWideAfter(afterSeq: number, ignoredTypes: readonly string[], ignoredPrefix: string): Promise<{ seq: number; type: string } | null> {
    const result = await this.client.query(
      "SELECT seq, type FROM events WHERE seq > $1 AND ticket_id IS NULL AND NOT (type = ANY($2::text[])) AND left(type, length($3)) <> $3 ORDER BY seq LIMIT 1",
      [afterSeq, ignoredTypes, ignoredPrefix],
    );
    return (result.rows[0] as { seq: number; type: string } | undefined) ?? null;
  }

  async insertRows(rows: readonly RawEventRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      const values: unknown[] = [];
      const tuples = chunk.map((row, index) => {
        values.push(...row);
        const base = index * 9;
        return `(${Array.from({ length: 9 }, (_, i) => `$${base + i + 1}`).join(', ')})`;
      });
      await this.client.query(`INSERT INTO events (${COLUMNS}) VALUES ${tuples.join(', ')}`, values);
    }
  }

  async notifyHead(seq: number): Promise<void> {
    await this.client.query('SELECT pg_notify($1, $2)', [LEDGER_CHANNEL, String(seq)]);
  }

  async credentials(): Promise<CredentialRow[]> {
    const result = await this.client.query('SELECT account, password, changed_at FROM account_credentials ORDER BY account');
    return result.rows.map((row: { account: string; password: string; changed_at: string }) => ({ account: row.account, password: row.password, changedAt: row.changed_at }));
  }

  async upsertCredentials(rows: readonly CredentialRow[]): Promise<void> {
    for (const row of rows) {
      await this.client.query(
        `INSERT INTO account_credentials (account, password, changed_at) VALUES ($1, $2, $3)
         ON CONFLICT (account) DO UPDATE SET password = excluded.password, changed_at = excluded.changed_at`,
        [row.account, row.password, row.changedAt],
      );
    }
  }

  async registerReplica(replica: { replicaId: string; name: string; cosigner: string }): Promise<void> {
    await this.client.query(
      `INSERT INTO replicas (replica_id, name, cosigner) VALUES ($1, $2, $3)
       ON CONFLICT (replica_id) DO UPDATE SET name = excluded.name, cosigner = excluded.cosigner, last_seen = now()`,
      [replica.replicaId, replica.name, replica.cosigner],
    );
  }

  async replicaVerified(replicaId: string, verifiedSize: number, stopped: string | null): Promise<void> {
    await this.client.query('UPDATE replicas SET verified_size = GREATEST(verified_size, $2), last_seen = now(), stopped = $3 WHERE replica_id = $1', [replicaId, verifiedSize, stopped]);
  }

  async recordReplicaCosignature(row: ReplicaCosignatureRow): Promise<void> {
    await this.client.query(
      `INSERT INTO replica_cosignatures (checkpoint_seq, replica_id, tree_size, root_hash, cosigner, timestamp, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (checkpoint_seq, replica_id) DO NOTHING`,
      [row.checkpointSeq, row.replicaId, row.treeSize, row.rootHash, row.cosigner, row.timestamp, row.signature],
    );
    await this.client.query('UPDATE replicas SET cosigned_size = GREATEST(cosigned_size, $2) WHERE replica_id = $1', [row.replicaId, row.treeSize]);
  }

  async replicas(): Promise<ReplicaRow[]> {
    const result = await this.client.query(
      `SELECT replica_id, name, cosigner, first_seen, last_seen, verified_size, cosigned_size, stopped FROM replicas ORDER BY first_seen, replica_id`,
    );
    return result.rows.map((row) => ({
      replicaId: row.replica_id,
      name: row.name,
      cosigner: row.cosigner,
      firstSeen: (row.first_seen as Date).toISOString(),
      lastSeen: (row.last_seen as Date).toISOString(),
      verifiedSize: row.verified_size,
      cosignedSize: row.cosigned_size,
      stopped: row.stopped,
    }));
  }

  async replicaCosignatures(checkpointSeq?: number): Promise<ReplicaCosignatureRow[]> {
    const result = await this.client.query(
      `SELECT checkpoint_seq, replica_id, tree_size, root_hash, cosigner, timestamp, signature FROM replica_cosignatures
       WHERE $1::bigint IS NULL OR checkpoint_seq = $1 ORDER BY checkpoint_seq, replica_id`,
      [checkpointSeq ?? null],
    );
    return result.rows.map((row) => ({
      checkpointSeq: row.checkpoint_seq,
      replicaId: row.replica_id,
      treeSize: row.tree_size,
      rootHash: row.root_hash,
      cosigner: row.cosigner,
      timestamp: row.timestamp,
      signature: row.signature,
    }));
  }

  /**
   * Takes (or renews) the AI lease of a ticket for `holder` unless another holder's lease is still running; true
   * when `holder` now holds it. One statement, so two consoles can never both win.
   */
  async takeLease(ticket: string, holder: string, seconds: number): Promise<boolean> {
    const result = await this.client.query(
      `INSERT INTO ai_leases (ticket_id, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (ticket_id) DO UPDATE SET holder = excluded.holder, taken_at = now(), expires_at = excluded.expires_at
       WHERE ai_leases.holder = excluded.holder OR ai_leases.expires_at < now()
       RETURNING holder`,
      [ticket, holder, seconds],
    );
    return result.rowCount === 1;
  }

  async releaseLease(ticket: string, holder: string): Promise<void> {
    await this.client.query('DELETE FROM ai_leases WHERE ticket_id = $1 AND holder = $2', [ticket, holder]);
  }

  /**
   * Runs `work` in one read-only snapshot (REPEATABLE READ READ ONLY): every read sees the same ledger, and nothing
   * in it can write, whatever the role's privileges (`attest verify --pg`, `attest team status`).
   */
  async inReadOnlySnapshot<T>(work: () => Promise<T>): Promise<T> {
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await work();
    } finally {
      await this.client.query('ROLLBACK');
    }
  }

  /** Every stored checkpoint event (ledger-wide, type checkpoint), in ledger order: few, one a day at most. */
  async checkpointRows(): Promise<RawEventRow[]> {
    const result = await this.client.query({ text: `SELECT ${COLUMNS} FROM events WHERE ticket_id IS NULL AND type = 'checkpoint' ORDER BY seq`, rowMode: 'array' });
    return result.rows as RawEventRow[];
  }

  /** The user triggers on `events` and whether each is enabled (pg_trigger.tgenabled 'D' = disabled). */
  async eventTriggers(): Promise<{ name: string; enabled: boolean }[]> {
    const result = await this.client.query(`SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'events'::regclass AND NOT tgisinternal ORDER BY tgname`);
    return result.rows.map((row: { tgname: string; tgenabled: string }) => ({ name: row.tgname, enabled: row.tgenabled !== 'D' }));
  }

  /** Whether this database holds a team ledger at all (its migrations table and its events). */
  async hasTeamLedger(): Promise<boolean> {
    return (await this.client.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AND to_regclass('events') IS NOT NULL AS present`)).rows[0].present as boolean;
  }

  /** The newest applied migration of the team ledger's schema (0 when none). */
  async schemaVersion(): Promise<number> {
    return Number((await this.client.query('SELECT coalesce(max(version), 0) AS version FROM schema_migrations')).rows[0].version);
  }

}

/** `attest team init`: the writer role consoles connect as — INSERT and SELECT on the ledger, nothing more there. */
export async function grantWriterRole(client: pg.ClientBase, role: string, password: string | null): Promise<void> {
  const name = driver().escapeIdentifier(role);
  const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
  const secret = password === null ? '' : ` PASSWORD ${driver().escapeLiteral(password)}`;
  await client.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS${secret}`);
  const database = driver().escapeIdentifier((await client.query('SELECT current_database() AS db')).rows[0].db as string);
  await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${name}`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${name}`);
  await client.query(`REVOKE ALL ON events, ledger_identity, schema_migrations, account_credentials, replicas, replica_cosignatures, ai_leases FROM ${name}`);
  await client.query(`REVOKE ALL ON events FROM PUBLIC`);
  await client.query(`GRANT SELECT, INSERT ON events TO ${name}`);
  await client.query(`GRANT SELECT ON ledger_identity, schema_migrations TO ${name}`);
  // A password hash may be replaced, never moved to another account (UPDATE of the key column is not granted).
  await client.query(`GRANT SELECT, INSERT ON account_credentials TO ${name}`);
  await client.query(`GRANT UPDATE (password, changed_at) ON account_credentials TO ${name}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE ON replicas, replica_cosignatures TO ${name}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ai_leases TO ${name}`);
}

/** The writer role's privileges on the ledger table, as PostgreSQL reports them (for `team status` and tests). */
export async function writerPrivileges(client: pg.ClientBase, role: string): Promise<string[]> {
  const result = await client.query(
    `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = $1 AND table_name = 'events' ORDER BY privilege_type`,
    [role],
  );
  return result.rows.map((row: { privilege_type: string }) => row.privilege_type);
}
