// The team CLI against a real PostgreSQL, through real `attest` processes: `team init` (the schema and a writer role
// that may only INSERT and SELECT on the ledger), `verify --pg` (the server's ledger verified read-only: a payload
// changed behind the triggers and a forged checkpoint are each named by their seq), `serve --team` and `team status`.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckpointText, ledgerOrigin } from '../../electron/core/checkpoints/checkpoint.ts';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { formatVerifierKey, rawEd25519PublicKey, signNote } from '../../electron/core/checkpoints/signed-note.ts';
import { defaultPgMigrationsDir, applyPgMigrations } from '../../electron/core/db/pg-migrate.ts';
import { canonicalJson, eventHash } from '../../electron/core/ledger/hashing.ts';
import type { RawEventRow } from '../../electron/core/ledger/ledger-repository.ts';
import { teamClient, TeamQueries } from '../../electron/core/team/team-repository.ts';
import { freePort, postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const GENESIS = '0'.repeat(64);

function attest(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A row chained onto `head` with its hash computed as every console computes it. */
function chainedRow(head: { seq: number; hash: string }, fields: { ticket: string | null; type: string; payload: string; actor: string }): RawEventRow {
  const now = new Date().toISOString();
  const hashed = { seq: head.seq + 1, ticket: fields.ticket, type: fields.type, at: now, recordedAt: now, actor: fields.actor, payload: fields.payload, prevHash: head.hash };
  return [hashed.seq, hashed.ticket, hashed.type, hashed.at, hashed.recordedAt, hashed.actor, hashed.payload, hashed.prevHash, eventHash(hashed)];
}

/** Starts `attest serve --json`, reads the line it prints at start, stops it. */
async function serveStart(db: string, team: string, env: Record<string, string>): Promise<{ url: string; team: { state: string; localHead: number; team: string; message: string | null } }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--team', team, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  try {
    return await new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
      });
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

