// Load: 50,000 tickets queued for the AI against a slow stand-in, four slots. The run keeps only the batch's ticket
// ids and a bounded queue (never 50,000 jobs, promises or timers in memory), so the heap stays flat however many jobs are done;
// no job is lost or done twice; cancel stops new work at once and leaves the rest queued, with nothing recorded
// for it. The regular suite runs 400 jobs of the batch, cancels and checks (ATTEST_LOAD_JOBS=N runs N); ATTEST_LOAD_FULL=1 drains all
// 50,000 (several minutes). Heap samples are taken after a forced collection; only their growth is bounded, no
// timing is asserted.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eligibleTickets, resolveTickets, type ResolveOptions } from '../../electron/core/ai/resolver.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { addOpenTickets, setMode } from '../support/ai-tickets.ts';
import { defaultResponder, startOllamaStandIn, type StandIn } from '../support/ollama-stand-in.ts';
import { tempDb } from './helpers.ts';

const KB = new URL('../../resources/kb/', import.meta.url).pathname;
const QUEUED = 50_000;
const FULL = process.env.ATTEST_LOAD_FULL === '1';
/** Tickets done before the run is cancelled: 400 in the regular suite, ATTEST_LOAD_JOBS to choose, all with ATTEST_LOAD_FULL=1. */
const BOUNDED = FULL ? QUEUED : Number(process.env.ATTEST_LOAD_JOBS ?? 400);
/** Heap samples: about 40 over the run. */
const SAMPLE_EVERY = Math.max(BOUNDED < 400 ? 2 : 25, Math.round(BOUNDED / 40));
const PARALLEL = 4;

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
function heapAfterCollection(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** Least-squares slope of heap bytes per ticket done. */
function slope(samples: { done: number; heap: number }[]): number {
  const n = samples.length;
  const mx = samples.reduce((a, s) => a + s.done, 0) / n;
  const my = samples.reduce((a, s) => a + s.heap, 0) / n;
  const num = samples.reduce((a, s) => a + (s.done - mx) * (s.heap - my), 0);
  const den = samples.reduce((a, s) => a + (s.done - mx) ** 2, 0);
  return num / den;
}

let standIn: StandIn;
let db: Db;

beforeAll(async () => {
  // Slow: every answer waits before it starts (longer in the full drain, where the draft also streams slowly).
  standIn = await startOllamaStandIn({ responder: (body, step, call) => ({ ...defaultResponder(body, step, call), delayMs: FULL ? 5 : 2, chunkDelayMs: FULL && step === 'draft' ? 1 : 0 }) });
  db = tempDb().db;
  importKnowledgeBase(db, KB);
  setMode(db, 'how_to', 'auto');
  for (let i = 0; i < QUEUED / 10_000; i++) addOpenTickets(db, 10_000, ['how_to'], { prefix: `L${i}` });
}, 120_000);
afterAll(async () => {
  await standIn.close();
});

const count = (sql: string): number => db.prepare(sql).pluck().get() as number;

describe(`${QUEUED.toLocaleString('en')} queued AI jobs, ${PARALLEL} slots`, () => {
  it(BOUNDED >= QUEUED ? 'drains every job exactly once with a flat heap' : `runs ${BOUNDED} with a flat heap, cancels, and loses nothing nor does anything twice`, async () => {
    const controller = new AbortController();
    const samples: { done: number; heap: number; rss: number }[] = [];
    const startedAfterCancel: string[] = [];
    const starts = new Map<string, number>();
    let cancelledAt: number | null = null;
    let nextSample = 2 * SAMPLE_EVERY;
    const options: ResolveOptions = {
      env: { OLLAMA_HOST: standIn.host },
      parallel: PARALLEL,
      backoffMs: 2,
      signal: controller.signal,
      onStart: (ticketId) => {
        if (cancelledAt !== null) startedAfterCancel.push(ticketId);
        starts.set(ticketId, (starts.get(ticketId) ?? 0) + 1);
      },
      onProgress: (p) => {
        if (p.done >= nextSample) {
          nextSample += SAMPLE_EVERY;
          // The stand-in keeps every request it got (for other tests); that is the test's memory, not the queue's.
          standIn.chats.length = 0;
          samples.push({ done: p.done, heap: heapAfterCollection(), rss: process.memoryUsage().rss });
        }
        if (BOUNDED < QUEUED && p.done >= BOUNDED && cancelledAt === null) {
          cancelledAt = p.done;
          controller.abort();
        }
      },
    };
    const summary = await resolveTickets(db, options);

    expect(summary.queued).toBe(QUEUED);
    const done = summary.processed;
    if (BOUNDED >= QUEUED) expect(done).toBe(QUEUED);
    else {
      expect(summary.cancelled).toBe(true);
      expect(done).toBeGreaterThanOrEqual(BOUNDED);
      // Cancel: no job started after it; the rest is still queued, with nothing recorded for it.
      expect(startedAfterCancel).toEqual([]);
      expect(done).toBeLessThan(BOUNDED + 2 * PARALLEL);
    }
    expect(summary.processed + summary.leftQueued).toBe(QUEUED);
    expect(eligibleTickets(db).length).toBe(summary.leftQueued);
    expect(summary).toMatchObject({ failed: 0, duplicates: 0, deferred: [], handedOff: {} });

    // Nothing done twice: one decision, one reply per ticket done; the ledger holds exactly the work done.
    expect(count("SELECT count(*) FROM events WHERE type = 'ai.decision'")).toBe(done);
    expect(count("SELECT count(DISTINCT ticket_id) FROM events WHERE type = 'ai.decision'")).toBe(done);
    expect(count("SELECT count(*) FROM events WHERE type = 'message' AND payload ->> '$.author.kind' = 'ai'")).toBe(done);
    expect(count("SELECT count(*) FROM events WHERE type LIKE 'ai.%'")).toBe(done * 5);
    expect([...starts.values()].every((n) => n === 1)).toBe(true);

    // Flat heap: after the first samples (caches warm), growth stays small and does not rise with jobs done.
    const steady = samples.slice(2);
    expect(steady.length).toBeGreaterThanOrEqual(BOUNDED >= 200 ? 10 : 1);
    const growth = steady.at(-1)!.heap - steady[0]!.heap;
    const perTicket = slope(steady);
    console.log(
      `[ai-load] ${done} done of ${QUEUED} queued in ${(summary.durationMs / 1000).toFixed(1)} s; heap ${(steady[0]!.heap / 1e6).toFixed(1)} → ${(steady.at(-1)!.heap / 1e6).toFixed(1)} MB ` +
        `(slope ${perTicket.toFixed(0)} B/ticket), rss ${(samples[0]!.rss / 1e6).toFixed(0)} → ${(samples.at(-1)!.rss / 1e6).toFixed(0)} MB`,
    );
    // Keeping what one job worked with (its prompts, events, answers: tens of kilobytes) would break these bounds at
    // once. Over a few hundred jobs the heap's noise is about a megabyte, so the regular run's bound per job is
    // coarse; over the full drain the whole growth must stay under 320 bytes per job (the summary keeps ~100 bytes
    // per decision for the CLI's --json list).
    const bound = BOUNDED >= 10_000 ? { growth: 320 * BOUNDED, perTicket: 320 } : { growth: 6 * 1024 * 1024, perTicket: 8 * 1024 };
    if (BOUNDED >= 200) {
      expect(growth).toBeLessThan(bound.growth);
      expect(perTicket).toBeLessThan(bound.perTicket);
    }

    if (BOUNDED < QUEUED) {
      // Resuming goes on where the cancel stopped, and still does nothing twice.
      const resumed = await resolveTickets(db, { env: { OLLAMA_HOST: standIn.host }, parallel: PARALLEL, limit: 100 });
      expect(resumed.processed).toBe(100);
      expect(count("SELECT count(DISTINCT ticket_id) FROM events WHERE type = 'ai.decision'")).toBe(done + 100);
      expect(count("SELECT count(*) FROM events WHERE type = 'ai.decision'")).toBe(done + 100);
    }
    // The whole chain is re-verified after the full drain (the fault tests verify it after outages).
    if (BOUNDED >= 10_000) expect(verifyLedger(db).intact).toBe(true);
  }, BOUNDED > 400 ? 4 * 3_600_000 : 120_000);
});
