// The CLI's people: accounts from the terminal, a signed-in person behind every write on a ledger with accounts,
// the one permission table, and the access log — all through real CLI processes on real files.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { DEMO_ACCOUNTS } from '../../electron/core/people/demo-accounts.ts';
import { MAX_FAILURES } from '../../electron/core/people/authentication.ts';
import { operatingSystemUser } from '../../electron/core/people/operator.ts';
import { COMMANDS } from '../../electron/adapters/cli/command-list.ts';
import { CLI_OPERATIONS, CLI_NO_LEDGER, CLI_OWN_ACCESS, CLI_READS } from '../../electron/adapters/cli/cli-person.ts';
import { PERMISSIONS } from '../../shared/permissions.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with exactly the sign-in environment given (none inherited from the developer's shell). */
function attest(env: Record<string, string>, ...args: string[]): Run {
  const { ATTEST_USER: _user, ATTEST_PASSWORD_FILE: _file, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...inherited, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function passwordFile(dir: string, name: string, password: string): string {
  const file = join(dir, `${name}.pw`);
  writeFileSync(file, `${password}\n`);
  return file;
}

let signIns = 0;
/** The environment that signs in as `account` (each with a password file of its own). */
function as(dir: string, account: string, password: string): Record<string, string> {
  signIns += 1;
  return { ATTEST_USER: account, ATTEST_PASSWORD_FILE: passwordFile(dir, `signin-${signIns}-${account}`, password) };
}

interface EventRow {
  seq: number;
  type: string;
  actor: string;
  payload: string;
  hash: string;
}

function events(path: string): EventRow[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT seq, type, actor, payload, hash FROM events ORDER BY seq').all() as EventRow[];
  } finally {
    db.close();
  }
}

// Without the access log and the session.started each CLI process that writes (a sign-in included) records first.
const notAccess = (rows: EventRow[]): EventRow[] => rows.filter((row) => !row.type.startsWith('access.') && row.type !== 'session.started');

function passwordHashes(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT password FROM account_credentials').pluck().all() as string[];
  } finally {
    db.close();
  }
}

function demoLedger(dir: string): string {
  const path = join(dir, 'demo.db');
  createDemoDatabase(path, { tickets: 30, seed: 2 });
  return path;
}

const demo = (account: string) => DEMO_ACCOUNTS.find((a) => a.account === account)!;

