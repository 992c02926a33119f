// Nothing leaves the machine except to the model server it was told to use. First the Ollama host setting itself
// (http(s) only, loopback by default, a remote server only on an admin's recorded allowance, on every append path);
// then real child processes — the AI pipeline against the stand-in, the HTTP bridge serving the console, and every
// CLI command of the command list — run with a preload (tests/support/egress-preload.ts) that records every socket
// connect, DNS lookup and fetch they attempt: the only destination ever seen is the configured host.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../electron/adapters/cli/command-list.ts';
import { DEFAULT_AI_SETTINGS, decideHost, effectiveHost } from '../../electron/core/ai/ai-settings.ts';
import { AiCallError, OllamaGateway } from '../../electron/core/ai/ollama-gateway.ts';
import { isLoopbackHost, normalizeHost } from '../../electron/core/ai/ollama-host.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { DEMO_ACCOUNTS } from '../../electron/core/people/demo-accounts.ts';
import { openCore } from '../../electron/core/service.ts';
import { guardNetwork, type NetworkAttempt } from '../../scripts/network-guard.ts';
import { addOpenTickets } from '../support/ai-tickets.ts';
import { startOllamaStandIn, type StandIn } from '../support/ollama-stand-in.ts';
import { CLI_SWEEP, COVERED_ELSEWHERE, type SweepContext, type SweepResult } from '../support/cli-sweep.ts';
import { tempDb, tempDir } from './helpers.ts';
import { freePort } from '../support/pg-cluster.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../support/egress-preload.ts', import.meta.url));
const SWEEP = fileURLToPath(new URL('../support/cli-sweep.ts', import.meta.url));
const REMOTE = 'http://ollama.example.org:11434';
const NOW = new Date().toISOString();
const SETTINGS = { model: 'llama3.2:3b', confidenceThreshold: 0.75, parallel: 1, redaction: { card: true, iban: true, email: true, phone: true }, reason: 'egress test' };

