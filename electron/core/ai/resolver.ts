// Resolution of a batch of tickets: health check, then every eligible ticket through the pipeline on a
// bounded queue fed from the list of their ids (each row read when a slot takes it). When the server or the model is unavailable,
// tickets simply stay queued (no events). A transient failure (5xx, 429, a refused or reset connection, a stream
// cut off, a timeout) is retried with backoff and never hands a ticket off; repeated ones open the circuit breaker,
// which pauses the whole queue until Ollama answers again. Only a permanent failure (a 400, an answer that is not
// valid) hands a ticket to a person, and that is decided in the pipeline, with the reason.
import type { AiPause, AiProgress } from '../../../shared/contracts/ai.ts';
import type { EscalationReason } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { WriteGate, type WriteTurn } from '../db/write-gate.ts';
import { candidateTicket, candidateTickets, knownCategories, runExists, type Candidate } from './ai-repository.ts';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerClock, type BreakerSettings, type BreakerState } from './circuit-breaker.ts';
import { effectiveHost, loadAiSettings, type AiSettings } from './ai-settings.ts';
import { JobQueue } from './job-queue.ts';
import { AiCallError, OllamaGateway, type HealthReport } from './ollama-gateway.ts';
import { LEASED_ELSEWHERE, LeasesUnavailableError, type AiLeases, type HeldLease } from '../team/ai-lease.ts';
import { commitRun, decide, openTurn, runTicket, type Action, type PipelineDeps } from './pipeline.ts';

export interface ResolveOptions {
  limit?: number;
  category?: string;
  dryRun?: boolean;
  /** Defaults to the settings' parallel (match the server's OLLAMA_NUM_PARALLEL). */
  parallel?: number;
  /** Further attempts per ticket after a transient failure (while the breaker stays closed). */
  retries?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Circuit breaker: consecutive failures that pause the queue, probe pauses, how long to wait for Ollama. */
  breaker?: Partial<BreakerSettings>;
  /** Clock, sleep and randomness of the backoff and the breaker (tests). */
  clock?: BreakerClock;
  /** Per-call deadline for the model, in ms (default: the gateway's). */
  callTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  settings?: AiSettings;
  signal?: AbortSignal;
  onProgress?: (progress: ResolveProgress) => void;
  /** A slot starts work on the ticket (each attempt). */
  onStart?: (ticketId: string) => void;
  /** ms: the ticket's wall time; modelMs: the part spent waiting for Ollama. */
  onTicket?: (ticket: { ticketId: string; ms: number; modelMs: number; outcome: string }) => void;
  onChunk?: (ticketId: string, text: string) => void;
  /**
   * How each ticket's run is written: one turn of the process's write gate (the console's, or the CLI's that
   * says what it waits for). Default: a gate of this call, which waits quietly for other processes.
   */
  write?: WriteTurn;
  /**
   * Team mode: a ticket is worked on only under its lease (team/ai-lease.ts), so consoles running the queue together
   * never work on the same ticket; one leased by another console is skipped. Dry runs take no lease.
   */
  leases?: AiLeases | null;
}

/** The console's AiProgress counts, without its running flag and message. */
export type ResolveProgress = Omit<AiProgress, 'running' | 'message'>;

export interface ResolveSummary {
  host: string;
  model: string;
  digest: string | null;
  dryRun: boolean;
  queued: number;
  processed: number;
  sentSolved: number;
  sentPending: number;
  awaitingReview: number;
  handedOff: Partial<Record<EscalationReason, number>>;
  skipped: number;
  /** Team mode: tickets skipped because another console held their lease (counted in skipped too). */
  leasedElsewhere: number;
  duplicates: number;
  unavailable: number;
  failed: number;
  cancelled: boolean;
  /** Plain advice when the server or model is not usable; null otherwise. */
  message: string | null;
  durationMs: number;
  slots: { parallel: number; utilisation: number[]; retried: number };
  decisions: { ticketId: string; action: Action | 'skipped'; reason?: string }[];
  /** Every ticket counted in `failed`, with why (the model's error, or why its run could not be recorded). */
  failures: { ticketId: string; reason: string }[];
  /**
   * Tickets whose model calls kept failing transiently (attempts used up): not handed off, they stay queued for
   * the next run (also counted in `unavailable`).
   */
  deferred: { ticketId: string; reason: string }[];
  /** Tickets of the batch this run did not finish (cancelled, paused out, deferred, server gone): they stay queued. */
  leftQueued: number;
  /** Times the circuit breaker paused the queue because Ollama kept failing. */
  pauses: number;
}

