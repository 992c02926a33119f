// A bounded work queue: `parallel` slots, at most `capacity` jobs waiting (push waits when full:
// backpressure, so a batch of any size holds only `parallel + capacity` jobs in memory), retries with
// exponential backoff and jitter for errors the caller calls transient, an optional circuit breaker that
// pauses every slot while the service is down, cancellation through one AbortSignal, and per-slot busy time
// so utilisation can be shown.
import { realClock, type BreakerClock, type CircuitBreaker } from './circuit-breaker.ts';
import type { AiCallError } from './ollama-gateway.ts';

export interface JobQueueOptions {
  parallel: number;
  capacity: number;
  /** Further attempts after the first, for transient errors while the breaker stays closed. */
  retries: number;
  backoffMs: number;
  /** Cap on one backoff pause. */
  maxBackoffMs?: number;
  isTransient: (error: unknown) => boolean;
  /**
   * Transient failures feed it; while it is open no job starts and failed jobs wait for it without using up their
   * attempts (an outage says nothing about the ticket).
   */
  breaker?: CircuitBreaker;
  clock?: BreakerClock;
}

export interface QueueStats {
  parallel: number;
  started: number;
  finished: number;
  retried: number;
  failed: number;
  busyMs: number[];
  wallMs: number;
}

type Work<T> = (item: T, signal: AbortSignal, attempt: number) => Promise<void>;

export class JobQueue<T> {
  private readonly options: JobQueueOptions;
  private readonly work: Work<T>;
  private readonly waiting: T[] = [];
  private readonly spaceWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly controller = new AbortController();
  private active = 0;
  private readonly freeSlots: number[];
  private readonly started = performance.now();
  readonly stats: QueueStats;
  /** Called with the item and the last error when a job failed for good (its attempts used up, or not transient). */
  onFailure: (item: T, error: unknown) => void = () => {};
  /** Called with an item that was not finished because the breaker gave up (it stays queued). */
  onLeft: (item: T) => void = () => {};
  private waitingForBreaker = false;

  constructor(options: JobQueueOptions, work: Work<T>) {
    this.options = options;
    this.work = work;
    this.freeSlots = Array.from({ length: options.parallel }, (_, i) => options.parallel - 1 - i);
    this.stats = { parallel: options.parallel, started: 0, finished: 0, retried: 0, failed: 0, busyMs: new Array<number>(options.parallel).fill(0), wallMs: 0 };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  get pending(): number {
    return this.waiting.length;
  }

  /** Resolves once the job is accepted; waits while the queue is full. */
  async push(item: T): Promise<boolean> {
    while (!this.cancelled && this.waiting.length >= this.options.capacity) await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    if (this.cancelled) return false;
    this.waiting.push(item);
    this.pump();
    return true;
  }

  /** Drops waiting jobs and aborts running ones. */
  cancel(): void {
    this.controller.abort();
    this.waiting.length = 0;
    this.spaceWaiters.splice(0).forEach((wake) => wake());
    if (this.active === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
  }

  /** Resolves when nothing waits and nothing runs. */
  drain(): Promise<void> {
    if (this.active === 0 && this.waiting.length === 0) {
      this.stats.wallMs = performance.now() - this.started;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) =>
      this.idleWaiters.push(() => {
        this.stats.wallMs = performance.now() - this.started;
        resolve();
      }),
    );
  }

  private pump(): void {
    const breaker = this.options.breaker;
    if (breaker?.isOpen) {
      // Start nothing while the service is down; one shared wait resumes the pump when the breaker closes.
      if (!this.waitingForBreaker) {
        this.waitingForBreaker = true;
        void breaker.whenClosed().then((gate) => {
          this.waitingForBreaker = false;
          if (gate === 'closed') this.pump();
          else if (gate === 'gave_up') this.leaveWaiting();
        });
      }
      return;
    }
    while (!this.cancelled && this.active < this.options.parallel && this.waiting.length > 0) {
      const item = this.waiting.shift()!;
      this.spaceWaiters.shift()?.();
      const slot = this.freeSlots.pop()!;
      this.active++;
      this.stats.started++;
      void this.runWithRetries(item, slot).finally(() => {
        this.active--;
        this.freeSlots.push(slot);
        this.stats.finished++;
        if (this.waiting.length > 0 && !this.cancelled) this.pump();
        if (this.active === 0 && (this.waiting.length === 0 || this.cancelled)) this.idleWaiters.splice(0).forEach((wake) => wake());
      });
    }
  }

  /** The breaker gave up: every waiting job stays undone, and push accepts nothing more. */
  private leaveWaiting(): void {
    for (const item of this.waiting.splice(0)) this.onLeft(item);
    this.cancel();
  }

  /** Exponential backoff with equal jitter: between half and all of base·2^(attempt-1), capped. */
  private backoff(attempt: number): number {
    const cap = this.options.maxBackoffMs ?? 30_000;
    const pause = Math.min(cap, this.options.backoffMs * 2 ** (attempt - 1));
    return pause / 2 + (this.options.clock ?? realClock).random() * (pause / 2);
  }

  private async runWithRetries(item: T, slot: number): Promise<void> {
    const breaker = this.options.breaker;
    const sleep = (this.options.clock ?? realClock).sleep;
    for (let attempt = 1; ; ) {
      if (breaker) {
        const gate = await breaker.whenClosed();
        if (gate === 'gave_up') return this.onLeft(item);
        if (gate === 'cancelled' || this.cancelled) return;
      }
      const began = performance.now();
      try {
        await this.work(item, this.controller.signal, attempt);
        this.stats.busyMs[slot]! += performance.now() - began;
        breaker?.success();
        return;
      } catch (error) {
        this.stats.busyMs[slot]! += performance.now() - began;
        if (this.cancelled) return;
        if (!this.options.isTransient(error)) {
          this.stats.failed++;
          this.onFailure(item, error);
          return;
        }
        // A failure that opens the breaker (or comes in while it is open) costs the ticket no attempt.
        if (breaker?.failure(error as AiCallError)) {
          this.stats.retried++;
          continue;
        }
        if (attempt > this.options.retries) {
          this.stats.failed++;
          this.onFailure(item, error);
          return;
        }
        this.stats.retried++;
        await sleep(this.backoff(attempt), this.controller.signal);
        attempt++;
      }
    }
  }
}
