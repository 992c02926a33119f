// npm run bench [-- --tickets N] [--seed S] [--samples K] [--only PHASE,...] [--all] [--keep]
// Every figure is measured in this run, every ratio against a baseline measured in this run on the same thread
// count; goals are printed as "goal …", never as results; timings are printed, never asserted. Each phase runs in a
// process of its own (scripts/bench/phase-child.ts), so the peak RSS printed for it is that phase's alone.
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { count, log, mib, seconds, type BenchContext } from './bench/bench-kit.ts';
import { appendRatioLine, ingestRatioLine, type IngestFigures } from './bench/ingest-phase.ts';

/** Phases in run order, with the phases whose files they read (run first even when --only leaves them out). */
// Phases marked `extra` (the sections of the earlier bench) measure single features; they run with --all or when --only
// names them, so that the default run is the issue's figures and stays within its time budget.
const PLAN: { name: string; title: string; needs: string[]; extra?: true }[] = [
  { name: 'history', title: "the generator's history as JSONL", needs: [] },
  { name: 'demo', title: 'demo generator (attest demo)', needs: [] },
  { name: 'ingest-plain', title: 'ingest baseline: plain prepared INSERT', needs: ['history'] },
  { name: 'ingest', title: 'ingest through attest import', needs: ['history'] },
  { name: 'reimport', title: 'imports into the full ledger', needs: ['history', 'ingest'] },
  { name: 'verify', title: 'verify vs raw SHA-256', needs: ['demo'] },
  { name: 'merkle', title: 'Merkle root, checkpoint, proofs', needs: ['demo'] },
  { name: 'rebuild', title: 'rebuild of every projection (attest rebuild)', needs: ['demo'] },
  { name: 'console', title: 'console latencies through the HTTP bridge, idle and under background work', needs: ['demo'] },
  { name: 'kpis', title: 'KPI rollup vs a full scan', needs: ['demo'], extra: true },
  { name: 'sla', title: 'SLA metrics and compliance', needs: ['history', 'ingest'], extra: true },
  { name: 'outcomes', title: 'outcome verification, statement, explain', needs: ['history', 'ingest'], extra: true },
  { name: 'import-csv', title: 'Freshdesk CSV import', needs: [], extra: true },
  { name: 'ai', title: 'AI retrieval and pipeline overhead', needs: [], extra: true },
  { name: 'team', title: 'team mode (PostgreSQL)', needs: [], extra: true },
];

