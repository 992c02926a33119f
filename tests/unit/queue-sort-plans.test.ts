// The queue sorted by any column but the SLA state reads its page by index (migration 015), never by sorting every
// ticket first: at a million tickets a sorted page took seconds. Sorted by SLA state with a facet or a search, it sorts
// the ids alone; with neither, it reads each state's tickets in id order. Checked with SQLite's own query plans of the
// statements the queue prepares — an ordering of work, not a timing — so an ORDER BY that drifts from its index fails
// here.
import { describe, expect, it } from 'vitest';
import { TICKET_SORT_KEYS, ticketFilterSchema } from '../../shared/contract.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { ticketIdsInSlaStateSql } from '../../electron/core/sla/sla-read-repository.ts';
import { TicketRepository } from '../../electron/core/tickets/ticket-repository.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { TICKET_STATUSES } from '../../shared/domain.ts';
import { tempDb } from './helpers.ts';
import { ticketLines } from './sla-helpers.ts';
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
    // With a facet, the SLA state (computed as of the request) is the one sort that cannot use an index (the test can
    // fail): every ticket in the facet is sorted.
    const withFacet = ticketFilterSchema.parse({ status: [...TICKET_STATUSES] });
    const slaQuery = pageQueryOf(db, () => repository.list(withFacet, 0, 5, { by: 'sla', direction: 'asc' }));
    expect(planOf(db, slaQuery).some((detail) => detail.startsWith('USE TEMP B-TREE FOR ORDER BY'))).toBe(true);
    // What it sorts is the ids alone: the sorter does not carry every column of every ticket, and the page's rows are
    // read by id afterwards.
    expect(slaQuery).toMatch(/^SELECT id FROM tickets /);
    for (const direction of ['asc', 'desc'] as const) {
      const page = repository.list(withFacet, 10, 5, { by: 'sla', direction }).rows;
      const all = repository.list(withFacet, 0, 500, { by: 'sla', direction }).rows;
      expect(page, `sla ${direction}`).toEqual(all.slice(10, 15));
    }
  });

  it('sorted by SLA state with no facet, reads each state in id order and never sorts every ticket, giving the same pages', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 60, seed: 3, accounts: false });
    // Tickets without SLA (their history lacks the created event that says which policy applies) and one still in
    // progress: all four states occur.
    const minutesAgo = (n: number): string => new Date(Date.now() - n * 60_000).toISOString();
    recordEvents(db, ticketLines('T-NONE-1', [[minutesAgo(30), 'customer']]));
    recordEvents(db, ticketLines('T-NONE-2', [[minutesAgo(20), 'customer']]));
    recordEvents(db, ticketLines('T-NEW', [[minutesAgo(2), 'created']]));
    const repository = new TicketRepository(db);
    const everything = ticketFilterSchema.parse({});
    const withFacet = ticketFilterSchema.parse({ status: [...TICKET_STATUSES] });
    const total = repository.count();
    const states = repository.list(everything, 0, total).rows.map((row) => row.slaState);
    expect(new Set(states)).toEqual(new Set(['breached', 'in_progress', 'achieved', 'none']));
    for (const direction of ['asc', 'desc'] as const) {
      const sort = { by: 'sla', direction } as const;
      // The whole order, read ticket by ticket (a facet that keeps every ticket), split into pages at every offset.
      const reference = repository.list(withFacet, 0, total, sort).rows;
      for (let offset = 0; offset < total; offset += 3) {
        expect(repository.list(everything, offset, 4, sort).rows, `sla ${direction} from ${offset}`).toEqual(reference.slice(offset, offset + 4));
      }
      // With states chosen, the same order of the tickets in them.
      const chosen = ticketFilterSchema.parse({ slaState: ['none', 'breached'] });
      const inChosen = reference.filter((row) => row.slaState === 'none' || row.slaState === 'breached');
      for (let offset = 0; offset < inChosen.length; offset += 5) {
        expect(repository.list(chosen, offset, 6, sort).rows, `none+breached ${direction} from ${offset}`).toEqual(inChosen.slice(offset, offset + 6));
      }
      // No statement a page prepares sorts the tickets: each state is read in its primary key's order.
      const prepared = sqlPreparedBy(db, () => repository.list(everything, Math.floor(total / 2), 5, sort));
      expect(prepared.some((sql) => /ORDER BY .*LIMIT \? OFFSET \?/.test(sql))).toBe(true);
      for (const state of ['breached', 'in_progress', 'achieved', 'none'] as const) prepared.push(ticketIdsInSlaStateSql(state, direction === 'asc' ? 'ASC' : 'DESC'));
      const sorting = prepared.filter((sql) => planOf(db, sql).some((detail) => detail.startsWith('USE TEMP B-TREE FOR ORDER BY')));
      expect(sorting, `sla ${direction}`).toEqual([]);
    }
  });
});
