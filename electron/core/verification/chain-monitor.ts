// The console's verifier. When a database is opened it re-reads and checks every event in the background (with
// progress), then checks each increment as events arrive; the status it reports is always what it has itself
// re-read since the file was opened — never a cached verdict — and says how much and when.
// Whole-file checks run in a thread of their own (check-thread.ts): the console's own thread only reads increments —
// the events after the last verified one, never the ledger's size (a change among events already verified is found by
// the next full check: at every open and on "Verify now").
import type { ChainFinding, ChainMonitorStatus, DeepCheckStatus } from '../../../shared/contract.ts';
import { openReadOnly, type Db } from '../db/connection.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { checkRange, joinRanges, VerificationStopped, type RangeCheck } from '../ledger/verify-range.ts';
import { checkRangeInWorker } from '../ledger/verify-parallel.ts';
import { statusFromChain } from '../ledger/verify.ts';
import { inReadSnapshot } from '../db/transaction.ts';
import type { VerifyDatabaseOptions } from './verify-database.ts';
import { CheckThread, setCheckWorkerUrl, type CheckOutcome } from './check-thread.ts';

/** Findings of a full check that an increment carries on (it re-checks the chain, head and triggers itself). */
const STANDING_PROBLEMS: ReadonlySet<ChainFinding['problem']> = new Set(['projection_mismatch', 'file_damaged', 'checkpoint_mismatch', 'signature_mismatch', 'signature_missing']);
/** Progress is pushed at most this often. */
const PROGRESS_INTERVAL_MS = 250;
/** Above this many events the console does not rebuild every projection in memory (that is `attest verify --deep`). */
const DEEP_CHECK_MAX_EVENTS = 2_000_000;
/** How often the monitor looks for events appended by another process (a CLI import, a second console). */
const POLL_INTERVAL_MS = 15_000;

/** An increment this large (a CLI import seen by the poll) is hashed in a thread, not on the console's. */
const INCREMENT_IN_THREAD_EVENTS = 20_000;
/**
 * A smaller increment is hashed on the console's thread this many events at a time, the event loop turning between
 * slices: 20,000 events in one go held the thread 90–150 ms at a million tickets, while the background jobs (an
 * outcome verification's batches) appended; a slice is a few milliseconds.
 */
const INCREMENT_SLICE_EVENTS = 2_048;
/** How long a synchronous close waits for a running check to close its connections (the current SQLite call). */
const CLOSE_WAIT_MS = 120_000;

/** Bundled builds (Electron main) ship the check thread as its own file and point here to it. */
export function setDeepWorkerUrl(url: URL): void {
  setCheckWorkerUrl(url);
}

export interface ChainMonitorOptions extends Pick<VerifyDatabaseOptions, 'threads' | 'minEvents'> {
  /** Run the deep check (projections rebuilt and compared, in a worker) after each full check; default true. */
  deepCheck?: boolean;
  onStatus?: (status: ChainMonitorStatus) => void;
  /** Set 0 to disable the poll (tests drive increments themselves). */
  pollIntervalMs?: number;
  /** From this many new events an increment is hashed in a thread (default INCREMENT_IN_THREAD_EVENTS). */
  incrementInThreadEvents?: number;
  /** Events hashed per slice of an increment on the console's thread (default INCREMENT_SLICE_EVENTS). */
  incrementSliceEvents?: number;
}

interface Verified {
  seq: number;
  hash: string;
  count: number;
}

