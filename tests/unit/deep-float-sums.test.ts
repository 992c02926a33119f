// The deep check against a rollup of floating-point sums. An import adds each chunk's sum to the day's KPI row; a
// rebuild sums the whole day at once; floating-point addition depends on its order, so the two may differ in the last
// bits. Seen for real: a fresh 100,000-ticket demo was called "broken" by the console's deep check at open (332
// kpi_rollup rows). Such rows are the same row; a change a person could make is still a difference.
import { copyFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { verifyDatabaseFile } from '../../electron/core/verification/verify-database.ts';
import { tempDb } from './helpers.ts';

/** One ticket created, worked on for `minutes` and solved by a person, all on 2026-03-02. */
function ticketLines(id: string, minutes: number): string[] {
  return [
    { ticket: id, type: 'created', at: '2026-03-02T09:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: `Invoice ${id}`, requester: `c-${id}` },
    { ticket: id, type: 'worklog', at: '2026-03-02T09:20:00Z', minutes, by: { kind: 'human', id: 'agent-2' } },
    { ticket: id, type: 'status', at: '2026-03-02T09:30:00Z', status: 'solved', by: { kind: 'human', id: 'agent-2' } },
  ].map((line) => JSON.stringify(line));
}

const worklogSums = (db: Db): number[] => db.prepare('SELECT worklog_sum FROM kpi_rollup ORDER BY day, category, channel, actor').pluck().all() as number[];

/** The rollup's sums as `attest rebuild` computes them, on a copy of the file. */
function rebuiltSums(path: string): number[] {
  const copy = `${path}.rebuilt`;
  copyFileSync(path, copy);
  const db = openDatabase(copy);
  try {
    db.transaction(() => rebuildAllProjections(db)).immediate();
    return worklogSums(db);
  } finally {
    db.close();
  }
}

/** Three tickets of one day imported in two files (the second and third first), so the day's sum is made in two steps. */
function importedInTwoSteps(minutes: readonly [number, number, number]): { db: Db; path: string } {
  const { db, path } = tempDb();
  importJsonlText(db, 'later-two.jsonl', `${[...ticketLines('F-2', minutes[1]), ...ticketLines('F-3', minutes[2])].join('\n')}\n`);
  importJsonlText(db, 'first.jsonl', `${ticketLines('F-1', minutes[0]).join('\n')}\n`);
  return { db, path };
}

/** Minutes whose sum in two steps is not the sum `attest rebuild` makes (found by trying; asserted, never assumed). */
function roundingCase(): { db: Db; path: string } {
  const values = [0.1, 0.2, 0.3, 0.7, 1.1, 2.3, 0.05, 3.14159, 12.6, 0.33];
  for (const a of values) {
    for (const b of values) {
      for (const c of values) {
        const attempt = importedInTwoSteps([a, b, c]);
        attempt.db.close();
        const db = openDatabase(attempt.path);
        const stored = worklogSums(db);
        const rebuilt = rebuiltSums(attempt.path);
        if (stored.length === 1 && rebuilt.length === 1 && stored[0] !== rebuilt[0]) return { db, path: attempt.path };
        db.close();
      }
    }
  }
  throw new Error('no three values gave sums that differ by the order of addition');
}

async function deepFindings(db: Db, path: string): Promise<string[]> {
  db.close();
  const result = await verifyDatabaseFile(path, { deep: true, threads: 1 });
  return result.deep!.findings.map((finding) => finding.message);
}

describe('the deep check and floating-point sums', () => {
  it('calls a rollup row equal to the rebuild when they differ only by the order of additions', async () => {
    const { db, path } = roundingCase();
    const stored = worklogSums(db)[0]!;
    const rebuilt = rebuiltSums(path)[0]!;
    // The premise: the file's sum and the rebuild's are different numbers, by rounding only.
    expect(stored).not.toBe(rebuilt);
    expect(Math.abs(stored - rebuilt)).toBeLessThan(1e-12 * Math.abs(rebuilt));
    expect(await deepFindings(db, path)).toEqual([]);
  });

  it('still names a rollup sum someone changed, and a count', async () => {
    const changedSum = importedInTwoSteps([0.1, 0.2, 0.3]);
    // Half a minute more work on the day: a change a person makes, not a rounding.
    changedSum.db.prepare('UPDATE kpi_rollup SET worklog_sum = worklog_sum + 0.5').run();
    const sumFindings = await deepFindings(changedSum.db, changedSum.path);
    expect(sumFindings).toHaveLength(1);
    expect(sumFindings[0]).toMatch(/^projection kpi_rollup: 1 row\(s\) not derived from the ledger, 1 row\(s\) the ledger implies are missing or differ/);

    const changedCount = importedInTwoSteps([0.1, 0.2, 0.3]);
    changedCount.db.prepare('UPDATE kpi_rollup SET resolved = resolved - 1').run();
    expect(await deepFindings(changedCount.db, changedCount.path)).toEqual([expect.stringMatching(/^projection kpi_rollup: 1 row\(s\) not derived/)]);

    // A change of a ticket's own minutes (a REAL column of kpi_ticket_facts) by more than rounding.
    const changedFact = importedInTwoSteps([0.1, 0.2, 0.3]);
    changedFact.db.prepare("UPDATE kpi_ticket_facts SET worklog_minutes = worklog_minutes * 1.000001 WHERE ticket_id = 'F-1'").run();
    expect(await deepFindings(changedFact.db, changedFact.path)).toEqual([expect.stringMatching(/^projection kpi_ticket_facts: 1 row\(s\) not derived/)]);
  });
});
