// A long import in team mode (imports.start: the helpdesk importers) cannot be re-decided like a single write, so it
// holds the team ledger's append lock for its run: another console's writes meanwhile wait for it and then land after
// it — the import never has to start over, and nothing is lost or interleaved.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRunStatus } from '../../shared/contracts/importers.ts';
import type { CoreHandle } from '../../electron/core/service-api.ts';
import { teamPool, TeamQueries } from '../../electron/core/team/team-repository.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { tempDir } from './helpers.ts';
import { closeConsoles, importLines, newTeamLedger, openConsole } from './team-replica-kit.ts';
import { bigFreshdeskCsv } from '../support/freshdesk-csv.ts';



async function importStatus(core: CoreHandle, runId: string): Promise<ImportRunStatus> {
  const status = await core.invoke('imports.status', { runId });
  if (!status.ok) throw new Error(status.error.message);
  return status.value;
}

describe.skipIf(!postgresAvailable())('a long import in team mode', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => cluster?.remove());

  it('holds the append lock for its run: other consoles wait, then land after it; nothing lost or interleaved', async () => {
    const url = await newTeamLedger(cluster, 'imports');
    const dir = tempDir();
    const team = { url, historyCheckEveryMs: 0 };
    const consoles = [openConsole(dir, 'a', team), openConsole(dir, 'b', team)];
    const [a, b] = consoles.map((c) => c.core) as [CoreHandle, CoreHandle];
    try {
      await a.syncTeam();
      await b.syncTeam();
      const uploaded = await a.invoke('imports.upload', { offset: 0, chunkBase64: readFileSync(bigFreshdeskCsv(dir, 3000)).toString('base64') });
      if (!uploaded.ok) throw new Error(uploaded.error.message);
      const started = await a.invoke('imports.start', { uploadId: uploaded.value.uploadId, fileName: 'big.csv', format: 'freshdesk' });
      if (!started.ok) throw new Error(started.error.message);
      // B writes while A's import runs (it appended rows and holds the lock).
      await expect.poll(async () => {
        const status = await importStatus(a, started.value.runId);
        return status.state === 'running' && status.rows > 0;
      }, { timeout: 30_000, interval: 5 }).toBe(true);
      const waits: (string | null)[] = [];
      b.subscribe('writes.status', (status) => waits.push(status.message));
      const at = new Date().toISOString();
      const bWrites = Promise.all(
        [1, 2, 3].map((n) => importLines(b, [{ ticket: `B-${n}`, type: 'created', at, channel: 'email', priority: 'normal', category: 'billing', subject: `B ${n}`, requester: 'c-b' }])),
      );
      await expect.poll(async () => (await importStatus(a, started.value.runId)).state, { timeout: 60_000, interval: 50 }).toBe('done');
      const done = await importStatus(a, started.value.runId);
      expect(done).toMatchObject({ state: 'done', error: null, report: { rows: 3000, imported: 3000 } });
      await bWrites;
      // While it waited, B's console said for what.
      expect(waits).toContainEqual(expect.stringMatching(/^waiting for another Attest process that is writing \(import of big\.csv, pid \d+, since .+\)… your change is queued/));

      const pool = teamPool(url);
      try {
        const rows = (await pool.query("SELECT seq, ticket_id FROM events WHERE ticket_id IS NOT NULL ORDER BY seq")).rows as { seq: number; ticket_id: string }[];
        const bSeqs = rows.filter((row) => row.ticket_id.startsWith('B-')).map((row) => row.seq);
        const importSeqs = rows.filter((row) => !row.ticket_id.startsWith('B-')).map((row) => row.seq);
        expect(bSeqs).toHaveLength(3);
        expect(new Set(rows.filter((row) => !row.ticket_id.startsWith('B-')).map((row) => row.ticket_id)).size).toBe(3000);
        // The import is one block: every one of B's writes came after its last event.
        expect(Math.min(...bSeqs)).toBeGreaterThan(Math.max(...importSeqs));
      } finally {
        await pool.end();
      }
      await a.syncTeam();
      await b.syncTeam();
      const [listA, listB] = await Promise.all([a.invoke('tickets.list', {}), b.invoke('tickets.list', {})]);
      expect(listA.ok && listA.value.total).toBe(3003);
      expect(listB.ok && listB.value.total).toBe(3003);
    } finally {
      await closeConsoles(consoles);
    }
  }, 120_000);

  it('a console that holds the append lock too long (stuck or asleep) makes others give up after the bound, naming it; nothing recorded', async () => {
    const url = await newTeamLedger(cluster, 'stuck');
    const dir = tempDir();
    const consoles = [openConsole(dir, 'b', { url, historyCheckEveryMs: 0 })];
    const [b] = consoles.map((c) => c.core) as [CoreHandle];
    const holder = teamPool(url);
    const held = await holder.connect();
    const previousWait = process.env.ATTEST_WRITE_WAIT_SECONDS;
    try {
      await b.syncTeam();
      await held.query('BEGIN');
      await held.query("SELECT set_config('application_name', 'attest: import of stuck.csv', true)");
      await held.query('SELECT pg_advisory_xact_lock($1)', [0x617474657374]);
      process.env.ATTEST_WRITE_WAIT_SECONDS = '1';
      const refused = await b.invoke('import.jsonl', { fileName: 'b.jsonl', text: `${JSON.stringify({ ticket: 'B-1', type: 'created', at: new Date().toISOString(), channel: 'email', priority: 'normal', category: 'billing', subject: 'B', requester: 'c-b' })}\n` });
      expect(!refused.ok && refused.error.code).toBe('busy');
      expect(!refused.ok && refused.error.message).toMatch(/not recorded: another Attest process \(pid \d+\) has been writing \(import of stuck\.csv\) since .+; gave up after waiting 1 s/);
      await held.query('ROLLBACK');
      expect((await holder.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(0);
    } finally {
      if (previousWait === undefined) delete process.env.ATTEST_WRITE_WAIT_SECONDS;
      else process.env.ATTEST_WRITE_WAIT_SECONDS = previousWait;
      held.release();
      await holder.end();
      await closeConsoles(consoles);
    }
  }, 60_000);

  it('a session holding the append lock idle past its bound is ended by the server, which frees the lock', async () => {
    const url = await newTeamLedger(cluster, 'asleep');
    const pool = teamPool(url);
    const asleep = await pool.connect();
    asleep.on('error', () => undefined);
    try {
      const queries = new TeamQueries(asleep);
      await asleep.query('BEGIN');
      // As withAppendLock bounds every hold (60 s there; 1 s here), then a console that stops talking mid-import.
      await queries.boundIdleHold(1, 'attest: import of asleep.csv');
      expect(await queries.tryLockAppends()).toBe(true);
      const other = await pool.connect();
      try {
        await other.query('BEGIN');
        expect(await new TeamQueries(other).tryLockAppends()).toBe(false);
        await other.query('ROLLBACK');
        await expect.poll(async () => {
          await other.query('BEGIN');
          const got = await new TeamQueries(other).tryLockAppends();
          await other.query('ROLLBACK');
          return got;
        }, { timeout: 10_000, interval: 200 }).toBe(true);
      } finally {
        other.release();
      }
      await expect(asleep.query('SELECT 1')).rejects.toThrow();
    } finally {
      asleep.release(true);
      await pool.end();
    }
  }, 30_000);
});