export class ChainMonitor {
  private readonly dbPath: string;
  private readonly options: ChainMonitorOptions;
  private current: ChainMonitorStatus = { state: 'verifying', status: null, verifiedEvents: 0, verifiedAt: null, fullCheckAt: null, progress: null, error: null, deep: null };
  /** The whole-file checks running now (the full check, the deep check): stopped and waited for on close. */
  private readonly threads = new Set<CheckThread>();
  private deepThread: CheckThread | null = null;
  /** A large increment being hashed in a thread: its stop, closed and started words (verify-worker.ts), and its end. */
  private increment: { control: Int32Array; ended: Promise<unknown> } | null = null;
  /** The connection an increment holds its snapshot on (closed by a synchronous close, which cannot wait for it). */
  private incrementDb: Db | null = null;
  /** What the last deep check found: kept in every verdict until the next full check replaces it. */
  private deepFindings: ChainFinding[] = [];
  /**
   * What the last full check found besides the chain and the head (projections, damage, checkpoints): kept in each
   * increment's verdict rather than recomputed there — those checks read whole tables, and an increment only
   * re-reads the new events (an emptied or shortened ledger sends the increment back to a full check anyway).
   */
  private standingFindings: ChainFinding[] = [];
  private verifiedThrough: Verified | null = null;
  /** The check running now; others wait for it, so checks never overlap. */
  private running: Promise<void> = Promise.resolve();
  /** A full check waiting for its turn: callers of verifyNow until it starts share it. */
  private fullQueued: Promise<ChainMonitorStatus> | null = null;
  private incrementQueued = false;
  private lastProgressAt = 0;
  private poll: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(dbPath: string, options: ChainMonitorOptions = {}) {
    this.dbPath = dbPath;
    this.options = options;
  }

  /** Starts the first full check in the background, and the poll for other writers. */
  start(): void {
    void this.verifyNow();
    const interval = this.options.pollIntervalMs ?? POLL_INTERVAL_MS;
    if (interval > 0) {
      this.poll = setInterval(() => this.ledgerChanged(), interval);
      this.poll.unref();
    }
  }

  status(): ChainMonitorStatus {
    return structuredClone(this.current);
  }

  /**
   * Re-reads every event present when it is asked. It shares a full check that is queued but not yet started; one
   * already running read its snapshot earlier and may miss what was appended since (a team sync, an import), so a
   * new one is queued after it.
   */
  verifyNow(): Promise<ChainMonitorStatus> {
    this.fullQueued ??= this.enqueue(() => {
      this.fullQueued = null;
      return this.fullCheck();
    }).then(() => this.status());
    return this.fullQueued;
  }

  /** Events were appended: check the new ones (after whatever check is running). */
  ledgerChanged(): void {
    if (this.incrementQueued) return;
    this.incrementQueued = true;
    void this.enqueue(async () => {
      this.incrementQueued = false;
      await this.incrementalCheck();
    });
  }

  /**
   * Stops the poll and asks every running check to stop; returns once each has closed its connections (it waits
   * for the check's current SQLite call, at most CLOSE_WAIT_MS). Checks are never terminated: killing a thread
   * inside a SQLite call can abort the process.
   */
  close(): void {
    this.signalClose();
    for (const thread of this.threads) thread.waitClosedSync(CLOSE_WAIT_MS);
    // Its thread set word 2 before it read the stop word (set above): unset, it never opens the file.
    if (this.increment && Atomics.load(this.increment.control, 2) === 1) Atomics.wait(this.increment.control, 1, 0, CLOSE_WAIT_MS);
    // The increment resumes only on a later turn of the event loop; its snapshot's connection is closed here.
    if (this.incrementDb?.open) this.incrementDb.close();
  }

  /** close() without blocking: resolves once every check's thread has exited. */
  async closeAsync(): Promise<void> {
    this.signalClose();
    await Promise.all([
      ...[...this.threads].map((thread) => {
        thread.hold();
        return thread.ended;
      }),
      this.increment?.ended,
    ]);
    await this.running; // the check that was running has returned and closed its connection
  }

  private signalClose(): void {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    for (const thread of this.threads) thread.stop();
    if (this.increment) Atomics.store(this.increment.control, 0, 1);
  }

  /** Hashes the events fromSeq..toSeq in a thread of its own (stopped, never killed, on close). */
  private async rangeInThread(fromSeq: number, toSeq: number): Promise<RangeCheck> {
    const control = new Int32Array(new SharedArrayBuffer(12));
    const checking = checkRangeInWorker(this.dbPath, fromSeq, toSeq, undefined, control);
    this.increment = { control, ended: checking.catch(() => undefined) };
    try {
      return await checking;
    } finally {
      this.increment = null;
    }
  }

