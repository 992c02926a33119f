// `attest team push` of the 5,000-ticket demo into a real PostgreSQL: a console's replica filled from the team
// ledger holds byte-identical events, and its KPI report and every statement are the SQLite original's. A push into
// a team ledger of another history is refused and changes nothing there.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpisInputs } from '../../shared/contracts/kpis.ts';
import { openReadOnly, type Db } from '../../electron/core/db/connection.ts';
import { kpiReport } from '../../electron/core/kpis/kpi-report.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { statementDocument, statementPeriods } from '../../electron/core/outcomes/statement.ts';
import { openCore } from '../../electron/core/service.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const TICKETS = 5000;

function attest(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function withFile<T>(path: string, work: (db: Db) => T): T {
  const db = openReadOnly(path);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** SHA-256 over every stored field of every event, in order: equal only for byte-identical ledgers. */
function eventsDigest(db: Db): { count: number; digest: string } {
  const digest = createHash('sha256');
  let count = 0;
  for (const row of new LedgerRepository(db).iterateRange(1, Number.MAX_SAFE_INTEGER)) {
    digest.update(JSON.stringify(row));
    count++;
  }
  return { count, digest: digest.digest('hex') };
}

/** What the console and the auditor read: the KPI report over the whole history, and every period's statement text. */
function figures(db: Db): { kpis: unknown; statements: Record<string, string> } {
  const kpis = kpiReport(db, kpisInputs['kpis.report'].parse({ from: '2000-01-01', to: '2100-01-01' }));
  const statements = Object.fromEntries(statementPeriods(db).map((period) => [period, statementDocument(db, period).text]));
  return { kpis, statements };
}

describe.skipIf(!postgresAvailable())(`team push of the ${TICKETS}-ticket demo`, () => {
  let cluster: PgCluster;
  let dir: string;
  let admin: string;
  let desktop: string;
  let issuedPeriod: string;

  beforeAll(async () => {
    cluster = await startPgCluster();
    dir = mkdtempSync(join(tmpdir(), 'attest-team-push-'));
    admin = cluster.createDatabase('team');
    expect(attest({}, 'team', 'init', '--pg', admin).code).toBe(0);
    cluster.psql('team', "ALTER ROLE attest_writer PASSWORD 'writer-secret'");
    desktop = join(dir, 'desktop.db');
    const demo = attest({}, 'demo', '--db', desktop, '--tickets', String(TICKETS), '--json');
    expect(demo.code, demo.stderr).toBe(0);
    // Billed outcomes (so there are statements) and one issued period (a checkpoint, the issued text, a signature).
    const adminPassword = join(dir, 'admin.password');
    writeFileSync(adminPassword, 'harbor-lantern-42\n');
    const signedIn = { ATTEST_USER: 'admin', ATTEST_PASSWORD_FILE: adminPassword };
    const outcomes = attest(signedIn, 'outcomes', '--db', desktop);
    expect(outcomes.code, outcomes.stderr).toBe(0);
    issuedPeriod = withFile(desktop, (db) => statementPeriods(db).at(-1)!);
    const issued = attest(signedIn, 'statement', 'issue', '--db', desktop, '--period', issuedPeriod);
    expect(issued.code, issued.stderr).toBe(0);
  }, 120_000);
  afterAll(() => {
    cluster?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('copies it exactly: a replica has byte-identical events, the same KPI report and every statement', async () => {
    const before = withFile(desktop, eventsDigest);
    const pushed = attest({}, 'team', 'push', '--db', desktop, '--pg', admin);
    expect(pushed.code, pushed.stderr).toBe(0);
    const head = withFile(desktop, (db) => new LedgerRepository(db).lastEvent());
    expect(pushed.stderr).toContain(`pushed ${head.seq} of ${head.seq} events`);
    expect(pushed.stdout).toContain(`head here:  #${head.seq} ${head.hash}\nhead there: #${head.seq} ${head.hash}\nverified there: intact, ${head.seq} events\n`);
    // A push only reads the file it copies.
    expect(withFile(desktop, eventsDigest)).toEqual(before);

    const replica = join(dir, 'replica.db');
    const core = openCore({ dbPath: replica, team: { url: `postgres://attest_writer:writer-secret@127.0.0.1:${cluster.port}/team`, historyCheckEveryMs: 0 }, chainPollIntervalMs: 0 });
    try {
      await core.syncTeam();
    } finally {
      await core.closeAsync();
    }
    expect(withFile(replica, eventsDigest)).toEqual(before);
    const original = withFile(desktop, figures);
    expect(Object.keys(original.statements).length).toBeGreaterThan(1);
    expect(original.statements).toHaveProperty(issuedPeriod);
    expect(withFile(replica, figures)).toEqual(original);
  }, 120_000);

  it('refuses to push another ledger into it, and leaves it as it was', () => {
    const other = join(dir, 'other.db');
    expect(attest({}, 'demo', '--db', other, '--tickets', '5', '--seed', '2').code).toBe(0);
    const headBefore = cluster.psql('team', 'SELECT max(seq) || \' \' || (SELECT hash FROM events ORDER BY seq DESC LIMIT 1) FROM events').trim();
    const refused = attest({}, 'team', 'push', '--db', other, '--pg', admin);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^attest: the team ledger 127\\.0\\.0\\.1:${cluster.port}/team is not empty \\(${headBefore.split(' ')[0]} events of another history\\)`));
    expect(cluster.psql('team', 'SELECT max(seq) || \' \' || (SELECT hash FROM events ORDER BY seq DESC LIMIT 1) FROM events').trim()).toBe(headBefore);
  });
});
