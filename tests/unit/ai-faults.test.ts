// Faults in the model service, against the stand-in's real HTTP faults (status codes, sockets closed mid-answer,
// streams cut off, a server that stops and comes back): a transient failure is retried and leaves the ticket queued,
// the circuit breaker pauses the whole queue while Ollama is down and resumes when it returns, only a permanent
// failure hands a ticket off, and every message says what happened. Backoff and probe pauses are a few
// milliseconds here; no timing is asserted.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerClock, type ProbeResult } from '../../electron/core/ai/circuit-breaker.ts';
import { JobQueue } from '../../electron/core/ai/job-queue.ts';
import { AiCallError, OllamaGateway } from '../../electron/core/ai/ollama-gateway.ts';
import { CHECK_FORMAT } from '../../electron/core/ai/schemas.ts';
import { resolveTickets, type ResolveOptions, type ResolveProgress } from '../../electron/core/ai/resolver.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { addOpenTickets, setMode } from '../support/ai-tickets.ts';
import { defaultResponder, type ChatScript, type StandIn, type Step } from '../support/ollama-stand-in.ts';
import { withStandInAndKb } from './ai-kit.ts';
import { freePort } from '../support/pg-cluster.ts';

const MODEL = 'llama3.2:3b';
const OPTIONS = { temperature: 0, seed: 42, num_ctx: 2048 };
const FAST = { backoffMs: 2, maxBackoffMs: 10, breaker: { probeMs: 4, probeMaxMs: 16 } } satisfies ResolveOptions;

let standIn: StandIn;
let db: Db;

withStandInAndKb((s, d) => {
  standIn = s;
  db = d;
  setMode(db, 'how_to', 'auto');
});

const run = (options: ResolveOptions = {}) => resolveTickets(db, { env: { OLLAMA_HOST: standIn.host }, ...FAST, ...options });
const eventTypes = (ticket: string): string[] => db.prepare('SELECT type FROM events WHERE ticket_id = ? ORDER BY seq').pluck().all(ticket) as string[];
const count = (sql: string, ...params: unknown[]): number => db.prepare(sql).pluck().get(...params) as number;
const aiReplies = (): number => count("SELECT count(*) FROM events WHERE type = 'message' AND payload ->> '$.author.kind' = 'ai'");
const escalations = (): number => count("SELECT count(*) FROM events WHERE type = 'escalated'");
/** Tickets with more than one AI decision: a ticket done twice. */
const doneTwice = (): unknown[] => db.prepare("SELECT ticket_id, count(*) AS n FROM events WHERE type = 'ai.decision' GROUP BY 1 HAVING n > 1").all();
const SENT_TICKET = ['created', 'message', 'ai.triage', 'ai.retrieval', 'ai.draft', 'ai.check', 'ai.decision', 'message', 'status'];

/** The default model, except that `fault` may replace the answer to a call (1-based over the whole test). */
function withFault(fault: (step: Step, call: number) => ChatScript | null): void {
  standIn.setResponder((body, step, call) => fault(step, call) ?? defaultResponder(body, step, call));
}

/** A port on 127.0.0.1 that nothing listens on: a free one, freed again. */
const closedPort = freePort;

async function failureOf(work: Promise<unknown>): Promise<AiCallError> {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AiCallError);
  return error as AiCallError;
}