export function eligibleTickets(db: Db, options: { category?: string; limit?: number } = {}): Candidate[] {
  const out: Candidate[] = [];
  for (const candidate of candidateTickets(db, options.category)) {
    if (!isEligible(db, candidate)) continue;
    out.push(candidate);
    if (options.limit !== undefined && out.length >= options.limit) break;
  }
  return out;
}

function isEligible(db: Db, candidate: Candidate): boolean {
  const turn = openTurn(db, candidate.id);
  return turn !== null && !runExists(db, candidate.id, turn.attemptKey);
}

/**
 * The batch: the ids of the eligible tickets, oldest first. Only the ids are kept (about 60 bytes a ticket, fixed for
 * the run); each ticket's row is read when a slot is about to take it, so a queue of 50,000 is never 50,000 jobs,
 * promises or timers in memory.
 */
function eligibleIds(db: Db, options: { category?: string; limit?: number }): string[] {
  return eligibleTickets(db, options).map((candidate) => candidate.id);
}

export function gatewayFor(db: Db, env: NodeJS.ProcessEnv = process.env, settings = loadAiSettings(db)): OllamaGateway {
  return new OllamaGateway(effectiveHost(settings, env), settings.model);
}

export async function checkHealth(db: Db, env: NodeJS.ProcessEnv = process.env): Promise<HealthReport> {
  return gatewayFor(db, env).health();
}

