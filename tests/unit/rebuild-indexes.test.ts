// A full rebuild writes each projection's tables without their secondary indexes and builds them again afterwards
// (electron/core/db/secondary-indexes.ts). The file must come out with exactly the schema it had — every index, by
// its own CREATE statement — and exactly the rows; a rebuild that fails must leave the indexes where they were.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { withoutSecondaryIndexes } from '../../electron/core/db/secondary-indexes.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { tempDb } from './helpers.ts';

const schema = (db: Db): unknown[] => db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').raw().all();

function rows(db: Db): Record<string, string[]> {
  const tables = db
    // Full-text search tables are left out: FTS5 lays its own internal rows out anew on every rebuild.
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%search%' AND name NOT LIKE 'kb_fts%' ORDER BY name")
    .pluck()
    .all() as string[];
  // Sorted here, whole rows: SQLite's order of rows equal in an ORDER BY depends on the indexes it reads them by.
  const sorted = (table: string): string[] => (db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][]).map((row) => JSON.stringify(row)).sort();
  return Object.fromEntries(tables.map((table) => [table, sorted(table)]));
}

/** Every index the rebuild drops, and that SQLite uses it again: a lookup by an indexed column searches, never scans. */
const indexedLookups: [string, string][] = [
  ['SELECT id FROM tickets WHERE status = ? ORDER BY created_at DESC', 'tickets_by_status'],
  ['SELECT seq FROM messages WHERE ticket_id = ?', 'messages_by_ticket'],
  ['SELECT ticket_id FROM sla_outcomes WHERE metric = ? AND outcome = ? AND created_at > ?', 'sla_outcomes_by_created'],
  ['SELECT ticket_id FROM kpi_ticket_facts WHERE created_at > ?', 'kpi_facts_by_created'],
];

describe('a full rebuild without secondary indexes', () => {
  it('leaves the same schema, the same rows and indexes SQLite uses', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 300, seed: 5, accounts: false });
    const before = { schema: schema(db), rows: rows(db) };
    const report = rebuildAllProjections(db);
    expect(report.tickets).toBe(300);
    expect(schema(db)).toEqual(before.schema);
    expect(rows(db)).toEqual(before.rows);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const [query, index] of indexedLookups) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...Array.from({ length: (query.match(/\?/g) ?? []).length }, () => 'x')) as { detail: string }[])
        .map((step) => step.detail)
        .join('; ');
      expect(plan).toMatch(new RegExp(`USING (COVERING )?INDEX ${index}\\b`));
    }
  });

  it('restores every index when the work fails, with the transaction it runs in', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 30, seed: 5, accounts: false });
    const before = schema(db);
    expect(() =>
      db.transaction(() =>
        withoutSecondaryIndexes(db, ['tickets', 'sla_outcomes'], () => {
          expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tickets' AND sql IS NOT NULL").pluck().get()).toBe(0);
          throw new Error('the rebuild failed');
        }),
      )(),
    ).toThrow('the rebuild failed');
    expect(schema(db)).toEqual(before);
  });

  it('refuses to run outside a transaction, where nothing could restore the indexes', () => {
    const { db } = tempDb();
    expect(() => withoutSecondaryIndexes(db, ['tickets'], () => 1)).toThrow(/inside a transaction/);
  });
});