describe('the gateway names what happened', () => {
  const gateway = (): OllamaGateway => new OllamaGateway(standIn.host, MODEL);
  const ask = (g = gateway()) => g.chatJson([{ role: 'user', content: 'hi' }], CHECK_FORMAT, OPTIONS);
  const stream = (g = gateway()) => g.chatStream([{ role: 'user', content: 'one two three four five six seven' }], OPTIONS, () => {});

  it('a 5xx is "Ollama answered 503: …", transient, and never "not reachable"', async () => {
    withFault(() => ({ status: 503, error: 'server busy, please try again. maximum pending requests exceeded' }));
    const failure = await failureOf(ask());
    expect([failure.kind, failure.message]).toEqual(['transient', 'Ollama answered 503: server busy, please try again. maximum pending requests exceeded']);
    expect((await gateway().health()).reachable).toBe(true);
  });

  it('a 429 is transient too; a 400 is permanent', async () => {
    withFault(() => ({ status: 429, error: 'too many requests' }));
    expect((await failureOf(ask())).kind).toBe('transient');
    withFault(() => ({ status: 400, error: 'invalid format schema' }));
    const failure = await failureOf(ask());
    expect([failure.kind, failure.message]).toEqual(['permanent', 'Ollama answered 400: invalid format schema']);
  });

  it('a stream cut off says after how many chunks; an {"error"} line in the stream too', async () => {
    withFault(() => ({ content: 'one two three four five six seven', dropAfterChunks: 3, chunkDelayMs: 5 }));
    const dropped = await failureOf(stream());
    expect(dropped.kind).toBe('transient');
    expect(dropped.message).toBe(`Ollama stream interrupted after 3 chunks: connection closed by ${standIn.host}`);
    expect(dropped.message).not.toMatch(/not reachable/);
    withFault(() => ({ content: 'one two three four five', errorAfterChunks: 2, error: 'llama runner process has terminated' }));
    const errorLine = await failureOf(stream());
    expect([errorLine.kind, errorLine.message]).toEqual(['transient', 'Ollama stream interrupted after 2 chunks: llama runner process has terminated']);
  });

  it('a connection closed before any answer is transient and says so', async () => {
    withFault(() => ({ closeWithoutAnswer: true }));
    const failure = await failureOf(ask());
    expect(failure.kind).toBe('transient');
    expect(failure.message).toBe(`connection closed by ${standIn.host} before the answer was complete`);
  });

  it('a call past its deadline is "timed out after Ns", not a cancellation', async () => {
    withFault(() => ({ content: '{}', delayMs: 400 }));
    const failure = await failureOf(ask(new OllamaGateway(standIn.host, MODEL, 50)));
    expect([failure.kind, failure.message]).toEqual(['transient', `timed out after 0.1s waiting for Ollama at ${standIn.host}`]);
  });

  it('the caller cancelling is a cancellation', async () => {
    withFault(() => ({ content: '{}', delayMs: 400 }));
    const controller = new AbortController();
    const call = gateway().chatJson([{ role: 'user', content: 'hi' }], CHECK_FORMAT, OPTIONS, controller.signal);
    setTimeout(() => controller.abort(), 20);
    expect((await failureOf(call)).kind).toBe('cancelled');
  });

  it('nothing listening is "connection refused at HOST", with the advice; the health panel says not reachable', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const failure = await failureOf(ask(new OllamaGateway(host, MODEL)));
    expect([failure.kind, failure.message]).toEqual(['unreachable', `connection refused at ${host}; start Ollama with \`ollama serve\``]);
    expect((await new OllamaGateway(host, MODEL).health()).message).toBe(`Ollama is not reachable at ${host}: start it with \`ollama serve\``);
  });
});

