// Sessions and the people rule: lockout after failed sign-ins (read back from the access log), idle expiry on a
// clock the test moves, what a stolen run token or a foreign cookie gets over HTTP, and the ledger's people rule
// on the import path — a file states only its importer's own acts, under their printed name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/contract.ts';
import { isPublic } from '../../shared/permissions.ts';
import type { Actor, Role } from '../../shared/domain.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { WriteGate } from '../../electron/core/db/write-gate.ts';
import { addAccount, peopleState, setEnabled } from '../../electron/core/people/accounts.ts';
import { LOCKOUT_MINUTES, MAX_FAILURES, lockoutOf, signIn } from '../../electron/core/people/authentication.ts';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { importJsonlText, ImportError } from '../../electron/core/interchange/jsonl-import.ts';
import { exportJsonl } from '../../electron/core/interchange/jsonl-export.ts';
import { openCore } from '../../electron/core/service.ts';
import type { CoreHandle } from '../../electron/core/service-api.ts';
import { startHttpBridge, type HttpBridge } from '../../electron/adapters/http/server.ts';
import { BrowserSession, contentDigest, demoAccountOf, ledgerHead, staticDirIn, storedEvents, storedPasswordHashes } from './people-kit.ts';
import { tempDb, tempDir } from './helpers.ts';

const INSTALLER: Actor = { kind: 'system', id: 'test-installer' };
const ADMIN = { name: 'admin', display: 'Dana Whitfield', role: 'admin' as Role, password: 'harbor-lantern-42' };
const SUPERVISOR = { name: 'mrivera', display: 'Maya Rivera', role: 'supervisor' as Role, password: 'copper-meadow-17' };
const adminActor: Actor = { kind: 'human', id: 'acct:admin', name: ADMIN.display };
const supervisorActor: Actor = { kind: 'human', id: 'acct:mrivera', name: SUPERVISOR.display };

/** An empty ledger with an admin and a supervisor (the first account ended single-user mode). */
function ledgerWithAccounts(): { db: Db; path: string; dir: string } {
  const opened = tempDb();
  addAccount(opened.db, ADMIN, INSTALLER);
  addAccount(opened.db, SUPERVISOR, adminActor);
  return opened;
}

const minutes = (n: number) => n * 60_000;
const at = (base: string, ms: number) => new Date(Date.parse(base) + ms).toISOString();

