// The console's checks at open: the full check, then — for an intact chain — the deep check (every projection rebuilt
// from the events and compared with the file's rows), in the same thread: one thread loading the checks' code and the
// chain read once, not a second thread checking the chain again before the deep check. Threads are counted by a
// wrapper around the real check worker (tests/support/counted-check-worker.ts), not by the monitor's own account.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { ChainMonitor, setDeepWorkerUrl } from '../../electron/core/verification/chain-monitor.ts';
import type { ChainMonitorStatus } from '../../shared/contract.ts';
import { tempDir } from './helpers.ts';

// Kept for the whole file (a test's temp folder is removed after the test).
const STARTS_DIR = mkdtempSync(join(tmpdir(), 'attest-check-starts-'));
const STARTS = join(STARTS_DIR, 'check-starts.log');
const starts = (): number => (existsSync(STARTS) ? readFileSync(STARTS, 'utf8').split('\n').filter(Boolean).length : 0);

function demoLedger(tickets: number): string {
  const path = join(tempDir(), 'demo.db');
  const db = openDatabase(path);
  writeDemoHistory(db, { tickets, seed: 5, accounts: false });
  db.close();
  return path;
}

/** A monitor started on `path`, and every status it reports from then on. */
function startedMonitor(path: string): { monitor: ChainMonitor; statuses: ChainMonitorStatus[] } {
  const statuses: ChainMonitorStatus[] = [];
  const monitor = new ChainMonitor(path, { pollIntervalMs: 0, onStatus: (status) => statuses.push(status) });
  monitor.start();
  return { monitor, statuses };
}

/** The statuses a monitor reported, until its deep check has an outcome (or the monitor failed). */
async function untilDeepDone(statuses: ChainMonitorStatus[]): Promise<ChainMonitorStatus> {
  for (;;) {
    const last = statuses.at(-1);
    if (last?.state === 'failed' || (last?.deep && last.deep.state !== 'running')) return last;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the full check and the deep check at open', () => {
  beforeAll(() => {
    process.env.ATTEST_TEST_CHECK_STARTS = STARTS;
    setDeepWorkerUrl(new URL('../support/counted-check-worker.ts', import.meta.url));
  });
  afterAll(() => {
    setDeepWorkerUrl(new URL('../../electron/core/verification/deep-worker.ts', import.meta.url));
    delete process.env.ATTEST_TEST_CHECK_STARTS;
    rmSync(STARTS_DIR, { recursive: true, force: true });
  });

  it('an intact ledger: verified, then the deep check passes over every projection row, all in one thread', async () => {
    const path = demoLedger(80);
    const before = starts();
    const { monitor, statuses } = startedMonitor(path);
    const done = await untilDeepDone(statuses);
    monitor.close();
    expect(done.state).toBe('verified');
    expect(done.deep).toMatchObject({ state: 'passed', message: null });
    expect(done.deep!.tablesCompared).toBeGreaterThan(3);
    expect(done.deep!.rowsCompared).toBeGreaterThan(80);
    // The verdict came first, the deep check after it.
    const verifiedAt = statuses.findIndex((s) => s.state === 'verified');
    const runningAt = statuses.findIndex((s) => s.deep?.state === 'running');
    expect(verifiedAt).toBeGreaterThanOrEqual(0);
    expect(runningAt).toBeGreaterThan(verifiedAt);
    expect(starts() - before, 'check threads started').toBe(1);
  });

  it('a projection row edited outside Attest: the deep check in the same thread finds it and the verdict turns broken', async () => {
    const path = demoLedger(80);
    const raw = new Database(path);
    const ticket = raw.prepare('SELECT id FROM tickets ORDER BY id LIMIT 1').pluck().get() as string;
    raw.prepare("UPDATE tickets SET subject = 'edited outside Attest' WHERE id = ?").run(ticket);
    raw.close();
    const before = starts();
    const { monitor, statuses } = startedMonitor(path);
    const done = await untilDeepDone(statuses);
    monitor.close();
    expect(done.deep!.state).toBe('failed');
    expect(done.state).toBe('broken');
    expect(done.status!.problems.map((p) => p.problem)).toContain('projection_mismatch');
    expect(starts() - before, 'check threads started').toBe(1);
  });

  it('"Verify now" during a deep check supersedes it: its own thread checks the chain and then the projections', async () => {
    const path = demoLedger(300);
    const before = starts();
    const { monitor, statuses } = startedMonitor(path);
    while (!statuses.some((s) => s.deep?.state === 'running')) await new Promise((resolve) => setTimeout(resolve, 5));
    const again = await monitor.verifyNow();
    expect(again.state).toBe('verified');
    const done = await untilDeepDone(statuses);
    await monitor.closeAsync();
    expect(done.deep).toMatchObject({ state: 'passed' });
    expect(starts() - before, 'check threads started').toBe(2);
  });

  it('with the deep check off, the full check alone', async () => {
    const path = demoLedger(40);
    const before = starts();
    const monitor = new ChainMonitor(path, { pollIntervalMs: 0, deepCheck: false });
    monitor.start();
    const status = await monitor.verifyNow();
    await monitor.closeAsync();
    expect(status.state).toBe('verified');
    expect(status.deep).toBeNull();
    expect(starts() - before).toBe(1);
  });
});