  /**
   * Starts the full check's thread, tracked until it has exited. With the deep check on, the same thread goes on with
   * it after an intact chain (check-thread.ts thenDeepUpTo): one thread loading the checks' code, and the chain read once.
   */
  private startThread(onProgress: (checked: number, total: number) => void): CheckThread {
    const thenDeepUpTo = this.options.deepCheck === false ? undefined : DEEP_CHECK_MAX_EVENTS;
    const thread = new CheckThread(this.dbPath, { deep: false, threads: this.options.threads, minEvents: this.options.minEvents, onProgress, keepAlive: true, thenDeepUpTo });
    this.threads.add(thread);
    void thread.ended.then(() => this.threads.delete(thread));
    return thread;
  }

  /**
   * After a full check of an intact chain: every projection rebuilt from the events (in the full check's thread, which
   * went on with it) and compared with the file's rows. A difference turns the verdict to broken (projection_mismatch)
   * until the next full check.
   */
  private followDeepCheck(thread: CheckThread, events: number, deepFollows: boolean): void {
    if (this.options.deepCheck === false || this.closed) return;
    if (events > DEEP_CHECK_MAX_EVENTS) {
      const message = `${events} events are more than the console rebuilds in memory (${DEEP_CHECK_MAX_EVENTS}); run "attest verify --deep"`;
      this.update({ deep: { state: 'skipped', checkedAt: null, tablesCompared: 0, rowsCompared: 0, message } });
      return;
    }
    // The thread ended without it: the close that stopped it is seen above, so this is a thread that failed.
    if (!deepFollows) {
      this.update({ deep: { state: 'error', checkedAt: new Date().toISOString(), tablesCompared: 0, rowsCompared: 0, message: 'the check thread ended before the deep check' } });
      return;
    }
    // The full check kept the process alive (a script may await "Verify now"); the deep check does not.
    thread.release();
    this.update({ deep: { state: 'running', checkedAt: null, tablesCompared: 0, rowsCompared: 0, message: null } });
    this.deepThread = thread;
    const finish = (deep: DeepCheckStatus, findings: ChainFinding[] = []): void => {
      if (this.deepThread !== thread || this.closed) return;
      this.deepThread = null;
      this.deepFindings = findings;
      const status = this.current.status;
      if (findings.length > 0 && status) {
        const problems = [...status.problems, ...findings];
        const first = problems[0]!;
        this.update({
          deep,
          state: 'broken',
          status: { ...status, intact: false, problems, firstBadSeq: first.seq, problem: first.problem, message: first.message },
        });
      } else {
        this.update({ deep });
      }
    };
    void thread.ended.then((outcome: CheckOutcome) => {
      if (outcome.kind === 'stopped') return;
      const checkedAt = new Date().toISOString();
      if (outcome.kind === 'error') {
        finish({ state: 'error', checkedAt, tablesCompared: 0, rowsCompared: 0, message: outcome.message });
        return;
      }
      const { tablesCompared, rowsCompared, findings } = outcome.deep ?? { tablesCompared: 0, rowsCompared: 0, findings: [] };
      finish(
        { state: findings.length ? 'failed' : 'passed', checkedAt, tablesCompared, rowsCompared, message: findings.map((f) => f.message).join('; ') || null },
        findings,
      );
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.closed) return;
      try {
        await work();
      } catch (error) {
        if (!this.closed) this.update({ state: 'failed', progress: null, error: (error as Error).message });
      }
    });
    return this.running;
  }

  private update(patch: Partial<ChainMonitorStatus>): void {
    this.current = { ...this.current, ...patch };
    this.options.onStatus?.(this.status());
  }

  private async fullCheck(): Promise<void> {
    this.update({ state: 'verifying', progress: { checked: 0, total: 0 }, error: null });
    // The deep check of an earlier full check (still running in its thread) is superseded by this one's.
    this.deepThread?.stop();
    this.deepThread = null;
    const thread = this.startThread((checked, total) => {
      const now = Date.now();
      if (now - this.lastProgressAt < PROGRESS_INTERVAL_MS && checked < total) return;
      this.lastProgressAt = now;
      if (!this.closed) this.update({ progress: { checked, total } });
    });
    const { outcome: result, deepFollows } = await thread.checked;
    if (result.kind === 'stopped' || this.closed) return;
    if (result.kind === 'error') throw new Error(result.message);
    const status = result.status;
    this.deepFindings = [];
    this.standingFindings = status.problems.filter((p) => STANDING_PROBLEMS.has(p.problem));
    // An intact chain is numbered 1..N, so its head's sequence number is its event count.
    this.verifiedThrough = status.chainIntact ? { seq: status.eventCount, hash: status.headHash, count: status.eventCount } : null;
    const at = status.checkedAt;
    this.update({ state: status.intact ? 'verified' : 'broken', status, verifiedEvents: status.eventCount, verifiedAt: at, fullCheckAt: at, progress: null, error: null, deep: null });
    if (status.chainIntact) this.followDeepCheck(thread, status.eventCount, deepFollows);
  }

  /** The stretch checked on this thread a slice at a time (inside the caller's read snapshot), yielding between slices. */
  private async rangeInSlices(db: Db, fromSeq: number, toSeq: number): Promise<RangeCheck> {
    const sliceEvents = Math.max(1, this.options.incrementSliceEvents ?? INCREMENT_SLICE_EVENTS);
    const parts: RangeCheck[] = [];
    for (let start = fromSeq; start <= toSeq; start += sliceEvents) {
      if (parts.length > 0) await new Promise((resolve) => setImmediate(resolve));
      if (this.closed) throw new VerificationStopped();
      parts.push(checkRange(db, start, Math.min(toSeq, start + sliceEvents - 1)));
    }
    return joinRanges(parts);
  }

  /** Checks only the events after the last verified one; anything unexpected falls back to a full check. */
  private async incrementalCheck(): Promise<void> {
    const through = this.verifiedThrough;
    if (!through) return; // nothing verified to extend (a break stays reported until a full check)
    const db = openReadOnly(this.dbPath);
    this.incrementDb = db;
    try {
      const outcome = await inReadSnapshot(db, async () => {
        const repository = new LedgerRepository(db);
        // Only the seq key's last page is read here: this runs on the console's thread after every write and on each
        // poll, and counting a ten-million-event ledger stalled it for seconds each time. The increment is numbered
        // through.seq+1..maxSeq, one event per number, or the range check below says otherwise.
        const maxSeq = repository.maxSeq();
        if (maxSeq === null || maxSeq < through.seq) return 'full' as const;
        if (maxSeq === through.seq) return 'unchanged' as const;
        const inThread = maxSeq - through.seq >= (this.options.incrementInThreadEvents ?? INCREMENT_IN_THREAD_EVENTS);
        const range = inThread ? await this.rangeInThread(through.seq + 1, maxSeq) : await this.rangeInSlices(db, through.seq + 1, maxSeq);
        const linked = range.first !== null && range.first.seq === through.seq + 1 && range.first.prevHash === through.hash;
        // Intact means each event's seq follows the one before: from through.seq+1 to maxSeq, every number once.
        const added = maxSeq - through.seq;
        if (!range.intact || !linked || !range.last || range.last.seq !== maxSeq || range.count !== added) return 'full' as const;
        const total = through.count + added;
        const findings: ChainFinding[] = [...this.standingFindings, ...this.deepFindings];
        const status = statusFromChain(repository, total, range.last, null, findings);
        return { status, added: range.count, last: range.last };
      });
      if (outcome === 'unchanged' || this.closed) return;
      if (outcome === 'full') {
        await this.fullCheck();
        return;
      }
      this.verifiedThrough = { seq: outcome.last.seq, hash: outcome.last.hash, count: outcome.status.eventCount };
      this.update({
        state: outcome.status.intact ? 'verified' : 'broken',
        status: outcome.status,
        verifiedEvents: this.current.verifiedEvents + outcome.added,
        verifiedAt: outcome.status.checkedAt,
      });
    } catch (error) {
      if (!(error instanceof VerificationStopped) && !this.closed) throw error; // closing: no verdict
    } finally {
      this.incrementDb = null;
      if (db.open) db.close();
    }
  }
}
