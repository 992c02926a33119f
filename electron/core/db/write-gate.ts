// The single write gate of one process (the console, `attest serve`, one CLI command): every write takes its
// turn, first come first served. While a long write holds the gate (a background import on its own
// connection), the others wait in the queue and are applied after it — they never run into SQLite's lock —
// and the gate tells who is waiting for what ("import of tickets.csv running, your change is queued").
// Reads never pass the gate: WAL readers see the last committed state whatever is being written.
//
// Across processes the gate's turn also takes SQLite's write lock (write-lock.ts), waiting for another
// process's write with a message instead of failing with "database is locked".
import type { Db } from './connection.ts';
import { beginWrite, waitingMessage, type BeginWriteOptions, type WriteHolder, type WriteLock } from './write-lock.ts';

export interface WriteStatus {
  /** What holds the gate in this process now; null when nothing does. */
  writing: string | null;
  /** Changes of this process waiting for their turn, oldest first. */
  queued: string[];
  /** Another process holds the database's write lock and the turn of this process waits for it. */
  waitingForProcess: WriteHolder | { pid: null; what: null; since: null } | null;
  /** The sentence to show, or null when nothing waits. */
  message: string | null;
}

/** One write as a turn of the gate: `work` runs in an IMMEDIATE transaction that commits when it returns. */
export type WriteTurn = <T>(what: string, work: () => T) => Promise<T>;

export interface WriteGateOptions extends Pick<BeginWriteOptions, 'maxWaitMs'> {
  /** Called whenever the queue, the holder or the wait for another process changes. */
  onStatus?: (status: WriteStatus) => void;
}

export class WriteGate {
  private tail: Promise<void> = Promise.resolve();
  private readonly queued: { what: string }[] = [];
  private writing: string | null = null;
  private waitingForProcess: WriteStatus['waitingForProcess'] = null;
  private readonly options: WriteGateOptions;

  constructor(options: WriteGateOptions = {}) {
    this.options = options;
  }

  status(): WriteStatus {
    const queued = this.queued.map((entry) => entry.what);
    let message: string | null = null;
    if (this.waitingForProcess) {
      const holder = this.waitingForProcess.pid === null ? null : this.waitingForProcess;
      message = `${waitingMessage(holder)} your change is queued${queued.length > 0 ? ` (${queued.length} more waiting)` : ''}`;
    } else if (this.writing && queued.length > 0) {
      message = `${this.writing} running, your change is queued${queued.length > 1 ? ` (${queued.length} waiting)` : ''}`;
    }
    return { writing: this.writing, queued, waitingForProcess: this.waitingForProcess, message };
  }

  /** One write on `db`: waits its turn (and for other processes), runs `work` in one transaction, commits. */
  write<T>(db: Db, what: string, work: () => T): Promise<T> {
    return this.turn(what, async () => {
      const lock = await beginWrite(db, what, this.waitHooks());
      return runLocked(lock, work);
    });
  }

  /** `write` bound to one connection, for jobs that commit in steps (AI runs, verification batches). */
  turnOn(db: Db): WriteTurn {
    return (what, work) => this.write(db, what, work);
  }

  /**
   * Whether a job on a connection of another thread (the console's outcome verification) may write in this gate's
   * turns: its commits then reach the file like this process's own. A team gate says no: it must capture each write
   * on the connection it knows, to append it to the team ledger.
   */
  acceptsWritesFromOtherThreads(): boolean {
    return true;
  }

  /**
   * A long job holding the gate for its whole run (an import on a connection of its own, whose transaction
   * stays open while it yields to the event loop). `job` takes the database lock itself with `begin`.
   */
  hold<T>(what: string, job: (begin: (db: Db) => Promise<WriteLock>) => Promise<T>): Promise<T> {
    return this.turn(what, () => job((db) => beginWrite(db, what, this.waitHooks())));
  }

  protected waitHooks(): BeginWriteOptions {
    return {
      maxWaitMs: this.options.maxWaitMs,
      onWait: (holder) => {
        this.waitingForProcess = holder ?? { pid: null, what: null, since: null };
        this.publish();
      },
      onWaitEnd: () => {
        this.waitingForProcess = null;
        this.publish();
      },
    };
  }

  protected async turn<T>(what: string, run: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    const entry = { what };
    this.queued.push(entry);
    this.publish();
    try {
      await previous;
      this.queued.splice(this.queued.indexOf(entry), 1);
      this.writing = what;
      this.publish();
      return await run();
    } finally {
      this.writing = null;
      release();
      this.publish();
    }
  }

  private publish(): void {
    this.options.onStatus?.(this.status());
  }
}

/** Runs synchronous `work` inside the transaction `lock` opened; commits, or rolls back when it throws. */
export function runLocked<T>(lock: WriteLock, work: () => T): T {
  let result: T;
  try {
    result = work();
    // The transaction must not outlive this call: asynchronous work would let other writes join it.
    if (result instanceof Promise) throw new Error('a write turn runs synchronous work only');
  } catch (error) {
    lock.end('rollback');
    throw error;
  }
  lock.end('commit');
  return result;
}
