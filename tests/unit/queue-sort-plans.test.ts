// The queue sorted by any column but the SLA state reads its page by index (migration 015), never by sorting every
// ticket first: at a million tickets a sorted page took seconds. Sorted by SLA state, it sorts the ids alone. Checked with SQLite's own query plan of the statement
// the queue prepares — an ordering of work, not a timing — so an ORDER BY that drifts from its index fails here.
import { describe, expect, it } from 'vitest';
import { TICKET_SORT_KEYS, ticketFilterSchema } from '../../shared/contract.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { TicketRepository } from '../../electron/core/tickets/ticket-repository.ts';
import { tempDb } from './helpers.ts';
import { planOf, sqlPreparedBy, statementMatching } from './query-plan-kit.ts';

/** The SQL of the page query `list` prepares (the statement with ORDER BY … LIMIT). */
const pageQueryOf = (db: Db, list: () => unknown): string => statementMatching(sqlPreparedBy(db, list), /ORDER BY [\s\S]*LIMIT \? OFFSET \?/);

describe('queue sort by index', () => {
  it('sorts by every column but the SLA state without sorting every ticket, giving the same pages', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 40, seed: 2, accounts: false });
    const repository = new TicketRepository(db);
    const everything = ticketFilterSchema.parse({});
    const sorted: string[] = [];
    for (const by of TICKET_SORT_KEYS.filter((key) => key !== 'sla')) {
      for (const direction of ['asc', 'desc'] as const) {
        const plan = planOf(db, pageQueryOf(db, () => repository.list(everything, 10, 5, { by, direction })));
        if (plan.some((detail) => detail.startsWith('USE TEMP B-TREE FOR ORDER BY'))) sorted.push(`${by} ${direction}: ${plan.join('; ')}`);
        // An index walk gives the page an explicit full sort gives.
        const page = repository.list(everything, 10, 5, { by, direction }).rows.map((row) => row.id);
        const all = repository.list(everything, 0, 500, { by, direction }).rows.map((row) => row.id);
        expect(page, `${by} ${direction}`).toEqual(all.slice(10, 15));
      }
    }
    expect(sorted).toEqual([]);
    // The SLA state is computed as of the request: the one sort that cannot use an index (the test can fail).
    const slaPlan = planOf(db, pageQueryOf(db, () => repository.list(everything, 0, 5, { by: 'sla', direction: 'asc' })));
    expect(slaPlan.some((detail) => detail.startsWith('USE TEMP B-TREE FOR ORDER BY'))).toBe(true);
    // What it sorts is the ids alone, read from a covering index rather than the table: the sorter does not carry
    // every column of every ticket, and the page's rows are read by id afterwards.
    expect(slaPlan.filter((detail) => detail.startsWith('SCAN tickets'))).toEqual([expect.stringContaining('USING COVERING INDEX')]);
    for (const direction of ['asc', 'desc'] as const) {
      const page = repository.list(everything, 10, 5, { by: 'sla', direction }).rows;
      const all = repository.list(everything, 0, 500, { by: 'sla', direction }).rows;
      expect(page, `sla ${direction}`).toEqual(all.slice(10, 15));
    }
  });
});
