// Reads that walk every ticket or every event in scope — the Outcomes tab's live attribution (a dry evaluation of each
// ticket not yet verified), the audit's session-gap report, the queue sorted or filtered by SLA state (a state per
// ticket as of the request) — run on read threads, each with a read-only connection of its own, so the console's
// thread keeps answering other requests meanwhile (issue 15: at a million tickets no console action blocks another).
// They are reads: a thread opens the file read-only and writes nothing.
// A database has threads in four lanes, each started at its lane's first read and kept until the core closes
// (starting one loads the core's modules: most of a second, which a read per request would pay every time). The
// queue's pages have lanes of their own, so a page is never queued behind a report: at a million tickets the Outcomes
// tab's attribution takes seconds, and with one pool a filter clicked while two such reads ran waited for one of them.
// Plain pages and the KPI overview (milliseconds each) have a lane apart from the pages that walk every ticket's SLA
// state or the search index (up to a second under load). The live attribution has a lane of its own, one thread: its
// connection remembers the verdicts (outcomes/attribution-memory.ts), so one thread judges each ticket once, and the
// first attribution (16 s at a million tickets, every unverified ticket judged) never holds a statement or the Outcomes
// tab's other reads — with two report threads each judged them all, and both were busy for 19–24 s at once.
// The console's thread only passes requests and answers on: at a million tickets, while an import and verification
// ran, every read it did itself could hold it for 100–260 ms.
// Within a lane a read goes to the thread with the fewest reads waiting.
// A thread that cannot start or that dies (a build without its bundled file) leaves its reads to the console's thread:
// slower for everyone, never a different answer.
import { Worker } from 'node:worker_threads';
import { databaseKeyFor } from '../db/database-key.ts';
import type { Db } from '../db/connection.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { JsonText } from '../json-text.ts';
import {
  OFF_THREAD_READS,
  READ_CLOSED,
  READ_CONTROL_WORDS,
  READ_STARTED,
  READ_STOP,
  type OffThreadRead,
  type ReadRequest,
  type ReadThreadMessage,
} from './read-thread-reads.ts';

/** How long a closing core waits for a read thread to close its connection (its read runs to its end). */
const CLOSE_WAIT_MS = 120_000;
/**
 * Threads per lane and database: reports (whole periods, contracts, the gap report) get two, as many as the cores here;
 * the queue's pages that walk every ticket's SLA state or the search index one, whose reads take at most about a
 * second at a million tickets; the quick reads (a plain page of the queue, the KPI overview) one, so they never wait
 * behind either; the live attribution one, the thread whose connection remembers its verdicts.
 */
const LANE_THREADS = { quick: 1, queue: 1, attribution: 1, reports: 2 } as const;
type Lane = keyof typeof LANE_THREADS;

const LANES: Partial<Record<OffThreadRead, Lane>> = {
  'tickets.page': 'quick',
  'kpis.report': 'quick',
  'kpis.series': 'quick',
  'tickets.list': 'queue',
  'outcomes.attribution': 'attribution',
};

/** The lane of a read: a quick one, a page of the queue that walks every ticket, or a report. */
const laneOf = (name: OffThreadRead): Lane => LANES[name] ?? 'reports';

let readWorkerUrlOverride: URL | undefined;

/** Bundled builds (Electron main) ship the read thread as its own file and point here to it. */
export function setReadWorkerUrl(url: URL): void {
  readWorkerUrlOverride = url;
}

function rethrown(error: Extract<ReadThreadMessage, { error: string }>): Error {
  if (error.kind === 'not_found') return new NotFoundError(error.error);
  if (error.kind === 'input') return new InputError(error.error);
  return new Error(error.error);
}

interface Waiting {
  resolve: (answer: JsonText) => void;
  reject: (error: Error) => void;
  /** The same read on the console's thread, for a thread that dies before answering. */
  onThisThread: () => JsonText;
}

class ReadThread {
  readonly control = new Int32Array(new SharedArrayBuffer(READ_CONTROL_WORDS * 4));
  readonly waiting = new Map<number, Waiting>();
  private readonly worker: Worker;
  private nextId = 1;
  ended = false;

  constructor(dbPath: string, onEnd: (thread: ReadThread) => void) {
    const key = databaseKeyFor(dbPath);
    this.worker = new Worker(readWorkerUrlOverride ?? new URL('./read-worker.ts', import.meta.url), {
      workerData: { dbPath, key: key ? new Uint8Array(key) : null, control: this.control.buffer },
    });
    // An idle read thread never keeps a process (the CLI, a test) alive; one with reads waiting does (ask).
    this.worker.unref();
    this.worker.on('message', (message: ReadThreadMessage) => {
      const waiting = this.waiting.get(message.id);
      if (!waiting) return;
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ('error' in message) waiting.reject(rethrown(message));
      else waiting.resolve(new JsonText(message.json));
    });
    const end = (): void => {
      if (this.ended) return;
      this.ended = true;
      onEnd(this);
      const stopped = Atomics.load(this.control, READ_STOP) === 1;
      for (const waiting of this.waiting.values()) {
        // Stopped by a closing core: the connection is closed, there is nobody to answer.
        if (stopped) {
          waiting.reject(new Error('the database was closed during the read'));
          continue;
        }
        try {
          waiting.resolve(waiting.onThisThread());
        } catch (error) {
          waiting.reject(error as Error);
        }
      }
      this.waiting.clear();
    };
    this.worker.once('error', end);
    this.worker.once('exit', end);
  }

