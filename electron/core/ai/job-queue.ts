// A bounded work queue: `parallel` slots, at most `capacity` jobs waiting (push waits when full:
// backpressure), retries with exponential backoff for errors the caller calls transient, cancellation
// through one AbortSignal, and per-slot busy time so utilisation can be shown.
export interface JobQueueOptions {
  parallel: number;
  capacity: number;
  retries: number;
  backoffMs: number;
  isTransient: (error: unknown) => boolean;
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
  /** Called with the item and the last error when a job failed for good. */
  onFailure: (item: T, error: unknown) => void = () => {};

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
        else if (this.active === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
      });
    }
  }

  private async runWithRetries(item: T, slot: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const began = performance.now();
      try {
        await this.work(item, this.controller.signal, attempt);
        this.stats.busyMs[slot]! += performance.now() - began;
        return;
      } catch (error) {
        this.stats.busyMs[slot]! += performance.now() - began;
        if (this.cancelled) return;
        if (attempt > this.options.retries || !this.options.isTransient(error)) {
          this.stats.failed++;
          this.onFailure(item, error);
          return;
        }
        this.stats.retried++;
        await sleep(this.options.backoffMs * 2 ** (attempt - 1), this.controller.signal);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
