// An event's seq can be taken only once (migration 023). SQLite carries out `INSERT OR REPLACE` and `REPLACE INTO` by
// deleting the row in the way without firing DELETE triggers (unless recursive_triggers is on), so the UPDATE and
// DELETE triggers alone let another program replace an event with both of them intact. Checked here with a raw
// connection of the driver, as another program would write, and with verify reading the file as it is.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { SMALL_FIXTURE, tempDb } from './helpers.ts';

const COLUMNS = 'seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash';

function ledgerFile(): string {
  const { db, path } = tempDb();
  importJsonlFile(db, SMALL_FIXTURE);
  db.close();
  return path;
}

/** Event #seq's row with its payload replaced, as the arguments of an INSERT of every column. */
function changedRow(raw: Database.Database, seq: number): unknown[] {
  const row = raw.prepare(`SELECT ${COLUMNS} FROM events WHERE seq = ?`).raw().get(seq) as unknown[];
  return [...row.slice(0, 6), '{"replaced":true}', ...row.slice(7)];
}

const protectionFinding = (path: string): string | null => {
  const db = new Database(path, { readonly: true });
  try {
    const status = verifyLedger(db as never);
    return status.problems.find((p) => p.problem === 'protection_removed')?.message ?? null;
  } finally {
    db.close();
  }
};

describe('an event cannot be replaced', () => {
  it('refuses INSERT OR REPLACE, REPLACE INTO, an upsert, UPDATE and DELETE of an existing event, leaving it and the chain as they were', () => {
    const path = ledgerFile();
    const raw = new Database(path);
    const before = raw.prepare(`SELECT ${COLUMNS} FROM events WHERE seq = 5`).get();
    const marks = COLUMNS.split(', ').map(() => '?').join(', ');
    const attempts = [
      `INSERT OR REPLACE INTO events (${COLUMNS}) VALUES (${marks})`,
      `REPLACE INTO events (${COLUMNS}) VALUES (${marks})`,
      `INSERT INTO events (${COLUMNS}) VALUES (${marks}) ON CONFLICT (seq) DO UPDATE SET payload = excluded.payload`,
      `INSERT OR IGNORE INTO events (${COLUMNS}) VALUES (${marks})`,
    ];
    for (const sql of attempts) expect(() => raw.prepare(sql).run(...changedRow(raw, 5)), sql).toThrow(/events are append-only: REPLACE of an existing event refused/);
    expect(() => raw.prepare("UPDATE events SET payload = '{}' WHERE seq = 5").run()).toThrow(/events are append-only: UPDATE refused/);
    expect(() => raw.prepare('DELETE FROM events WHERE seq = 5').run()).toThrow(/events are append-only: DELETE refused/);
    // With recursive triggers on, a REPLACE would fire the DELETE trigger as well; the new trigger refuses it first.
    raw.pragma('recursive_triggers = ON');
    expect(() => raw.prepare(attempts[0]!).run(...changedRow(raw, 5))).toThrow(/REPLACE of an existing event refused/);
    expect(raw.prepare(`SELECT ${COLUMNS} FROM events WHERE seq = 5`).get()).toEqual(before);
    raw.close();
    expect(protectionFinding(path)).toBeNull();
    const db = new Database(path, { readonly: true });
    expect(verifyLedger(db as never)).toMatchObject({ intact: true, eventCount: 16 });
    db.close();
  });

  it('still takes new events at new seqs (the ledger appends as before)', () => {
    const { db } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(16);
    expect(verifyLedger(db)).toMatchObject({ intact: true, eventCount: 16 });
  });

  it('reports the trigger dropped or hollowed as protection removed, and a REPLACE without it as changed content', () => {
    const path = ledgerFile();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER events_no_replace');
    raw.prepare(`INSERT OR REPLACE INTO events (${COLUMNS}) VALUES (${COLUMNS.split(', ').map(() => '?').join(', ')})`).run(...changedRow(raw, 5));
    raw.close();
    expect(protectionFinding(path)).toMatch(/missing or altered \(events_no_replace\)/);
    const db = new Database(path, { readonly: true });
    expect(verifyLedger(db as never)).toMatchObject({ intact: false, firstBadSeq: 5 });
    db.close();

    const hollow = ledgerFile();
    const other = new Database(hollow);
    other.exec(`DROP TRIGGER events_no_replace;
                CREATE TRIGGER events_no_replace BEFORE INSERT ON events WHEN 0 BEGIN SELECT RAISE(ABORT, 'events are append-only: REPLACE of an existing event refused'); END;`);
    other.close();
    expect(protectionFinding(hollow)).toMatch(/\(events_no_replace\)/);
  });

  it('is not required of a file written before migration 023, which gets it when Attest next opens the file', () => {
    const path = ledgerFile();
    const raw = new Database(path);
    // The file as Attest left it before migration 023: no trigger, no record of the migration.
    raw.exec('DROP TRIGGER events_no_replace; DELETE FROM schema_migrations WHERE version = 23;');
    raw.close();
    expect(protectionFinding(path)).toBeNull();
    const db = openDatabase(path, { mustExist: true });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'events_no_replace'").pluck().get()).toBe(1);
    db.close();
    expect(protectionFinding(path)).toBeNull();
  });
});