  ask(request: Omit<ReadRequest, 'id'>, onThisThread: () => JsonText): Promise<JsonText> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject, onThisThread });
      this.worker.postMessage({ id, ...request } satisfies ReadRequest);
    });
  }

  /** Asks the thread to close its connection; with `wait`, blocks until it has (or never opened the file). */
  stop(wait: boolean): void {
    Atomics.store(this.control, READ_STOP, 1);
    this.worker.postMessage('stop');
    if (wait && Atomics.load(this.control, READ_STARTED) === 1) Atomics.wait(this.control, READ_CLOSED, 0, CLOSE_WAIT_MS);
  }
}

/** The read threads of each database path open in this process, by lane. */
const pools = new Map<string, Record<Lane, ReadThread[]>>();

function threadFor(dbPath: string, lane: Lane): ReadThread {
  const lanes = pools.get(dbPath) ?? { quick: [], queue: [], attribution: [], reports: [] };
  pools.set(dbPath, lanes);
  const pool = lanes[lane];
  const idle = pool.find((thread) => thread.waiting.size === 0);
  if (idle) return idle;
  if (pool.length < LANE_THREADS[lane]) {
    const thread = new ReadThread(dbPath, (ended) => {
      const current = pools.get(dbPath)?.[lane];
      if (current?.includes(ended)) current.splice(current.indexOf(ended), 1);
    });
    pool.push(thread);
    return thread;
  }
  return pool.reduce((least, thread) => (thread.waiting.size < least.waiting.size ? thread : least));
}

/**
 * Stops the read threads on `dbPath` and waits until every one that has started is done with the file (synchronously:
 * the core's close returns with no connection of its own left on it). A read running there runs to its end first.
 */
export function stopReadThreads(dbPath: string): void {
  const lanes = pools.get(dbPath);
  pools.delete(dbPath);
  outcomesTabAskedAt.delete(dbPath);
  const threads = lanes ? Object.values(lanes).flat() : [];
  for (const thread of threads) thread.stop(false);
  for (const thread of threads) thread.stop(true);
}

/** Whether reads of this database can run on read threads: a file (a database in memory has one connection). */
export function readsRunInThreads(dbPath: string): boolean {
  return dbPath !== ':memory:' && dbPath !== '';
}

/**
 * What a console does with its read threads as it opens. It starts the quick reads' thread, so the queue's first page
 * does not wait for it to load the core's modules (most of a second). With `warmAttribution` (a large ledger), it asks
 * the live attribution's thread for an attribution as of now, dropping the answer: that thread's connection then
 * remembers every verdict (outcomes/attribution-memory.ts), and the first Outcomes tab judges only the tickets that
 * changed since — at a million tickets the first one judged every unverified ticket, 16 s. That read never falls back
 * to the console's thread: a thread that cannot start or that dies leaves the judging to the first request, as before.
 */
export function startConsoleReadThreads(dbPath: string, options: { warmAttribution: boolean }): void {
  if (!readsRunInThreads(dbPath)) return;
  try {
    threadFor(dbPath, 'quick');
    if (!options.warmAttribution) return;
    threadFor(dbPath, 'attribution')
      .ask({ name: 'outcomes.attribution', input: {} }, () => JsonText.of(null))
      // Nobody's answer: a ledger the attribution fails on shows it in the first request's own answer.
      .catch(() => undefined);
  } catch {
    // Their reads run on the console's thread (readOffThread).
  }
}

/**
 * `name`'s read of `input` on a read thread (on `db`'s thread if no thread can be started), answered as the JSON the
 * thread wrote (json-text.ts): the core hands it to an adapter that writes JSON as it is, and parses it for any other.
 */
export function readOffThread<N extends OffThreadRead>(
  db: Db,
  dbPath: string,
  name: N,
  input: Parameters<(typeof OFF_THREAD_READS)[N]>[1],
): Promise<JsonText<ReturnType<(typeof OFF_THREAD_READS)[N]>>> {
  type Answer = JsonText<ReturnType<(typeof OFF_THREAD_READS)[N]>>;
  const onThisThread = (): Answer => JsonText.of((OFF_THREAD_READS[name] as (db: Db, input: unknown) => ReturnType<(typeof OFF_THREAD_READS)[N]>)(db, input));
  if (!readsRunInThreads(dbPath)) return Promise.resolve().then(onThisThread);
  let thread: ReadThread;
  try {
    thread = threadFor(dbPath, laneOf(name));
  } catch {
    return Promise.resolve().then(onThisThread);
  }
  if (OUTCOMES_TAB_NAMES.has(name)) {
    outcomesTabAskedAt.set(dbPath, Date.now());
    askedSinceRefresh.add(thread);
  }
  return thread.ask({ name, input }, onThisThread) as Promise<Answer>;
}

