// Per-test environment: a temp dir, a fresh demo database, and a private `attest serve` on a random port.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { DEMO_ACCOUNTS } from '../../electron/core/people/demo-accounts.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repoRoot, 'bin', 'attest.js');
const URL_PATTERN = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_\-.~%]+)/;

export const DEMO_TICKETS = 300;
export const DEMO_SEED = 7;

/**
 * Runs the attest CLI to completion with the same Node that runs the tests (Node 24 via npx); `env` is added to
 * this process's environment (e.g. cliLogin's ATTEST_USER and ATTEST_PASSWORD_FILE).
 */
export function runCli(args: string[], timeoutMs = 60_000, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A write on the demo ledger needs a person: unless the test says who, the demo supervisor Maya Rivera.
    const person = env.ATTEST_USER ? {} : demoSupervisorLogin();
    const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...person, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`attest ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`attest ${args.join(' ')} exited with ${code}\n${stderr}${stdout}`));
    });
  });
}

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`attest serve ${why}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = URL_PATTERN.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => fail(`exited early with code ${code}`));
    child.once('error', (err) => fail(`failed to start: ${err.message}`));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

interface RpcAnswer {
  ok: boolean;
  value?: { mode?: string };
  error?: { message: string };
}

/**
 * Signs in as a demo account (a role: the first listed with it; or a login name) for the console at `url`, so the
 * test's own `page.goto(url)` opens the console already signed in. It calls what the sign-in screen calls —
 * `auth.state`, then `auth.login` — through the browser context's own request client, which keeps the session cookie
 * the bridge sets, as the page would. Loading the console once more only to fill in the sign-in form cost each test
 * about a second on two cores (7 tests: 48.6-49.4 s that way, 42.2-42.6 s this way); the form itself is tested in
 * people.spec.ts and the other tests that leave the sign-in screen to themselves (account null). A ledger without
 * accounts (single-user mode) needs no sign-in.
 */
export async function signInFirst(page: Page, url: string, account: string): Promise<void> {
  const { origin, hash } = new URL(url);
  const token = new URLSearchParams(hash.slice(1)).get('token') ?? '';
  const rpc = async (method: string, input: unknown): Promise<RpcAnswer> => {
    const response = await page.request.post(`${origin}/api/rpc/${method}`, { headers: { 'x-attest-token': token, 'content-type': 'application/json' }, data: input });
    return (await response.json()) as RpcAnswer;
  };
  const state = await rpc('auth.state', {});
  if (!state.ok) throw new Error(`auth.state failed: ${state.error?.message}`);
  if (state.value?.mode !== 'accounts') return;
  const demo = DEMO_ACCOUNTS.find((a) => a.account === account) ?? DEMO_ACCOUNTS.find((a) => a.role === account);
  if (!demo) throw new Error(`no demo account or role "${account}"`);
  const signedIn = await rpc('auth.login', { name: demo.account, password: demo.password });
  if (!signedIn.ok) throw new Error(`sign-in as ${demo.account} refused: ${signedIn.error?.message}`);
}

let supervisorLogin: Record<string, string> | null = null;
function demoSupervisorLogin(): Record<string, string> {
  if (supervisorLogin) return supervisorLogin;
  const demo = DEMO_ACCOUNTS.find((a) => a.role === 'supervisor')!;
  const dir = mkdtempSync(join(tmpdir(), 'attest-e2e-login-'));
  // One per Playwright worker process, removed when it ends.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const passwordFile = join(dir, `${demo.account}.password`);
  writeFileSync(passwordFile, `${demo.password}\n`, { mode: 0o600 });
  supervisorLogin = { ATTEST_USER: demo.account, ATTEST_PASSWORD_FILE: passwordFile };
  return supervisorLogin;
}

/**
 * The environment a CLI write on a demo ledger signs in with (issue 11: `ATTEST_USER` and the password in
 * `ATTEST_PASSWORD_FILE`), as the demo account with this login name; single-user ledgers ignore it.
 */