describe('retries leave the ticket queued, not handed off', () => {
  it('5xx, then success: resolved with one reply, no retry written to the ledger', async () => {
    withFault((step, call) => (call <= 2 ? { status: 500, error: 'llama runner process has terminated: exit status 2' } : null));
    const [ticket] = addOpenTickets(db, 1, ['how_to']);
    const summary = await run();
    expect(summary).toMatchObject({ sentSolved: 1, handedOff: {}, failed: 0, leftQueued: 0 });
    expect(summary.slots.retried).toBe(2);
    expect(eventTypes(ticket!.id)).toEqual(SENT_TICKET);
    expect(aiReplies()).toBe(1);
  });

  it('a dropped stream, a closed connection and a timeout are each retried and end in one reply', async () => {
    let drafts = 0;
    withFault((step, call) => {
      if (call === 1) return { closeWithoutAnswer: true };
      if (step === 'draft' && ++drafts === 1) return { content: 'Thanks for reaching out, see the article. [kb:none]', dropAfterChunks: 2 };
      if (step === 'check' && call < 8) return { content: '{}', delayMs: 600 };
      return null;
    });
    const [ticket] = addOpenTickets(db, 1, ['how_to']);
    const summary = await run({ callTimeoutMs: 300, retries: 4 });
    expect(summary).toMatchObject({ sentSolved: 1, handedOff: {}, failed: 0 });
    expect(summary.slots.retried).toBeGreaterThanOrEqual(3);
    expect(eventTypes(ticket!.id)).toEqual(SENT_TICKET);
  });

  it('attempts used up: the ticket stays queued with the reason, and the next run resolves it', async () => {
    withFault((step) => (step === 'check' ? { status: 502, error: 'bad gateway' } : null));
    const [ticket] = addOpenTickets(db, 1, ['how_to']);
    const first = await run({ retries: 1 });
    expect(first.deferred).toEqual([{ ticketId: ticket!.id, reason: 'Ollama answered 502: bad gateway' }]);
    expect(first).toMatchObject({ handedOff: {}, unavailable: 1, leftQueued: 1, failed: 0 });
    expect(first.message).toMatch(/1 ticket\(s\) stay queued: Ollama kept failing for them \(last: Ollama answered 502: bad gateway\)/);
    expect(eventTypes(ticket!.id)).toEqual(['created', 'message']);
    withFault(() => null);
    expect(await run()).toMatchObject({ queued: 1, sentSolved: 1 });
    expect(eventTypes(ticket!.id)).toEqual(SENT_TICKET);
  });
});

describe('only a permanent failure hands a ticket off', () => {
  it('a 400 hands the ticket off as a tool failure naming the answer, once, without retrying', async () => {
    withFault((step) => (step === 'check' ? { status: 400, error: 'invalid format schema' } : null));
    const [ticket] = addOpenTickets(db, 1, ['how_to']);
    const summary = await run();
    expect(summary).toMatchObject({ handedOff: { tool_failure: 1 }, sentSolved: 0 });
    expect(summary.slots.retried).toBe(0);
    const escalated = db.prepare("SELECT payload FROM events WHERE ticket_id = ? AND type = 'escalated'").pluck().all(ticket!.id) as string[];
    expect(escalated.map((p) => JSON.parse(p) as { reason: string; note: string })).toEqual([{ reason: 'tool_failure', note: 'Ollama answered 400: invalid format schema', by: { kind: 'ai', model: MODEL } }]);
  });

  it('the model removed mid-run: nobody is handed off, the run stops with the pull advice, the rest stays queued', async () => {
    const tickets = addOpenTickets(db, 6, ['how_to']);
    withFault((step, call) => {
      if (call === 4) standIn.setModels([{ name: 'qwen2.5:7b', digest: 'f'.repeat(64) }]);
      return null;
    });
    const first = await run({ parallel: 1 });
    expect(first.handedOff).toEqual({});
    expect(escalations()).toBe(0);
    expect(first.message).toMatch(/model "llama3\.2:3b" is not on the Ollama server at .*: run `ollama pull llama3\.2:3b`; \d+ ticket\(s\) stay queued/);
    expect(first.processed + first.leftQueued).toBe(6);
    standIn.setModels([{ name: MODEL, digest: 'a'.repeat(64) }]);
    const second = await run();
    expect(first.processed + second.processed).toBe(6);
    expect(aiReplies()).toBe(tickets.length);
    expect(doneTwice()).toEqual([]);
  });
});

