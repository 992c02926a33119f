// The open SLA outcomes counted per creation day and deadline day (025_sla_open_rollup.sql): every compliance figure
// reads whole days from it, and only the outcomes due on the as-of day row by row. Checked against a recount of the
// stored outcome rows done here (whole days, partial edges, every grouping, as-of instants inside a day with deadlines
// on both sides), the rollup against a recount of the open rows after a demo, an import and a rebuild, the migration
// against the same recount on a file projected before it, and the reads with SQLite's own plans.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { generateDemoHistory } from '../../electron/core/demo/generator.ts';
import { defaultSlaPolicyLine } from '../../electron/core/sla/default-policies.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { slaCompliance } from '../../electron/core/sla/sla-queries.ts';
import { openRollupCounts } from '../../electron/core/sla/sla-read-repository.ts';
import { adjustRollup } from '../../electron/core/sla/sla-repository.ts';
import { tempDb, tempDir } from './helpers.ts';
import { planOf, sqlPreparedBy, statementMatching } from './query-plan-kit.ts';

type OutcomeRow = { metric: string; created_at: string; outcome: string; deadline: string | null; priority: string; category: string; actor: string };
const GROUPINGS = [undefined, 'priority', 'category', 'actor'] as const;
const DAY = 86_400_000;

const OUTCOME_COLUMNS = 'metric, created_at, outcome, deadline, priority, category, actor';
const outcomeRows = (db: Db): OutcomeRow[] => db.prepare(`SELECT ${OUTCOME_COLUMNS} FROM sla_outcomes`).all() as OutcomeRow[];

/** The open rollup as a recount of these outcome rows gives it: "dim|day|metric|key|deadline day" → count. */
function recountOpen(rows: readonly OutcomeRow[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const row of rows) {
    if (row.outcome !== 'open') continue;
    for (const [dim, key] of [['all', ''], ['priority', row.priority], ['category', row.category], ['actor', row.actor]]) {
      const id = [dim, row.created_at.slice(0, 10), row.metric, key, row.deadline?.slice(0, 10) ?? ''].join('|');
      expected.set(id, (expected.get(id) ?? 0) + 1);
    }
  }
  return expected;
}

const recountOpenRollup = (db: Db): Map<string, number> => recountOpen(outcomeRows(db));

function storedOpenRollup(db: Db): Map<string, number> {
  const rows = db.prepare('SELECT dim, day, metric, key, deadline_day, open FROM sla_open_rollup').raw().all() as [string, string, string, string, string, number][];
  return new Map(rows.map(([dim, day, metric, key, deadlineDay, open]) => [[dim, day, metric, key, deadlineDay].join('|'), open]));
}

/** Compliance counts of tickets created in [fromTs, toTs) as of `asOf`, recounted from the rows: "group|metric" → counts. */
function recountCompliance(rows: readonly OutcomeRow[], by: (typeof GROUPINGS)[number], fromTs: string, toTs: string, asOf: string): Map<string, [number, number, number]> {
  const tally = new Map<string, [number, number, number]>();
  for (const row of rows) {
    if (row.created_at < fromTs || row.created_at >= toTs) continue;
    const due = row.deadline !== null && row.deadline <= asOf;
    const counts = [row.outcome === 'achieved' ? 1 : 0, row.outcome === 'breached' || (row.outcome === 'open' && due) ? 1 : 0, row.outcome === 'open' && !due ? 1 : 0];
    for (const key of by === undefined ? [''] : ['', row[by]]) {
      const id = `${key}|${row.metric}`;
      const sum = tally.get(id) ?? [0, 0, 0];
      tally.set(id, [sum[0] + counts[0]!, sum[1] + counts[1]!, sum[2] + counts[2]!]);
    }
  }
  return tally;
}

function reportedCompliance(report: ReturnType<typeof slaCompliance>): Map<string, [number, number, number]> {
  const got = new Map<string, [number, number, number]>();
  const put = (key: string, counts: ReturnType<typeof slaCompliance>['metrics']): void => {
    for (const [metric, c] of Object.entries(counts)) if (c.achieved + c.breached + c.inProgress > 0) got.set(`${key}|${metric}`, [c.achieved, c.breached, c.inProgress]);
  };
  put('', report.metrics);
  for (const [key, counts] of Object.entries(report.groups)) put(key, counts);
  return got;
}

