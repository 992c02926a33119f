// The AI queue's circuit breaker. After `threshold` consecutive transient failures (any tickets) Ollama is taken
// to be down: the breaker opens, the queue starts nothing new, and a single probe loop asks the server (with
// growing, jittered pauses) whether it is back. When it is, the breaker closes and the queue goes on where it
// stopped. Nothing of this is written to the ledger: a pause is the queue's state, shown by the console, not an
// event about any ticket. A run that stays paused longer than `outageLimitMs` gives up; its tickets stay queued.
import type { AiCallError } from './ollama-gateway.ts';

export interface BreakerSettings {
  /** Consecutive transient failures that open the breaker. At least 2, so one ticket alone cannot hold it open. */
  threshold: number;
  /** First pause between probes while open; it doubles up to probeMaxMs. */
  probeMs: number;
  probeMaxMs: number;
  /** The breaker gives up after staying open this long: the run ends and every ticket not done stays queued. */
  outageLimitMs: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { threshold: 3, probeMs: 1_000, probeMaxMs: 30_000, outageLimitMs: 30 * 60_000 };

/** Clock, pauses and randomness, injectable so tests run outages in milliseconds without asserting timings. */
export interface BreakerClock {
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
}

export const realClock: BreakerClock = { now: () => Date.now(), sleep: abortableSleep, random: Math.random };

export interface ProbeResult {
  ready: boolean;
  failure: AiCallError | null;
}

export type Gate = 'closed' | 'gave_up' | 'cancelled';

export interface BreakerState {
  open: boolean;
  /** When the breaker opened (ms since the epoch), null while closed. */
  since: number | null;
  /** What the last failure or probe said, in the gateway's precise words. */
  reason: string | null;
  /** Why the breaker gave up for good (outage too long, model gone), null otherwise. */
  gaveUp: string | null;
}

export class CircuitBreaker {
  private readonly settings: BreakerSettings;
  private readonly probe: (signal: AbortSignal) => Promise<ProbeResult>;
  private readonly clock: BreakerClock;
  private readonly signal: AbortSignal;
  private consecutive = 0;
  private current: BreakerState = { open: false, since: null, reason: null, gaveUp: null };
  /** One promise that every waiting job shares while the breaker is open (never one timer per job). */
  private reopened: Promise<Gate> | null = null;
  /** Called whenever the breaker opens, closes, gives up or learns a new reason. */
  onChange: (state: BreakerState) => void = () => {};

  constructor(settings: BreakerSettings, probe: (signal: AbortSignal) => Promise<ProbeResult>, signal: AbortSignal, clock: BreakerClock = realClock) {
    if (!Number.isInteger(settings.threshold) || settings.threshold < 2) throw new RangeError('the breaker threshold must be an integer of at least 2');
    this.settings = settings;
    this.probe = probe;
    this.signal = signal;
    this.clock = clock;
  }

  get state(): BreakerState {
    return { ...this.current };
  }

  get isOpen(): boolean {
    return this.current.open || this.current.gaveUp !== null;
  }

  /** A job got through: the server works. */
  success(): void {
    this.consecutive = 0;
  }

  /** A job failed in a way that says nothing about its ticket. Returns true when the breaker is (now) open. */
  failure(error: AiCallError): boolean {
    if (this.isOpen) return true;
    this.consecutive++;
    if (this.consecutive < this.settings.threshold) return false;
    this.current = { open: true, since: this.clock.now(), reason: error.message, gaveUp: null };
    this.reopened = this.probeUntilBack();
    this.onChange(this.state);
    return true;
  }

  /** Resolves at once while closed; while open, when the probe finds the server back (or the breaker gives up). */
  whenClosed(): Promise<Gate> {
    if (this.signal.aborted) return Promise.resolve('cancelled');
    if (this.current.gaveUp !== null) return Promise.resolve('gave_up');
    return this.reopened ?? Promise.resolve('closed');
  }

  private async probeUntilBack(): Promise<Gate> {
    let pause = this.settings.probeMs;
    for (;;) {
      // Equal jitter: at least half the pause, so consoles sharing one server do not probe in lockstep.
      await this.clock.sleep(pause / 2 + this.clock.random() * (pause / 2), this.signal);
      if (this.signal.aborted) return 'cancelled';
      const result = await this.probe(this.signal);
      if (this.signal.aborted) return 'cancelled';
      if (result.ready) {
        this.consecutive = 0;
        this.current = { open: false, since: null, reason: null, gaveUp: null };
        this.reopened = null;
        this.onChange(this.state);
        return 'closed';
      }
      const failure = result.failure;
      if (failure?.kind === 'model_missing' || failure?.kind === 'permanent') return this.giveUp(failure.message);
      const openFor = this.clock.now() - this.current.since!;
      if (openFor >= this.settings.outageLimitMs) {
        return this.giveUp(`Ollama did not come back within ${Math.round(this.settings.outageLimitMs / 60_000) || '<1'} min: ${failure?.message ?? this.current.reason}`);
      }
      if (failure && failure.message !== this.current.reason) {
        this.current = { ...this.current, reason: failure.message };
        this.onChange(this.state);
      }
      pause = Math.min(pause * 2, this.settings.probeMaxMs);
    }
  }

  private giveUp(why: string): Gate {
    this.current = { ...this.current, gaveUp: why };
    this.onChange(this.state);
    return 'gave_up';
  }
}

/** Resolves after `ms`, or at once when the signal fires; one timer, cleared either way. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
