// A console killed with SIGKILL in the middle of its work, over and over: while it syncs its replica, decides a write,
// or holds the team ledger's append lock inside its PostgreSQL transaction. Every write is all or nothing on the
// server (each batch there whole or absent), the chain verifies (checked here independently), the append lock is
// never left held (the next console proceeds), and a console restarted on a killed one's replica file catches up to
// exactly the server's chain.
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { chainProblem, markedEvents, replicaRows, seedTeam, serverRows, spawnWriter, unevenBatches, type SeededTeam } from '../support/team-race-kit.ts';
import type { TeamWriterArgs } from '../support/team-writer.ts';
import { tempDir } from './helpers.ts';

/** Kills in all (the 100; ATTEST_TEAM_CRASH_KILLS changes it for a run by hand), spread over lanes side by side. */
const KILLS = Number(process.env.ATTEST_TEAM_CRASH_KILLS ?? 100);
const LANES = 4;
const TICKETS = Array.from({ length: 40 }, (_, i) => `C-${i + 1}`);
/** Batch sizes: small and large writes (a large one keeps the append transaction open longer). */
const BATCHES = [10, 50, 200, 600];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Kill {
  writer: string;
  /** The last batch the writer said was committed (its `written` count), 0 if none. */
  reportedWritten: number;
  batch: number;
  /** Whether the writer held the append lock (was inside its append transaction) just before it was killed. */
  appending: boolean;
}

describe.skipIf(!postgresAvailable())('kill -9 of a writer mid-append', () => {
  let cluster: PgCluster;
  let team: SeededTeam;
  let observer: pg.Client;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(async () => {
    await observer?.end().catch(() => undefined);
    cluster?.remove();
  });

  /** Whether a connection of `application` holds the append lock right now: it is inside appendToTeam's transaction. */
  async function holdsAppendLock(application: string): Promise<boolean> {
    const result = await observer.query(
      "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1",
      [application],
    );
    return (result.rows[0] as { n: number }).n > 0;
  }

  /** Waits (up to `ms`) until the writer holds the append lock; false if it did not in that time. */
  async function untilAppending(application: string, ms: number): Promise<boolean> {
    for (const until = performance.now() + ms; performance.now() < until; ) if (await holdsAppendLock(application)) return true;
    return false;
  }

  async function advisoryLocksHeld(): Promise<number> {
    return ((await observer.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'")).rows[0] as { n: number }).n;
  }

  it(`${KILLS} writers killed at random moments → whole writes only, a verified chain, no lock left, replicas catch up`, { timeout: 300_000 }, async () => {
    const dir = tempDir();
    team = await seedTeam(cluster, dir, 'crash', TICKETS);
    observer = new pg.Client({ connectionString: team.superuserUrl });
    await observer.connect();
    // Seeded, so a failing run can be repeated (ATTEST_TEAM_CRASH_SEED).
    const random = seededRandom(Number(process.env.ATTEST_TEAM_CRASH_SEED ?? 13));
    const kills: Kill[] = [];
    const argsFor = (lane: number, writer: string, extra: Partial<TeamWriterArgs> = {}): TeamWriterArgs => ({
      // The application name tells the observer which connections are this writer's.
      url: `${team.url}?application_name=${writer}`,
      dbPath: join(dir, `lane${lane}.db`),
      writer,
      via: random() < 0.5 ? 'record' : 'import',
      events: 1_000_000_000,
      batch: BATCHES[Math.floor(random() * BATCHES.length)]!,
      ownTickets: TICKETS.slice(lane * 10, lane * 10 + 10),
      sharedTickets: TICKETS.slice(0, 2),
      sharedEvery: 3,
      ...extra,
    });

    const started = performance.now();
    const lane = async (index: number): Promise<void> => {
      for (let i = index; i < KILLS; i += LANES) {
        const writer = `K${i}`;
        const args = argsFor(index, writer);
        const process_ = spawnWriter(args);
        // Half the kills the moment the writer is seen holding the append lock, some at a random moment of its
        // writing, some while it still opens and syncs its replica.
        const moment = random();
        if (moment < 0.5) {
          await process_.next('ready');
          await untilAppending(writer, 3000);
        } else if (moment < 0.8) {
          await process_.next('ready');
          await sleep(random() * 400);
        } else {
          await sleep(200 + random() * 800);
        }
        const open = await holdsAppendLock(writer);
        process_.child.kill('SIGKILL');
        const exit = await process_.exited;
        expect(exit.signal, exit.stderr).toBe('SIGKILL');
        const committed = process_.reports.filter((report) => report.kind === 'committed');
        kills.push({ writer, reportedWritten: committed.at(-1)?.written ?? 0, batch: args.batch, appending: open });
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, index) => lane(index)));
    const took = performance.now() - started;
    console.log(`${kills.length} kills in ${(took / 1000).toFixed(1)} s; ${kills.filter((k) => k.appending).length} seen holding the append lock just before the kill`);
    expect(kills).toHaveLength(KILLS);

    // The server ends the killed writers' sessions and their transactions; no append lock outlives them.
    for (let waited = 0; (await advisoryLocksHeld()) > 0 && waited < 10_000; waited += 100) await sleep(100);
    expect(await advisoryLocksHeld()).toBe(0);

    const server = await serverRows(team.superuserUrl);
    expect(chainProblem(server)).toBeNull();
    const marked = markedEvents(server);
    expect(unevenBatches(marked)).toEqual([]);
    for (const kill of kills) {
      const counters = marked.filter((event) => event.writer === kill.writer).map((event) => event.counter);
      // What it wrote is a run of whole batches from its first message on, at least every batch it said was
      // committed, and at most the one it was writing when it died.
      expect(counters, kill.writer).toEqual(Array.from({ length: counters.length }, (_, n) => n));
      expect(counters.length, kill.writer).toBeGreaterThanOrEqual(kill.reportedWritten);
      expect(counters.length, kill.writer).toBeLessThanOrEqual(kill.reportedWritten + kill.batch);
    }

    // A new console on each killed writer's replica file proceeds: it catches up, writes, and ends with exactly
    // the server's chain.
    const after = await Promise.all(
      Array.from({ length: LANES }, (_, index) => {
        const writer = spawnWriter(argsFor(index, `AFTER${index}`, { events: 100, batch: 50 }));
        return writer.exited.then((exit) => ({ exit, done: writer.reports.find((report) => report.kind === 'done') }));
      }),
    );
    for (const { exit, done } of after) {
      expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
      expect(done).toMatchObject({ kind: 'done', written: 100 });
    }
    const final = await serverRows(team.superuserUrl);
    expect(chainProblem(final)).toBeNull();
    for (let index = 0; index < LANES; index++) {
      const replica = replicaRows(join(dir, `lane${index}.db`));
      expect(replica, `lane ${index}`).toEqual(final.slice(0, replica.length));
    }

    // The console itself, reopened on a killed writer's file, syncs and finds its replica's chain intact.
    const core = openCore({ dbPath: join(dir, 'lane0.db'), role: 'auditor', user: 'auditor', chainPollIntervalMs: 0, team: { url: team.url, historyCheckEveryMs: 0 } });
    try {
      await core.syncTeam();
      const verified = await core.invoke('ledger.verify', {});
      expect(verified).toMatchObject({ ok: true, value: { status: { intact: true, eventCount: final.length } } });
      expect(replicaRows(join(dir, 'lane0.db'))).toEqual(final);
    } finally {
      await core.closeAsync();
    }
  });
});
