// Every SLA compliance figure (the KPI overview, the SLA board) counts the open outcomes per request: whether an open
// clock is breached depends on the instant asked about, so the rollup cannot hold them. Migration 020 makes that count
// a read of one small index (only open outcomes are in it) with every column it needs, no lookup into the table of
// every outcome per row — at 300,000 tickets 21–37 ms became 4–10 ms. Checked with SQLite's own plan, and the counts
// against a recount of the stored rows here.
import { describe, expect, it } from 'vitest';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { openOutcomeCounts, type CountRow } from '../../electron/core/sla/sla-read-repository.ts';
import { tempDb } from './helpers.ts';
import { planOf, sqlPreparedBy, statementMatching } from './query-plan-kit.ts';

type OpenRow = { metric: string; created_at: string; deadline: string | null; priority: string; category: string; actor: string };

describe('open SLA outcomes counted from their own index', () => {
  it('reads the open outcomes from a covering index for every grouping, with the counts a recount of the rows gives', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 400, seed: 3, accounts: false });
    const open = db.prepare("SELECT metric, created_at, deadline, priority, category, actor FROM sla_outcomes WHERE outcome = 'open'").all() as OpenRow[];
    // The demo leaves tickets open at its end, with and without a deadline passed: the counts below are not vacuous.
    expect(open.length).toBeGreaterThan(10);
    const created = open.map((row) => row.created_at).sort();
    const fromTs = created[Math.floor(created.length / 4)]!;
    const toTs = created[created.length - 1]!;
    const deadlines = open.flatMap((row) => (row.deadline === null ? [] : [row.deadline])).sort();
    const asOf = deadlines[Math.floor(deadlines.length / 2)]!;
    for (const by of [undefined, 'priority', 'category', 'actor'] as const) {
      let counts: CountRow[] = [];
      const sql = statementMatching(sqlPreparedBy(db, () => (counts = openOutcomeCounts(db, by, asOf, [[fromTs, toTs]]))), /outcome = 'open'/);
      const plan = planOf(db, sql);
      expect(plan.filter((step) => step.includes('sla_outcomes')), String(by)).toEqual([expect.stringContaining('USING COVERING INDEX sla_outcomes_open')]);

      const expected = new Map<string, [number, number]>();
      for (const row of open) {
        if (row.created_at < fromTs || row.created_at >= toTs) continue;
        const key = `${row.metric}|${by === undefined ? '' : row[by]}`;
        const tally = expected.get(key) ?? [0, 0];
        if (row.deadline !== null && row.deadline <= asOf) tally[0]++;
        else tally[1]++;
        expected.set(key, tally);
      }
      const got = new Map(counts.map(([metric, key, breached, inProgress]) => [`${metric}|${key}`, [breached, inProgress]]));
      expect(got, String(by)).toEqual(expected);
      // Both sides of asOf are counted: open outcomes already breached, and others still in progress.
      const totals = [...expected.values()].reduce(([b, p], [breached, inProgress]) => [b + breached, p + inProgress], [0, 0]);
      expect(totals[0], String(by)).toBeGreaterThan(0);
      expect(totals[1], String(by)).toBeGreaterThan(0);
    }
  });
});
