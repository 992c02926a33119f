// AI resolution in team mode against a real PostgreSQL and the Ollama stand-in: consoles running the queue together
// work on each ticket once (a lease per ticket on the server), a dead console's lease expires and its ticket is
// taken again, a lease is renewed through a long model call, and no lease is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiProgress } from '../../shared/contracts/ai.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';
import { importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { initTeam, pushToTeam } from '../../electron/core/team/team-admin.ts';
import { LEASED_ELSEWHERE, TeamAiLeases } from '../../electron/core/team/ai-lease.ts';
import { teamPool } from '../../electron/core/team/team-repository.ts';
import { addOpenTickets, setMode } from '../support/ai-tickets.ts';
import { defaultResponder, startOllamaStandIn, type StandIn } from '../support/ollama-stand-in.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { tempDb, tempDir } from './helpers.ts';

const KB = fileURLToPath(new URL('../../resources/kb/', import.meta.url));
const LEASE_HOLDER = fileURLToPath(new URL('../support/lease-holder.ts', import.meta.url));

describe.skipIf(!postgresAvailable())('AI leases in team mode', () => {
  let cluster: PgCluster;
  let standIn: StandIn;
  const previousHost = process.env.OLLAMA_HOST;
  const cores: CoreHandle[] = [];

  beforeAll(async () => {
    cluster = await startPgCluster();
    standIn = await startOllamaStandIn();
    // The consoles' AI reaches the model through OLLAMA_HOST, as in a console started from a shell.
    process.env.OLLAMA_HOST = standIn.host;
  });
  afterAll(async () => {
    await Promise.all(cores.map((core) => core.closeAsync()));
    if (previousHost === undefined) delete process.env.OLLAMA_HOST;
    else process.env.OLLAMA_HOST = previousHost;
    await standIn?.close();
    cluster?.remove();
  });

  /** A team ledger holding the knowledge base and `tickets` open how-to tickets in auto mode; the writer's URL. */
  async function teamWithTickets(name: string, tickets: number): Promise<string> {
    const ownerUrl = cluster.createDatabase(name);
    await initTeam(ownerUrl, { writerPassword: 'pw' });
    const { db } = tempDb();
    importKnowledgeBase(db, KB);
    setMode(db, 'how_to', 'auto');
    addOpenTickets(db, tickets, ['how_to']);
    await pushToTeam(db, ownerUrl);
    return `postgres://attest_writer:pw@127.0.0.1:${cluster.port}/${name}`;
  }

  async function openConsole(url: string, options: { aiLeaseSeconds?: number } = {}): Promise<CoreHandle> {
    const core = openCore({ dbPath: join(tempDir(), 'replica.db'), team: { url, ...options } });
    cores.push(core);
    await core.syncTeam();
    return core;
  }

  /** Starts the console's AI queue ("Resolve now") and resolves with its last progress once it stopped. */
  function runQueue(core: CoreHandle): Promise<AiProgress> {
    return new Promise((resolve, reject) => {
      const stop = core.subscribe('ai.progress', (progress) => {
        if (progress.running) return;
        stop();
        resolve(progress);
      });
      void core.invoke('ai.resolve', {}).then((result) => {
        if (!result.ok) reject(new Error(result.error.message));
      });
    });
  }

  const serverCount = (database: string, sql: string): number => Number(cluster.psql(database, sql).trim());
  const decisionsPerTicket = (database: string): Map<string, number> =>
    new Map(
      cluster
        .psql(database, `SELECT ticket_id, count(*) FROM events WHERE type = 'ai.decision' GROUP BY ticket_id`)
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('|') as [string, string])
        .map(([ticket, count]) => [ticket, Number(count)]),
    );
  const triageCalls = (): number => standIn.chats.filter((chat) => chat.step === 'triage').length;

  it('two consoles running the queue over the same 20 tickets at once resolve each ticket exactly once, both doing some', async () => {
    const url = await teamWithTickets('queue', 20);
    const [first, second] = [await openConsole(url), await openConsole(url)];
    // A model that takes a moment, so the two runs overlap.
    standIn.setResponder((body, step, call) => ({ ...defaultResponder(body, step, call), delayMs: 20 }));
    const triagedBefore = triageCalls();

    const [one, two] = await Promise.all([runQueue(first!), runQueue(second!)]);

    const decisions = decisionsPerTicket('queue');
    expect(decisions.size).toBe(20);
    expect([...decisions.values()].every((count) => count === 1)).toBe(true);
    // No double work either: the model triaged each ticket once, across both consoles.
    expect(triageCalls() - triagedBefore).toBe(20);
    expect(one.sent).toBeGreaterThan(0);
    expect(two.sent).toBeGreaterThan(0);
    expect(one.sent + two.sent).toBe(20);
    expect(serverCount('queue', 'SELECT count(*) FROM ai_leases')).toBe(0);
    // Both replicas hold what the server holds.
    for (const core of [first!, second!]) {
      await core.syncTeam();
      const status = await core.invoke('team.status', {});
      expect(status.ok && status.value?.localHead).toBe(serverCount('queue', 'SELECT max(seq) FROM events'));
    }
  });

  it('a ticket leased by a console that was killed is skipped while its lease lasts, then taken again', async () => {
    const url = await teamWithTickets('killed', 3);
    const console_ = await openConsole(url);
    const holder = await startLeaseHolder(url, 'AI-1', 6);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));

    const first = await runQueue(console_);
    // The dead holder cannot renew: its lease, still running when this run ended, was running throughout it.
    expect(serverCount('killed', `SELECT count(*) FROM ai_leases WHERE ticket_id = 'AI-1' AND holder LIKE 'dying-console:%' AND expires_at > now()`)).toBe(1);
    expect(first.sent).toBe(2);
    expect(first.skipped).toBe(1);
    expect(first.message).toBe(`1 ticket(s) skipped: ${LEASED_ELSEWHERE}`);
    expect(decisionsPerTicket('killed').has('AI-1')).toBe(false);

    await until(() => serverCount('killed', `SELECT count(*) FROM ai_leases WHERE expires_at < now()`) === 1);
    const second = await runQueue(console_);
    expect(second.sent).toBe(1);
    expect(second.message).toBeNull();
    expect(decisionsPerTicket('killed')).toEqual(new Map([['AI-1', 1], ['AI-2', 1], ['AI-3', 1]]));
    expect(serverCount('killed', 'SELECT count(*) FROM ai_leases')).toBe(0);
  });

  it('renews its lease through a model call longer than the lease, so no other console takes the ticket meanwhile', async () => {
    const url = await teamWithTickets('renew', 1);
    const console_ = await openConsole(url, { aiLeaseSeconds: 1 });
    const triagedBefore = triageCalls();
    // The first model call of the run takes three lease lengths.
    standIn.setResponder((body, step, call) => ({ ...defaultResponder(body, step, call), delayMs: step === 'triage' ? 3000 : 0 }));
    const running = runQueue(console_);
    await until(() => triageCalls() > triagedBefore);
    const since = cluster.psql('renew', 'SELECT now()').trim();
    // Measured on the server's clock: more than the lease's second has passed since the model was called.
    await until(() => serverCount('renew', `SELECT count(*) FROM (SELECT 1) AS x WHERE now() > '${since}'::timestamptz + interval '1.5 seconds'`) === 1);
    expect(serverCount('renew', `SELECT count(*) FROM ai_leases WHERE ticket_id = 'AI-1' AND expires_at > now()`)).toBe(1);
    const other = teamPool(url, { max: 1 });
    try {
      const otherLeases = new TeamAiLeases({ pool: other, replicaId: 'other-console', catchUp: async () => undefined });
      expect(await otherLeases.acquire('AI-1')).toBeNull();
    } finally {
      await other.end();
    }
    const done = await running;
    expect(done.sent).toBe(1);
    expect(decisionsPerTicket('renew')).toEqual(new Map([['AI-1', 1]]));
    expect(serverCount('renew', 'SELECT count(*) FROM ai_leases')).toBe(0);
  });

  it('without the team server the run stops at once and its tickets stay queued; once it is back they are resolved', async () => {
    const url = await teamWithTickets('offline', 3);
    const console_ = await openConsole(url);
    standIn.setResponder(defaultResponder);
    cluster.stop();
    try {
      const offline = await runQueue(console_);
      expect(offline).toMatchObject({ sent: 0, unavailable: 3 });
      expect(offline.message).toMatch(/^the team ledger cannot be reached \(.*\); 3 ticket\(s\) stay queued$/);
    } finally {
      cluster.start();
    }
    await eventually(() => console_.syncTeam());
    const back = await runQueue(console_);
    expect(back).toMatchObject({ sent: 3, message: null });
    expect(decisionsPerTicket('offline')).toEqual(new Map([['AI-1', 1], ['AI-2', 1], ['AI-3', 1]]));
    expect(serverCount('offline', 'SELECT count(*) FROM ai_leases')).toBe(0);
  });

  /** Starts another process that takes the ticket's lease for `seconds` and then hangs. */
  async function startLeaseHolder(url: string, ticket: string, seconds: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, [LEASE_HOLDER, url, ticket, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (data: Buffer) => resolve(data.toString()));
      child.once('exit', (code) => reject(new Error(`the lease holder exited (${code})`)));
    });
    expect(line).toMatch(/^held dying-console:/);
    return child;
  }
});

/** Retries `attempt` until it resolves (e.g. a reconnection once the server is back). */
async function eventually(attempt: () => Promise<unknown>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
