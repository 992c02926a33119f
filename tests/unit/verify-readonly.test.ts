// `attest verify` as an auditor uses it: read-only (the file's bytes never change, a read-only copy can be checked),
// one consistent snapshot (concurrent commits never look like a break), and every way the record can be hollowed out
// besides the chain itself: dropped protections, a missing head, a wiped or shortened ledger, edited projection rows.
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { buildStatement } from '../../electron/core/outcomes/statement.ts';
import { ChainMonitor } from '../../electron/core/verification/chain-monitor.ts';
import { verifyDatabaseFile } from '../../electron/core/verification/verify-database.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';
import { aiSolved, loadContract, record } from './outcome-kit.ts';
import { sha256OfFile } from './trust-kit.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

function attest(args: string[], asUser?: string): { code: number | null; stdout: string; stderr: string } {
  const [command, commandArgs] = asUser ? ['runuser', ['-u', asUser, '--', process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
  const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A closed ledger file holding the small fixture (16 events: 15 lines and their import.file record). */
function smallLedger(dir: string, name = 'ledger.db'): string {
  const path = join(dir, name);
  const db = openDatabase(path);
  importJsonlFile(db, SMALL_FIXTURE);
  db.close();
  return path;
}

/** Raw SQL as an attacker with the sqlite3 shell runs it; `restore` puts the protection triggers back afterwards. */
function attack(path: string, sql: string, restore = true): void {
  const db = new Database(path);
  try {
    db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
    db.exec(sql);
    if (restore) {
      db.exec(`CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
               CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;`);
    }
  } finally {
    db.close();
  }
}

/** Whether an unprivileged user can run this project's Node here (root in CI; then writes are really denied). */
function unprivilegedUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const probe = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '--version'], { encoding: 'utf8' });
  return probe.status === 0 ? 'nobody' : undefined;
}

describe('attest verify is read-only', () => {
  it('leaves a 0444 file in a read-only folder byte-identical, and checks it there', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755); // mkdtemp makes it private; the unprivileged reader must reach the folder inside
    const folder = join(dir, 'handed-over');
    spawnSync('mkdir', [folder]);
    const path = smallLedger(folder);
    chmodSync(path, 0o444);
    chmodSync(folder, 0o555);
    const before = sha256OfFile(path);
    const listing = () => readdirSync(folder).filter((name) => !name.endsWith('-wal') && !name.endsWith('-shm'));
    const files = listing();
    // As root nothing is denied, so the check also runs as an unprivileged user where that is possible.
    const user = unprivilegedUser();
    for (const asUser of user ? [undefined, user] : [undefined]) {
      const result = attest(['verify', '--db', path, '--json'], asUser);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ intact: true, eventCount: 16, problems: [] });
      expect(sha256OfFile(path)).toBe(before);
      // Nothing but SQLite's own (empty) WAL index files may appear beside it, and only where the reader may write.
      expect(listing()).toEqual(files);
    }
    chmodSync(folder, 0o755);
  });

  it('names a database of a newer schema plainly, and checks an older one as it is', () => {
    const dir = tempDir();
    const path = smallLedger(dir);
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (999, '999_future.sql', 'x', '2030-01-01')").run();
    db.close();
    const before = sha256OfFile(path);
    const result = attest(['verify', '--db', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/written by a newer version of Attest \(schema 999; this version knows up to \d+\)/);
    expect(sha256OfFile(path)).toBe(before);

    const older = smallLedger(dir, 'older.db');
    const raw = new Database(older);
    raw.prepare('DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)').run();
    raw.close();
    const olderResult = attest(['verify', '--db', older]);
    expect(olderResult.code).toBe(0);
    expect(olderResult.stderr).toMatch(/note: schema version \d+ \(this Attest writes \d+\); verified as it is, without upgrading/);
  });
});

describe('one snapshot: concurrent commits never look like a break', () => {
  it('hundreds of verifications while another connection keeps appending all report intact', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const path = smallLedger(dir);
    const stop = new SharedArrayBuffer(4);
    const worker = new Worker(new URL('../support/append-worker.ts', import.meta.url), { workerData: { dbPath: path, stop } });
    const appended = new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const counts: number[] = [];
    try {
      for (let i = 0; i < 300; i++) {
        const { status } = await verifyDatabaseFile(path);
        expect(status.problems).toEqual([]);
        expect(status.intact).toBe(true);
        counts.push(status.eventCount);
      }
    } finally {
      Atomics.store(new Int32Array(stop), 0, 1);
    }
    const total = await appended;
    // The writer really committed while verification ran: the verified counts moved on between checks.
    expect(total).toBeGreaterThan(0);
    expect(new Set(counts).size).toBeGreaterThan(1);
    expect((await verifyDatabaseFile(path)).status).toMatchObject({ intact: true, eventCount: 16 + total });
  });
});

