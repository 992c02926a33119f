// A queue total that falls to zero leaves no row behind (migration 013): the rollup kept live by the ticket repository
// equals a rebuild from the events, which never writes a zero row, so the deep check finds no false "not derived" row.
import { describe, expect, it } from 'vitest';
import { importJsonlFile, importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { verifyDatabaseFile } from '../../electron/core/verification/verify-database.ts';
import { SMALL_FIXTURE, tempDb } from './helpers.ts';

describe('queue totals kept live', () => {
  it('drop a group whose last ticket moved on, and match a rebuild in the deep check', async () => {
    const { db, path } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    const groups = (): number => db.prepare('SELECT count(*) FROM ticket_counts').pluck().get() as number;
    const before = db.prepare("SELECT status, n FROM ticket_counts WHERE status = 'solved'").all() as { n: number }[];
    expect(before.length).toBeGreaterThan(0);
    // Reopen every solved ticket: each "solved" group loses its last ticket.
    const solved = db.prepare("SELECT id FROM tickets WHERE status = 'solved'").pluck().all() as string[];
    const lines = solved.map((ticket) => JSON.stringify({ ticket, type: 'status', at: '2026-10-05T09:00:00Z', status: 'open', by: { kind: 'human', id: 'agent-4' } }));
    importJsonlText(db, 'reopen.jsonl', `${lines.join('\n')}\n`);
    expect(db.prepare("SELECT count(*) FROM ticket_counts WHERE status = 'solved'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM ticket_counts WHERE n = 0').pluck().get()).toBe(0);
    expect(groups()).toBeGreaterThan(0);
    db.close();
    const result = await verifyDatabaseFile(path, { deep: true, threads: 1 });
    expect(result.status.intact).toBe(true);
    expect(result.deep!.findings).toEqual([]);
  });
});