describe('lockout after failed sign-ins', () => {
  const T0 = '2031-03-01T10:00:00.000Z';
  const attempt = (db: Db, password: string, when: string) => signIn(db, 'mrivera', password, 'cli', new WriteGate().turnOn(db), () => when);

  it(`locks after ${MAX_FAILURES} failures for ${LOCKOUT_MINUTES} minutes, refusing even the right password, then lets in`, async () => {
    const { db, path } = ledgerWithAccounts();
    for (let failure = 1; failure < MAX_FAILURES; failure++) {
      expect(await attempt(db, 'wrong-password-guess', at(T0, failure * 1000))).toEqual({ ok: false, message: 'wrong name or password' });
    }
    expect(lockoutOf(db, 'mrivera', at(T0, 10_000))).toEqual({ lockedUntil: null, failures: MAX_FAILURES - 1 });
    const fifth = await attempt(db, 'wrong-password-guess', at(T0, minutes(1)));
    expect(fifth).toMatchObject({ ok: false, message: expect.stringContaining(`locked for ${LOCKOUT_MINUTES} minutes`) });
    const until = at(T0, minutes(1 + LOCKOUT_MINUTES));
    const refused = await attempt(db, SUPERVISOR.password, at(T0, minutes(5)));
    expect(refused).toEqual({ ok: false, message: `the account "mrivera" is locked after ${MAX_FAILURES} failed sign-ins until ${until}` });

    // The lock is read back from the access log: another connection (another process) sees it too.
    const other = openDatabase(path);
    expect(lockoutOf(other, 'mrivera', at(T0, minutes(10))).lockedUntil).toBe(until);
    other.close();

    expect(await attempt(db, SUPERVISOR.password, at(until, 1000))).toMatchObject({ ok: true, person: { account: 'mrivera', role: 'supervisor' } });
    const types = storedEvents(path).filter((event) => event.type.startsWith('access.')).map((event) => event.type);
    expect(types).toEqual([...Array<string>(MAX_FAILURES).fill('access.loginFailed'), 'access.lockout', 'access.loginFailed', 'access.login']);
    const lockout = storedEvents(path).find((event) => event.type === 'access.lockout')!;
    expect(JSON.parse(lockout.payload)).toMatchObject({ account: 'mrivera', until, failures: MAX_FAILURES });
  });

  it('an admin enabling the account again lifts the lock', async () => {
    const { db } = ledgerWithAccounts();
    for (let failure = 1; failure <= MAX_FAILURES; failure++) await attempt(db, 'wrong-password-guess', at(T0, failure * 1000));
    expect(await attempt(db, SUPERVISOR.password, at(T0, minutes(2)))).toMatchObject({ ok: false, message: expect.stringContaining('is locked') });
    setEnabled(db, 'mrivera', false, adminActor, at(T0, minutes(3)));
    expect(await attempt(db, SUPERVISOR.password, at(T0, minutes(4)))).toMatchObject({ ok: false, message: expect.stringContaining('is disabled') });
    setEnabled(db, 'mrivera', true, adminActor, at(T0, minutes(5)));
    expect(await attempt(db, SUPERVISOR.password, at(T0, minutes(6)))).toMatchObject({ ok: true });
  });

  it('failures of an unknown name or a disabled account do not count towards a lock, and a success resets the count', async () => {
    const { db } = ledgerWithAccounts();
    for (let failure = 1; failure < MAX_FAILURES; failure++) await attempt(db, 'wrong-password-guess', at(T0, failure * 1000));
    expect(await attempt(db, SUPERVISOR.password, at(T0, minutes(1)))).toMatchObject({ ok: true });
    for (let failure = 1; failure < MAX_FAILURES; failure++) await attempt(db, 'wrong-password-guess', at(T0, minutes(2) + failure * 1000));
    expect(lockoutOf(db, 'mrivera', at(T0, minutes(3)))).toEqual({ lockedUntil: null, failures: MAX_FAILURES - 1 });
    const unknown = await signIn(db, 'nobody', 'wrong-password-guess', 'cli', new WriteGate().turnOn(db), () => at(T0, minutes(4)));
    expect(unknown).toEqual({ ok: false, message: 'wrong name or password' });
  });
});

/** A core over a ledger with accounts, timed by a clock the test moves; sessions held as an adapter holds them. */
function clockedCore() {
  const { path, db } = ledgerWithAccounts();
  db.close();
  let now = Date.parse('2031-03-01T10:00:00.000Z');
  const core = openCore({ dbPath: path, clock: () => now, chainPollIntervalMs: 0 });
  cores.push(core);
  const signIn = async (who: typeof ADMIN) => {
    let token: string | null = null;
    const result = await core.invoke('auth.login', { name: who.name, password: who.password }, { via: 'electron', onSession: (t) => (token = t) });
    expect(result.ok).toBe(true);
    return (method: string, input: unknown = {}) => core.invoke(method, input, { via: 'electron', session: token });
  };
  return { core, path, signIn, advance: (ms: number) => (now += ms) };
}

const cores: CoreHandle[] = [];
const bridges: HttpBridge[] = [];
afterEach(async () => {
  for (const bridge of bridges.splice(0)) await bridge.close();
  for (const core of cores.splice(0)) core.close();
});

function expiries(path: string): Record<string, unknown>[] {
  return storedEvents(path)
    .filter((event) => event.type === 'access.expired')
    .map((event) => ({ actor: JSON.parse(event.actor), ...JSON.parse(event.payload) }));
}

