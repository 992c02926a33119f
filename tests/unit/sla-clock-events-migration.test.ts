// Migration 018 moves each clock's metric events from the table sla_events into a JSON array on the clock's row. A
// database written before it must open with exactly the rows the SLA projection writes now, byte for byte, or the deep
// check would report every ticket as tampered after the upgrade; and the ticket's SLA panel must read the same events.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { defaultMigrationsDir } from '../../electron/core/db/migrate.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { ticketSlaRows } from '../../electron/core/sla/sla-read-repository.ts';
import { tempDb, tempDir } from './helpers.ts';

/** The table as migration 004 created it: the file's own statement, not a copy in this test. */
function slaEventsDdl(): string {
  const sql = readFileSync(join(defaultMigrationsDir(), '004_sla.sql'), 'utf8');
  const statement = /CREATE TABLE sla_events \([\s\S]*?\) STRICT, WITHOUT ROWID;/.exec(sql)?.[0];
  expect(statement).toBeDefined();
  return statement!;
}

/**
 * Turns a current database back into one written before 018: the events as rows of sla_events (inserted in a
 * shuffled order, so only their `ord` says which came first), the clocks without their `events` column, and 018 not
 * yet recorded as applied.
 */
function asBefore018(db: Db): void {
  db.exec(slaEventsDdl());
  db.exec(`INSERT INTO sla_events (ticket_id, metric, instance, ord, kind, at, seq, policy_id, policy_version, cause)
    SELECT c.ticket_id, c.metric, c.instance, CAST(e.key AS INTEGER), e.value ->> 0, e.value ->> 1, e.value ->> 2, c.policy_id, c.policy_version, e.value ->> 3
    FROM sla_clocks c, json_each(c.events) e ORDER BY random()`);
  db.exec('ALTER TABLE sla_clocks DROP COLUMN events');
  db.exec('DELETE FROM schema_migrations WHERE version = 18');
}

const clocks = (db: Db): unknown[][] => db.prepare('SELECT * FROM sla_clocks ORDER BY ticket_id, metric, instance').raw().all() as unknown[][];

describe('migration 018: a clock keeps its metric events', () => {
  it('opens a database written before it with the clock rows the projection writes now, and the same events per ticket', () => {
    const { db, path } = tempDb();
    writeDemoHistory(db, { tickets: 150, seed: 18, accounts: false });
    const expected = clocks(db);
    const tickets = db.prepare('SELECT DISTINCT ticket_id FROM sla_clocks ORDER BY ticket_id').pluck().all() as string[];
    const panels = tickets.map((ticket) => ticketSlaRows(db, ticket));
    // Breaches (no seq), pauses and several events a clock: the comparison is not between trivial arrays.
    expect(db.prepare("SELECT count(*) FROM sla_clocks c, json_each(c.events) e WHERE e.value ->> 0 = 'breach' AND e.value ->> 2 IS NULL").pluck().get()).toBeGreaterThan(0);
    expect(db.prepare("SELECT count(*) FROM sla_clocks c, json_each(c.events) e WHERE e.value ->> 0 = 'pause'").pluck().get()).toBeGreaterThan(0);
    expect(db.prepare('SELECT max(json_array_length(events)) FROM sla_clocks').pluck().get()).toBeGreaterThan(2);
    db.pragma('wal_checkpoint(TRUNCATE)');

    const oldPath = join(tempDir(), 'before-018.db');
    copyFileSync(path, oldPath);
    const old = openDatabase(oldPath);
    old.transaction(() => asBefore018(old))();
    const rows = old.prepare('SELECT count(*) FROM sla_events').pluck().get() as number;
    expect(rows).toBe(db.prepare('SELECT sum(json_array_length(events)) FROM sla_clocks').pluck().get());
    old.close();

    const upgraded = openDatabase(oldPath);
    expect(upgraded.prepare('SELECT name FROM schema_migrations WHERE version = 18').pluck().get()).toBe('018_sla_clock_events_in_clock.sql');
    expect(upgraded.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sla_events'").pluck().get()).toBe(0);
    expect(clocks(upgraded)).toEqual(expected);
    expect(tickets.map((ticket) => ticketSlaRows(upgraded, ticket))).toEqual(panels);
    upgraded.close();
  });
});