export async function cliLogin(dir: string, account: string): Promise<Record<string, string>> {
  const demo = DEMO_ACCOUNTS.find((a) => a.account === account);
  if (!demo) throw new Error(`no demo account "${account}"`);
  const passwordFile = join(dir, `${account}.password`);
  await writeFile(passwordFile, `${demo.password}\n`, { mode: 0o600 });
  return { ATTEST_USER: account, ATTEST_PASSWORD_FILE: passwordFile };
}

interface WorkerFixtures {
  /**
   * A demo database (300 tickets, seed 7) made once per Playwright worker by `attest demo`; each test works on its own
   * copy (demoDb). The demo is the same for every test, so it need not be generated again for each.
   */
  demoTemplate: string;
}

interface Fixtures {
  /**
   * The demo account the console is signed in as before the test opens it: a role ('supervisor' by default,
   * the first listed demo account with that role) or a login name; null leaves the sign-in screen to the test.
   */
  account: string | null;
  /** A fresh temp directory, removed after the test. */
  workDir: string;
  /** Path of a demo database (300 tickets, seed 7) inside workDir: this test's own copy of demoTemplate. */
  demoDb: string;
  /**
   * Starts `attest serve` on dbPath (with `env` added to this process's environment, e.g. ATTEST_CHAIN_POLL_MS,
   * and `args` added to its arguments, e.g. --role for a single-user ledger);
   * resolves to the console URL (with #token), signed in as `account` on this test's page. Stopped after the
   * test. With account null the server runs with --demo: its sign-in screen lists the demo accounts.
   */
  startServer: (dbPath: string, env?: Record<string, string>, args?: string[]) => Promise<string>;
  /** Console URL of a server on a fresh demo database. */
  serverUrl: string;
  /** Fails the test on uncaught page errors and CSP violations. */
  pageGuard: void;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  demoTemplate: [
    async ({}, use) => {
      const dir = await mkdtemp(join(tmpdir(), 'attest-e2e-template-'));
      try {
        const db = join(dir, 'template.db');
        await runCli(['demo', '--db', db, '--tickets', String(DEMO_TICKETS), '--seed', String(DEMO_SEED)]);
        await use(db);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    { scope: 'worker' },
  ],

  account: ['supervisor', { option: true }],

  workDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-e2e-'));
    try {
      await use(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },

  demoDb: async ({ workDir, demoTemplate }, use) => {
    // `attest demo` folds its journal into the file before it exits; were a -wal file left, it would be copied too.
    const db = join(workDir, 't.db');
    await copyFile(demoTemplate, db);
    if (existsSync(`${demoTemplate}-wal`)) await copyFile(`${demoTemplate}-wal`, `${db}-wal`);
    await use(db);
  },

  startServer: async ({ page, account }, use) => {
    const children: ChildProcess[] = [];
    await use(async (dbPath: string, env: Record<string, string> = {}, args: string[] = []) => {
      // --demo only where the test meets the sign-in screen (account null): it lists the demo accounts whose password
      // is still the published one, and checking that is four scrypt hashes (0.4 s of CPU) before the server prints
      // its URL — 0.65 s of every test on two cores, for a list a test signed in beforehand never sees.
      const demo = account === null ? ['--demo'] : [];
      const child = spawn(process.execPath, [cli, 'serve', '--db', dbPath, '--port', '0', ...demo, ...args], {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      const url = await waitForUrl(child, 30_000);
      if (account !== null) await signInFirst(page, url, account);
      return url;
    });
    await Promise.all(children.map(stop));
  },

  serverUrl: async ({ demoDb, startServer }, use) => {
    await use(await startServer(demoDb));
  },

  pageGuard: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) {
          problems.push(`CSP: ${msg.text()}`);
        }
      });
      await use();
      expect(problems, 'the console must run without page errors or CSP violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
