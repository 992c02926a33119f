// Phase "console": latencies of what the console's views ask, through the real HTTP bridge (console-server.ts, its
// own process) signed in as a supervisor, p50/p95 over random inputs per view (goal p95 ≤ 1.5 s, KPI overview
// ≤ 50 ms); then the same requests while a full chain verification ("Verify now": ledger.verify), an outcome
// verification (outcomes.verify) and a CSV import (imports.upload + imports.start, polled by imports.status) run
// through the same bridge (goal p95 within 2× of idle), and idle once more on the data they left. Each view asks
// what renderer/src sends for it; a view that loads several things at once (the ticket pane, the SLA board…) fires
// them together and counts until the last answer, as the browser shows it.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRIORITIES, RESOLVED_BY, TICKET_STATUSES } from '../../shared/domain.ts';
import { TICKET_SLA_STATES, TICKET_SORT_KEYS, type Facets, type TicketPage } from '../../shared/contract.ts';
import { UPLOAD_CHUNK_BYTES, type ImportRunStatus } from '../../shared/contracts/importers.ts';
import type { VerificationReport } from '../../shared/contracts/outcomes.ts';
import { ConsoleClient } from './console-client.ts';
import type { ConsoleStall, ServerMessage, ServerReply } from './console-server.ts';
import { generateFreshdeskCsv } from './import-bench.ts';
import { count, log, millis, percentile, ratio, seconds, seededRandom, timeAsync, type BenchContext } from './bench-kit.ts';

const PAGE_SIZE = 200; // renderer/src/hooks/usePagedTickets.ts
const DAY = 86_400_000;
const SUPERVISOR = { name: 'mrivera', password: 'copper-meadow-17' };
const GOAL_MS = 1500;
const OVERVIEW_GOAL_MS = 50;

type Ask = () => Promise<unknown>;
interface View {
  name: string;
  goalMs: number;
  /** One prepared request per sample, the same list idle and under background work. */
  asks: Ask[];
}
interface Sample {
  view: number;
  start: number;
  end: number;
}

/** What the random inputs are drawn from, read through the bridge before anything is timed. */
interface Universe {
  total: number;
  facets: Facets;
  firstDay: string;
  lastDay: string;
  periods: string[];
  words: string[];
  hasContract: boolean;
}

async function universe(client: ConsoleClient): Promise<Universe> {
  const facets = await client.call<Facets>('tickets.facets');
  const first = await client.call<TicketPage>('tickets.list', { offset: 0, limit: PAGE_SIZE });
  const definitions = await client.call<{ dataRange: { firstDay: string; lastDay: string } | null }>('kpis.definitions');
  const periods = await client.call<string[]>('outcomes.periods');
  const contracts = await client.call<unknown[]>('outcomes.contracts');
  // Search words: longer words of the subjects on the first page, as someone would type them.
  const words = [...new Set(first.rows.flatMap((row) => row.subject.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length >= 5))];
  const today = new Date().toISOString().slice(0, 10);
  return {
    total: first.total,
    facets,
    firstDay: definitions.dataRange?.firstDay ?? today,
    lastDay: definitions.dataRange?.lastDay ?? today,
    periods,
    words: words.length ? words : ['password'],
    hasContract: contracts.length > 0,
  };
}

