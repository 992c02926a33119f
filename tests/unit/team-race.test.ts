// Two consoles of one team, each on its own replica, acting on the same thing at the same moment: approving the same
// AI draft, and running the AI resolver over the same ticket. Whoever's append reaches the team ledger second finds
// the ticket moved on since it decided, re-decides on fresh data, and is refused (or finds nothing left to do) —
// the customer gets exactly one reply. (The resolvers' model calls are not yet kept apart by a lease: both consoles
// may draft; the one that commits second has pulled the first one's reply and records nothing.) And what a write
// answers (a review's seq) is where the team ledger put it. Real PostgreSQL, real SQLite replicas, the Ollama stand-in.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';
import { initTeam, pushToTeam } from '../../electron/core/team/team-admin.ts';
import { addOpenTickets, setMode, type OpenTicket } from '../support/ai-tickets.ts';
import { startOllamaStandIn, type StandIn } from '../support/ollama-stand-in.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { chainProblem, replicaRows, serverRows, spawnWriter, WRITER_PASSWORD, type EventRow } from '../support/team-race-kit.ts';
import { tempDir } from './helpers.ts';

const KB = new URL('../../resources/kb/', import.meta.url).pathname;
const CATEGORY = 'billing_question';

interface Team {
  url: string;
  superuserUrl: string;
  dir: string;
  ticket: OpenTicket;
}

/** Public replies the customer received on the ticket (anyone's but the customer's own messages). */
const repliesOn = (rows: readonly EventRow[], ticket: string): EventRow[] =>
  rows.filter((row) => row[1] === ticket && row[2] === 'message' && (JSON.parse(row[5]) as { kind: string }).kind !== 'customer' && (JSON.parse(row[6]) as { public?: boolean }).public === true);

const approvalsOf = (rows: readonly EventRow[], runId: string): EventRow[] =>
  rows.filter((row) => row[2] === 'ai.review' && (JSON.parse(row[6]) as { run_id: string; action: string }).run_id === runId && (JSON.parse(row[6]) as { action: string }).action === 'approve');