describe.skipIf(!postgresAvailable())('the team CLI', () => {
  let cluster: PgCluster;
  let dir: string;
  let writerPasswordFile: string;
  const writerUrl = (database: string) => `postgres://attest_writer:writer-secret@127.0.0.1:${cluster.port}/${database}`;

  beforeAll(async () => {
    cluster = await startPgCluster();
    // One folder for the whole file (tempDir() folders go after each test).
    dir = mkdtempSync(join(tmpdir(), 'attest-team-cli-'));
    writerPasswordFile = join(dir, 'writer.password');
    writeFileSync(writerPasswordFile, 'writer-secret\n');
  }, 60_000);
  afterAll(() => {
    cluster?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('team init', () => {
    let admin: string;
    beforeAll(() => {
      admin = cluster.createDatabase('init');
    });

    it('creates the schema and the writer role once; run again it applies nothing; a password is never a flag', () => {
      const first = attest({}, 'team', 'init', '--pg', admin, '--writer-password-file', writerPasswordFile, '--json');
      expect(first.code, first.stderr).toBe(0);
      const applied = JSON.parse(first.stdout);
      expect(applied).toMatchObject({ team: `127.0.0.1:${cluster.port}/init`, writerRole: 'attest_writer', writerPrivileges: ['INSERT', 'SELECT'] });
      expect(applied.applied).toEqual(readdirSync(defaultPgMigrationsDir()).filter((f) => f.endsWith('.sql')).sort());
      expect(applied.applied.length).toBeGreaterThan(0);
      expect(JSON.stringify(applied)).not.toContain('secret');

      const second = attest({}, 'team', 'init', '--pg', admin, '--writer-password-file', writerPasswordFile);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toBe(`team ledger 127.0.0.1:${cluster.port}/init: schema up to date, nothing applied\nwriter role attest_writer: INSERT, SELECT on events (password set from the file)\n`);
      // PostgreSQL's own account of the role's privileges on the ledger: exactly these two.
      expect(cluster.psql('init', "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE grantee = 'attest_writer' AND table_name = 'events'").trim()).toBe('INSERT,SELECT');

      const onTheCommandLine = attest({}, 'team', 'init', '--pg', admin, '--writer-password', 'writer-secret');
      expect(onTheCommandLine.code).toBe(2);
      expect(onTheCommandLine.stderr).toMatch(/Unknown option '--writer-password'/);
    });

    it('lets the writer only append a row that continues the chain; nobody changes a stored row', async () => {
      const writer = teamClient(writerUrl('init'));
      await writer.connect();
      try {
        const actor = '{"id":"c-1","kind":"customer"}';
        const first = chainedRow({ seq: 0, hash: GENESIS }, { ticket: 'T-1', type: 'message', payload: '{"author":{"id":"c-1","kind":"customer"},"body":"hi","public":true}', actor });
        await new TeamQueries(writer).insertRows([first]);
        for (const statement of ["UPDATE events SET payload = '{}' WHERE seq = 1", 'DELETE FROM events WHERE seq = 1', 'TRUNCATE events CASCADE']) {
          await expect(writer.query(statement), statement).rejects.toThrow(/permission denied for table events/);
        }
        // Not even the superuser: the triggers hold for everyone.
        expect(() => cluster.psql('init', "UPDATE events SET payload = '{}' WHERE seq = 1")).toThrow(/append-only: UPDATE refused/);
        expect(() => cluster.psql('init', 'DELETE FROM events WHERE seq = 1')).toThrow(/append-only: DELETE refused/);
        expect(() => cluster.psql('init', 'TRUNCATE events CASCADE')).toThrow(/append-only: TRUNCATE refused/);

        const head = { seq: 1, hash: first[8] };
        const second = chainedRow(head, { ticket: 'T-1', type: 'message', payload: '{"author":{"id":"c-1","kind":"customer"},"body":"again","public":true}', actor });
        const wrongSeq: RawEventRow = [3, ...second.slice(1)] as RawEventRow;
        await expect(new TeamQueries(writer).insertRows([wrongSeq])).rejects.toThrow(/event #3 does not follow the head #1/);
        const wrongLink: RawEventRow = [...second.slice(0, 7), 'f'.repeat(64), second[8]] as RawEventRow;
        await expect(new TeamQueries(writer).insertRows([wrongLink])).rejects.toThrow(/event #2: prev_hash does not link to the hash of #1/);
        await new TeamQueries(writer).insertRows([second]);
        expect(cluster.psql('init', 'SELECT count(*) FROM events').trim()).toBe('2');
      } finally {
        await writer.end();
      }
    });

    it('refuses a migration edited after it was applied', async () => {
      const migrations = join(tempDir(), 'pg-migrations');
      cpSync(defaultPgMigrationsDir(), migrations, { recursive: true });
      const client = new pg.Client({ connectionString: cluster.createDatabase('edited') });
      await client.connect();
      try {
        expect((await applyPgMigrations(client, migrations)).length).toBeGreaterThan(0);
        expect(await applyPgMigrations(client, migrations)).toEqual([]);
        const file = readdirSync(migrations).filter((f) => f.endsWith('.sql')).sort()[0]!;
        appendFileSync(join(migrations, file), '\n-- edited afterwards\n');
        await expect(applyPgMigrations(client, migrations)).rejects.toThrow(new RegExp(`migration ${file} was edited after it was applied to the team ledger`));
      } finally {
        await client.end();
      }
    });
  });

  describe('verify --pg, serve --team and team status on a pushed ledger', () => {
    let desktop: string;
    let env: Record<string, string>;
    let checkpointSeq: number;

    beforeAll(() => {
      const admin = cluster.createDatabase('pushed');
      expect(attest({}, 'team', 'init', '--pg', admin, '--writer-password-file', writerPasswordFile).code).toBe(0);
      desktop = join(dir, 'desktop.db');
      expect(attest({}, 'demo', '--db', desktop, '--tickets', '30').code).toBe(0);
      const adminPassword = join(dir, 'admin.password');
      writeFileSync(adminPassword, 'harbor-lantern-42\n');
      // The database's owner pushes; the password from a file, never on the command line.
      const ownerPasswordFile = join(dir, 'owner.password');
      writeFileSync(ownerPasswordFile, `${decodeURIComponent(new URL(admin).password)}\n`);
      const push = () => attest({ ATTEST_TEAM_PASSWORD_FILE: ownerPasswordFile }, 'team', 'push', '--db', desktop, '--pg', `postgres://postgres@127.0.0.1:${cluster.port}/pushed`, '--json');
      const first = push();
      expect(first.code, first.stderr).toBe(0);
      const firstHead = JSON.parse(first.stdout).headSeq as number;
      expect(JSON.parse(first.stdout)).toMatchObject({ events: firstHead, alreadyThere: 0, credentials: 4, verified: { intact: true, eventCount: firstHead } });
      // The file goes on (a checkpoint); pushed again, the team ledger holds a prefix of it and takes the rest.
      const checkpoint = attest({ ATTEST_USER: 'admin', ATTEST_PASSWORD_FILE: adminPassword }, 'checkpoint', '--db', desktop, '--json');
      expect(checkpoint.code, checkpoint.stderr).toBe(0);
      checkpointSeq = JSON.parse(checkpoint.stdout).seq;
      const again = push();
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ events: checkpointSeq - firstHead, alreadyThere: firstHead, headSeq: checkpointSeq, verified: { intact: true, eventCount: checkpointSeq } });
      // Consoles connect as the writer.
      env = { ATTEST_TEAM_PASSWORD_FILE: writerPasswordFile };
    }, 60_000);

    it('serve --team starts a replica that catches up and cosigns the checkpoint; status lists it; verify --pg passes', async () => {
      const replica = join(dir, 'replica.db');
      const started = await serveStart(replica, `postgres://attest_writer@127.0.0.1:${cluster.port}/pushed`, env);
      const status = JSON.parse(attest(env, 'team', 'status', '--pg', `postgres://attest_writer@127.0.0.1:${cluster.port}/pushed`, '--json').stdout);
      expect(started.team).toMatchObject({ team: `127.0.0.1:${cluster.port}/pushed`, state: 'online', localHead: status.head.seq });
      expect(status).toMatchObject({ team: `127.0.0.1:${cluster.port}/pushed`, schemaProblem: null, head: { seq: checkpointSeq } });
      expect(status.replicas).toHaveLength(1);
      expect(status.replicas[0]).toMatchObject({ name: expect.stringContaining(replica), verifiedSize: checkpointSeq, cosignedSize: checkpointSeq - 1, stopped: null });
      const human = attest(env, 'team', 'status', '--pg', `postgres://attest_writer@127.0.0.1:${cluster.port}/pushed`).stdout;
      expect(human).toContain(`head #${checkpointSeq} ${status.head.hash}`);
      expect(human).toContain(`verified ${checkpointSeq}, last cosigned ${checkpointSeq - 1}`);

      const verified = attest(env, 'verify', '--pg', `postgres://attest_writer@127.0.0.1:${cluster.port}/pushed`, '--key', loadOrCreateInstallationKey().verifierKey, '--json');
      expect(verified.code, verified.stdout).toBe(0);
      const result = JSON.parse(verified.stdout);
      expect(result).toMatchObject({ intact: true, chainIntact: true, eventCount: checkpointSeq, headHash: status.head.hash, firstBadSeq: null, problems: [] });
      expect(result.checkpoints).toEqual([{ seq: checkpointSeq, origin: ledgerOrigin(status.ledgerId), treeSize: checkpointSeq - 1, ok: true, source: 'stored', signature: 'verified' }]);
      expect(result.cosignatures).toEqual([{ checkpointSeq, replicaId: status.replicas[0].replicaId, cosigner: `attest-replica-${status.replicas[0].replicaId}`, treeSize: checkpointSeq - 1, ok: true }]);
      const humanVerify = attest(env, 'verify', '--pg', `postgres://attest_writer@127.0.0.1:${cluster.port}/pushed`);
      expect(humanVerify.stdout).toBe(
        `intact: 127.0.0.1:${cluster.port}/pushed: ${checkpointSeq} events, head ${status.head.hash}\ncheckpoints: 1 match (sizes ${checkpointSeq - 1})\ncosignatures: 1 by 1 replica(s) verify\n`,
      );
      // Another key than the one that signed: named.
      const otherKey = formatVerifierKey('someone-else', rawEd25519PublicKey(generateKeyPairSync('ed25519').publicKey));
      const wrongKey = attest(env, 'verify', '--pg', `postgres://attest_writer@127.0.0.1:${cluster.port}/pushed`, '--key', otherKey, '--json');
      expect(wrongKey.code).toBe(1);
      expect(JSON.parse(wrongKey.stdout).problems).toEqual([expect.objectContaining({ problem: 'checkpoint_mismatch', seq: checkpointSeq, message: expect.stringContaining('it is not signed by the given key (someone-else+') })]);
    }, 60_000);

    it('serve --team without the server starts read-only on its replica and says so', async () => {
      const nobody = await freePort();
      const started = await serveStart(join(dir, 'offline.db'), `postgres://attest_writer@127.0.0.1:${nobody}/pushed`, env);
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(started.team).toMatchObject({ team: `127.0.0.1:${nobody}/pushed`, state: 'offline', localHead: 0, message: 'offline — never synced, 0 events behind at that time' });
    });

    it('names a forged checkpoint (signed by the key it names, with a root the events do not have) by its seq', async () => {
      const writer = teamClient(writerUrl('pushed'));
      await writer.connect();
      let forgedSeq: number;
      try {
        const queries = new TeamQueries(writer);
        const real = (await queries.rowAt(checkpointSeq))!;
        const payload = JSON.parse(real[6]) as { origin: string; treeSize: number; rootHash: string };
        const { publicKey, privateKey } = generateKeyPairSync('ed25519');
        const forger = { name: 'forger', privateKey, rawPublicKey: rawEd25519PublicKey(publicKey) };
        const root = Buffer.alloc(32, 7);
        const note = signNote(formatCheckpointText({ origin: payload.origin, treeSize: payload.treeSize, rootHash: root }), forger);
        const forged = chainedRow(await queries.head(), {
          ticket: null,
          type: 'checkpoint',
          actor: real[5],
          payload: canonicalJson({ ...payload, rootHash: root.toString('base64'), note, key: formatVerifierKey('forger', forger.rawPublicKey) }),
        });
        // The writer may append it: it continues the chain. Only verification can tell its root is false.
        await queries.insertRows([forged]);
        forgedSeq = forged[0];
      } finally {
        await writer.end();
      }
      const result = attest(env, 'verify', '--pg', `postgres://attest_writer@127.0.0.1:${cluster.port}/pushed`, '--json');
      expect(result.code).toBe(1);
      const json = JSON.parse(result.stdout);
      expect(json).toMatchObject({ intact: false, chainIntact: true, firstBadSeq: forgedSeq, problem: 'checkpoint_mismatch' });
      expect(json.problems).toHaveLength(1);
      expect(json.problems[0].message).toMatch(new RegExp(`^checkpoint #${forgedSeq} of size ${checkpointSeq - 1} .* the checkpoint's root is ${Buffer.alloc(32, 7).toString('base64').replace(/[+/]/g, '\\$&')}, the ledger's first ${checkpointSeq - 1} events have root `));
      const human = attest(env, 'verify', '--pg', `postgres://attest_writer@127.0.0.1:${cluster.port}/pushed`);
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(new RegExp(`^BROKEN: checkpoint #${forgedSeq} of size ${checkpointSeq - 1}`));
      expect(human.stdout).toContain(`chain: ${forgedSeq} events, head `);
    });

    it('names the seq of a payload a superuser changed behind disabled triggers, and the disabled protection', () => {
      const seq = 5;
      // One character of the payload, the same length: nothing but its hash gives it away.
      cluster.psql('pushed', `ALTER TABLE events DISABLE TRIGGER USER; UPDATE events SET payload = overlay(payload placing 'X' from 3 for 1) WHERE seq = ${seq};`);
      const result = attest(env, 'verify', '--pg', `postgres://attest_writer@127.0.0.1:${cluster.port}/pushed`, '--json');
      expect(result.code).toBe(1);
      const json = JSON.parse(result.stdout);
      expect(json).toMatchObject({ intact: false, chainIntact: false, firstBadSeq: seq, problem: 'content_changed' });
      expect(json.problems.map((p: { problem: string; seq: number | null }) => [p.problem, p.seq])).toEqual([
        ['content_changed', seq],
        ['protection_removed', null],
        ['protection_removed', null],
        ['protection_removed', null],
        ['protection_removed', null],
        // Event #5 of the demo creates an account: changed, it no longer vouches for that account's password hash.
        ['credential_unbound', null],
        ['checkpoint_mismatch', json.eventCount],
      ]);
      const human = attest(env, 'verify', '--pg', `postgres://attest_writer@127.0.0.1:${cluster.port}/pushed`);
      expect(human.code).toBe(1);
      expect(human.stdout.split('\n')[0]).toMatch(new RegExp(`^BROKEN at #${seq}: content_changed — event #${seq}: content changed \\(its hash no longer matches its fields\\)`));
      expect(human.stdout).toContain('BROKEN: protection_removed — the trigger events_no_update on events is disabled');
      // verify --pg only read: the server still holds the changed row, and wrote nothing else.
      expect(cluster.psql('pushed', `SELECT substr(payload, 3, 1) FROM events WHERE seq = ${seq}`).trim()).toBe('X');
    });
  });
});