describe('session expiry', () => {
  it('ends a session idle for 15 minutes, in the access log; activity keeps it alive', async () => {
    const { signIn, advance, path } = clockedCore();
    const supervisor = await signIn(SUPERVISOR);
    advance(minutes(14));
    expect(await supervisor('tickets.list', {})).toMatchObject({ ok: true });
    advance(minutes(14));
    expect(await supervisor('tickets.list', {})).toMatchObject({ ok: true });
    expect(expiries(path)).toEqual([]);
    advance(minutes(15));
    expect(await supervisor('tickets.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(expiries(path)).toEqual([{ actor: { kind: 'system', id: 'attest' }, account: 'mrivera', via: 'electron', idleMinutes: 15 }]);
  });

  it('asking auth.state does not keep a session alive', async () => {
    const { signIn, advance } = clockedCore();
    const supervisor = await signIn(SUPERVISOR);
    advance(minutes(10));
    expect(await supervisor('auth.state')).toMatchObject({ ok: true, value: { mode: 'accounts', person: { account: 'mrivera' } } });
    advance(minutes(6));
    expect(await supervisor('auth.state')).toMatchObject({ ok: true, value: { mode: 'accounts', person: null } });
    expect(await supervisor('tickets.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('an admin sets the idle time', async () => {
    const { signIn, advance, path } = clockedCore();
    const admin = await signIn(ADMIN);
    const supervisor = await signIn(SUPERVISOR);
    expect(await supervisor('people.setIdleMinutes', { minutes: 5 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await admin('people.setIdleMinutes', { minutes: 5 })).toMatchObject({ ok: true, value: { idleMinutes: 5 } });
    advance(minutes(4));
    expect(await admin('auth.state')).toMatchObject({ ok: true, value: { idleMinutes: 5, person: { account: 'admin' } } });
    advance(minutes(2));
    expect(await supervisor('tickets.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(expiries(path).map((expiry) => [expiry.account, expiry.idleMinutes]).sort()).toEqual([
      ['admin', 5],
      ['mrivera', 5],
    ]);
  });

  it('a disabled account’s session ends, and enabling it again does not revive the session', async () => {
    const { signIn, core } = clockedCore();
    const admin = await signIn(ADMIN);
    let token: string | null = null;
    await core.invoke('auth.login', { name: SUPERVISOR.name, password: SUPERVISOR.password }, { via: 'browser', onSession: (t) => (token = t) });
    expect(core.hasSession(token)).toBe(true);
    expect(await admin('users.disable', { name: 'mrivera' })).toMatchObject({ ok: true, value: { enabled: false } });
    expect(await core.invoke('tickets.list', {}, { session: token })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(core.hasSession(token)).toBe(false);
    expect(await admin('users.enable', { name: 'mrivera' })).toMatchObject({ ok: true, value: { enabled: true } });
    expect(await core.invoke('tickets.list', {}, { session: token })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('locking the screen ends every session, each in the access log', async () => {
    const { signIn, core, path } = clockedCore();
    const admin = await signIn(ADMIN);
    const supervisor = await signIn(SUPERVISOR);
    await core.endAllSessions('locked');
    expect(await admin('tickets.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await supervisor('tickets.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const logouts = storedEvents(path).filter((event) => event.type === 'access.logout').map((event) => JSON.parse(event.payload) as { account: string; reason: string });
    expect(logouts.map((logout) => [logout.account, logout.reason]).sort()).toEqual([
      ['admin', 'locked'],
      ['mrivera', 'locked'],
    ]);
  });
});

describe('browser mode: the session cookie', () => {
  async function bridgeOverDemo() {
    const dir = tempDir();
    const dbPath = join(dir, 'demo.db');
    createDemoDatabase(dbPath, { tickets: 2, seed: 3 });
    const core = openCore({ dbPath, chainPollIntervalMs: 0 });
    cores.push(core);
    const bridge = await startHttpBridge({ core, staticDir: staticDirIn(dir) });
    bridges.push(bridge);
    return { dir, dbPath, core, bridge };
  }

  it('is HttpOnly, SameSite=Strict and scoped to /api; signing out clears it', async () => {
    const { bridge } = await bridgeOverDemo();
    const browser = new BrowserSession(bridge);
    const auditor = demoAccountOf('auditor');
    expect(await browser.call('auth.login', { name: auditor.account, password: auditor.password })).toMatchObject({ ok: true });
    const issued = browser.setCookies.at(-1)!;
    expect(issued).toMatch(/^attest_session=[\w-]{20,}; /);
    expect(issued.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Path=/api', 'SameSite=Strict']);
    expect(await browser.call('tickets.list', {})).toMatchObject({ ok: true });
    expect(await browser.events()).toBe(200);
    expect(await browser.call('auth.logout', {})).toMatchObject({ ok: true, value: { person: null } });
    expect(browser.setCookies.at(-1)).toBe('attest_session=; HttpOnly; SameSite=Strict; Path=/api; Max-Age=0');
    expect(browser.cookie).toBeNull();
    expect(await browser.call('tickets.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('a stolen URL token without the cookie gets nothing but the sign-in methods, and no event stream', async () => {
    const { bridge, dbPath } = await bridgeOverDemo();
    const owner = new BrowserSession(bridge);
    const admin = demoAccountOf('admin');
    expect(await owner.call('auth.login', { name: admin.account, password: admin.password })).toMatchObject({ ok: true });
    const before = contentDigest(dbPath);
    const thief = new BrowserSession(bridge);
    for (const method of METHOD_NAMES) {
      const result = await thief.call(method, {});
      if (isPublic(method)) expect(result.ok || result.error.code !== 'unauthenticated', method).toBe(true);
      else expect(result, method).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
    expect(await thief.events()).toBe(401);
    expect(await thief.call('auth.state', {})).toMatchObject({ ok: true, value: { mode: 'accounts', person: null } });
    // Nothing the thief sent reached a handler that writes (its auth.login carried no name).
    expect(contentDigest(dbPath)).toBe(before);
  });

  it('the cookie without the run token gets nothing', async () => {
    const { bridge } = await bridgeOverDemo();
    const owner = new BrowserSession(bridge);
    const admin = demoAccountOf('admin');
    await owner.call('auth.login', { name: admin.account, password: admin.password });
    const withoutToken = new BrowserSession(bridge, null);
    withoutToken.cookie = owner.cookie;
    const response = await withoutToken.post('tickets.list', {});
    expect(response.status).toBe(401);
    const wrongToken = new BrowserSession(bridge, 'not-the-run-token');
    wrongToken.cookie = owner.cookie;
    expect(await wrongToken.events()).toBe(401);
  });

  it('a cookie another bridge issued is not a session here, even over the same core', async () => {
    const { bridge, core, dir } = await bridgeOverDemo();
    const other = await startHttpBridge({ core, staticDir: staticDirIn(join(dir, 'other')) });
    bridges.push(other);
    const there = new BrowserSession(other);
    const supervisor = demoAccountOf('supervisor');
    expect(await there.call('auth.login', { name: supervisor.account, password: supervisor.password })).toMatchObject({ ok: true });
    const here = new BrowserSession(bridge);
    here.cookie = there.cookie;
    expect(await here.call('tickets.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await here.events()).toBe(401);
    expect(await there.call('tickets.list', {})).toMatchObject({ ok: true });
  });
});

describe('the people rule on the import path', () => {
  const category = (actor: Actor, when = new Date().toISOString()) =>
    JSON.stringify({ type: 'category.mode', at: when, actor, category: 'billing', mode: 'draft', reason: 'pilot' });

  function refusedImport(db: Db, text: string, importedBy: Actor): ImportError {
    const before = ledgerHead(db.name);
    try {
      importJsonlText(db, 'people.jsonl', text, { importedBy });
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError);
      expect(ledgerHead(db.name)).toEqual(before);
      return error as ImportError;
    }
    throw new Error('the import was accepted');
  }

  it('accepts a file stating its importer’s own acts under their printed name', () => {
    const { db } = ledgerWithAccounts();
    const report = importJsonlText(db, 'own.jsonl', category(supervisorActor), { importedBy: supervisorActor });
    expect(report.eventsAdded).toBeGreaterThan(0);
  });

  it('refuses, with file, line and field, an account that does not exist, a wrong printed name, another person’s act', () => {
    const { db } = ledgerWithAccounts();
    const own = category(supervisorActor);
    const ghost = refusedImport(db, `${own}\n${category({ kind: 'human', id: 'acct:ghost', name: 'Nobody' })}\n`, supervisorActor);
    expect([ghost.file, ghost.line, ghost.field]).toEqual(['people.jsonl', 2, 'actor.id']);
    expect(ghost.message).toContain('"acct:ghost" is not an account of this ledger');

    const misnamed = refusedImport(db, `${own}\n${category({ kind: 'human', id: 'acct:mrivera', name: 'M. Rivera' })}\n`, supervisorActor);
    expect([misnamed.line, misnamed.field]).toEqual([2, 'actor.name']);
    expect(misnamed.message).toContain('must be the printed name of "mrivera" ("Maya Rivera")');

    const someoneElse = refusedImport(db, `${own}\n${category(adminActor)}\n`, supervisorActor);
    expect([someoneElse.line, someoneElse.field]).toEqual([2, 'actor.id']);
    expect(someoneElse.message).toContain('a file may state only the importing person');
  });

  it('once accounts exist, a person’s act must name an account; a single-user ledger takes the OS user', () => {
    const { db } = ledgerWithAccounts();
    const osUser: Actor = { kind: 'human', id: 'os:dana' };
    const refused = refusedImport(db, `${category(osUser)}\n`, supervisorActor);
    expect([refused.line, refused.field]).toEqual([1, 'actor']);
    expect(refused.message).toContain('this ledger has accounts');

    const single = tempDb();
    expect(peopleState(single.db).required).toBe(false);
    expect(importJsonlText(single.db, 'os.jsonl', `${category(osUser)}\n`, { importedBy: osUser }).eventsAdded).toBeGreaterThan(0);
  });

  it('refuses account events in a file: only Attest writes them', () => {
    const { db } = ledgerWithAccounts();
    const line = JSON.stringify({ type: 'account.created', at: '2031-03-01T09:00:00Z', actor: adminActor, account: 'mallory', display: 'Mallory Smith', role: 'admin' });
    const refused = refusedImport(db, `${line}\n`, adminActor);
    expect(refused.line).toBe(1);
    expect(peopleState(db).accounts.has('mallory')).toBe(false);
  });

  it('through the console: a supervisor’s import of another person’s act is refused and changes nothing', async () => {
    const { path, db } = ledgerWithAccounts();
    db.close();
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    cores.push(core);
    let token: string | null = null;
    await core.invoke('auth.login', { name: SUPERVISOR.name, password: SUPERVISOR.password }, { onSession: (t) => (token = t) });
    const before = contentDigest(path);
    const result = await core.invoke('import.jsonl', { fileName: 'x.jsonl', text: `${category(adminActor)}\n` }, { session: token });
    expect(result).toMatchObject({ ok: false, error: { code: 'import_failed', message: expect.stringMatching(/^x\.jsonl:1: actor\.id: /) } });
    expect(contentDigest(path)).toBe(before);
  });
});

describe('password hashes stay beside the ledger', () => {
  it('never appear in an event or an export, nor do the passwords', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'demo.db');
    const report = createDemoDatabase(dbPath, { tickets: 2, seed: 5 });
    const db = openDatabase(dbPath);
    addAccount(db, { name: 'newhire', display: 'New Hire', role: 'auditor', password: 'quiet-river-stone-8' }, { kind: 'human', id: 'acct:admin', name: 'Dana Whitfield' });
    const exported = join(dir, 'export.jsonl');
    exportJsonl(db, exported);
    db.close();
    const hashes = storedPasswordHashes(dbPath);
    expect(hashes).toHaveLength(report.accounts.length + 1);
    const secrets = [
      ...hashes.flatMap((hash) => hash.split('$').slice(-2)),
      ...report.accounts.map((account) => account.password!),
      'quiet-river-stone-8',
    ];
    const ledgerText = storedEvents(dbPath)
      .map((event) => `${event.actor}${event.payload}`)
      .join('\n');
    const exportText = readFileSync(exported, 'utf8');
    expect(exportText).toContain('"account.created"');
    for (const secret of secrets) {
      expect(ledgerText.includes(secret), 'a secret in the ledger').toBe(false);
      expect(exportText.includes(secret), 'a secret in the export').toBe(false);
    }
  });
});