describe('attest user', () => {
  it('creates the first admin without a sign-in, ending single-user mode; then only a signed-in admin manages accounts', () => {
    const dir = tempDir();
    const db = join(dir, 'people.db');
    expect(attest({}, 'import', '--db', db, SMALL_FIXTURE).code).toBe(0);
    expect(attest({}, 'user', 'list', '--db', db).stdout).toMatch(/no accounts: single-user mode/);

    const bossPassword = passwordFile(dir, 'boss', 'granite-window-3317');
    const supervisorFirst = attest({}, 'user', 'add', '--db', db, '--name', 'sam', '--display', 'Sam Okoro', '--role', 'supervisor', '--password-file', bossPassword);
    expect(supervisorFirst.code).toBe(1);
    expect(supervisorFirst.stderr).toMatch(/the first account must be an admin/);

    const first = attest({}, 'user', 'add', '--db', db, '--name', 'boss', '--display', 'Bea Oswald', '--role', 'admin', '--password-file', bossPassword);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/account boss \(Bea Oswald, admin\) created\nsingle-user mode has ended/);
    const created = events(db).filter((row) => row.type === 'account.created' || row.type === 'accounts.required');
    expect(created.map((row) => row.type)).toEqual(['account.created', 'accounts.required']);
    expect(JSON.parse(created[0]!.actor)).toEqual(operatingSystemUser());

    // From now on a write needs a person.
    const anonymous = attest({}, 'user', 'add', '--db', db, '--name', 'sam', '--display', 'Sam Okoro', '--role', 'supervisor', '--password-file', bossPassword);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toMatch(/sign in with --user NAME \(or ATTEST_USER\)/);
    const boss = as(dir, 'boss', 'granite-window-3317');
    const samPassword = passwordFile(dir, 'sam', 'lilac-ferry-2290');
    const sam = attest(boss, 'user', 'add', '--db', db, '--name', 'sam', '--display', 'Sam Okoro', '--role', 'supervisor', '--password-file', samPassword, '--json');
    expect(sam.code, sam.stderr).toBe(0);
    expect(JSON.parse(sam.stdout)).toMatchObject({ account: 'sam', id: 'acct:sam', display: 'Sam Okoro', role: 'supervisor', enabled: true, createdBy: 'Bea Oswald', lockedUntil: null });

    // A supervisor may not manage accounts; the refusal leaves everything but the access log as it was.
    const before = notAccess(events(db));
    const samEnv = as(dir, 'sam', 'lilac-ferry-2290');
    const promoted = attest(samEnv, 'user', 'role', '--db', db, '--name', 'sam', '--role', 'admin');
    expect(promoted).toMatchObject({ code: 1, stdout: '' });
    expect(promoted.stderr).toBe(`attest: forbidden: ${"the supervisor role may not change a person's role; only admins may"}\n`);
    expect(notAccess(events(db))).toEqual(before);

    expect(attest(boss, 'user', 'role', '--db', db, '--name', 'sam', '--role', 'auditor').stdout).toMatch(/account sam is now auditor/);
    expect(attest(boss, 'user', 'disable', '--db', db, '--name', 'sam').stdout).toMatch(/account sam disabled/);
    const disabledSignIn = attest(samEnv, 'checkpoint', '--db', db);
    expect(disabledSignIn.code).toBe(1);
    expect(disabledSignIn.stderr).toMatch(/sign-in refused: the account "sam" is disabled/);
    expect(attest(boss, 'user', 'enable', '--db', db, '--name', 'sam').stdout).toMatch(/account sam enabled/);
    // The last enabled admin cannot be demoted.
    expect(attest(boss, 'user', 'role', '--db', db, '--name', 'boss', '--role', 'auditor').stderr).toMatch(/last enabled admin/);

    const list = JSON.parse(attest({}, 'user', 'list', '--db', db, '--json').stdout) as { account: string; role: string; enabled: boolean; lastLoginAt: string | null }[];
    expect(list.map((row) => [row.account, row.role, row.enabled])).toEqual([
      ['boss', 'admin', true],
      ['sam', 'auditor', true],
    ]);
    expect(list[0]!.lastLoginAt).not.toBeNull();
    const types = events(db).map((row) => row.type);
    expect(types.filter((type) => type.startsWith('account.'))).toEqual(['account.created', 'account.created', 'account.roleChanged', 'account.disabled', 'account.enabled']);
    expect(attest({}, 'verify', '--db', db).code).toBe(0);
  }, 120_000);

  it('refuses short and common passwords and changes passwords: one’s own after signing in as oneself, another’s only as an admin', () => {
    const dir = tempDir();
    const db = demoLedger(dir);
    const admin = as(dir, 'admin', demo('admin').password);
    const before = notAccess(events(db)).length;
    const short = attest(admin, 'user', 'add', '--db', db, '--name', 'kim', '--display', 'Kim Lee', '--role', 'auditor', '--password-file', passwordFile(dir, 'short', 'tiny-pass'));
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
    const common = attest(admin, 'user', 'add', '--db', db, '--name', 'kim', '--display', 'Kim Lee', '--role', 'auditor', '--password-file', passwordFile(dir, 'common', 'Password1234'));
    expect(common.code).toBe(1);
    expect(common.stderr).toMatch(/commonly used passwords/);
    expect(notAccess(events(db)).length).toBe(before);
    const noPassword = attest(admin, 'user', 'add', '--db', db, '--name', 'kim', '--display', 'Kim Lee', '--role', 'auditor');
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/--password-file FILE/);

    // Maya changes her own password: signing in as herself (--user defaults to --name) proves the current one.
    const maya = demo('mrivera');
    const own = attest({ ATTEST_PASSWORD_FILE: passwordFile(dir, 'maya-old', maya.password) }, 'user', 'passwd', '--db', db, '--name', 'mrivera', '--password-file', passwordFile(dir, 'maya-new', 'orchid-tunnel-6604'));
    expect(own.code, own.stderr).toBe(0);
    const changed = events(db).filter((row) => row.type === 'account.passwordChanged');
    // The event binds the new hash (its SHA-256, computed here independently), never the hash itself.
    expect(JSON.parse(changed.at(-1)!.payload)).toEqual({ account: 'mrivera', reset: false, credential: credentialOf(db, 'mrivera') });
    expect(attest(as(dir, 'mrivera', maya.password), 'checkpoint', '--db', db).stderr).toMatch(/wrong name or password/);
    expect(attest(as(dir, 'mrivera', 'orchid-tunnel-6604'), 'checkpoint', '--db', db).code).toBe(0);

    // Another's password: refused to a supervisor, a reset by an admin.
    const other = attest(as(dir, 'mrivera', 'orchid-tunnel-6604'), 'user', 'passwd', '--db', db, '--name', 'tokafor', '--password-file', passwordFile(dir, 'x', 'maple-signal-4471'));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/forbidden: only an admin may reset another person's password/);
    expect(attest(admin, 'user', 'passwd', '--db', db, '--name', 'tokafor', '--password-file', passwordFile(dir, 'y', 'maple-signal-4471')).code).toBe(0);
    expect(JSON.parse(events(db).filter((row) => row.type === 'account.passwordChanged').at(-1)!.payload)).toEqual({ account: 'tokafor', reset: true, credential: credentialOf(db, 'tokafor') });
  }, 120_000);
});