describe('the circuit breaker', () => {
  it('an outage (server stopped) pauses the queue, hands nothing off, and resumes after the restart: every ticket once', async () => {
    const tickets = addOpenTickets(db, 12, ['how_to']);
    let stopped = false;
    standIn.setResponder((body, step, call) => {
      if (call === 7 && !stopped) {
        stopped = true;
        void standIn.stop();
      }
      return { ...defaultResponder(body, step, call), delayMs: 2 };
    });
    const pauses: ResolveProgress['paused'][] = [];
    let restarting: Promise<void> | null = null;
    let escalatedWhilePaused = -1;
    const summary = await run({
      parallel: 3,
      retries: 1,
      onProgress: (p) => {
        if (p.paused && pauses.at(-1) !== p.paused) pauses.push(p.paused);
        if (p.paused && !restarting) {
          // Let the breaker probe a dead server a few times before it comes back.
          restarting = new Promise((resolve) => setTimeout(resolve, 60)).then(() => {
            escalatedWhilePaused = escalations();
            return standIn.restart();
          });
        }
      },
    });
    await restarting;
    expect(pauses.length).toBeGreaterThan(0);
    for (const pause of pauses) {
      expect(pause!.reason).toMatch(new RegExp(`^(connection refused at ${standIn.host}|connection closed by ${standIn.host})`));
      expect(Number.isNaN(Date.parse(pause!.since))).toBe(false);
    }
    expect(summary.pauses).toBeGreaterThanOrEqual(1);
    expect(escalatedWhilePaused).toBe(0);
    expect(summary).toMatchObject({ processed: 12, sentSolved: 12, handedOff: {}, failed: 0, leftQueued: 0, deferred: [], message: null });
    expect(aiReplies()).toBe(tickets.length);
    expect(escalations()).toBe(0);
    expect(doneTwice()).toEqual([]);
    expect(verifyLedger(db).intact).toBe(true);
  });

  it('a run of 503s opens it with the server\'s own words; the queue resumes when the answers come back', async () => {
    withFault((step, call) => (call >= 4 && call <= 14 ? { status: 503, error: 'model is loading' } : null));
    const tickets = addOpenTickets(db, 6, ['how_to']);
    const reasons = new Set<string>();
    const summary = await run({ parallel: 2, retries: 6, onProgress: (p) => p.paused && reasons.add(p.paused.reason) });
    expect([...reasons]).toEqual(['Ollama answered 503: model is loading']);
    expect(summary).toMatchObject({ sentSolved: tickets.length, handedOff: {}, failed: 0, leftQueued: 0 });
    expect(doneTwice()).toEqual([]);
  });

  it('cancel while paused ends the run at once; every ticket stays queued, nothing recorded', async () => {
    addOpenTickets(db, 5, ['how_to']);
    // The health check passes; the server goes away at the first chat.
    withFault(() => {
      void standIn.stop();
      return { closeWithoutAnswer: true };
    });
    const controller = new AbortController();
    const summary = await run({ parallel: 2, signal: controller.signal, onProgress: (p) => p.paused && controller.abort() });
    expect(summary).toMatchObject({ cancelled: true, processed: 0, leftQueued: 5, handedOff: {} });
    expect(count("SELECT count(*) FROM events WHERE type LIKE 'ai.%'")).toBe(0);
  });
});

