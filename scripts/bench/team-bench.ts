// Section "team" of `npm run bench`: team mode on a throwaway PostgreSQL cluster of its own (started and removed
// here; skipped with a message when PostgreSQL is not installed). Measures, in one run:
//  1. append: 4 writer processes (tests/support/team-writer.ts) appending batches of 50 messages at once through the
//     team write gate → events/s on the team ledger;
//  2. catch-up: a console opened on an empty replica file pulls those events (verifying every link and hash, through
//     the exact-import path) vs the same events exported as chained JSONL and imported into an empty local ledger
//     (goal: ratio ≥ 0.5);
//  3. live: the time from a write called in one console to the `ledger.changed` event of another (p50/p95 of 50).
// Sizes scale with --tickets. Timings are printed, never asserted.
import { join } from 'node:path';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { exportJsonl } from '../../electron/core/interchange/jsonl-export.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { openCore } from '../../electron/core/service.ts';
import { postgresBinaries, startPgCluster } from '../../tests/support/pg-cluster.ts';
import { seedTeam, spawnWriter } from '../../tests/support/team-race-kit.ts';
import { log, percentile, rate, seconds, type BenchContext } from './bench-kit.ts';

const WRITERS = 4;
const BATCH = 50;
const LIVE_WRITES = 50;

/** Messages per writer: 1 per 100 demo tickets, between 250 and 10,000 (1,000,000 tickets → 4 × 10,000). */
export const teamEventsPerWriter = (tickets: number): number => Math.min(10_000, Math.max(250, Math.round(tickets / 100 / BATCH) * BATCH));

export async function teamBench(ctx: BenchContext): Promise<void> {
  if (!postgresBinaries()) {
    log('skipped: PostgreSQL is not installed here (no /usr/lib/postgresql/*/bin/initdb; apt-get install -y postgresql)');
    return;
  }
  const cluster = await startPgCluster();
  // The consoles opened here keep their replica keys in the run's folder, not in the user's Attest home.
  const home = process.env.ATTEST_HOME;
  process.env.ATTEST_HOME = join(ctx.dir, 'team-home');
  try {
    const perWriter = teamEventsPerWriter(ctx.tickets);
    const ownTickets = (writer: string): string[] => Array.from({ length: 1000 }, (_, i) => `${writer}-T${i + 1}`);
    const shared = ['S-1', 'S-2', 'S-3'];
    const names = Array.from({ length: WRITERS }, (_, i) => `W${i + 1}`);
    const team = await seedTeam(cluster, ctx.dir, 'bench', [...shared, ...names.flatMap(ownTickets)]);

    // 1. Append throughput: from the first writer ready to the last one done.
    const writers = names.map((writer) =>
      spawnWriter({ url: team.url, dbPath: join(ctx.dir, `team-${writer}.db`), writer, via: 'record', events: perWriter, batch: BATCH, ownTickets: ownTickets(writer), sharedTickets: shared, sharedEvery: 4 }),
    );
    const ready = await Promise.all(writers.map((w) => w.next('ready').then(() => performance.now())));
    const done = await Promise.all(writers.map((w) => w.next('done').then(() => performance.now())));
    for (const exit of await Promise.all(writers.map((w) => w.exited))) if (exit.code !== 0) throw new Error(`a team writer failed:\n${exit.stderr}`);
    const appendMs = Math.max(...done) - Math.min(...ready);
    const appended = WRITERS * perWriter;
    log(`append, ${WRITERS} writer processes × ${perWriter.toLocaleString('en-US')} messages in batches of ${BATCH}: ${seconds(appendMs)} (${rate(appended, appendMs)})`);

    // 2. Catch-up of an empty replica vs a local import of the same events as chained JSONL.
    const replicaPath = join(ctx.dir, 'team-catch-up.db');
    let started = performance.now();
    const reader = openCore({ dbPath: replicaPath, role: 'auditor', user: 'bench', chainPollIntervalMs: 0, team: { url: team.url, historyCheckEveryMs: 0 } });
    let readerHead = 0;
    try {
      await reader.syncTeam();
    } finally {
      await reader.closeAsync();
    }
    const catchUpMs = performance.now() - started;
    const replica = openDatabase(replicaPath);
    const exported = join(ctx.dir, 'team-export.jsonl');
    try {
      readerHead = exportJsonl(replica, exported).events;
    } finally {
      replica.close();
    }
    const local = openDatabase(join(ctx.dir, 'team-local-import.db'));
    started = performance.now();
    try {
      importJsonlFile(local, exported);
    } finally {
      local.close();
    }
    const importMs = performance.now() - started;
    const catchUpRate = readerHead / (catchUpMs / 1000);
    const importRate = readerHead / (importMs / 1000);
    log(`replica catch-up of ${readerHead.toLocaleString('en-US')} events (connect, pull, verify, apply): ${seconds(catchUpMs)} (${rate(readerHead, catchUpMs)})`);
    log(`local import of the same events as chained JSONL: ${seconds(importMs)} (${rate(readerHead, importMs)})`);
    log(`catch-up / local import: ${(catchUpRate / importRate).toFixed(2)} (goal ≥ 0.5)`);

    // 3. A write in console A until console B says the ledger changed (B hears the NOTIFY and pulls).
    const a = openCore({ dbPath: join(ctx.dir, 'team-live-a.db'), role: 'admin', user: 'bench-a', chainPollIntervalMs: 0, team: { url: team.url, historyCheckEveryMs: 0 } });
    const b = openCore({ dbPath: join(ctx.dir, 'team-live-b.db'), role: 'admin', user: 'bench-b', chainPollIntervalMs: 0, team: { url: team.url, historyCheckEveryMs: 0 } });
    try {
      await Promise.all([a.syncTeam(), b.syncTeam()]);
      const seenByB = new Map<string, number>();
      b.subscribe('ledger.changed', ({ headHash }) => seenByB.set(headHash, performance.now()));
      const latencies: number[] = [];
      for (let i = 0; i < LIVE_WRITES; i++) {
        const line = { ticket: shared[i % shared.length], type: 'message', at: new Date().toISOString(), author: { kind: 'customer', id: 'bench' }, public: true, body: `live ${i}` };
        const calledAt = performance.now();
        const result = await a.invoke('import.jsonl', { fileName: `live-${i}.jsonl`, text: JSON.stringify(line) });
        if (!result.ok) throw new Error(`live write ${i}: ${result.error.message}`);
        const head = (result.value as { headHash: string }).headHash;
        for (let waited = 0; !seenByB.has(head); waited += 2) {
          if (waited > 10_000) throw new Error(`console B did not see live write ${i} within 10 s`);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        latencies.push(seenByB.get(head)! - calledAt);
      }
      log(`live: a write called in console A → ledger.changed in console B, ${LIVE_WRITES} writes: p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms`);
    } finally {
      await Promise.all([a.closeAsync(), b.closeAsync()]);
    }
  } finally {
    if (home === undefined) delete process.env.ATTEST_HOME;
    else process.env.ATTEST_HOME = home;
    cluster.remove();
  }
}