describe('a person behind every CLI write', () => {
  it('single-user mode: acts are the operating-system user’s, and sign-in settings are ignored with one note', () => {
    const dir = tempDir();
    const db = join(dir, 'solo.db');
    const signIn = as(dir, 'whoever', 'does-not-matter-1');
    const imported = attest(signIn, 'import', '--db', db, SMALL_FIXTURE);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr.match(/note: this ledger has no accounts \(single-user mode\): --user, ATTEST_USER and ATTEST_PASSWORD_FILE are ignored/g)).toHaveLength(1);
    const set = attest({}, 'categories', 'set', '--db', db, 'outage', 'draft', '--reason', 'drafts first', '--json');
    expect(set.stderr).toBe('');
    expect(JSON.parse(set.stdout)).toMatchObject({ changedBy: operatingSystemUser().id });
    expect(events(db).some((row) => row.type.startsWith('access.'))).toBe(false);
  });

  it('accounts mode: no name is a usage error, a wrong password is refused and logged, five in a row lock the account', () => {
    const dir = tempDir();
    const db = demoLedger(dir);
    const before = events(db);
    const nobody = attest({}, 'baseline', 'freeze', '--db', db, '--from', '2026-05-01', '--to', '2026-05-31', '--name', 'may');
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/this ledger has accounts: to freeze a baseline, sign in with --user NAME/);
    const noPassword = attest({ ATTEST_USER: 'mrivera' }, 'checkpoint', '--db', db);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/ATTEST_PASSWORD_FILE/);
    expect(events(db)).toEqual(before);

    const wrong = as(dir, 'mrivera', 'not-her-password-1');
    for (let attempt = 1; attempt <= MAX_FAILURES; attempt++) {
      const refused = attest(wrong, 'checkpoint', '--db', db);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(attempt < MAX_FAILURES ? /sign-in refused: wrong name or password\n$/ : /locked for 15 minutes/);
    }
    const added = events(db).slice(before.length);
    // Each attempt is a process that writes: its session.started, then the refusal (the last one with the lockout).
    expect(added.map((row) => row.type)).toEqual([...Array<string[]>(MAX_FAILURES).fill(['session.started', 'access.loginFailed']).flat(), 'access.lockout']);
    expect(JSON.parse(added[1]!.payload)).toEqual({ name: 'mrivera', account: 'mrivera', reason: 'password', via: 'cli' });
    // Locked: even the right password is refused, and nothing but the refusal is recorded.
    const locked = attest(as(dir, 'mrivera', demo('mrivera').password), 'checkpoint', '--db', db);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/the account "mrivera" is locked/);
    expect(notAccess(events(db))).toEqual(notAccess(before));
  }, 120_000);

  it('an auditor’s write is forbidden and leaves the ledger as it was apart from the sign-in; a supervisor’s is recorded as theirs', () => {
    const dir = tempDir();
    const db = demoLedger(dir);
    const auditor = as(dir, 'jlindqvist', demo('jlindqvist').password);
    const before = events(db);
    const refused = attest(auditor, 'categories', 'set', '--db', db, 'outage', 'draft', '--reason', 'try drafts');
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe(`attest: forbidden: the auditor role may not change a category's AI mode; only admins and supervisors may\n`);
    const after = events(db);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((row) => row.type)).toEqual(['session.started', 'access.login']);

    const supervisor = as(dir, 'mrivera', demo('mrivera').password);
    const set = attest(supervisor, 'categories', 'set', '--db', db, 'outage', 'draft', '--reason', 'try drafts', '--json');
    expect(set.code, set.stderr).toBe(0);
    const modeEvent = events(db).at(-1)!;
    expect(modeEvent.type).toBe('category.mode');
    expect(JSON.parse(modeEvent.actor)).toEqual({ kind: 'human', id: 'acct:mrivera', name: 'Maya Rivera' });
    // `--user` names the account to sign in as; it no longer invents an actor.
    const named = attest({ ATTEST_PASSWORD_FILE: supervisor.ATTEST_PASSWORD_FILE! }, 'categories', 'set', '--db', db, 'outage', 'off', '--reason', 'back to people', '--user', 'mrivera');
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(events(db).at(-1)!.actor)).toMatchObject({ id: 'acct:mrivera' });
    expect(attest({}, 'verify', '--db', db).code).toBe(0);
  }, 120_000);

  it('export needs a person, is recorded as access.export before the file is written, and no password hash leaves the database', () => {
    const dir = tempDir();
    const db = demoLedger(dir);
    const out = join(dir, 'ledger.jsonl');
    expect(attest({}, 'export', '--db', db, '--out', out).code).toBe(2);
    const auditor = as(dir, 'jlindqvist', demo('jlindqvist').password);
    const exported = attest(auditor, 'export', '--db', db, '--out', out, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    const access = events(db).filter((row) => row.type === 'access.export');
    expect(access).toHaveLength(1);
    const headBefore = access[0]!.seq - 1;
    expect(JSON.parse(access[0]!.payload)).toEqual({ account: 'jlindqvist', via: 'cli', what: 'ledger export', file: out, headSeq: headBefore });
    // The export holds its own access record.
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(lines.some((line) => line.type === 'access.export')).toBe(true);

    const hashes = passwordHashes(db);
    expect(hashes.length).toBe(DEMO_ACCOUNTS.length);
    const everything = [readFileSync(out, 'utf8'), exported.stdout, ...events(db).map((row) => row.payload + row.actor)].join('\n');
    for (const hash of hashes) {
      expect(hash).toMatch(/^scrypt\$/);
      expect(everything).not.toContain(hash.split('$').at(-1)!);
      expect(everything).not.toContain(hash.split('$').at(-2)!);
    }
    expect(everything).not.toMatch(/scrypt\$/);
    expect(attest({}, 'user', 'list', '--db', db).stdout).not.toMatch(/scrypt/);
  }, 120_000);

  it('commands that only read need no sign-in on a ledger with accounts and write nothing', () => {
    const dir = tempDir();
    const db = demoLedger(dir);
    const before = events(db);
    for (const args of [['verify'], ['categories'], ['disputes'], ['user', 'list'], ['baseline', 'list'], ['prove', '--seq', '1']]) {
      const [first, ...rest] = args;
      const run = attest({}, first!, ...rest, '--db', db);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
    expect(events(db)).toEqual(before);
  }, 120_000);
});

