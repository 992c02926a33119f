// Resolution of a batch of tickets: health check, then every eligible ticket through the pipeline on a
// bounded queue. When the server or the model is unavailable, tickets simply stay queued (no events).
import type { AiProgress } from '../../../shared/contracts/ai.ts';
import type { EscalationReason } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { WriteGate, type WriteTurn } from '../db/write-gate.ts';
import { candidateTickets, knownCategories, runExists, type Candidate } from './ai-repository.ts';
import { effectiveHost, loadAiSettings, type AiSettings } from './ai-settings.ts';
import { JobQueue } from './job-queue.ts';
import { AiCallError, OllamaGateway, type HealthReport } from './ollama-gateway.ts';
import { LEASED_ELSEWHERE, LeasesUnavailableError, type AiLeases, type HeldLease } from '../team/ai-lease.ts';
import { commitRun, decide, notCommittedMessage, openTurn, runTicket, toolFailureProposal, type Action, type PipelineDeps } from './pipeline.ts';

export interface ResolveOptions {
  limit?: number;
  category?: string;
  dryRun?: boolean;
  /** Defaults to the settings' parallel (match the server's OLLAMA_NUM_PARALLEL). */
  parallel?: number;
  retries?: number;
  backoffMs?: number;
  env?: NodeJS.ProcessEnv;
  settings?: AiSettings;
  signal?: AbortSignal;
  onProgress?: (progress: ResolveProgress) => void;
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
}

export function eligibleTickets(db: Db, options: { category?: string; limit?: number } = {}): Candidate[] {
  const out: Candidate[] = [];
  for (const candidate of candidateTickets(db, options.category)) {
    const turn = openTurn(db, candidate.id);
    if (!turn || runExists(db, candidate.id, turn.attemptKey)) continue;
    out.push(candidate);
    if (options.limit !== undefined && out.length >= options.limit) break;
  }
  return out;
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
  const gateway = gatewayFor(db, options.env, settings);
  const summary: ResolveSummary = {
    host: gateway.host, model: gateway.model, digest: null, dryRun: Boolean(options.dryRun), queued: 0, processed: 0, sentSolved: 0, sentPending: 0,
    awaitingReview: 0, handedOff: {}, skipped: 0, leasedElsewhere: 0, duplicates: 0, unavailable: 0, failed: 0, cancelled: false, message: null, durationMs: 0,
    slots: { parallel: options.parallel ?? settings.parallel, utilisation: [], retried: 0 }, decisions: [], failures: [],
  };
  const write = options.write ?? new WriteGate().turnOn(db);
  const fail = (ticketId: string, reason: string): void => {
    summary.failed++;
    summary.failures.push({ ticketId, reason });
  };
  const tickets = eligibleTickets(db, options);
  summary.queued = tickets.length;
  const progress = (): void =>
    options.onProgress?.({
      total: tickets.length, done: summary.processed + summary.skipped + summary.duplicates + summary.failed, sent: summary.sentSolved + summary.sentPending,
      awaitingReview: summary.awaitingReview, handedOff: Object.values(summary.handedOff).reduce((a, b) => a + b, 0), skipped: summary.skipped, unavailable: summary.unavailable,
    });
  const health = await gateway.health();
  if (!health.reachable || !health.modelPresent) {
    summary.unavailable = tickets.length;
    summary.message = `${health.message}; ${tickets.length} ticket(s) stay queued`;
    summary.durationMs = performance.now() - started;
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

  const queue = new JobQueue<Candidate>(
    {
      parallel: summary.slots.parallel,
      capacity: summary.slots.parallel * 2,
      retries: options.retries ?? 3,
      backoffMs: options.backoffMs ?? 500,
      isTransient: (error) => error instanceof AiCallError && (error.kind === 'transient' || error.kind === 'unreachable'),
    },
    (candidate, signal) => underLease(candidate.id, async () => {
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
  const pendingHandOffs: Promise<void>[] = [];
  queue.onFailure = (candidate, error) => {
    if (error instanceof LeasesUnavailableError) {
      // Team mode without the team ledger: stop, everything not done yet stays queued for the next run.
      summary.unavailable++;
      summary.message = error.message;
      queue.cancel();
      progress();
      return;
    }
    const failure = error instanceof AiCallError ? error : new AiCallError('permanent', (error as Error).message);
    if (failure.kind === 'unreachable' || failure.kind === 'model_missing') {
      // The server went away: stop, everything not done yet stays queued for the next run.
      summary.unavailable++;
      summary.message = failure.message;
      queue.cancel();
    } else if (failure.kind === 'transient' && !options.dryRun) {
      // Hand the ticket to a person rather than retry forever; the hand-off is a write, so it takes its turn.
      const handOff = (): Promise<void> => underLease(candidate.id, async () => {
        const proposal = toolFailureProposal(candidate, db, failure.message);
        const result = proposal ? await write(`AI hand-off of ${candidate.id}`, () => commitRun(db, proposal, deps)) : null;
        if (result?.committed) count(result.action, candidate.id, result.reason);
        else fail(candidate.id, `${failure.message}${result ? ` (${notCommittedMessage(result.why)})` : ''}`);
      });
      pendingHandOffs.push(handOff().catch((handOffError: unknown) => fail(candidate.id, `${failure.message}; the hand-off was not recorded: ${(handOffError as Error).message}`)).finally(progress));
      return;
    } else fail(candidate.id, failure.message);
    progress();
  };
  const onAbort = (): void => {
    summary.cancelled = true;
    queue.cancel();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (const ticket of tickets) if (!(await queue.push(ticket))) break;
    await queue.drain();
    await Promise.all(pendingHandOffs);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (summary.message && queue.cancelled) {
    const handled = summary.processed + summary.skipped + summary.duplicates + summary.failed;
    summary.unavailable = Math.max(summary.unavailable, tickets.length - handled);
    summary.message = `${summary.message}; ${summary.unavailable} ticket(s) stay queued`;
  }
  summary.durationMs = Math.round(performance.now() - started);
  summary.slots.utilisation = queue.stats.busyMs.map((ms) => (queue.stats.wallMs > 0 ? Math.round((ms / queue.stats.wallMs) * 1000) / 1000 : 0));
  summary.slots.retried = queue.stats.retried;
  progress();
  return summary;
}