function demoDb(tickets: number): Db {
  const { db } = tempDb();
  writeDemoHistory(db, { tickets, seed: 7, accounts: false });
  return db;
}

describe('the open SLA outcomes rollup', () => {
  it('holds what a recount of the open rows gives, after a demo, after imports that end open outcomes, and after a rebuild', () => {
    const demo = demoDb(300);
    const open = outcomeRows(demo).filter((row) => row.outcome === 'open');
    // Not vacuous: open outcomes with and without a deadline.
    expect(open.some((row) => row.deadline === null)).toBe(true);
    expect(open.some((row) => row.deadline !== null)).toBe(true);
    expect(storedOpenRollup(demo)).toEqual(recountOpenRollup(demo));

    // An import whose second file continues tickets the first left open: their open outcomes end or move.
    const dir = tempDir();
    const lines = [...generateDemoHistory({ tickets: 200, seed: 11 })].map((line) => JSON.stringify(line));
    const cut = Math.floor(lines.length * 0.6);
    const write = (name: string, part: string[]): string => {
      const file = join(dir, name);
      writeFileSync(file, `${part.join('\n')}\n`);
      return file;
    };
    const { db } = tempDb();
    importJsonlFile(db, write('policy.jsonl', [JSON.stringify(defaultSlaPolicyLine('2026-04-01T00:00:00.000Z'))]), { recordedAt: '2026-04-01T00:00:00.000Z' });
    importJsonlFile(db, write('first.jsonl', lines.slice(0, cut)));
    const before = storedOpenRollup(db);
    expect(before).toEqual(recountOpenRollup(db));
    importJsonlFile(db, write('second.jsonl', lines.slice(cut)));
    const after = storedOpenRollup(db);
    expect(after).toEqual(recountOpenRollup(db));
    expect(after).not.toEqual(before);
    db.transaction(() => rebuildAllProjections(db)).immediate();
    expect(storedOpenRollup(db)).toEqual(after);

    // Taking every ticket's outcomes out leaves no row behind (none at zero); putting them back gives the recount.
    for (const ledger of [db, demo]) {
      const rollup = storedOpenRollup(ledger);
      const everyTicket = JSON.stringify(ledger.prepare('SELECT DISTINCT ticket_id FROM sla_outcomes').pluck().all());
      ledger.transaction(() => adjustRollup(ledger, everyTicket, -1))();
      expect(ledger.prepare('SELECT count(*) FROM sla_open_rollup').pluck().get()).toBe(0);
      expect(ledger.prepare('SELECT count(*) FROM sla_rollup').pluck().get()).toBe(0);
      ledger.transaction(() => adjustRollup(ledger, everyTicket, 1))();
      expect(storedOpenRollup(ledger)).toEqual(rollup);
    }
  });

  it('adds and removes tickets whose open outcomes share a day, metric and deadline day under different groups', () => {
    const { db } = tempDb();
    // Outcome rows as the SLA projection stores them, for tickets no event names: adjustRollup reads only these.
    const insert = db.prepare('INSERT INTO sla_outcomes (ticket_id, metric, created_at, priority, category, actor, outcome, deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const priorities = ['low', 'normal', 'high', 'urgent'];
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const id = `T-${String(i).padStart(3, '0')}`;
      ids.push(id);
      const created = `2026-05-0${1 + (i % 3)}T0${i % 10}:00:00.000Z`;
      const deadline = i % 5 === 0 ? null : `2026-05-0${4 + (i % 2)}T12:00:00.000Z`;
      insert.run(id, 'first_response', created, priorities[i % 4], i % 2 ? 'billing' : 'access', i % 3 ? 'ai' : 'human', 'open', deadline);
      insert.run(id, 'resolution', created, priorities[i % 4], 'billing', 'ai', i % 4 ? 'open' : 'achieved', deadline);
    }
    const recountOf = (tickets: readonly string[]): Map<string, number> =>
      recountOpen(db.prepare(`SELECT ${OUTCOME_COLUMNS} FROM sla_outcomes WHERE ticket_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(tickets)) as OutcomeRow[]);
    db.transaction(() => adjustRollup(db, JSON.stringify(ids), 1))();
    const all = storedOpenRollup(db);
    expect(all).toEqual(recountOf(ids));
    // Several groups land on each row of the 'all' dimension: the sums below are not one row's copy.
    expect(Math.max(...[...all].filter(([id]) => id.startsWith('all|')).map(([, n]) => n))).toBeGreaterThan(3);
    const removed = ids.filter((_, i) => i % 3 !== 1);
    db.transaction(() => adjustRollup(db, JSON.stringify(removed), -1))();
    expect(storedOpenRollup(db)).toEqual(recountOf(ids.filter((id) => !removed.includes(id))));
  });

  it('gives the compliance counts a recount of the rows gives: whole days, partial edges, every grouping, as-of instants inside a day', () => {
    const db = demoDb(400);
    const rows = outcomeRows(db);
    const deadlines = rows.flatMap((row) => (row.outcome === 'open' && row.deadline !== null ? [row.deadline] : [])).sort();
    expect(deadlines.length).toBeGreaterThan(10);
    const created = rows.map((row) => row.created_at).sort();
    const [first, last] = [Date.parse(created[0]!), Date.parse(created.at(-1)!)];
    // As-of instants on days with deadlines (some of that day's before, some after), and one before them all.
    const asOfs = [deadlines[Math.floor(deadlines.length / 2)]!, new Date(Date.parse(deadlines.at(-1)!) - 1).toISOString(), new Date(Date.parse(deadlines[0]!) - 7 * DAY).toISOString()];
    const ranges: [string, string][] = [
      [created[0]!.slice(0, 10), created.at(-1)!.slice(0, 10)],
      [new Date(first + 0.37 * (last - first)).toISOString(), new Date(last + DAY).toISOString()],
      [new Date(first + 0.5 * (last - first)).toISOString(), new Date(first + 0.5 * (last - first) + 3 * 3_600_000).toISOString()],
      [new Date(first + 0.61 * (last - first)).toISOString().slice(0, 10), created.at(-1)!],
    ];
    let dueThatDay = 0;
    for (const asOf of asOfs) {
      dueThatDay += deadlines.filter((deadline) => deadline.slice(0, 10) === asOf.slice(0, 10)).length;
      for (const [from, to] of ranges) {
        for (const by of GROUPINGS) {
          const report = slaCompliance(db, { from, to, ...(by ? { by } : {}) }, asOf);
          const fromTs = from.length === 10 ? `${from}T00:00:00.000Z` : from;
          const toTs = to.length === 10 ? new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY).toISOString() : to;
          expect(reportedCompliance(report), `${from}..${to} by ${by} as of ${asOf}`).toEqual(recountCompliance(rows, by, fromTs, toTs, asOf));
        }
      }
    }
    // The as-of days above had open outcomes due on them: the row-by-row part of the count was exercised.
    expect(dueThatDay).toBeGreaterThan(0);
  });

  it('is read for whole days, and only the outcomes due on the as-of day are read from their own index', () => {
    const db = demoDb(200);
    const asOf = '2026-03-15T12:00:00.000Z';
    for (const by of GROUPINGS) {
      const seen = sqlPreparedBy(db, () => openRollupCounts(db, by, asOf, '2026-01-01', '2026-03-01'));
      expect(planOf(db, statementMatching(seen, /FROM sla_open_rollup/)), String(by)).toEqual([expect.stringContaining('SEARCH sla_open_rollup USING PRIMARY KEY'), expect.stringContaining('TEMP B-TREE')]);
      const due = planOf(db, statementMatching(seen, /deadline >= \?/));
      expect(due.filter((step) => step.includes('sla_outcomes')), String(by)).toEqual([expect.stringContaining('USING COVERING INDEX sla_outcomes_open_by_deadline')]);
    }
  });

  it('is filled by its migration from a file projected before it', () => {
    const db = demoDb(250);
    const expected = recountOpenRollup(db);
    expect(expected.size).toBeGreaterThan(0);
    const path = db.name;
    db.exec('DROP TABLE sla_open_rollup; DROP INDEX sla_outcomes_open_by_deadline; DELETE FROM schema_migrations WHERE version = 25;');
    db.close();
    const reopened = openDatabase(path);
    try {
      expect(storedOpenRollup(reopened)).toEqual(expected);
    } finally {
      reopened.close();
    }
  });
});