describe.skipIf(!postgresAvailable())('two consoles acting on the same ticket at once', () => {
  let cluster: PgCluster;
  let standIn: StandIn;
  let teams = 0;
  const cores: CoreHandle[] = [];
  beforeAll(async () => {
    cluster = await startPgCluster();
    standIn = await startOllamaStandIn();
  });
  afterEach(async () => {
    while (cores.length) await cores.pop()!.closeAsync();
  });
  afterAll(async () => {
    await standIn?.close();
    cluster?.remove();
  });

  /** A team ledger holding the knowledge base, the stand-in as the AI host, the category in `mode` and open tickets. */
  async function team(mode: 'draft' | 'auto', extraTickets: readonly string[] = [], open = 1): Promise<Team & { tickets: OpenTicket[] }> {
    const dir = tempDir();
    const name = `race${++teams}`;
    const superuserUrl = cluster.createDatabase(name);
    await initTeam(superuserUrl, { writerPassword: WRITER_PASSWORD });
    const db = openDatabase(join(dir, 'seed.db'));
    let tickets: OpenTicket[];
    try {
      importKnowledgeBase(db, KB);
      recordEvents(db, [
        {
          type: 'ai.settings', at: new Date().toISOString(), actor: { kind: 'human', id: 'test' }, host: standIn.host, model: 'llama3.2:3b',
          confidence_threshold: 0.75, parallel: 2, redaction: { card: true, iban: true, email: false, phone: false }, reason: 'use the stand-in',
        },
      ]);
      setMode(db, CATEGORY, mode);
      tickets = addOpenTickets(db, open, [CATEGORY]);
      const at = '2025-01-15T09:00:00.000Z';
      if (extraTickets.length > 0) recordEvents(db, extraTickets.map((ticket) => ({ ticket, type: 'created', at, channel: 'email', priority: 'normal', category: 'how_to', subject: ticket, requester: 'busy@example.com' })));
      await pushToTeam(db, superuserUrl);
    } finally {
      db.close();
    }
    return { url: `postgres://attest_writer:${WRITER_PASSWORD}@127.0.0.1:${cluster.port}/${name}`, superuserUrl, dir, ticket: tickets[0]!, tickets };
  }

  async function console_(t: Team, name: string): Promise<CoreHandle> {
    const core = openCore({ dbPath: join(t.dir, `${name}.db`), role: 'supervisor', user: name, chainPollIntervalMs: 0, team: { url: t.url, historyCheckEveryMs: 0 } });
    cores.push(core);
    await core.syncTeam();
    return core;
  }

  it('approving the same AI draft from two consoles at once sends one reply; the other console is told plainly', async () => {
    const t = await team('draft');
    const a = await console_(t, 'sabine');
    const b = await console_(t, 'tunde');
    const draft = await a.invoke('ai.draftLive', { ticketId: t.ticket.id });
    expect(draft).toMatchObject({ ok: true, value: { action: 'await_review' } });
    const runId = (draft as { value: { runId: string } }).value.runId;
    await b.syncTeam();
    // Console B sees the draft waiting for review, as A does.
    expect(await b.invoke('ai.reviewQueue', { limit: 10, includeHandOffs: false })).toMatchObject({ ok: true, value: [{ runId }] });

    const [fromA, fromB] = await Promise.all([a.invoke('ai.review', { runId, action: 'approve' }), b.invoke('ai.review', { runId, action: 'approve' })]);
    const results = [fromA, fromB];
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const refused = results.find((result) => !result.ok)!;
    expect(refused).toEqual({ ok: false, error: { code: 'invalid_input', message: `run ${runId} was already reviewed (approve)` } });

    const server = await serverRows(t.superuserUrl);
    expect(chainProblem(server)).toBeNull();
    expect(repliesOn(server, t.ticket.id)).toHaveLength(1);
    expect(approvalsOf(server, runId)).toHaveLength(1);
    // Both replicas hold what the server holds.
    await Promise.all([a.syncTeam(), b.syncTeam()]);
    for (const name of ['sabine', 'tunde']) expect(replicaRows(join(t.dir, `${name}.db`)), name).toEqual(server);
  });

  it('what a write answers names the event where the team ledger put it, even when other consoles wrote meanwhile', { timeout: 120_000 }, async () => {
    const busyTickets = Array.from({ length: 50 }, (_, i) => `BUSY-${i + 1}`);
    const t = await team('draft', busyTickets, 6);
    const reviewer = await console_(t, 'sabine');
    const drafts: string[] = [];
    for (const ticket of t.tickets) {
      const draft = await reviewer.invoke('ai.draftLive', { ticketId: ticket.id });
      expect(draft).toMatchObject({ ok: true, value: { action: 'await_review' } });
      drafts.push((draft as { value: { runId: string } }).value.runId);
    }
    // Another console keeps appending to tickets of its own while the drafts are approved here: the approvals land
    // after its writes, at later positions than the ones this console decided them at.
    const busy = spawnWriter({ url: t.url, dbPath: join(t.dir, 'busy.db'), writer: 'BUSY', via: 'record', events: 1_000_000_000, batch: 5, ownTickets: busyTickets, sharedTickets: [], sharedEvery: 1 });
    try {
      await busy.next('committed');
      const answers = [];
      for (const runId of drafts) {
        const approved = await reviewer.invoke('ai.review', { runId, action: 'approve' });
        expect(approved).toMatchObject({ ok: true });
        answers.push((approved as { value: { runId: string; seq: number } }).value);
      }
      busy.child.kill('SIGKILL');
      await busy.exited;
      const server = await serverRows(t.superuserUrl);
      expect(chainProblem(server)).toBeNull();
      for (const answer of answers) expect(answer.seq, answer.runId).toBe(approvalsOf(server, answer.runId)[0]![0]);
      // The busy console really wrote in between.
      expect(server.filter((row) => row[1]?.startsWith('BUSY-') && row[2] === 'message').length).toBeGreaterThan(0);
    } finally {
      busy.child.kill('SIGKILL');
    }
  });

  it('two consoles running the AI resolver over the same ticket send one reply', async () => {
    const t = await team('auto');
    const consoles = [await console_(t, 'sabine'), await console_(t, 'tunde')];
    const finished = consoles.map(
      (core) =>
        new Promise<void>((resolve) => {
          const stop = core.subscribe('ai.progress', (progress) => {
            if (!progress.running) {
              stop();
              resolve();
            }
          });
        }),
    );
    const started = await Promise.all(consoles.map((core) => core.invoke('ai.resolve', {})));
    for (const result of started) expect(result).toMatchObject({ ok: true, value: { running: true } });
    await Promise.all(finished);

    const server = await serverRows(t.superuserUrl);
    expect(chainProblem(server)).toBeNull();
    expect(repliesOn(server, t.ticket.id)).toHaveLength(1);
    const solved = server.filter((row) => row[1] === t.ticket.id && row[2] === 'status' && (JSON.parse(row[6]) as { status: string }).status === 'solved');
    expect(solved).toHaveLength(1);
    await Promise.all(consoles.map((core) => core.syncTeam()));
    for (const name of ['sabine', 'tunde']) expect(replicaRows(join(t.dir, `${name}.db`)), name).toEqual(server);
  });
});
