// The tickets a contract may concern (its scope) are read on every Outcomes tab and every outcome verification: from an
// index alone (migration 021), never with a lookup into the tickets table per ticket — at 300,000 tickets that lookup
// was 158 ms of the attribution counter's time. Checked with SQLite's own plan, and the ids against a filter of every
// ticket row here.
import { describe, expect, it } from 'vitest';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { OutcomeRepository } from '../../electron/core/outcomes/outcome-repository.ts';
import { tempDb } from './helpers.ts';
import { planOf, sqlPreparedBy, statementMatching } from './query-plan-kit.ts';

describe("a contract's scope read from an index alone", () => {
  it('reads the tickets in scope, of some categories or all, from a covering index, giving the ids a filter of every row gives', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 300, seed: 5, accounts: false });
    const repository = new OutcomeRepository(db);
    const rows = db.prepare('SELECT id, category, created_at FROM tickets').all() as { id: string; category: string; created_at: string }[];
    const from = rows.map((row) => row.created_at).sort()[Math.floor(rows.length / 3)]!;
    const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    for (const categories of [['password_reset', 'how_to'], null]) {
      let ids: readonly string[] = [];
      const sql = statementMatching(sqlPreparedBy(db, () => (ids = repository.ticketsInScope(from, categories))), /FROM tickets/);
      const scans = planOf(db, sql).filter((step) => / tickets /.test(` ${step} `));
      expect(scans, String(categories)).toEqual([expect.stringMatching(/USING COVERING INDEX tickets_(by_category|sort_created)/)]);
      const expected = rows.filter((row) => row.created_at >= from && (categories === null || categories.includes(row.category))).map((row) => row.id).sort(byCode);
      expect(expected.length, String(categories)).toBeGreaterThan(10);
      expect(expected.length, String(categories)).toBeLessThan(rows.length);
      expect(ids, String(categories)).toEqual(expected);
    }
  });
});
