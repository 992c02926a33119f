// Four consoles, each its own OS process with its own replica file, append to one team ledger at once through the
// real write path (two through a core's `import.jsonl`, two through the team write gate with recordEvents), on
// tickets of their own and on tickets they share. The server must end with one linear chain — every hash and link
// recomputed here independently — holding every writer's every message exactly once, every write whole, and every
// replica must hold exactly the server's events.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { chainProblem, markedEvents, replicaRows, seedTeam, serverRows, spawnWriter, unevenBatches } from '../support/team-race-kit.ts';
import type { TeamWriterArgs } from '../support/team-writer.ts';
import { tempDir } from './helpers.ts';

/** Messages per writer (the 10,000; ATTEST_TEAM_RACE_EVENTS lowers it for a quick run by hand). */
const EVENTS_PER_WRITER = Number(process.env.ATTEST_TEAM_RACE_EVENTS ?? 10_000);
const BATCH = 50;
const WRITERS: { writer: string; via: TeamWriterArgs['via'] }[] = [
  { writer: 'W1', via: 'import' },
  { writer: 'W2', via: 'record' },
  { writer: 'W3', via: 'import' },
  { writer: 'W4', via: 'record' },
];
const SHARED = ['S-1', 'S-2', 'S-3'];
// A write refreshes the projections of every ticket it touches, in full, on every replica: the messages spread over
// 1,000 tickets per writer (about ten each, as on a support floor) rather than piling 1,000 onto a few.
const ownTicketsOf = (writer: string): string[] => Array.from({ length: 1000 }, (_, i) => `${writer}-T${i + 1}`);

describe.skipIf(!postgresAvailable())('four writer processes appending to one team ledger at once', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(() => cluster?.remove());

  it(`${WRITERS.length} × ${EVENTS_PER_WRITER.toLocaleString('en-US')} messages → one chain, each message once, every replica equal to the server`, { timeout: 600_000 }, async () => {
    const dir = tempDir();
    const team = await seedTeam(cluster, dir, 'concurrency', [...SHARED, ...WRITERS.flatMap(({ writer }) => ownTicketsOf(writer))]);
    const argsOf = (writer: string, via: TeamWriterArgs['via']): TeamWriterArgs =>
      ({ url: team.url, dbPath: join(dir, `${writer}.db`), writer, via, events: 0, batch: BATCH, ownTickets: ownTicketsOf(writer), sharedTickets: SHARED, sharedEvery: 4 });
    const seeded = (await serverRows(team.superuserUrl)).length;
    const started = performance.now();
    const writers = WRITERS.map(({ writer, via }) => spawnWriter({ ...argsOf(writer, via), events: EVENTS_PER_WRITER }));
    const exits = await Promise.all(writers.map((w) => w.exited));
    const took = performance.now() - started;
    for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
    const refusals = writers.map((w) => w.reports.find((r) => r.kind === 'done')?.refusals ?? 0);
    console.log(`${WRITERS.length} writers × ${EVENTS_PER_WRITER} messages in ${(took / 1000).toFixed(1)} s; writes re-run after the gate gave up: ${refusals.join(', ')}`);

    const server = await serverRows(team.superuserUrl);
    expect(chainProblem(server)).toBeNull();
    expect(server.slice(0, seeded).every((row) => row[2] === 'created')).toBe(true);

    const marked = markedEvents(server);
    expect(marked).toHaveLength(WRITERS.length * EVENTS_PER_WRITER);
    for (const { writer } of WRITERS) {
      const counters = marked.filter((event) => event.writer === writer).map((event) => event.counter);
      // Each counter 0..N-1 exactly once: none lost, none doubled.
      expect(new Set(counters).size, writer).toBe(EVENTS_PER_WRITER);
      expect(Math.min(...counters)).toBe(0);
      expect(Math.max(...counters)).toBe(EVENTS_PER_WRITER - 1);
      // One writer's messages keep their order in the chain (its writes are one after the other).
      expect(counters).toEqual([...counters].sort((a, b) => a - b));
    }
    expect(unevenBatches(marked)).toEqual([]);
    // Writes really interleaved: the chain is not four blocks one after the other.
    const switches = marked.filter((event, i) => i > 0 && marked[i - 1]!.writer !== event.writer).length;
    expect(switches).toBeGreaterThan(WRITERS.length);
    // The shared tickets were written by every writer.
    const sharedWriters = new Set(marked.filter((event) => SHARED.includes(server[event.seq - 1]![1]!)).map((event) => event.writer));
    expect(sharedWriters.size).toBe(WRITERS.length);

    // Each replica holds exactly a prefix of the server's chain (what it had seen by its last write), field for field;
    // opened again, it catches up to all of it.
    for (const { writer } of WRITERS) {
      const replica = replicaRows(join(dir, `${writer}.db`));
      expect(replica.length, writer).toBeGreaterThanOrEqual(marked.filter((event) => event.writer === writer).at(-1)!.seq);
      expect(replica, writer).toEqual(server.slice(0, replica.length));
    }
    const reopened = await Promise.all(WRITERS.map(({ writer, via }) => spawnWriter(argsOf(writer, via)).exited));
    for (const exit of reopened) expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
    for (const { writer } of WRITERS) expect(replicaRows(join(dir, `${writer}.db`)), writer).toEqual(server);
  });
});
