// Migration 018 moved each clock's metric events from the table sla_events into a JSON array on the clock's row;
// 026 keeps only the running clocks and drops that column (the others are computed when their ticket is read). A
// database written before 018 must still open, through both, with exactly the rows the SLA projection writes now, or
// the deep check would report every ticket as tampered after the upgrade; and every ticket's SLA panel must read the
// same clocks and events as before.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { defaultMigrationsDir } from '../../electron/core/db/migrate.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { ticketSlaReport } from '../../electron/core/sla/sla-queries.ts';
import { tempDb, tempDir } from './helpers.ts';

/** The table as migration 004 created it: the file's own statement, not a copy in this test. */
function slaEventsDdl(): string {
  const sql = readFileSync(join(defaultMigrationsDir(), '004_sla.sql'), 'utf8');
  const statement = /CREATE TABLE sla_events \([\s\S]*?\) STRICT, WITHOUT ROWID;/.exec(sql)?.[0];
  expect(statement).toBeDefined();
  return statement!;
}

/**
 * Turns a current database back into one written before 018: every clock stored — the running ones as the projection
 * keeps them, and stopped and paused ones beside them — each with metric events as rows of sla_events (inserted in a
 * shuffled order, so only their `ord` says which came first), and neither 018 nor 026 recorded as applied.
 */
function asBefore018(db: Db): void {
  db.exec(slaEventsDdl());
  db.exec(`INSERT INTO sla_clocks SELECT ticket_id, metric, instance + 100, policy_id, policy_version, calendar, business, target_minutes, 'fulfilled',
             started_at, last_change_at, elapsed_ms, last_change_at, NULL, 0, fulfilled_by FROM sla_clocks`);
  db.exec(`INSERT INTO sla_events (ticket_id, metric, instance, ord, kind, at, seq, policy_id, policy_version, cause)
    SELECT c.ticket_id, c.metric, c.instance, n.value, CASE n.value WHEN 0 THEN 'activate' WHEN 1 THEN 'breach' ELSE 'pause' END, c.started_at,
           CASE n.value WHEN 1 THEN NULL ELSE n.value + 1 END, c.policy_id, c.policy_version, 'cause ' || n.value
    FROM sla_clocks c, json_each('[0, 1, 2]') n ORDER BY random()`);
  db.exec('DELETE FROM schema_migrations WHERE version IN (18, 26)');
}

const clocks = (db: Db): unknown[][] => db.prepare('SELECT * FROM sla_clocks ORDER BY ticket_id, metric, instance').raw().all() as unknown[][];

describe('migrations 018 and 026: a file from before 018 opens with the clocks the projection stores now', () => {
  it('keeps the running clocks as the projection writes them, drops sla_events and the events column, and shows the same panels', () => {
    const { db, path } = tempDb();
    writeDemoHistory(db, { tickets: 150, seed: 18, accounts: false });
    const expected = clocks(db);
    expect(expected.length).toBeGreaterThan(0);
    const tickets = db.prepare('SELECT id FROM tickets ORDER BY id').pluck().all() as string[];
    const asOf = '2026-12-01T00:00:00.000Z';
    const panels = tickets.map((ticket) => ticketSlaReport(db, ticket, asOf));
    db.pragma('wal_checkpoint(TRUNCATE)');

    const oldPath = join(tempDir(), 'before-018.db');
    copyFileSync(path, oldPath);
    const old = openDatabase(oldPath);
    old.transaction(() => asBefore018(old))();
    expect(old.prepare('SELECT count(*) FROM sla_events').pluck().get()).toBe(3 * 2 * expected.length);
    old.close();

    const upgraded = openDatabase(oldPath);
    expect(upgraded.prepare('SELECT name FROM schema_migrations WHERE version = 18').pluck().get()).toBe('018_sla_clock_events_in_clock.sql');
    expect(upgraded.prepare('SELECT name FROM schema_migrations WHERE version = 26').pluck().get()).toBe('026_sla_clocks_running_only.sql');
    expect(upgraded.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sla_events'").pluck().get()).toBe(0);
    expect(upgraded.prepare("SELECT count(*) FROM pragma_table_info('sla_clocks') WHERE name = 'events'").pluck().get()).toBe(0);
    expect(clocks(upgraded)).toEqual(expected);
    expect(tickets.map((ticket) => ticketSlaReport(upgraded, ticket, asOf))).toEqual(panels);
    upgraded.close();
  });
});