function views(client: ConsoleClient, u: Universe, samples: number, seed: number): View[] {
  const random = seededRandom(seed);
  const firstMs = Date.parse(`${u.firstDay}T00:00:00Z`);
  const spanDays = Math.max(0, Math.round((Date.parse(`${u.lastDay}T00:00:00Z`) - firstMs) / DAY));
  const day = (n: number): string => new Date(firstMs + n * DAY).toISOString().slice(0, 10);
  const range = (): { from: string; to: string } => {
    const a = random.int(0, spanDays);
    return { from: day(a), to: day(Math.min(spanDays, a + random.int(6, 120))) };
  };
  const page = (total: number): number => random.int(0, Math.max(0, Math.ceil(total / PAGE_SIZE) - 1)) * PAGE_SIZE;
  const list = (filter: Record<string, unknown>, offset = 0, sort?: unknown): Ask => () => client.call('tickets.list', { filter, offset, limit: PAGE_SIZE, ...(sort ? { sort } : {}) });
  const ticketId = (): string => `T-${random.int(1, u.total)}`;
  const all = (...asks: Ask[]): Promise<unknown[]> => Promise.all(asks.map((ask) => ask()));
  const make = (name: string, build: () => Ask, goalMs = GOAL_MS): View => ({ name, goalMs, asks: Array.from({ length: samples }, build) });
  const filterView = (name: string, key: string, values: readonly string[]): View => make(`queue filter: ${name}`, () => list({ [key]: [random.pick(values)] }));
  return [
    make('queue page (random page)', () => list({}, page(u.total))),
    make('queue sorted (random column, page)', () => list({}, page(u.total), { by: random.pick(TICKET_SORT_KEYS), direction: random.pick(['asc', 'desc']) })),
    filterView('status', 'status', TICKET_STATUSES),
    filterView('priority', 'priority', PRIORITIES),
    filterView('category', 'category', u.facets.categories),
    filterView('channel', 'channel', u.facets.channels),
    filterView('resolved by', 'resolvedBy', RESOLVED_BY),
    filterView('SLA state', 'slaState', TICKET_SLA_STATES),
    make('queue search (a subject word)', () => list({ search: random.pick(u.words) })),
    make('open ticket (tickets.get + SLA, AI, outcome panels)', () => {
      const id = ticketId();
      return () =>
        all(
          () => client.call('tickets.get', { id }),
          () => client.call('sla.ticket', { id }),
          () => client.call('ai.attribution', { ticketId: id }),
          () => client.call('outcomes.contracts'),
          ...(u.hasContract ? [() => client.call('outcomes.explain', { ticket: id })] : []),
        );
    }),
    make('SLA board (compliance, by actor, trend, live queue, policies)', () => {
      const r = range();
      return () =>
        all(
          () => client.call('sla.compliance', r),
          () => client.call('sla.compliance', { ...r, by: 'actor' }),
          () => client.call('sla.trend', r),
          () => client.call('sla.live', { warningMinutes: 60, limit: 50 }),
          () => client.call('sla.policies'),
        );
    }),
    make(
      'KPI overview (report, weekly series, baselines)',
      () => {
        const r = range();
        const category = random.int(0, 3) === 0 ? [random.pick(u.facets.categories)] : [];
        return () =>
          all(
            () => client.call('kpis.report', { ...r, category }),
            () => client.call('kpis.series', { ...r, category, bucket: 'week' }),
            () => client.call('kpis.baselines'),
          );
      },
      OVERVIEW_GOAL_MS,
    ),
    make('migration board (kpis.board)', () => {
      const r = range();
      return () => client.call('kpis.board', r);
    }),
    make('Outcomes tab (contracts, periods, states, attribution, disputes)', () => {
      const period = u.periods.length ? random.pick(u.periods) : undefined;
      return () =>
        all(
          () => client.call('outcomes.contracts'),
          () => client.call('outcomes.periods'),
          () => client.call('outcomes.periodStates'),
          () => client.call('outcomes.attribution', period ? { period } : {}),
          () => client.call('outcomes.disputes'),
        );
    }),
    ...(u.periods.length
      ? [
          make('statement (outcomes.statement, random month)', () => {
            const period = random.pick(u.periods);
            return () => client.call('outcomes.statement', { period });
          }),
        ]
      : []),
  ];
}

/**
 * Idle sampling of one view stops once its requests have taken this long in all, so one slow view cannot stall the
 * run's time budget (the table prints every view's sample count).
 */
const VIEW_BUDGET_MS = 30_000;

/** Asks every view's sample i in turn (one request at a time, as one person clicks), for i = 0, 1, … */
async function pass(viewList: View[], samples: number, keepGoing: () => boolean, out: Sample[], budgetMs = Number.POSITIVE_INFINITY): Promise<void> {
  const spent = viewList.map(() => 0);
  for (let i = 0; i < samples && keepGoing(); i++) {
    for (let v = 0; v < viewList.length && keepGoing(); v++) {
      if (spent[v]! >= budgetMs) continue;
      const start = performance.now();
      await viewList[v]!.asks[i]!();
      const end = performance.now();
      spent[v]! += end - start;
      out.push({ view: v, start, end });
    }
  }
}

