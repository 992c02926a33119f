// Exactly one AI reply per customer turn (issue 10, item 11): whatever the clicks and retries — "draft now"
// twice, approve twice, two consoles on one database file racing in separate threads, a draft that
// finishes after the turn was answered — a customer message gets at most one sent reply and one status
// change, and a newer draft replaces the waiting one in review. Real SQLite files, the Ollama stand-in.
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';
import { knowledgeGaps, reviewQueue, attribution } from '../../electron/core/ai/ai-views.ts';
import { gatewayFor, resolveTickets } from '../../electron/core/ai/resolver.ts';
import { commitRun, runTicket } from '../../electron/core/ai/pipeline.ts';
import { loadAiSettings } from '../../electron/core/ai/ai-settings.ts';
import { knownCategories } from '../../electron/core/ai/ai-repository.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { addOpenTickets, setMode, type OpenTicket } from '../support/ai-tickets.ts';
import { defaultResponder, startOllamaStandIn, STAND_IN_DIGEST, type StandIn } from '../support/ollama-stand-in.ts';
import type { RaceWorkerData } from '../support/review-worker.ts';
import { tempDb } from './helpers.ts';

const KB = new URL('../../resources/kb/', import.meta.url).pathname;
const RACE_WORKER = new URL('../support/review-worker.ts', import.meta.url);
const CATEGORY = 'billing_question';

let standIn: StandIn;
let db: Db;
let dbPath: string;
const cores: CoreHandle[] = [];

beforeEach(async () => {
  standIn = await startOllamaStandIn();
  ({ db, path: dbPath } = tempDb());
  importKnowledgeBase(db, KB);
  // The recorded host wins over OLLAMA_HOST, so every core on this file talks to the stand-in.
  recordEvents(db, [
    {
      type: 'ai.settings', at: new Date().toISOString(), actor: { kind: 'human', id: 'test' }, host: standIn.host, model: 'llama3.2:3b',
      confidence_threshold: 0.75, parallel: 2, redaction: { card: true, iban: true, email: false, phone: false }, reason: 'use the stand-in',
    },
  ]);
  setMode(db, CATEGORY, 'draft');
});
afterEach(async () => {
  while (cores.length) cores.pop()!.close();
  await standIn.close();
});

function console_(user: string): CoreHandle {
  const core = openCore({ dbPath, role: 'supervisor', user });
  cores.push(core);
  return core;
}

async function draftNow(core: CoreHandle, ticketId: string) {
  const result = await core.invoke('ai.draftLive', { ticketId });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const approve = (core: CoreHandle, runId: string) => core.invoke('ai.review', { runId, action: 'approve' });

const rows = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
/** Public replies the customer received on the ticket (AI or human), from the ledger. */
const sentReplies = (ticketId: string) =>
  rows<{ seq: number }>(
    "SELECT seq FROM events WHERE ticket_id = ? AND type = 'message' AND json_extract(actor, '$.kind') <> 'customer' AND json_extract(payload, '$.public') = 1",
    ticketId,
  );
const statusChanges = (ticketId: string, status: string) =>
  rows<{ seq: number }>("SELECT seq FROM events WHERE ticket_id = ? AND type = 'status' AND json_extract(payload, '$.status') = ?", ticketId, status);
const reviewsOf = (runId: string) =>
  rows<{ actor: string; payload: string }>("SELECT actor, payload FROM events WHERE type = 'ai.review' AND json_extract(payload, '$.run_id') = ?", runId).map((r) => ({
    actor: JSON.parse(r.actor) as unknown,
    ...(JSON.parse(r.payload) as Record<string, unknown>),
  }));

function customerWritesAgain(ticket: OpenTicket, body: string): void {
  recordEvents(db, [{ ticket: ticket.id, type: 'message', at: new Date().toISOString(), author: { kind: 'customer', id: 'cust-0@example.com' }, public: true, body }]);
}

/** Runs `input` through `method` in `count` worker threads, each its own core and connection, released at once. */
async function race(count: number, method: string, inputs: (i: number) => unknown): Promise<Result<unknown>[]> {
  const startLine = new SharedArrayBuffer(8);
  const flags = new Int32Array(startLine);
  const workers = Array.from({ length: count }, (_, i) => {
    const data: RaceWorkerData = { dbPath, user: `console-${i + 1}`, method, input: inputs(i), startLine };
    return new Worker(RACE_WORKER, { workerData: data });
  });
  let failure: Error | null = null;
  const results = workers.map(
    (worker) =>
      new Promise<Result<unknown>>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', (error) => reject((failure = error)));
      }),
  );
  try {
    // Wait until every worker stands at the start line (a worker that failed to start ends the wait).
    while (Atomics.load(flags, 0) < count && !failure) await Atomics.waitAsync(flags, 0, Atomics.load(flags, 0), 200).value;
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);
    return await Promise.all(results);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