/** The reads the Outcomes tab sends as it shows (renderer/src/views/outcomes) that run on read threads. */
const OUTCOMES_TAB_NAMES: ReadonlySet<OffThreadRead> = new Set<OffThreadRead>(['outcomes.attribution', 'outcomes.periods', 'outcomes.periodStates', 'outcomes.disputes']);

/**
 * What brings the threads of each lane that answers the tab up to a new head (keepOutcomesTabCurrent): the live
 * attribution (its memory, the contract's scope and the lists derived from them), and on each report thread the
 * outcome book its periods, their states, the disputes and a statement share.
 */
const OUTCOMES_TAB_REFRESH: Partial<Record<Lane, OffThreadRead>> = { attribution: 'outcomes.attribution', reports: 'outcomes.booksUpToDate' };

/** When someone last asked one of each database's Outcomes tab reads (the tab is open, or was just now). */
const outcomesTabAskedAt = new Map<string, number>();

/** After this long without a request, the Outcomes tab is taken to be closed: its reads are no longer kept current. */
const OUTCOMES_TAB_IN_USE_MS = 120_000;

/** Whether one of the tab's reads was asked within OUTCOMES_TAB_IN_USE_MS. */
function outcomesTabInUse(dbPath: string): boolean {
  const asked = outcomesTabAskedAt.get(dbPath);
  return asked !== undefined && Date.now() - asked <= OUTCOMES_TAB_IN_USE_MS;
}

/**
 * The threads asked one of the tab's reads since their last refresh began. A refresh is work the next request on that
 * thread would do: without a request between two commits it would be done for nobody, and at a million tickets, with
 * commits every second or so on two busy cores, refreshing after every one slowed the jobs and every other view.
 */
const askedSinceRefresh = new WeakSet<ReadThread>();

/** Each read thread's refresh under way, and whether the ledger moved again meanwhile. */
const refreshesUnderWay = new WeakMap<ReadThread, { again: boolean }>();

/** How many refreshes each database's read threads were asked for, by lane (see keepOutcomesTabCurrent). */
export const outcomesTabRefreshCount = new Map<string, Partial<Record<Lane, number>>>();

/**
 * A job in a thread of its own committed (its write turn ended): while the Outcomes tab is in use, each of the tab's
 * read threads brings what its connection keeps up to the new head now, answering nobody — the live attribution's
 * memory and lists on its thread; the outcome book on each report thread (two, each with a book of its own, which the
 * periods, their states and the disputes read). A request after a commit then finds them current instead of extending
 * them itself: at a million tickets about 75 ms for the attribution alone while an outcome verification commits. A
 * thread is refreshed only if the tab asked it something since its last refresh began (at most one refresh per
 * request), one refresh at a time; a commit during one asks for one more after it, on the same condition. A request
 * that arrives meanwhile waits for the refresh on its thread, no longer than it would have taken itself. Only threads
 * already started are asked: this never starts one.
 */
export function keepOutcomesTabCurrent(dbPath: string): void {
  if (!outcomesTabInUse(dbPath)) return;
  const lanes = pools.get(dbPath);
  if (!lanes) return;
  for (const [lane, name] of Object.entries(OUTCOMES_TAB_REFRESH) as [Lane, OffThreadRead][]) {
    for (const thread of lanes[lane]) refreshThread(dbPath, lane, thread, name);
  }
}

function refreshThread(dbPath: string, lane: Lane, thread: ReadThread, name: OffThreadRead): void {
  if (thread.ended) return;
  const running = refreshesUnderWay.get(thread);
  if (running) {
    running.again = true;
    return;
  }
  if (!askedSinceRefresh.delete(thread)) return;
  const refresh = { again: false };
  refreshesUnderWay.set(thread, refresh);
  const counts = outcomesTabRefreshCount.get(dbPath) ?? {};
  counts[lane] = (counts[lane] ?? 0) + 1;
  outcomesTabRefreshCount.set(dbPath, counts);
  const asked = thread
    .ask({ name, input: {} }, () => JsonText.of(null))
    // Nobody's answer: a ledger the read fails on shows it in the next request's own answer.
    .catch(() => undefined);
  void asked.finally(() => {
    refreshesUnderWay.delete(thread);
    if (refresh.again && outcomesTabInUse(dbPath)) refreshThread(dbPath, lane, thread, name);
  });
}
