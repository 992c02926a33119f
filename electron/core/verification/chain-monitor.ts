// The console's verifier. When a database is opened it re-reads and checks every event in the background (with
// progress), then checks each increment as events arrive; the status it reports is always what it has itself
// re-read since the file was opened — never a cached verdict — and says how much and when.
import type { ChainFinding, ChainMonitorStatus } from '../../../shared/contract.ts';
import { openReadOnly } from '../db/connection.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { checkRange } from '../ledger/verify-range.ts';
import { statusFromChain } from '../ledger/verify.ts';
import { projectionClaimFindings } from './projection-claims.ts';
import { inReadSnapshot } from '../db/transaction.ts';
import { verifyDatabaseFile, type VerifyDatabaseOptions } from './verify-database.ts';

/** Progress is pushed at most this often. */
const PROGRESS_INTERVAL_MS = 250;
/** How often the monitor looks for events appended by another process (a CLI import, a second console). */
const POLL_INTERVAL_MS = 15_000;

export interface ChainMonitorOptions extends Pick<VerifyDatabaseOptions, 'threads' | 'minEvents'> {
  onStatus?: (status: ChainMonitorStatus) => void;
  /** Set 0 to disable the poll (tests drive increments themselves). */
  pollIntervalMs?: number;
}

interface Verified {
  seq: number;
  hash: string;
  count: number;
}

export class ChainMonitor {
  private readonly dbPath: string;
  private readonly options: ChainMonitorOptions;
  private current: ChainMonitorStatus = { state: 'verifying', status: null, verifiedEvents: 0, verifiedAt: null, fullCheckAt: null, progress: null, error: null };
  private verifiedThrough: Verified | null = null;
  /** The check running now; others wait for it, so checks never overlap. */
  private running: Promise<void> = Promise.resolve();
  private fullPending: Promise<ChainMonitorStatus> | null = null;
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

  /** Re-reads every event (shares a full check that is already queued). */
  verifyNow(): Promise<ChainMonitorStatus> {
    this.fullPending ??= this.enqueue(() => this.fullCheck()).then(() => {
      this.fullPending = null;
      return this.status();
    });
    return this.fullPending;
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

  close(): void {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.closed) return;
      try {
        await work();
      } catch (error) {
        this.update({ state: 'failed', progress: null, error: (error as Error).message });
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
    const result = await verifyDatabaseFile(this.dbPath, {
      threads: this.options.threads,
      minEvents: this.options.minEvents,
      onProgress: (checked, total) => {
        const now = Date.now();
        if (now - this.lastProgressAt < PROGRESS_INTERVAL_MS && checked < total) return;
        this.lastProgressAt = now;
        this.update({ progress: { checked, total } });
      },
    });
    const status = result.status;
    // An intact chain is numbered 1..N, so its head's sequence number is its event count.
    this.verifiedThrough = status.chainIntact ? { seq: status.eventCount, hash: status.headHash, count: status.eventCount } : null;
    const at = status.checkedAt;
    this.update({ state: status.intact ? 'verified' : 'broken', status, verifiedEvents: status.eventCount, verifiedAt: at, fullCheckAt: at, progress: null, error: null });
  }

  /** Checks only the events after the last verified one; anything unexpected falls back to a full check. */
  private async incrementalCheck(): Promise<void> {
    const through = this.verifiedThrough;
    if (!through) return; // nothing verified to extend (a break stays reported until a full check)
    const db = openReadOnly(this.dbPath);
    try {
      const outcome = await inReadSnapshot(db, () => {
        const repository = new LedgerRepository(db);
        const { maxSeq, total } = repository.extent();
        if (maxSeq === through.seq && total === through.count) return 'unchanged' as const;
        if (maxSeq === null || maxSeq < through.seq) return 'full' as const;
        const range = checkRange(db, through.seq + 1, maxSeq);
        const linked = range.first !== null && range.first.seq === through.seq + 1 && range.first.prevHash === through.hash;
        if (!range.intact || !linked || total !== through.count + range.count || !range.last) return 'full' as const;
        const findings: ChainFinding[] = projectionClaimFindings(db);
        const status = statusFromChain(repository, total, range.last, null, findings);
        return { status, added: range.count, last: range.last };
      });
      if (outcome === 'unchanged') return;
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
    } finally {
      db.close();
    }
  }
}