describe('breaker and queue mechanics (injected clock)', () => {
  /** A clock whose sleeps return at once and move time forward; it records every pause asked for. */
  function fakeClock(random = 0.5): BreakerClock & { slept: number[] } {
    let now = 1_000_000;
    const slept: number[] = [];
    return {
      slept,
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
        await Promise.resolve();
      },
      random: () => random,
    };
  }
  const transient = new AiCallError('transient', 'Ollama answered 503: busy');

  it('opens after the threshold, shares one wait, probes with growing pauses and closes when the server answers', async () => {
    const clock = fakeClock();
    let probes = 0;
    const probe = async (): Promise<ProbeResult> => (++probes < 4 ? { ready: false, failure: new AiCallError('unreachable', 'connection refused at X') } : { ready: true, failure: null });
    const breaker = new CircuitBreaker({ threshold: 3, probeMs: 100, probeMaxMs: 300, outageLimitMs: 60_000 }, probe, new AbortController().signal, clock);
    const states: string[] = [];
    breaker.onChange = (s) => states.push(`${s.open ? 'open' : 'closed'}:${s.reason}`);
    expect(breaker.failure(transient)).toBe(false);
    expect(breaker.failure(transient)).toBe(false);
    breaker.success();
    expect(breaker.failure(transient)).toBe(false);
    expect(breaker.failure(transient)).toBe(false);
    expect(breaker.failure(transient)).toBe(true);
    const [a, b] = [breaker.whenClosed(), breaker.whenClosed()];
    expect(a).toBe(b);
    expect(await a).toBe('closed');
    expect(probes).toBe(4);
    // Equal jitter with random() = 0.5: three quarters of 100, 200, 300 (capped), 300.
    expect(clock.slept).toEqual([75, 150, 225, 225]);
    expect(states).toEqual(['open:Ollama answered 503: busy', 'open:connection refused at X', 'closed:null']);
    expect(breaker.isOpen).toBe(false);
  });

  it('gives up after the outage limit, and at once when the model is gone', async () => {
    const down = async (): Promise<ProbeResult> => ({ ready: false, failure: new AiCallError('unreachable', 'connection refused at X') });
    const breaker = new CircuitBreaker({ threshold: 2, probeMs: 1_000, probeMaxMs: 10_000, outageLimitMs: 60_000 }, down, new AbortController().signal, fakeClock());
    breaker.failure(transient);
    breaker.failure(transient);
    expect(await breaker.whenClosed()).toBe('gave_up');
    expect(breaker.state.gaveUp).toBe('Ollama did not come back within 1 min: connection refused at X');
    const gone = async (): Promise<ProbeResult> => ({ ready: false, failure: new AiCallError('model_missing', 'model "m" is not on the Ollama server') });
    const second = new CircuitBreaker({ threshold: 2, probeMs: 1, probeMaxMs: 1, outageLimitMs: 60_000 }, gone, new AbortController().signal, fakeClock());
    second.failure(transient);
    second.failure(transient);
    expect(await second.whenClosed()).toBe('gave_up');
    expect(second.state.gaveUp).toBe('model "m" is not on the Ollama server');
    expect(() => new CircuitBreaker({ threshold: 1, probeMs: 1, probeMaxMs: 1, outageLimitMs: 1 }, down, new AbortController().signal)).toThrow(/at least 2/);
  });

  it('the queue starts no job while the breaker is open, and a failure that opens it costs no attempt', async () => {
    const clock = fakeClock(0);
    const gate: { release?: () => void } = {};
    const probe = (): Promise<ProbeResult> => new Promise((resolve) => (gate.release = () => resolve({ ready: true, failure: null })));
    const stop = new AbortController();
    const breaker = new CircuitBreaker({ threshold: 2, probeMs: 10, probeMaxMs: 10, outageLimitMs: 60_000 }, probe, stop.signal, clock);
    const started: string[] = [];
    let failing = true;
    const queue = new JobQueue<string>({ parallel: 1, capacity: 10, retries: 0, backoffMs: 8, isTransient: (e) => e instanceof AiCallError, breaker, clock }, async (item, _signal, attempt) => {
      started.push(`${item}#${attempt}`);
      if (failing) throw transient;
    });
    const failed: string[] = [];
    queue.onFailure = (item) => failed.push(item);
    for (const item of ['a', 'b', 'c', 'd']) await queue.push(item);
    while (!gate.release) await new Promise((resolve) => setTimeout(resolve, 1));
    // a failed, then b (whose failure opened the breaker); c and d have not started.
    expect(started).toEqual(['a#1', 'b#1']);
    expect(breaker.isOpen).toBe(true);
    failing = false;
    gate.release!();
    await queue.drain();
    // a used its only attempt before the breaker opened (retries: 0), b's failure opened it and cost nothing.
    expect(failed).toEqual(['a']);
    expect(started.slice(2).sort()).toEqual(['b#1', 'c#1', 'd#1']);
    stop.abort();
  });

  it('backoff doubles from the base, with equal jitter, up to the cap', async () => {
    for (const [random, expected] of [[0, [5, 10, 20, 25]], [1, [10, 20, 40, 50]]] as const) {
      const clock = fakeClock(random);
      const queue = new JobQueue<string>({ parallel: 1, capacity: 1, retries: 4, backoffMs: 10, maxBackoffMs: 50, isTransient: () => true, clock }, async () => {
        throw transient;
      });
      await queue.push('x');
      await queue.drain();
      expect(clock.slept).toEqual(expected);
      expect(queue.stats).toMatchObject({ retried: 4, failed: 1 });
    }
  });
});