describe('verify finds the record hollowed out around an intact chain', () => {
  it('a wiped ledger (events and head deleted, triggers restored) does not verify', () => {
    const path = smallLedger(tempDir());
    attack(path, 'DELETE FROM events; DELETE FROM ledger_head;');
    const result = attest(['verify', '--db', path, '--json']);
    expect(result.code).toBe(1);
    const status = JSON.parse(result.stdout);
    expect(status).toMatchObject({ intact: false, chainIntact: true, eventCount: 0, problem: 'projection_mismatch' });
    expect(status.message).toMatch(/lists 3 of 3 tickets of which the ledger holds no event/);

    // Also deleting the ticket rows leaves the projections kept beside them describing tickets nobody lists.
    const thorough = smallLedger(tempDir());
    attack(thorough, 'DELETE FROM events; DELETE FROM ledger_head; DELETE FROM tickets;');
    const again = attest(['verify', '--db', thorough]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^BROKEN: projection_mismatch — ticket_counts describes 3 tickets, the ticket projection lists 0: ticket rows were removed outside Attest/m);

    // And the queue's counts too: the KPI facts still describe the tickets.
    const counts = smallLedger(tempDir());
    attack(counts, 'DELETE FROM events; DELETE FROM ledger_head; DELETE FROM tickets; DELETE FROM ticket_counts;');
    const third = attest(['verify', '--db', counts]);
    expect(third.code).toBe(1);
    expect(third.stdout).toMatch(/^BROKEN: projection_mismatch — kpi_ticket_facts describes 3 tickets, the ticket projection lists 0/m);
  });

  it('a shortened ledger with a rewritten head is named by the projections it leaves behind', () => {
    const path = smallLedger(tempDir());
    attack(path, "DELETE FROM events WHERE seq > 10; UPDATE ledger_head SET seq = 10, hash = (SELECT hash FROM events WHERE seq = 10);");
    const result = attest(['verify', '--db', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^BROKEN: projection_mismatch — the ticket projections were built from 15 ticket events, the ledger holds 10/m);
  });

  it('dropped protection triggers and a missing head are reported', () => {
    const dir = tempDir();
    const unprotected = smallLedger(dir, 'a.db');
    attack(unprotected, 'SELECT 1', false);
    const a = attest(['verify', '--db', unprotected, '--json']);
    expect(a.code).toBe(1);
    expect(JSON.parse(a.stdout)).toMatchObject({ intact: false, chainIntact: true, problem: 'protection_removed' });
    expect(JSON.parse(a.stdout).message).toMatch(/events_no_update, events_no_delete/);

    // Triggers of the right names that protect nothing are no protection either.
    const hollow = smallLedger(dir, 'c.db');
    attack(hollow, `CREATE TRIGGER events_no_update BEFORE UPDATE ON events WHEN 0 BEGIN SELECT 1; END;
                    CREATE TRIGGER events_no_delete BEFORE DELETE ON events WHEN 0 BEGIN SELECT 1; END;`, false);
    const c = attest(['verify', '--db', hollow, '--json']);
    expect(c.code).toBe(1);
    expect(JSON.parse(c.stdout)).toMatchObject({ problem: 'protection_removed' });

    const headless = smallLedger(dir, 'b.db');
    attack(headless, 'DELETE FROM ledger_head');
    const b = attest(['verify', '--db', headless]);
    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(/^BROKEN: head_missing — the recorded head is missing although the ledger holds 16 events/m);
  });

  it('verify --deep names an edited projection row that a decision could read, and the statement never bills it', () => {
    const dir = tempDir();
    const path = join(dir, 'billing.db');
    const db = openDatabase(path);
    loadContract(db);
    record(db, aiSolved('T-1', '2026-10-05T10:00:00Z'), '2026-10-05T11:00:00Z');
    runVerification(db, '2026-10-20T00:00:00Z');
    const billed = buildStatement(db, '2026-10');
    db.close();
    expect(billed).toMatchObject({ verified: 1, total: '0.99' });

    attack(path, "UPDATE outcome_events SET payload = json_set(payload, '$.price', '99.99') WHERE type = 'outcome.verified'");
    const plain = attest(['verify', '--db', path]);
    expect(plain.code).toBe(0); // the chain and the counts hold: only the row comparison can see it
    const deep = attest(['verify', '--db', path, '--deep', '--json']);
    expect(deep.code).toBe(1);
    const report = JSON.parse(deep.stdout);
    expect(report.problem).toBe('projection_mismatch');
    expect(report.deep.differences.map((d: { table: string }) => d.table)).toEqual(['outcome_events']);
    expect(report.deep.differences[0]).toMatchObject({ notFromLedger: 1, missingFromFile: 1 });
    expect(JSON.stringify(report.deep.differences[0].samples.notFromLedger)).toContain('99.99');

    const after = openDatabase(path);
    expect(buildStatement(after, '2026-10')).toMatchObject({ verified: 1, total: '0.99' });
    after.close();
  });

  it('export of a ledger that does not verify exits non-zero, unless --allow-broken', () => {
    const dir = tempDir();
    const path = smallLedger(dir);
    attack(path, "UPDATE events SET payload = json_set(payload, '$.body', 'changed') WHERE seq = 2");
    const refused = attest(['export', '--db', path, '--out', join(dir, 'out.jsonl')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to export a ledger that does not verify: BROKEN at #2: content_changed/);
    const allowed = attest(['export', '--db', path, '--out', join(dir, 'out.jsonl'), '--allow-broken', '--json']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ events: 16, intact: false, checkpoint: null });
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n')).toHaveLength(16);
  });
});

describe('the console chain monitor never reports a verdict it did not re-read', () => {
  it('checks every event on open, each increment after, and a change made after opening on "verify now"', async () => {
    const dir = tempDir();
    const path = smallLedger(dir);
    const pushed: string[] = [];
    const monitor = new ChainMonitor(path, { pollIntervalMs: 0, onStatus: (s) => pushed.push(s.state) });
    monitor.start();
    const opened = await monitor.verifyNow();
    expect(opened).toMatchObject({ state: 'verified', verifiedEvents: 16, status: { intact: true, eventCount: 16 } });
    expect(pushed[0]).toBe('verifying');

    const extra = join(dir, 'more.jsonl');
    writeFileSync(extra, '{"ticket":"T-1","type":"csat","at":"2026-10-03T09:00:00Z","score":4}\n');
    const db = openDatabase(path);
    importJsonlFile(db, extra);
    db.close();
    monitor.ledgerChanged();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await monitor.verifyNow(); // queued after the increment
    const grown = monitor.status();
    expect(grown).toMatchObject({ state: 'verified', status: { eventCount: 18 } });
    // 16 on open + 2 in the increment, then the full re-read of all 18.
    expect(grown.verifiedEvents).toBe(18);

    attack(path, "UPDATE events SET payload = json_set(payload, '$.body', 'changed later') WHERE seq = 5");
    // Until it re-reads, it reports what it read before, with when; "verify now" re-reads every event.
    expect(monitor.status().status!.intact).toBe(true);
    const after = await monitor.verifyNow();
    expect(after).toMatchObject({ state: 'broken', status: { intact: false, firstBadSeq: 5, problem: 'content_changed' } });
    expect(after.status!.problems[0]!.ticket).toBe('T-1');
    monitor.close();
  });
});

describe('"verify now" asked while a full check runs', () => {
  it('covers the events appended after that check read its snapshot (a team sync, an import), not only the running check\'s', async () => {
    const dir = tempDir();
    const path = smallLedger(dir);
    const extra = join(dir, 'more.jsonl');
    writeFileSync(extra, '{"ticket":"T-1","type":"csat","at":"2026-10-03T09:00:00Z","score":4}\n');
    let askedDuringCheck: Promise<unknown> | null = null;
    const monitor = new ChainMonitor(path, {
      pollIntervalMs: 0,
      deepCheck: false,
      onStatus: (status) => {
        // The open check's thread has read its snapshot (it reports its total) and has not reported its verdict yet.
        if (askedDuringCheck || status.state !== 'verifying' || !status.progress?.total) return;
        const db = openDatabase(path);
        importJsonlFile(db, extra);
        db.close();
        askedDuringCheck = monitor.verifyNow();
      },
    });
    monitor.start();
    const opened = await monitor.verifyNow();
    expect(opened).toMatchObject({ status: { eventCount: 16 } });
    expect(askedDuringCheck).not.toBeNull();
    expect(await askedDuringCheck).toMatchObject({ state: 'verified', status: { intact: true, eventCount: 18 } });
    monitor.close();
  });
});

describe('a damaged file', () => {
  it('a doctored index (rows of another ticket behind a ticket id) is reported by verify, also by the integrity check run beside the chain threads', async () => {
    const path = smallLedger(tempDir());
    // Sound first: with the chain in worker threads, SQLite's integrity check runs in a thread of its own beside them.
    const sound = await verifyDatabaseFile(path, { threads: 2, minEvents: 0 });
    expect(sound).toMatchObject({ threads: 2, integrityAlongside: true, status: { intact: true } });
    // The index that rules, explanations and reports read a ticket's events through, swapped for one built over
    // other rows: SQLite's quick check does not compare an index with its table; verification must.
    const db = new Database(path);
    db.exec("CREATE TABLE decoy AS SELECT seq, CASE WHEN seq = 3 THEN 'X-9' ELSE ticket_id END AS ticket_id FROM events; CREATE INDEX decoy_idx ON decoy (ticket_id, seq);");
    const root = (name: string) => db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(name) as number;
    const [real, decoy] = [root('events_by_ticket'), root('decoy_idx')];
    const version = db.pragma('schema_version', { simple: true }) as number;
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare('UPDATE sqlite_master SET rootpage = ? WHERE name = ?').run(decoy, 'events_by_ticket');
    db.prepare('UPDATE sqlite_master SET rootpage = ? WHERE name = ?').run(real, 'decoy_idx');
    db.pragma(`schema_version = ${version + 1}`);
    db.close();
    const result = attest(['verify', '--db', path, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ intact: false, chainIntact: true, problem: 'file_damaged' });
    const threaded = await verifyDatabaseFile(path, { threads: 2, minEvents: 0 });
    expect(threaded).toMatchObject({ threads: 2, integrityAlongside: true, status: { intact: false, chainIntact: true, problem: 'file_damaged' } });
  });

  it('is reported by verify and never written to', () => {
    const dir = tempDir();
    const path = smallLedger(dir);
    // Damage one page the way a failing disk would: the header of a projection index's root page.
    const raw = new Database(path);
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    const root = raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'outcome_events_by_type'").pluck().get() as number;
    raw.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(12, 0xff), 0, 12, (root - 1) * pageSize);
    closeSync(fd);
    const before = sha256OfFile(path);

    const more = join(dir, 'more.jsonl');
    writeFileSync(more, '{"ticket":"Z-1","type":"created","at":"2026-10-01T09:00:00Z","channel":"email","priority":"low","category":"x","subject":"s"}\n');
    const refused = attest(['import', '--db', path, more]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/fails SQLite's integrity check \(.+\); Attest will not write to it/);
    expect(sha256OfFile(path)).toBe(before);

    const verified = attest(['verify', '--db', path, '--json']);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toMatchObject({ intact: false, chainIntact: true, problem: 'file_damaged' });
    expect(sha256OfFile(path)).toBe(before);
  });
});

describe('the console deep check', () => {
  it('re-derives every projection in a worker after the full check and turns the verdict on an edited row', { timeout: 60_000 }, async () => {
    const path = smallLedger(tempDir());
    const settled = async (monitor: ChainMonitor) => {
      for (let i = 0; i < 600 && (monitor.status().deep?.state ?? 'running') === 'running'; i++) await new Promise((r) => setTimeout(r, 50));
      return monitor.status();
    };
    const clean = new ChainMonitor(path, { pollIntervalMs: 0 });
    await clean.verifyNow();
    expect(await settled(clean)).toMatchObject({ state: 'verified', deep: { state: 'passed', message: null } });
    expect(clean.status().deep!.rowsCompared).toBeGreaterThan(0);
    clean.close();

    attack(path, "UPDATE tickets SET status = 'solved' WHERE id = 'T-3'");
    const monitor = new ChainMonitor(path, { pollIntervalMs: 0 });
    const chainOnly = await monitor.verifyNow();
    expect(chainOnly.status).toMatchObject({ intact: true }); // the chain and counts hold…
    const after = await settled(monitor); // …the rebuilt projection does not
    expect(after).toMatchObject({ state: 'broken', deep: { state: 'failed' }, status: { intact: false, chainIntact: true, problem: 'projection_mismatch' } });
    expect(after.status!.message).toMatch(/^projection tickets: 1 row\(s\) not derived from the ledger/);
    monitor.close();
  });
});

describe('reports never change the file', () => {
  it('kpis, sla, explain, statement, disputes, categories, board and prove leave a rollback-journal file byte-identical', { timeout: 120_000 }, () => {
    const dir = tempDir();
    const path = smallLedger(dir);
    // In rollback-journal mode any write (a migration, a journal switch) would show in the file's bytes at once.
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = sha256OfFile(path);
    const reads = [
      ['kpis', '--db', path, '--from', '2026-10-01', '--to', '2026-10-31', '--json'],
      ['sla', '--db', path, '--ticket', 'T-1', '--json'],
      ['explain', '--db', path, '--ticket', 'T-1', '--json'],
      ['statement', '--db', path, '--period', '2026-10'],
      ['disputes', '--db', path, '--json'],
      ['categories', '--db', path, '--json'],
      ['board', '--db', path, '--from', '2026-10-01', '--to', '2026-10-31', '--json'],
      ['prove', '--db', path, '--seq', '3', '--json'],
      ['verify', '--db', path, '--deep', '--json'],
    ];
    for (const args of reads) {
      const result = attest(args);
      expect(`${args[0]}: ${result.code === 0 || result.stderr.includes('no outcome contract') ? 'ok' : result.stderr}`).toBe(`${args[0]}: ok`);
      expect(sha256OfFile(path), args[0]).toBe(before);
    }
    expect(readdirSync(dir).sort()).toEqual(['ledger.db']);
  });
});