describe('one reply per customer turn', () => {
  it('"draft now" twice and approve twice (plus the batch draft that was already waiting) sends one reply and one status change', async () => {
    const [ticket] = addOpenTickets(db, 1, [CATEGORY]);
    const batch = await resolveTickets(db, { env: {}, backoffMs: 5 });
    expect(batch.awaitingReview).toBe(1);
    const [waiting] = reviewQueue(db, 10, false);
    const supervisor = console_('sabine');

    // Two clicks while the first is still drafting: the second says so instead of racing it.
    const [first, doubleClick] = await Promise.all([draftNow(supervisor, ticket!.id), draftNow(supervisor, ticket!.id)]);
    expect(doubleClick).toMatchObject({ runId: null, message: `a reply for ${ticket!.id} is already being drafted` });
    expect(first).toMatchObject({ action: 'await_review', superseded: [waiting!.runId] });
    const second = await draftNow(supervisor, ticket!.id);
    expect(second).toMatchObject({ action: 'await_review', superseded: [first.runId] });
    expect(reviewQueue(db, 10, false).map((run) => run.runId)).toEqual([second.runId]);

    const attempts = await Promise.all([approve(supervisor, second.runId!), approve(supervisor, second.runId!), approve(supervisor, first.runId!), approve(supervisor, waiting!.runId)]);
    expect(attempts.filter((r) => r.ok)).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ ok: true, value: { runId: second.runId, action: 'approve' } });
    expect(attempts[1]).toMatchObject({ ok: false, error: { code: 'invalid_input', message: `run ${second.runId} was already reviewed (approve)` } });
    expect(attempts[2]).toMatchObject({ ok: false, error: { code: 'invalid_input', message: `run ${first.runId} was superseded by run ${second.runId}: review that draft instead` } });
    expect(attempts[3]).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/was superseded by run/) } });

    expect(sentReplies(ticket!.id)).toHaveLength(1);
    expect(statusChanges(ticket!.id, 'solved')).toHaveLength(1);
    // Nothing more to draft for this turn either.
    expect(await draftNow(supervisor, ticket!.id)).toMatchObject({ runId: null, message: 'no customer message waiting for an answer' });
    expect(verifyLedger(db).intact).toBe(true);
  });

  it('a second draft for the same turn supersedes the first, with an event that says so, and the first can no longer be sent', async () => {
    const [ticket] = addOpenTickets(db, 1, [CATEGORY]);
    const supervisor = console_('sabine');
    const first = await draftNow(supervisor, ticket!.id);
    const second = await draftNow(supervisor, ticket!.id);
    expect(first.runId).not.toBe(second.runId);

    expect(reviewsOf(first.runId!)).toEqual([
      { actor: { kind: 'human', id: 'sabine' }, run_id: first.runId, action: 'reject', reason: `superseded by run ${second.runId}`, superseded_by: second.runId },
    ]);
    expect(reviewsOf(second.runId!)).toEqual([]);
    // Superseded is no verdict on the draft: it is not a knowledge gap, and the timeline says what happened.
    expect(knowledgeGaps(db)).toEqual([]);
    expect(attribution(db, ticket!.id).filter((s) => s.type === 'ai.review').map((s) => s.summary)).toEqual([`review: superseded by run ${second.runId}`]);

    for (const action of ['approve', 'edit'] as const) {
      const refused = await supervisor.invoke('ai.review', { runId: first.runId, action, body: 'A reply a person wrote.' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', message: `run ${first.runId} was superseded by run ${second.runId}: review that draft instead` } });
    }
    expect(sentReplies(ticket!.id)).toEqual([]);
    expect(await approve(supervisor, second.runId!)).toMatchObject({ ok: true });
    expect(sentReplies(ticket!.id)).toHaveLength(1);
    expect(await supervisor.invoke('ai.review', { runId: 'AI-1#m999', action: 'approve' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a new customer message opens a new turn that gets its own reply; a draft for the old turn can no longer be sent', async () => {
    const [ticket] = addOpenTickets(db, 1, [CATEGORY]);
    const supervisor = console_('sabine');
    const firstTurn = await draftNow(supervisor, ticket!.id);
    expect(await approve(supervisor, firstTurn.runId!)).toMatchObject({ ok: true });

    customerWritesAgain(ticket!, 'Thanks. And how do I change the card used for the next invoice?');
    const stale = await draftNow(supervisor, ticket!.id);
    // The customer writes once more before anyone approved: the waiting draft answers an old question.
    customerWritesAgain(ticket!, 'Also: can I pay by invoice instead of card?');
    expect(await approve(supervisor, stale.runId!)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/^not sent: the customer wrote again \(message #\d+\) after run .* was drafted: draft a new reply$/) },
    });
    const current = await draftNow(supervisor, ticket!.id);
    expect(current.superseded).toEqual([stale.runId]);
    expect(await approve(supervisor, current.runId!)).toMatchObject({ ok: true });

    expect(sentReplies(ticket!.id)).toHaveLength(2);
    expect(statusChanges(ticket!.id, 'solved')).toHaveLength(2);
    const turns = rows<{ attempt_key: string }>("SELECT json_extract(payload, '$.attempt_key') AS attempt_key FROM events WHERE ticket_id = ? AND type = 'ai.decision' ORDER BY seq", ticket!.id);
    expect(new Set(turns.map((t) => t.attempt_key.split(':')[0])).size).toBe(3);
  });

  it('a batch run for a newer customer message replaces the draft still waiting for the older one', async () => {
    const [ticket] = addOpenTickets(db, 1, [CATEGORY]);
    await resolveTickets(db, { env: {}, backoffMs: 5 });
    const [old] = reviewQueue(db, 10, false);
    customerWritesAgain(ticket!, 'Any news? I still need to change my card.');
    const batch = await resolveTickets(db, { env: {}, backoffMs: 5 });
    expect(batch).toMatchObject({ queued: 1, awaitingReview: 1 });
    const [current] = reviewQueue(db, 10, false);
    expect(current!.runId).not.toBe(old!.runId);
    expect(reviewsOf(old!.runId)).toEqual([
      { actor: { kind: 'system' }, run_id: old!.runId, action: 'reject', reason: `superseded by run ${current!.runId}`, superseded_by: current!.runId },
    ]);
    expect(reviewQueue(db, 10, false)).toHaveLength(1);
  });

  it('"draft now" retried after the model failed leaves one draft, and approving it retried sends once', async () => {
    let failures = 0;
    standIn.setResponder((body, step, n) => (step === 'draft' && failures++ === 0 ? { status: 503, error: 'server busy' } : defaultResponder(body, step, n)));
    const [ticket] = addOpenTickets(db, 1, [CATEGORY]);
    const supervisor = console_('sabine');
    const failed = await draftNow(supervisor, ticket!.id);
    expect(failed).toMatchObject({ runId: null, action: 'none', message: expect.stringMatching(/server busy/) });
    expect(reviewQueue(db, 10, false)).toEqual([]);
    const retried = await draftNow(supervisor, ticket!.id);
    expect(retried).toMatchObject({ action: 'await_review', superseded: [] });
    expect(await approve(supervisor, retried.runId!)).toMatchObject({ ok: true });
    expect(await approve(supervisor, retried.runId!)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(sentReplies(ticket!.id)).toHaveLength(1);
    expect(statusChanges(ticket!.id, 'solved')).toHaveLength(1);
  });

  it('a draft that finishes after its turn was answered is not recorded (a retried or slow run never sends a second reply)', async () => {
    setMode(db, CATEGORY, 'auto');
    const [ticket] = addOpenTickets(db, 1, [CATEGORY]);
    const settings = loadAiSettings(db);
    const deps = { db, gateway: gatewayFor(db, {}, settings), settings, digest: STAND_IN_DIGEST, categories: knownCategories(db) };
    const candidate = { id: ticket!.id, category: ticket!.category, subject: ticket!.subject, mode: 'auto' as const };
    // Both computed while the turn is open: the automatic run and a console re-draft.
    const automatic = await runTicket(deps, candidate);
    const manual = await runTicket({ ...deps, forceReview: true, attemptSuffix: 'live1' }, candidate);
    if (automatic.kind !== 'proposal' || manual.kind !== 'proposal') throw new Error('expected proposals');

    expect(commitRun(db, automatic.proposal, deps)).toMatchObject({ committed: true, action: 'send_solve' });
    expect(commitRun(db, automatic.proposal, deps)).toEqual({ committed: false, why: 'duplicate' });
    expect(commitRun(db, manual.proposal, deps)).toEqual({ committed: false, why: 'ticket_moved_on' });
    expect(sentReplies(ticket!.id)).toHaveLength(1);
    expect(statusChanges(ticket!.id, 'solved')).toHaveLength(1);
  });
});

describe('two consoles on the same database file', () => {
  it('two cores approving the same draft at once: exactly one succeeds', async () => {
    const [ticket] = addOpenTickets(db, 1, [CATEGORY]);
    const [left, right] = [console_('sabine'), console_('marco')];
    const draft = await draftNow(left, ticket!.id);
    const results = await Promise.all([approve(left, draft.runId!), approve(right, draft.runId!)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'invalid_input', message: `run ${draft.runId} was already reviewed (approve)` } });
    expect(sentReplies(ticket!.id)).toHaveLength(1);
    expect(statusChanges(ticket!.id, 'solved')).toHaveLength(1);
  });

  it('consoles in separate threads racing to approve the same draft send one reply', async () => {
    const [ticket] = addOpenTickets(db, 1, [CATEGORY]);
    const draft = await draftNow(console_('sabine'), ticket!.id);
    const results = await race(3, 'ai.review', () => ({ runId: draft.runId, action: 'approve' }));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const refused of results.filter((r) => !r.ok)) {
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', message: `run ${draft.runId} was already reviewed (approve)` } });
    }
    expect(sentReplies(ticket!.id)).toHaveLength(1);
    expect(statusChanges(ticket!.id, 'solved')).toHaveLength(1);
    expect(verifyLedger(db).intact).toBe(true);
  });

  it('two drafts of one turn both waiting (a ledger from before supersession): racing approvals of both still send one reply', async () => {
    const [ticket] = addOpenTickets(db, 1, [CATEGORY]);
    await resolveTickets(db, { env: {}, backoffMs: 5 });
    const [original] = reviewQueue(db, 10, false);
    // What an older Attest recorded for a second "draft now": a twin decision, nothing superseded.
    const decision = JSON.parse(db.prepare("SELECT payload FROM events WHERE type = 'ai.decision'").pluck().get() as string) as Record<string, unknown>;
    const twin = `${original!.runId}:live1`;
    recordEvents(db, [{ ...decision, ticket: ticket!.id, type: 'ai.decision', at: new Date().toISOString(), run_id: twin, attempt_key: `${decision.attempt_key as string}:live1` }]);
    expect(reviewQueue(db, 10, false)).toHaveLength(2);

    const results = await race(4, 'ai.review', (i) => ({ runId: i % 2 === 0 ? original!.runId : twin, action: 'approve' }));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const messages = results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.message));
    expect(messages.some((m) => /^not sent: the customer's message #\d+ was already answered \(message #\d+\); nothing more is sent for it$/.test(m))).toBe(true);
    expect(sentReplies(ticket!.id)).toHaveLength(1);
    expect(statusChanges(ticket!.id, 'solved')).toHaveLength(1);
  });

  it('consoles in separate threads drafting the same ticket leave exactly one draft in review', async () => {
    standIn.setResponder((body, step, n) => ({ ...defaultResponder(body, step, n), delayMs: 5 }));
    const [ticket] = addOpenTickets(db, 1, [CATEGORY]);
    const results = await race(2, 'ai.draftLive', () => ({ ticketId: ticket!.id }));
    const recorded = results.filter((r) => r.ok && (r.value as { runId: string | null }).runId !== null);
    expect(recorded.length).toBeGreaterThanOrEqual(1);
    expect(reviewQueue(db, 10, false)).toHaveLength(1);
    const waiting = reviewQueue(db, 10, false)[0]!;
    const results2 = await race(2, 'ai.review', () => ({ runId: waiting.runId, action: 'approve' }));
    expect(results2.filter((r) => r.ok)).toHaveLength(1);
    expect(sentReplies(ticket!.id)).toHaveLength(1);
  });
});

describe('the rule book of AI reviews (the ledger append path)', () => {
  it('a review must answer a run the AI recorded on its ticket, whoever appends it', () => {
    const { db } = tempDb();
    recordEvents(db, [{ ticket: 'T-1', type: 'created', at: '2026-10-01T09:00:00Z', channel: 'email', priority: 'normal', category: 'how_to', subject: 's', requester: 'c-1' }]);
    const review = (run: string) => ({ ticket: 'T-1', type: 'ai.review', at: '2026-10-01T09:10:00Z', actor: { kind: 'human', id: 'sup-1' }, run_id: run, action: 'reject', reason: 'no' });
    expect(() => recordEvents(db, [review('run-unknown')])).toThrow(/run_id: no AI decision of run run-unknown on ticket T-1/);
  });
});