describe('the Ollama host setting', () => {
  it('accepts http(s) server addresses and keeps an explicit port as given', () => {
    const cases: [string, string][] = [
      ['127.0.0.1:11434', 'http://127.0.0.1:11434'],
      ['localhost', 'http://localhost:11434'],
      ['http://localhost', 'http://localhost:11434'],
      ['http://127.0.0.1:80', 'http://127.0.0.1:80'], // port 80 given: kept, and written out (no port means 11434)
      ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
      ['HTTP://LOCALHOST:11434', 'http://localhost:11434'],
      ['https://ollama.example.org', 'https://ollama.example.org'],
      ['https://ollama.example.org:11434', 'https://ollama.example.org:11434'],
      ['[::1]:9000', 'http://[::1]:9000'],
    ];
    for (const [written, origin] of cases) expect(normalizeHost(written), written).toBe(origin);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('127.0.0.1', 'localhost', '[::1]', 'ollama.lan'), fc.constantFrom('http', 'https'), (port, host, scheme) => {
        const normalized = normalizeHost(`${scheme}://${host}:${port}`);
        const url = new URL(normalized);
        expect(url.port === '' ? (scheme === 'http' ? 80 : 443) : Number(url.port)).toBe(port);
        // Stored hosts are normalized again when read: that must not move them to another port.
        expect(normalizeHost(normalized)).toBe(normalized);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses every other scheme and anything but a server address', () => {
    for (const written of ['file:///etc/passwd', 'file:/etc/passwd', 'data:text/plain,hi', 'javascript:alert(1)', 'ftp://ollama.lan', 'ws://127.0.0.1:11434', 'gopher://h', 'blob:http://x/y',
      'http://user:pw@127.0.0.1:11434', 'http://127.0.0.1:11434/api', 'http://127.0.0.1:11434?x=1', 'http://127.0.0.1:11434#x', '', '   ', 'http://', 'http://127.0.0.1:99999']) {
      expect(() => normalizeHost(written), written).toThrow();
    }
  });

  it('tells this computer from any other', () => {
    for (const host of ['http://127.0.0.1:11434', 'http://127.9.8.7:1', 'http://localhost:11434', 'http://[::1]:11434', 'http://[::ffff:127.0.0.1]:11434']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['http://10.0.0.5:11434', 'http://192.168.1.2:11434', 'http://0.0.0.0:11434', 'http://[::]:11434', 'https://ollama.example.org', 'http://localhost.example.org:11434', 'http://127.0.0.1.nip.io:11434', 'http://[::ffff:10.0.0.1]:11434']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('uses a remote host (settings or OLLAMA_HOST) only while an admin allowance names exactly it', () => {
    const allowance = { host: REMOTE, reason: 'GPU server', actor: { kind: 'human' as const, id: 'os:admin' }, at: '2026-01-01T00:00:00Z', seq: 9 };
    expect(effectiveHost(DEFAULT_AI_SETTINGS, {})).toBe('http://127.0.0.1:11434');
    expect(decideHost(DEFAULT_AI_SETTINGS, { OLLAMA_HOST: REMOTE }).problem).toMatch(/not this computer and no admin allowed/);
    expect(() => effectiveHost({ ...DEFAULT_AI_SETTINGS, host: REMOTE }, {})).toThrow(/no admin allowed/);
    expect(effectiveHost({ ...DEFAULT_AI_SETTINGS, host: REMOTE, remoteHost: allowance }, {})).toBe(REMOTE);
    expect(effectiveHost({ ...DEFAULT_AI_SETTINGS, remoteHost: allowance }, { OLLAMA_HOST: 'ollama.example.org' })).toBe(REMOTE);
    expect(() => effectiveHost({ ...DEFAULT_AI_SETTINGS, host: 'http://ollama.example.org:8080', remoteHost: allowance }, {})).toThrow(/no admin allowed/);
    expect(() => effectiveHost({ ...DEFAULT_AI_SETTINGS, host: REMOTE, remoteHost: { ...allowance, host: null } }, {})).toThrow(/no admin allowed/);
    expect(() => effectiveHost(DEFAULT_AI_SETTINGS, { OLLAMA_HOST: 'file:///etc/passwd' })).toThrow(/http:\/\/ or https:\/\//);
  });
});

describe('a redirect from the model server', () => {
  it('is never followed: the request (and its ticket text) goes nowhere else, and the failure says why', async () => {
    const elsewhere: string[] = [];
    const other = createHttpServer((request, response) => {
      elsewhere.push(`${request.method} ${request.url}`);
      response.end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherPort = (other.address() as AddressInfo).port;
    const redirecting = createHttpServer((_request, response) => {
      response.writeHead(307, { Location: `http://127.0.0.1:${otherPort}/api/chat` });
      response.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const gateway = new OllamaGateway(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`, 'llama3.2:3b');
      const failure = await gateway.chatJson([{ role: 'user', content: 'Ticket text: jane.doe@example.com' }], { type: 'object' }, { temperature: 0, seed: 1, num_ctx: 2048 }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(AiCallError);
      expect((failure as AiCallError).kind).toBe('permanent');
      expect((failure as AiCallError).message).toMatch(/redirect/);
      expect(elsewhere).toEqual([]);
    } finally {
      await Promise.all([new Promise((resolve) => other.close(resolve)), new Promise((resolve) => redirecting.close(resolve))]);
    }
  });
});

describe('a model server on another machine', () => {
  it('is allowed by an admin only, with who and why on the ledger; supervisors may then point the AI at it', async () => {
    const { path, db } = tempDb();
    const supervisor = openCore({ dbPath: path, role: 'supervisor', user: 'sup-1' });
    expect(await supervisor.invoke('ai.configure', { ...SETTINGS, host: REMOTE })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/no admin allowed/) } });
    expect(await supervisor.invoke('ai.allowRemoteHost', { host: REMOTE, reason: 'faster' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const host of ['file:///etc/passwd', 'data:text/plain,x', 'ftp://ollama.example.org']) {
      expect(await supervisor.invoke('ai.configure', { ...SETTINGS, host }), host).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(db.prepare("SELECT count(*) FROM events WHERE type IN ('ai.settings', 'ai.remote_host')").pluck().get()).toBe(0);

    const admin = openCore({ dbPath: path, role: 'admin', user: 'adm-1' });
    expect(await admin.invoke('ai.allowRemoteHost', { host: 'http://127.0.0.1:11434', reason: 'local' })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/needs no allowance/) } });
    expect(await admin.invoke('ai.allowRemoteHost', { host: REMOTE, reason: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const allowed = await admin.invoke('ai.allowRemoteHost', { host: 'HTTP://Ollama.Example.org:11434', reason: 'the GPU server in the locked rack' });
    expect(allowed).toMatchObject({ ok: true, value: { hostIsLocal: true, remoteHost: { host: REMOTE, reason: 'the GPU server in the locked rack', by: 'adm-1' } } });
    const configured = await supervisor.invoke('ai.configure', { ...SETTINGS, host: REMOTE });
    expect(configured).toMatchObject({ ok: true, value: { effectiveHost: REMOTE, hostIsLocal: false, hostProblem: null } });
    const event = db.prepare("SELECT actor, payload FROM events WHERE type = 'ai.remote_host'").get() as { actor: string; payload: string };
    expect(JSON.parse(event.actor)).toEqual({ kind: 'human', id: 'adm-1' });
    expect(JSON.parse(event.payload)).toEqual({ host: REMOTE, reason: 'the GPU server in the locked rack' });

    // Withdrawn: the settings still name the host, but nothing is contacted and the console says why.
    expect(await admin.invoke('ai.allowRemoteHost', { host: null, reason: 'rack decommissioned' })).toMatchObject({ ok: true, value: { hostIsLocal: false, hostProblem: expect.stringMatching(/no admin allowed/) } });
    const attempts: NetworkAttempt[] = [];
    const restore = guardNetwork((attempt) => attempts.push(attempt), { refuse: true });
    try {
      expect(await supervisor.invoke('ai.health', {})).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/ollama\.example\.org.*no admin allowed/) } });
      expect(await supervisor.invoke('ai.resolve', {})).toMatchObject({ ok: true });
      for (let i = 0; i < 50 && (await supervisor.invoke('ai.status', {}) as { ok: true; value: { progress: { running: boolean } } }).value.progress.running; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      restore();
    }
    expect(attempts).toEqual([]);
    supervisor.close();
    admin.close();
  });

  it('is refused where events are appended, whatever the path (no allowance, or not an admin)', async () => {
    const dir = tempDir();
    const path = join(dir, 'accounts.db');
    createDemoDatabase(path, { tickets: 3, seed: 2 });
    const db = openDatabase(path);
    const actor = (role: 'admin' | 'supervisor') => {
      const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
      return { kind: 'human', id: `acct:${account.account}`, name: account.display };
    };
    const count = () => db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    const before = count();
    const settings = { type: 'ai.settings', at: NOW, host: REMOTE, model: 'm', confidence_threshold: 0.5, parallel: 1, redaction: SETTINGS.redaction, reason: 'sneak' };
    expect(() => recordEvents(db, [{ ...settings, actor: actor('admin') }])).toThrow(/no admin allowed/);
    expect(() => recordEvents(db, [{ type: 'ai.remote_host', at: NOW, actor: actor('supervisor'), host: REMOTE, reason: 'sneak' }])).toThrow(/only an admin/);
    expect(() => recordEvents(db, [{ type: 'ai.remote_host', at: NOW, actor: actor('admin'), host: 'http://ollama.example.org', reason: 'x' }])).toThrow(/origin "http:\/\/ollama\.example\.org:11434"/);
    expect(count()).toBe(before);
    db.close();
    // A JSONL file cannot bring either line in (nor the two together).
    const core = openCore({ dbPath: path, role: 'admin', user: 'importer' });
    const lines = [{ type: 'ai.remote_host', at: NOW, actor: actor('admin'), host: REMOTE, reason: 'file' }, { ...settings, actor: actor('admin') }];
    for (const text of [JSON.stringify(lines[1]), lines.map((line) => JSON.stringify(line)).join('\n')]) {
      const result = await core.invoke('import.jsonl', { fileName: 'sneak.jsonl', text });
      expect(result.ok).toBe(false);
    }
    core.close();
    const after = openDatabase(path);
    expect(after.prepare("SELECT count(*) FROM events WHERE type IN ('ai.settings', 'ai.remote_host')").pluck().get()).toBe(0);
    after.close();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Child processes under the egress recorder

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  attempts: (NetworkAttempt & { pid: number })[];
}

let logCounter = 0;

function attemptsIn(log: string): Run['attempts'] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Run['attempts'][number]);
}

/** Starts `attest ARGS` with the egress recorder; resolves when it exits. */
function attest(dir: string, args: string[], env: Record<string, string> = {}): { done: Promise<Run>; child: ReturnType<typeof spawn>; log: string } {
  const log = join(dir, `egress-${++logCounter}.jsonl`);
  const child = spawn(process.execPath, ['--import', PRELOAD, join(ROOT, 'bin', 'attest.js'), ...args], {
    cwd: dir,
    env: { ...process.env, ATTEST_EGRESS_LOG: log, ATTEST_HOME: join(dir, 'home'), OLLAMA_HOST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, attempts: attemptsIn(log) })));
  return { done, child, log };
}

/** Destinations a process tried that are not among `allowed` ("host:port"; lookups and fetches by host / origin). */
function foreign(attempts: Run['attempts'], allowed: readonly string[]): string[] {
  const hosts = new Set(allowed.map((target) => target.replace(/:\d+$/, '')));
  const origins = new Set(allowed.map((target) => `http://${target}`));
  return attempts
    .filter((attempt) => {
      if (attempt.kind === 'connect') return !allowed.includes(attempt.target);
      if (attempt.kind === 'lookup') return !hosts.has(attempt.target);
      return !origins.has(new URL(attempt.target).origin);
    })
    .map((attempt) => `${attempt.kind} ${attempt.target}`);
}

/** A port on 127.0.0.1 that nothing listens on: a free one, freed again. */
const closedPort = freePort;

describe('egress of the pipeline, the console and every CLI command', () => {
  let standIn: StandIn;
  let dir: string;
  let dbPath: string;
  let allowed: string[];

  beforeAll(async () => {
    standIn = await startOllamaStandIn();
    allowed = [`127.0.0.1:${standIn.port}`];
    // Not tempDir(): that one is removed after each test, and these tests share the ledger.
    dir = mkdtempSync(join(tmpdir(), 'attest-egress-'));
    mkdirSync(join(dir, 'home'));
    dbPath = join(dir, 'ledger.db');
    createDemoDatabase(dbPath, { tickets: 40, seed: 5, accounts: false });
    const db = openDatabase(dbPath);
    addOpenTickets(db, 3, ['password_reset', 'how_to'], { prefix: 'EGRESS', at: '2026-10-20T09:00:00.000Z' });
    recordEvents(db, [{ type: 'ai.settings', at: new Date().toISOString(), actor: { kind: 'human', id: 'test' }, host: standIn.host, model: 'llama3.2:3b', confidence_threshold: 0.75, parallel: 1, redaction: SETTINGS.redaction, reason: 'use the stand-in' }]);
    db.close();
  }, 60_000);

  afterAll(async () => {
    await standIn?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the AI pipeline contacts only the configured model server (and the recorder sees it do so)', async () => {
    const run = await attest(dir, ['resolve', '--db', dbPath, '--limit', '3', '--json']).done;
    expect(run.code, run.stderr).toBe(0);
    expect(standIn.chats.length).toBeGreaterThan(0);
    // The recorder is not blind: the calls to the stand-in are in it.
    expect(run.attempts.filter((attempt) => attempt.kind === 'connect').map((attempt) => attempt.target)).toContain(allowed[0]);
    expect(foreign(run.attempts, allowed)).toEqual([]);
  }, 60_000);

  it('the HTTP bridge serving the console contacts nothing but the model server', async () => {
    const serve = attest(dir, ['serve', '--db', dbPath, '--port', '0', '--json']);
    try {
      const started = await new Promise<{ url: string; port: number }>((resolve, reject) => {
        let out = '';
        serve.child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.trim().startsWith('{'));
          if (line) resolve(JSON.parse(line) as { url: string; port: number });
        });
        serve.child.on('close', (code) => reject(new Error(`serve exited (${code})`)));
        serve.child.on('error', reject);
      });
      const token = new URL(started.url).hash.replace(/^#token=/, '');
      const base = `http://127.0.0.1:${started.port}`;
      expect([200, 503]).toContain((await fetch(`${base}/`)).status);
      const html = await (await fetch(`${base}/index.html`)).text();
      for (const asset of html.matchAll(/(?:src|href)="\/?([^"#:]+)"/g)) await (await fetch(`${base}/${asset[1]}`)).arrayBuffer();
      const rpc = async (method: string, input: unknown) =>
        (await fetch(`${base}/api/rpc/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Attest-Token': token }, body: JSON.stringify(input) })).json();
      for (const [method, input] of [['session.info', {}], ['tickets.list', {}], ['ledger.status', {}], ['ai.settings', {}], ['ai.health', {}], ['ai.status', {}], ['kb.search', { query: 'password' }], ['kpis.report', { from: '2026-05-01', to: '2026-11-01' }]] as const) {
        expect(await rpc(method, input), method).toMatchObject({ ok: true });
      }
    } finally {
      serve.child.kill('SIGTERM');
    }
    const run = await serve.done;
    // ai.health reached the stand-in through the bridge's process; nothing else was contacted.
    expect(run.attempts.map((attempt) => attempt.target)).toContain(allowed[0]);
    expect(foreign(run.attempts, allowed)).toEqual([]);
  }, 60_000);

  it('every CLI command contacts nothing but its configured host', async () => {
    const pgPort = await closedPort();
    const files = join(dir, 'files');
    mkdirSync(files);
    const password = join(files, 'password.txt');
    writeFileSync(password, 'copper-lantern-meadow-58\n');
    const ctx: SweepContext = { root: ROOT, dbPath, files, pg: `postgres://attest:secret@127.0.0.1:${pgPort}/attest`, pgTarget: `127.0.0.1:${pgPort}`, password };
    const env = { ATTEST_USER: 'egress', ATTEST_PASSWORD_FILE: password };

    // Every command of the command list is swept: a new command fails this test until it has an invocation.
    expect([...Object.keys(CLI_SWEEP), ...COVERED_ELSEWHERE].sort()).toEqual(COMMANDS.map((command) => command.name).sort());

    // Each command's exit code and the attempts made while it ran.
    const runs: { name: string; code: number | null; stderr: string; attempts: Run['attempts'] }[] = [];
    if (process.env.ATTEST_EGRESS_EACH_PROCESS === '1') {
      // One `attest` process per command (slower; the default sweep runs them in one process).
      for (const [name, invocation] of Object.entries(CLI_SWEEP)) {
        const run = await attest(dir, invocation.args(ctx), env).done;
        runs.push({ name, code: run.code, stderr: run.stderr, attempts: run.attempts });
      }
    } else {
      const plan = join(files, 'plan.json');
      const results = join(files, 'results.jsonl');
      writeFileSync(plan, JSON.stringify(ctx));
      const log = join(dir, 'egress-sweep.jsonl');
      const child = spawn(process.execPath, ['--import', PRELOAD, SWEEP, plan, results], {
        cwd: dir,
        env: { ...process.env, ATTEST_EGRESS_LOG: log, ATTEST_HOME: join(dir, 'home'), OLLAMA_HOST: '', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, stderr).toBe(0);
      // Attempts belong to the command whose marker precedes them.
      const byCommand = new Map<string, Run['attempts']>();
      let current = '(before the first command)';
      for (const entry of attemptsIn(log)) {
        if ((entry.kind as string) === 'command') current = entry.target;
        else byCommand.set(current, [...(byCommand.get(current) ?? []), entry]);
      }
      expect(byCommand.get('(before the first command)') ?? []).toEqual([]);
      for (const line of readFileSync(results, 'utf8').trim().split('\n')) {
        const result = JSON.parse(line) as SweepResult;
        runs.push({ ...result, attempts: byCommand.get(result.name) ?? [] });
      }
    }

    const problems: string[] = [];
    for (const run of runs) {
      const invocation = CLI_SWEEP[run.name]!;
      if (run.code !== (invocation.exit ?? 0)) problems.push(`${run.name}: exit ${run.code} (expected ${invocation.exit ?? 0}): ${run.stderr.trim()}`);
      const stray = foreign(run.attempts, [...allowed, ...(invocation.allowed?.(ctx) ?? [])]);
      if (stray.length > 0) problems.push(`${run.name}: contacted ${stray.join(', ')}`);
    }
    expect(problems).toEqual([]);
    expect(runs.map((run) => run.name)).toEqual(Object.keys(CLI_SWEEP));
    // The recorder saw the two commands that do use the network reach what they were told to (it is not blind).
    expect(runs.find((run) => run.name === 'ai health')!.attempts.map((attempt) => attempt.target)).toContain(allowed[0]);
    expect(runs.find((run) => run.name === 'team status')!.attempts.map((attempt) => attempt.target)).toContain(ctx.pgTarget);
  }, process.env.ATTEST_EGRESS_EACH_PROCESS === '1' ? 600_000 : 180_000);
});