/** Peak RSS goals (issue 15): import, verify and rebuild each under 1.5 GB at 10 M events (an import into the full ledger too). */
const RSS_GOAL = 'goal < 1.5 GB at 10 M events';
const RSS_GOALS: Record<string, string> = { ingest: RSS_GOAL, reimport: RSS_GOAL, verify: RSS_GOAL, rebuild: RSS_GOAL };

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    samples: { type: 'string', default: '100' },
    only: { type: 'string' },
    all: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag}: a whole number ≥ 1, got "${value}"`);
  return n;
}

/** Section names of the earlier bench, still accepted by --only: `import` was the CSV section, `ledger` ingest and verify. */
const ALIASES: Record<string, string[]> = { import: ['import-csv'], ledger: ['ingest-plain', 'ingest', 'verify'] };

function selectedPhases(only: string | undefined): Set<string> {
  if (!only) return new Set(PLAN.filter((p) => values.all || !p.extra).map((p) => p.name));
  const asked = only
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap((name) => ALIASES[name] ?? [name]);
  const unknown = asked.filter((name) => !PLAN.some((p) => p.name === name));
  if (unknown.length) throw new Error(`--only: unknown phase ${unknown.join(', ')} (phases: ${PLAN.map((p) => p.name).join(', ')})`);
  const chosen = new Set<string>();
  const add = (name: string): void => {
    for (const need of PLAN.find((p) => p.name === name)!.needs) add(need);
    chosen.add(name);
  };
  asked.forEach(add);
  return chosen;
}

const PHASE_CHILD = fileURLToPath(new URL('./bench/phase-child.ts', import.meta.url));

/** Runs a phase in a child process; resolves with its result and its peak RSS. */
function runChild(name: string, ctx: BenchContext): Promise<{ result: unknown; peakRss: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(PHASE_CHILD, [name, JSON.stringify(ctx)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let outcome: { result: unknown; peakRss: number } | null = null;
    child.on('message', (message: { result: unknown; peakRss: number }) => (outcome = message));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 && outcome ? resolve(outcome) : reject(new Error(`phase ${name} failed (exit code ${code})`))));
  });
}

const runStarted = performance.now();
const tickets = positive(values.tickets, '--tickets');
const phases = selectedPhases(values.only);
const dir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
// The run's own Attest home: the checkpoint's installation key and the console's files never touch the user's.
process.env.ATTEST_HOME = join(dir, 'home');
mkdirSync(process.env.ATTEST_HOME, { recursive: true });
const ctx: BenchContext = {
  tickets,
  seed: positive(values.seed, '--seed'),
  samples: positive(values.samples, '--samples'),
  dir,
  historyFile: join(dir, 'history.jsonl'),
  newEventsFile: join(dir, 'new-events.jsonl'),
  demoDbPath: join(dir, 'demo.db'),
  ledgerDbPath: join(dir, 'ledger.db'),
  plainDbPath: join(dir, 'plain.db'),
};

/** The files a phase writes for later phases (PLAN's `needs`), with a database's journal and WAL files beside it. */
const SCRATCH: Record<string, string[]> = {
  history: [ctx.historyFile, ctx.newEventsFile],
  'ingest-plain': [ctx.plainDbPath],
  ingest: [ctx.ledgerDbPath],
};

/**
 * Removes the files of every phase that ran whose files no phase still to run reads: the ingest baseline's database
 * right after it, the history and the import's ledger after the re-imports. A 1,000,000-ticket run writes 10.5 GiB of
 * them; kept to the end, their pages pushed the demo database out of the page cache before the phases that read it
 * (verify, Merkle, rebuild, console): a cost of the benchmark's own files, not of the phase measured. Not with --keep.
 */
function removeScratchNoLongerRead(done: ReadonlySet<string>): void {
  if (values.keep) return;
  const stillToRun = PLAN.filter((p) => phases.has(p.name) && !done.has(p.name));
  for (const [phase, files] of Object.entries(SCRATCH)) {
    if (!done.has(phase) || stillToRun.some((p) => p.needs.includes(phase))) continue;
    const removed: string[] = [];
    for (const file of files) {
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        const size = statSync(file + suffix, { throwIfNoEntry: false })?.size;
        if (size === undefined) continue;
        rmSync(file + suffix);
        removed.push(`${basename(file + suffix)} (${mib(size)})`);
      }
    }
    if (removed.length) log(`(removed ${removed.join(', ')}: no phase still to run reads the ${phase} phase's files)`);
  }
}

const peaks: { phase: string; rss: number }[] = [];
const done = new Set<string>();
const ingest: Partial<Record<'ingest' | 'ingest-plain', IngestFigures>> = {};
try {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  log(`Attest benchmark: ${count(tickets)} demo tickets (seed ${ctx.seed}), ${count(ctx.samples)} samples per latency, node ${process.version}`);
  log(`machine: ${cpu}, ${availableParallelism()} cores, ${mib(totalmem())} RAM, load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}; working dir ${dir}`);
  for (const phase of PLAN) {
    if (!phases.has(phase.name)) continue;
    log(`\n== ${phase.name}: ${phase.title} ==`);
    const started = performance.now();
    if (phase.name === 'console') {
      const { consolePhase } = await import('./bench/console-phase.ts');
      peaks.push({ phase: 'console (server process)', rss: (await consolePhase(ctx)).peakRss });
    } else {
      const { result, peakRss } = await runChild(phase.name, ctx);
      peaks.push({ phase: phase.name, rss: peakRss });
      if (phase.name === 'ingest' || phase.name === 'ingest-plain') ingest[phase.name] = result as IngestFigures;
      if (phase.name === 'ingest' && ingest['ingest-plain']) {
        log(ingestRatioLine(ingest.ingest!, ingest['ingest-plain']));
        log(appendRatioLine(ingest.ingest!, ingest['ingest-plain']));
      }
    }
    log(`(${phase.name} phase: ${seconds(performance.now() - started)} wall, including its process start)`);
    done.add(phase.name);
    removeScratchNoLongerRead(done);
  }
  log('\n== peak RSS per phase (each phase in its own process: process.resourceUsage().maxRSS) ==');
  for (const { phase, rss } of peaks) log(`${phase.padEnd(28)} ${mib(rss).padStart(12)}${RSS_GOALS[phase] ? `   ${RSS_GOALS[phase]}` : ''}`);
  log(`\nwhole run: ${seconds(performance.now() - runStarted)} wall   goal: --tickets 300000 under 10 min, 1,000,000 under 25 min on 2 idle cores`);
} finally {
  if (values.keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