const durationsOf = (samples: Sample[], view: number): number[] => samples.filter((s) => s.view === view).map((s) => s.end - s.start);

/** A view's p50, p95 and slowest request, as the tables print them. */
const spreadCells = (durations: number[]): string[] => [millis(percentile(durations, 50)), millis(percentile(durations, 95)), millis(Math.max(...durations))];

class ServerProcess {
  private readonly child: ChildProcess;
  private readonly replies: ServerReply[] = [];
  private waiting: (() => void) | null = null;
  constructor(dbPath: string) {
    this.child = fork(fileURLToPath(new URL('./console-server.ts', import.meta.url)), [dbPath], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: ServerReply) => {
      this.replies.push(message);
      this.waiting?.();
    });
  }
  send(message: ServerMessage): void {
    this.child.send(message);
  }
  async next<K extends keyof ServerReply>(key: K): Promise<NonNullable<ServerReply[K]>> {
    for (;;) {
      const index = this.replies.findIndex((r) => r[key] !== undefined);
      if (index >= 0) return this.replies.splice(index, 1)[0]![key]!;
      if (this.child.exitCode !== null) throw new Error(`the console server exited with code ${this.child.exitCode}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        this.child.once('exit', () => resolve());
      });
    }
  }
  async stall(work: () => Promise<void>): Promise<ConsoleStall> {
    this.send({ cmd: 'stall-start' });
    await work();
    this.send({ cmd: 'stall-stop' });
    return this.next('stall');
  }
}

async function waitForChainCheck(client: ConsoleClient): Promise<void> {
  for (;;) {
    const status = await client.call<{ state: string; deep: { state: string } | null }>('ledger.status');
    if (status.state !== 'verifying' && status.deep?.state !== 'running') {
      if (status.state !== 'verified') throw new Error(`the console's chain check at open ended ${status.state}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function uploadAndImport(client: ConsoleClient, csv: string): Promise<ImportRunStatus> {
  const bytes = readFileSync(csv);
  let uploadId: string | undefined;
  for (let offset = 0; offset < bytes.length; offset += UPLOAD_CHUNK_BYTES) {
    const chunk = bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES).toString('base64');
    uploadId = (await client.call<{ uploadId: string }>('imports.upload', { ...(uploadId ? { uploadId } : {}), chunkBase64: chunk, offset })).uploadId;
  }
  let status = await client.call<ImportRunStatus>('imports.start', { uploadId, fileName: 'bench-freshdesk.csv', format: 'freshdesk' });
  while (status.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await client.call<ImportRunStatus>('imports.status', { runId: status.runId });
  }
  if (status.state !== 'done') throw new Error(`the background import ended ${status.state}: ${status.error}`);
  return status;
}

/** Outcome verification as of nine tenths into the data's range, timed. */
async function verifyOutcomesBeforeLatencies(
  client: ConsoleClient,
  range: { firstDay: string; lastDay: string },
): Promise<{ asOf: string; ms: number; report: { examined: number; verifiedAdded: number } }> {
  const first = Date.parse(`${range.firstDay}T00:00:00Z`);
  const asOf = new Date(first + 0.9 * (Date.parse(`${range.lastDay}T00:00:00Z`) - first)).toISOString();
  const [report, ms] = await timeAsync(() => client.call<{ examined: number; verifiedAdded: number }>('outcomes.verify', { asOf }));
  return { asOf, ms, report };
}

/** Rows of the background CSV import: a twentieth of the run's tickets, between 100 and 20,000. */
export const backgroundImportRows = (tickets: number): number => Math.min(20_000, Math.max(100, Math.round(tickets / 20)));

export async function consolePhase(ctx: BenchContext): Promise<{ peakRss: number }> {
  const csv = join(ctx.dir, 'background-import.csv');
  const rows = backgroundImportRows(ctx.tickets);
  await generateFreshdeskCsv(csv, rows);
  const server = new ServerProcess(ctx.demoDbPath);
  try {
    const ready = await server.next('ready');
    const client = new ConsoleClient(ready.port, ready.token);
    await client.call('auth.login', SUPERVISOR);
    // Statements exist only for what outcome verification has covered, and nothing runs it when a view opens: as a
    // supervisor would, verify once — as of nine tenths into the history (the demo's AI pilot starts half-way), so
    // the background run still has the last tenth to do (a month's close, not a year's: the busy phase lasts as long
    // as its longest job, and a quarter of the history made it the longest phase of the run). It is started at once,
    // beside the chain check and deep check the console runs at open: both are done before any latency is taken, and
    // waiting for one before starting the other made the run longer by the verification's whole time.
    const before = await client.call<{ dataRange: { firstDay: string; lastDay: string } | null }>('kpis.definitions');
    const verification = before.dataRange ? verifyOutcomesBeforeLatencies(client, before.dataRange) : Promise.resolve(null);
    const [[, checkMs], verified] = await Promise.all([timeAsync(() => waitForChainCheck(client)), verification]);
    log(
      `console open (openCore as attest serve): ${seconds(ready.openMs)}; its chain check and deep check in the background finished ${seconds(checkMs)} after sign-in` +
        (verified ? ' (the outcome verification below ran beside them)' : ''),
    );
    if (verified) {
      log(
        `outcome verification as of ${verified.asOf} (started at sign-in, beside the chain check at open; before any latency is taken): ${seconds(verified.ms)} ` +
          `(${count(verified.report.examined)} tickets examined, ${count(verified.report.verifiedAdded)} verified added)`,
      );
    }
    const u = await universe(client);
    const viewList = views(client, u, ctx.samples, ctx.seed);
    // Warm-up: one request of each view (page cache, statement cache, JIT), not counted.
    for (const view of viewList) await view.asks[0]!();

    const idle: Sample[] = [];
    const idleStall = await server.stall(() => pass(viewList, ctx.samples, () => true, idle, VIEW_BUDGET_MS));

    // Background: the three jobs start together; the same requests go on, pass after pass, until all three end.
    const jobs: { name: string; start: number; end: number; detail: string }[] = [];
    const job = async (name: string, work: () => Promise<string>): Promise<void> => {
      const start = performance.now();
      const detail = await work();
      jobs.push({ name, start, end: performance.now(), detail });
    };
    const busy: Sample[] = [];
    let running = 3;
    const busyStall = await server.stall(async () => {
      const background = Promise.all([
        job('full chain verification (ledger.verify, "Verify now")', async () => {
          const status = await client.call<{ status: { eventCount: number } | null; state: string }>('ledger.verify');
          return `${status.state}, ${count(status.status?.eventCount ?? 0)} events`;
        }),
        job('outcome verification (outcomes.verify)', async () => {
          const report = await client.call<VerificationReport>('outcomes.verify');
          // The console remembers what the run before the latencies settled (verification-memory.ts): said, with what
          // this run read again.
          const settled = report.remembered ? ` (${count(report.remembered)} of them settled by the run before and not read again)` : '';
          return `${count(report.examined)} tickets examined${settled}, ${count(report.verifiedAdded)} verified and ${count(report.reversedAdded)} reversed added`;
        }),
        job(`CSV import (imports.upload + imports.start, ${count(rows)} Freshdesk rows, ${count(statSync(csv).size)} bytes)`, async () => {
          const status = await uploadAndImport(client, csv);
          return `${count(status.report?.events ?? 0)} events added`;
        }),
      ].map((p) => p.finally(() => running--)));
      // A job that fails ends the phase, but only once the loop below has stopped (never as an unhandled rejection).
      background.catch(() => undefined);
      while (running > 0) await pass(viewList, ctx.samples, () => running > 0, busy);
      await background;
    });

    // Idle again, on the data the background work left (the import's tickets and their flags, the outcomes it
    // verified): a busy p95 over twice the first idle one is then told apart as the wait (busy over this pass too) or
    // the data (this pass as slow).
    const after: Sample[] = [];
    await pass(viewList, ctx.samples, () => true, after, VIEW_BUDGET_MS);

    log('');
    // The slowest request of each view beside its p95: a request that waited seconds behind another read hides under
    // a p95 when fewer than one in twenty did.
    const columns = ['idle p50', 'idle p95', 'idle max', 'busy p50', 'busy p95', 'busy max'];
    log(`${'view'.padEnd(68)} ${columns.map((c) => c.padStart(10)).join(' ')} ${'busy/idle'.padStart(9)}  goal`);
    viewList.forEach((view, v) => {
      const quiet = durationsOf(idle, v);
      const loaded = durationsOf(busy, v);
      const p95 = percentile(quiet, 95);
      const busyP95 = percentile(loaded, 95);
      const idleCells = spreadCells(quiet);
      const busyCells = loaded.length ? spreadCells(loaded) : ['—', '—', '—'];
      const busyRatio = loaded.length ? ratio(busyP95 / p95) : '—';
      log(
        `${`${view.name} (n ${quiet.length}/${loaded.length})`.padEnd(68)} ${[...idleCells, ...busyCells].map((c) => c.padStart(10)).join(' ')} ${busyRatio.padStart(9)}  goal p95 ≤ ${millis(view.goalMs)}, busy ≤ 2× idle`,
      );
    });
    const cut = viewList.filter((_, v) => durationsOf(idle, v).length < ctx.samples || durationsOf(after, v).length < ctx.samples).map((view) => view.name);
    if (cut.length) log(`idle sampling stopped after ${seconds(VIEW_BUDGET_MS)} of requests (fewer samples than ${count(ctx.samples)}) for: ${cut.join('; ')}`);
    log('');
    log("idle again after the background work: the same requests, on the data it left (the import's tickets, the outcomes it verified)");
    const afterColumns = ['after p50', 'after p95', 'after max', 'busy p95'];
    log(`${'view'.padEnd(68)} ${afterColumns.map((c) => c.padStart(10)).join(' ')} ${'busy/after'.padStart(10)}`);
    viewList.forEach((view, v) => {
      const quiet = durationsOf(after, v);
      const loaded = durationsOf(busy, v);
      const busyP95 = percentile(loaded, 95);
      const cells = [...spreadCells(quiet), loaded.length ? millis(busyP95) : '—'];
      const busyRatio = loaded.length ? ratio(busyP95 / percentile(quiet, 95)) : '—';
      log(`${`${view.name} (n ${quiet.length})`.padEnd(68)} ${cells.map((c) => c.padStart(10)).join(' ')} ${busyRatio.padStart(10)}`);
    });
    log('');
    for (const j of jobs.sort((a, b) => a.start - b.start)) {
      const during = busy.filter((s) => s.start < j.end && s.end > j.start);
      const slow = during.filter((s) => s.end - s.start > 2 * percentile(durationsOf(idle, s.view), 95));
      log(`background ${j.name}: ${seconds(j.end - j.start)} (${j.detail}); ${count(during.length)} requests made meanwhile, ${count(slow.length)} of them over 2× their view's idle p95`);
    }
    log(`console server's event loop, longest stall: idle ${millis(idleStall.maxMs)}, during background work ${millis(busyStall.maxMs)} (p99 ${millis(idleStall.p99Ms)} → ${millis(busyStall.p99Ms)})`);
    const gcLine = (gc: ConsoleStall['gc']): string => `${count(gc.pauses)} pauses, ${millis(gc.totalMs)} in all, longest ${millis(gc.maxMs)}, ${count(gc.over100Ms)} over 100 ms`;
    log(`console server's garbage collection (it stops the event loop too): idle ${gcLine(idleStall.gc)}; during background work ${gcLine(busyStall.gc)}`);
    // What the console was asked while its loop stood still: the views whose requests overlapped each long stall.
    const inFlight = (stall: ConsoleStall['longest'][number], samples: Sample[]): string => {
      const from = stall.endEpochMs - stall.ms;
      const names = new Set(samples.filter((x) => performance.timeOrigin + x.start < stall.endEpochMs && performance.timeOrigin + x.end > from).map((x) => viewList[x.view]!.name));
      return `${millis(stall.ms)} (${names.size ? `while ${[...names].join('; ')}` : 'between requests'})`;
    };
    const stallLine = (stall: ConsoleStall, samples: Sample[]): string => (stall.longest.length ? stall.longest.map((x) => inFlight(x, samples)).join(', ') : 'none');
    log(`console server's stalls over 50 ms, longest first, with the views asked meanwhile: idle ${stallLine(idleStall, idle)}; during background work ${stallLine(busyStall, busy)}`);
  } finally {
    server.send({ cmd: 'close' });
  }
  return { peakRss: (await server.next('closed')).peakRss };
}
