// Team mode with people: the team's accounts sign in at every console (password hashes travel to PostgreSQL and
// back to each replica, never in an event), and every event a console appends carries the signed-in person.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';
import { initTeam, pushToTeam } from '../../electron/core/team/team-admin.ts';
import { teamPool } from '../../electron/core/team/team-repository.ts';
import { hashPassword } from '../../electron/core/people/passwords.ts';
import { peopleState } from '../../electron/core/people/accounts.ts';
import { PeopleRepository } from '../../electron/core/people/people-repository.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { verifyTeamLedger } from '../../electron/core/team/team-verify.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { demoAccountOf, ipcWindows, type ContractCaller } from './people-kit.ts';

describe.skipIf(!postgresAvailable())('people in team mode', () => {
  let cluster: PgCluster;
  let writerUrl: string;
  const cores: CoreHandle[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'attest-team-people-'));

  beforeAll(async () => {
    cluster = await startPgCluster();
    const admin = cluster.createDatabase('team');
    await initTeam(admin, { writerPassword: 'writer-secret' });
    writerUrl = `postgres://attest_writer:writer-secret@127.0.0.1:${cluster.port}/team`;
    const desktop = join(dir, 'desktop.db');
    createDemoDatabase(desktop, { tickets: 20, seed: 3 });
    const db = openDatabase(desktop);
    try {
      await pushToTeam(db, admin);
    } finally {
      db.close();
    }
  }, 120_000);
  afterAll(async () => {
    for (const core of cores) await core.closeAsync();
    cluster?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  async function consoleOn(file: string): Promise<{ core: CoreHandle; window: () => ContractCaller }> {
    const core = openCore({ dbPath: join(dir, file), team: { url: writerUrl }, chainPollIntervalMs: 0 });
    cores.push(core);
    await core.syncTeam();
    return { core, window: ipcWindows(core).window };
  }

  it('an account added at one console signs in at another, and its acts carry the person on the team ledger', async () => {
    const a = await consoleOn('a.db');
    const b = await consoleOn('b.db');
    const adminWindow = a.window();
    const admin = demoAccountOf('admin');
    const adminIn = await adminWindow("auth.login", { name: admin.account, password: admin.password });
    expect(adminIn.ok, JSON.stringify(adminIn)).toBe(true);
    const added = await adminWindow('users.add', { name: 'nsato', display: 'Naomi Sato', role: 'supervisor', password: 'quiet-harbor-2291' });
    expect(added.ok, JSON.stringify(added)).toBe(true);

    await b.core.syncTeam();
    const naomi = b.window();
    expect((await naomi('auth.login', { name: 'nsato', password: 'wrong-password-123' })).ok).toBe(false);
    const signedIn = await naomi('auth.login', { name: 'nsato', password: 'quiet-harbor-2291' });
    expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);

    const pool = teamPool(writerUrl);
    try {
      const created = await pool.query("SELECT actor FROM events WHERE type = 'account.created' AND payload LIKE '%nsato%'");
      expect(JSON.parse(created.rows[0].actor)).toMatchObject({ kind: 'human', id: expect.stringContaining(admin.account) });
      const login = await pool.query("SELECT actor, payload FROM events WHERE type = 'access.login' ORDER BY seq DESC LIMIT 1");
      expect(JSON.parse(login.rows[0].payload)).toMatchObject({ account: 'nsato' });
      // The hash is on the server beside the ledger, never in an event.
      const hashes = await pool.query("SELECT password FROM account_credentials WHERE account = 'nsato'");
      expect(hashes.rows[0].password).toMatch(/^scrypt\$/);
      const leaked = await pool.query('SELECT count(*)::int AS n FROM events WHERE payload LIKE $1', [`%${hashes.rows[0].password.slice(-20)}%`]);
      expect(leaked.rows[0].n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('a password hash swapped in the server table by a writer is refused by every replica: the account events vouch for the hash', async () => {
    const admin = demoAccountOf('admin');
    const a = await consoleOn('swap-a.db');
    const unbound = async () => (await verifyTeamLedger(writerUrl)).status.problems.filter((finding) => finding.problem === 'credential_unbound');
    expect(await unbound()).toEqual([]);
    // The attacker holds the writer role's login (any console does) and sets the admin's hash to one of their own.
    const pool = teamPool(writerUrl);
    try {
      const forged = hashPassword('attacker-chosen-secret-1');
      const updated = await pool.query('UPDATE account_credentials SET password = $1 WHERE account = $2', [forged, admin.account]);
      expect(updated.rowCount).toBe(1);
    } finally {
      await pool.end();
    }
    // `attest verify --pg` names it.
    expect(await unbound()).toEqual([expect.objectContaining({ message: expect.stringContaining(`"${admin.account}" is not the one its last account event vouches for`) })]);
    await a.core.syncTeam();
    const fresh = await consoleOn('swap-fresh.db');
    for (const { window } of [a, fresh]) {
      const attacker = await window()('auth.login', { name: admin.account, password: 'attacker-chosen-secret-1' });
      expect(attacker.ok).toBe(false);
    }
    // The replica that had verified the real hash keeps it; a new replica has none it could trust, so nobody signs in there.
    expect((await a.window()('auth.login', { name: admin.account, password: admin.password })).ok).toBe(true);
    expect((await fresh.window()('auth.login', { name: admin.account, password: admin.password })).ok).toBe(false);
  });

  it('a password changed at one console is the one another console checks right after, without waiting for a sync', async () => {
    const supervisor = demoAccountOf('supervisor');
    const b = await consoleOn('change-b.db');
    const c = await consoleOn('change-c.db');
    const atB = b.window();
    expect((await atB('auth.login', { name: supervisor.account, password: supervisor.password })).ok).toBe(true);
    const changed = await atB('users.setPassword', { name: supervisor.account, password: 'brand-new-secret-55', currentPassword: supervisor.password });
    expect(changed.ok, JSON.stringify(changed)).toBe(true);
    // C has not synced since: the sign-in's own turn catches up and checks the hash that is the account's now.
    const fresh = await c.window()('auth.login', { name: supervisor.account, password: 'brand-new-secret-55' });
    expect(fresh.ok, JSON.stringify(fresh)).toBe(true);
    expect((await c.window()('auth.login', { name: supervisor.account, password: supervisor.password })).ok).toBe(false);
  });

  it('the writer role cannot move a password hash to another account, and a ledger with unbound passwords is not pushed', async () => {
    const pool = teamPool(writerUrl);
    try {
      await expect(pool.query("UPDATE account_credentials SET account = account || '~gone'")).rejects.toThrow(/permission denied/);
    } finally {
      await pool.end();
    }
    // A desktop account whose password an older Attest set (no credential digest in its event) cannot be vouched for.
    const path = join(dir, 'legacy.db');
    createDemoDatabase(path, { tickets: 3, seed: 5 });
    const db = openDatabase(path);
    try {
      const at = new Date().toISOString();
      const admin = demoAccountOf('admin');
      recordEvents(db, [{ type: 'account.created', at, actor: { kind: 'human', id: `acct:${admin.account}`, name: peopleState(db).accounts.get(admin.account)!.display }, account: 'oldie', display: 'Old Timer', role: 'auditor' }], at);
      new PeopleRepository(db).setPasswordHash('oldie', hashPassword('legacy-password-77'), at);
      const target = cluster.createDatabase('legacy');
      await initTeam(target, { writerPassword: 'writer-secret' });
      await expect(pushToTeam(db, target)).rejects.toThrow(/account\(s\) oldie have a password set by an older Attest/);
      const queries = teamPool(target);
      try {
        expect((await queries.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(0);
      } finally {
        await queries.end();
      }
    } finally {
      db.close();
    }
  });
});