describe('attest demo', () => {
  it('prints the demo accounts and their passwords', () => {
    const dir = tempDir();
    const db = join(dir, 'demo.db');
    const run = attest({}, 'demo', '--db', db, '--tickets', '20', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).accounts).toEqual(DEMO_ACCOUNTS.map(({ account, display, role, password }) => ({ account, display, role, password })));
    const human = attest({}, 'demo', '--db', join(dir, 'human.db'), '--tickets', '20');
    for (const account of DEMO_ACCOUNTS) expect(human.stdout).toContain(`${account.account.padEnd(12)} ${account.role.padEnd(10)} ${account.display.padEnd(20)} password: ${account.password}`);
  }, 120_000);

  it('--admin NAME --password-file F sets the demo admin, who can then sign in', () => {
    const dir = tempDir();
    const db = join(dir, 'demo.db');
    const file = passwordFile(dir, 'ops', 'cobalt-lighthouse-5120');
    const run = attest({}, 'demo', '--db', db, '--tickets', '20', '--admin', 'ops', '--password-file', file, '--json');
    expect(run.code, run.stderr).toBe(0);
    const accounts = JSON.parse(run.stdout).accounts as { account: string; role: string; password: string | null }[];
    expect(accounts[0]).toMatchObject({ account: 'ops', role: 'admin', password: null });
    expect(accounts.some((a) => a.account === 'admin')).toBe(false);
    const ops = as(dir, 'ops', 'cobalt-lighthouse-5120');
    const added = attest(ops, 'user', 'add', '--db', db, '--name', 'kim', '--display', 'Kim Lee', '--role', 'auditor', '--password-file', passwordFile(dir, 'kim', 'saffron-bridge-3391'));
    expect(added.code, added.stderr).toBe(0);
    expect(attest(as(dir, 'admin', demo('admin').password), 'checkpoint', '--db', db).code).toBe(1);

    const weak = attest({}, 'demo', '--db', join(dir, 'weak.db'), '--tickets', '20', '--admin', 'ops', '--password-file', passwordFile(dir, 'weak', 'short'));
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/at least 12 characters/);
    expect(attest({}, 'demo', '--db', join(dir, 'nofile.db'), '--admin', 'ops').code).toBe(2);
  }, 120_000);
});