export async function resolveTickets(db: Db, options: ResolveOptions = {}): Promise<ResolveSummary> {
  const started = performance.now();
  const settings = options.settings ?? loadAiSettings(db);
  const gateway = options.callTimeoutMs ? new OllamaGateway(effectiveHost(settings, options.env), settings.model, options.callTimeoutMs) : gatewayFor(db, options.env, settings);
  const summary: ResolveSummary = {
    host: gateway.host, model: gateway.model, digest: null, dryRun: Boolean(options.dryRun), queued: 0, processed: 0, sentSolved: 0, sentPending: 0,
    awaitingReview: 0, handedOff: {}, skipped: 0, leasedElsewhere: 0, duplicates: 0, unavailable: 0, failed: 0, cancelled: false, message: null, durationMs: 0,
    slots: { parallel: options.parallel ?? settings.parallel, utilisation: [], retried: 0 }, decisions: [], failures: [], deferred: [], leftQueued: 0, pauses: 0,
  };
  const write = options.write ?? new WriteGate().turnOn(db);
  const fail = (ticketId: string, reason: string): void => {
    summary.failed++;
    summary.failures.push({ ticketId, reason });
  };
  const batch = eligibleIds(db, { category: options.category, limit: options.limit });
  summary.queued = batch.length;
  const total = summary.queued;
  let paused: AiPause | null = null;
  const finished = (): number => summary.processed + summary.skipped + summary.duplicates + summary.failed + summary.deferred.length;
  const progress = (): void =>
    options.onProgress?.({
      total, done: finished(), sent: summary.sentSolved + summary.sentPending,
      awaitingReview: summary.awaitingReview, handedOff: Object.values(summary.handedOff).reduce((a, b) => a + b, 0), skipped: summary.skipped, unavailable: summary.unavailable,
      paused,
    });
  const health = await gateway.health();
  if (!health.reachable || !health.modelPresent) {
    summary.unavailable = total;
    summary.leftQueued = total;
    summary.message = `${health.message}; ${total} ticket(s) stay queued`;
    summary.durationMs = Math.round(performance.now() - started);
    progress();
    return summary;
  }
  summary.digest = health.digest;
  const deps: PipelineDeps = { db, gateway, settings, digest: health.digest ?? '', categories: knownCategories(db) };
  const count = (action: Action | 'skipped', ticketId: string, reason?: EscalationReason): void => {
    summary.decisions.push({ ticketId, action, ...(reason ? { reason } : {}) });
    if (action === 'skipped') summary.skipped++;
    else {
      summary.processed++;
      if (action === 'send_solve') summary.sentSolved++;
      else if (action === 'send_pending') summary.sentPending++;
      else if (action === 'await_review') summary.awaitingReview++;
      else if (reason) summary.handedOff[reason] = (summary.handedOff[reason] ?? 0) + 1;
    }
  };

  const leases = options.dryRun ? null : (options.leases ?? null);
  const leftToAnotherConsole = (ticketId: string): void => {
    summary.skipped++;
    summary.leasedElsewhere++;
    summary.decisions.push({ ticketId, action: 'skipped', reason: LEASED_ELSEWHERE });
    progress();
  };
  /** Runs `work` under the ticket's lease (team mode), or not at all when another console holds it. */
  const underLease = async (ticketId: string, work: () => Promise<void>): Promise<void> => {
    let lease: HeldLease | null = null;
    if (leases) {
      lease = await leases.acquire(ticketId);
      if (!lease) return leftToAnotherConsole(ticketId);
    }
    try {
      await work();
    } finally {
      await lease?.release();
    }
  };

  // Ends the breaker's probe loop and the queue together: on cancel, and when the run stops for good.
  const stopRun = new AbortController();
  const clock = options.clock;
  const breaker = new CircuitBreaker({ ...DEFAULT_BREAKER, ...options.breaker }, (signal) => gateway.ready(signal), stopRun.signal, clock);
  breaker.onChange = (state: BreakerState) => {
    if (state.open && !paused) summary.pauses++;
    paused = state.open && !state.gaveUp ? { since: new Date(state.since!).toISOString(), reason: state.reason ?? 'Ollama is failing' } : null;
    progress();
  };
  const queue = new JobQueue<Candidate>(
    {
      parallel: summary.slots.parallel,
      capacity: summary.slots.parallel * 2,
      retries: options.retries ?? 3,
      backoffMs: options.backoffMs ?? 500,
      ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
      isTransient: (error) => error instanceof AiCallError && (error.kind === 'transient' || error.kind === 'unreachable'),
      breaker,
      ...(clock ? { clock } : {}),
    },
    (candidate, signal) => underLease(candidate.id, async () => {
      options.onStart?.(candidate.id);
      const began = performance.now();
      let modelMs = 0;
      const outcome = await runTicket({ ...deps, signal, onModelTime: (ms) => (modelMs += ms), onChunk: options.onChunk ? (text) => options.onChunk!(candidate.id, text) : undefined }, candidate);
      if (outcome.kind === 'skipped') count('skipped', candidate.id);
      else if (options.dryRun) {
        const decision = decide(outcome.proposal, candidate.mode, settings.confidenceThreshold);
        count(decision.action, candidate.id, decision.reason);
      } else {
        const result = await write(`AI resolution of ${candidate.id}`, () => commitRun(db, outcome.proposal, deps));
        if (result.committed) count(result.action, candidate.id, result.reason);
        else summary.duplicates++;
      }
      options.onTicket?.({ ticketId: candidate.id, ms: performance.now() - began, modelMs, outcome: outcome.kind });
      progress();
    }),
  );
  const stop = (message: string): void => {
    summary.message ??= message;
    stopRun.abort();
    queue.cancel();
  };
  queue.onFailure = (candidate, error) => {
    if (error instanceof LeasesUnavailableError) {
      // Team mode without the team ledger: stop, everything not done yet stays queued for the next run.
      stop(error.message);
    } else if (error instanceof AiCallError && error.kind === 'model_missing') {
      // The model went away mid-run: no ticket is at fault, so none is handed off; everything stays queued.
      stop(error.message);
    } else if (error instanceof AiCallError && (error.kind === 'transient' || error.kind === 'unreachable')) {
      // Attempts used up while the server kept half-working: the ticket stays queued for the next run, no event.
      summary.unavailable++;
      summary.deferred.push({ ticketId: candidate.id, reason: error.message });
    } else fail(candidate.id, (error as Error).message);
    progress();
  };
  const onAbort = (): void => {
    summary.cancelled = true;
    stopRun.abort();
    queue.cancel();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  try {
    for (const id of batch) {
      if (queue.cancelled) break;
      const ticket = candidateTicket(db, id);
      if (!ticket) {
        // Answered, escalated or switched off since the batch was read: nothing left to do for it.
        count('skipped', id);
        progress();
        continue;
      }
      if (!(await queue.push(ticket))) break;
    }
    await queue.drain();
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stopRun.abort();
  }
  const gaveUp = breaker.state.gaveUp;
  if (gaveUp) summary.message ??= gaveUp;
  paused = null;
  summary.leftQueued = total - (summary.processed + summary.skipped + summary.duplicates + summary.failed);
  if (summary.message && queue.cancelled && !summary.cancelled) {
    summary.unavailable = Math.max(summary.unavailable, summary.leftQueued);
    summary.message = `${summary.message}; ${summary.unavailable} ticket(s) stay queued`;
  } else if (summary.deferred.length > 0) {
    summary.message ??= `${summary.deferred.length} ticket(s) stay queued: Ollama kept failing for them (last: ${summary.deferred.at(-1)!.reason})`;
  }
  summary.durationMs = Math.round(performance.now() - started);
  summary.slots.utilisation = queue.stats.busyMs.map((ms) => (queue.stats.wallMs > 0 ? Math.round((ms / queue.stats.wallMs) * 1000) / 1000 : 0));
  summary.slots.retried = queue.stats.retried;
  progress();
  return summary;
}