const hasScript = spawnSync('script', ['--version']).status === 0;

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`) and types each answer when its prompt appears: what the
 * terminal shows is returned, so an echoed password would be seen.
 */
function onTerminal(args: string[], answers: { prompt: string; typed: string }[]): Promise<{ code: number | null; screen: string }> {
  const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const { ATTEST_USER: _user, ATTEST_PASSWORD_FILE: _file, ...env } = process.env;
  const child = spawn('script', ['-qec', quoted, '/dev/null'], { env });
  let screen = '';
  const pending = [...answers];
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    if (pending.length && screen.endsWith(pending[0]!.prompt)) child.stdin.write(`${pending.shift()!.typed}\r`);
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, screen })));
}

describe.skipIf(!hasScript)('passwords typed at a terminal', () => {
  it('are asked twice for a new account without echo, and once to sign in', async () => {
    const dir = tempDir();
    const db = join(dir, 'tty.db');
    const differ = await onTerminal(['user', 'add', '--db', db, '--name', 'boss', '--display', 'Bea Oswald', '--role', 'admin'], [
      { prompt: 'New password for boss: ', typed: 'granite-window-3317' },
      { prompt: 'Type it again: ', typed: 'granite-window-3318' },
    ]);
    expect(differ.code).toBe(2);
    expect(differ.screen).toMatch(/the two passwords differ; nothing changed/);
    const created = await onTerminal(['user', 'add', '--db', db, '--name', 'boss', '--display', 'Bea Oswald', '--role', 'admin'], [
      { prompt: 'New password for boss: ', typed: 'granite-window-3317' },
      { prompt: 'Type it again: ', typed: 'granite-window-3317' },
    ]);
    expect(created.code, created.screen).toBe(0);
    expect(created.screen).toMatch(/account boss \(Bea Oswald, admin\) created/);
    expect(created.screen).not.toContain('granite');
    const checkpoint = await onTerminal(['checkpoint', '--db', db, '--user', 'boss', '--json'], [{ prompt: 'Password for boss: ', typed: 'granite-window-3317' }]);
    expect(checkpoint.code, checkpoint.screen).toBe(0);
    expect(checkpoint.screen).not.toContain('granite');
    expect(events(db).map((row) => row.type)).toEqual(['session.started', 'account.created', 'accounts.required', 'session.started', 'access.login', 'checkpoint']);
  }, 60_000);
});

describe('the command table', () => {
  it('names every CLI command once: writing (with its operation and --user), reading, or bringing its own access', () => {
    const writing = Object.keys(CLI_OPERATIONS);
    const reading: readonly string[] = CLI_READS;
    const own: readonly string[] = CLI_OWN_ACCESS;
    const noLedger: readonly string[] = CLI_NO_LEDGER;
    for (const command of COMMANDS) {
      const kinds = [writing.includes(command.name), reading.includes(command.name), own.includes(command.name), noLedger.includes(command.name)].filter(Boolean);
      expect(kinds, command.name).toHaveLength(1);
      if (writing.includes(command.name)) {
        expect(command.options?.user, `${command.name} takes --user`).toEqual({ type: 'string' });
        expect(command.usage, command.name).toMatch(/--user (NAME|ADMIN)/);
        expect(PERMISSIONS[CLI_OPERATIONS[command.name as keyof typeof CLI_OPERATIONS]]).toBeDefined();
      }
    }
    const names = COMMANDS.map((command) => command.name);
    for (const listed of [...writing, ...reading, ...own]) expect(names, listed).toContain(listed);
  });
});

describe('a statement written to a file is handed on like an export', () => {
  it('with accounts `statement --out` needs a person and is in the access log; to stdout it is a read', () => {
    const dir = tempDir();
    const db = join(dir, 'demo.db');
    expect(attest({}, 'demo', '--db', db, '--tickets', '80').code).toBe(0);
    const auditor = DEMO_ACCOUNTS.find((a) => a.role === 'auditor')!;
    const accessExports = () => readAccessExports(db);
    expect(attest({}, 'statement', '--db', db, '--period', '2026-09').code).toBe(0);
    const out = join(dir, 'st.csv');
    const refused = attest({}, 'statement', '--db', db, '--period', '2026-09', '--format', 'csv', '--out', out);
    expect(refused.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(accessExports()).toEqual([]);
    const env = { ATTEST_USER: auditor.account, ATTEST_PASSWORD_FILE: passwordFile(dir, auditor.account, auditor.password) };
    expect(attest(env, 'statement', '--db', db, '--period', '2026-09', '--format', 'csv', '--out', out).code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(accessExports()).toEqual([{ account: auditor.account, what: 'statement 2026-09', file: out }]);
  });
});

function readAccessExports(path: string): { account: string; what: string; file: string }[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("SELECT payload FROM events WHERE type = 'access.export' ORDER BY seq").pluck().all() as string[]).map((payload) => {
      const { account, what, file } = JSON.parse(payload) as { account: string; what: string; file: string };
      return { account, what, file };
    });
  } finally {
    db.close();
  }
}

/** SHA-256 of an account's stored password hash, computed here independently of Attest. */
function credentialOf(path: string, account: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const stored = db.prepare('SELECT password FROM account_credentials WHERE account = ?').pluck().get(account) as string;
    return createHash('sha256').update(stored, 'utf8').digest('hex');
  } finally {
    db.close();
  }
}
