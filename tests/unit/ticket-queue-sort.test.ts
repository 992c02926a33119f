// The queue's server-side sort and SLA-state column/filter, checked against independent computations: SLA states
// rebuilt per ticket from the SLA engine's per-metric outcomes (ticketSlaOutcome), orders rebuilt by sorting every
// row in the test, pages concatenated to prove they neither overlap nor skip.
import { describe, expect, it } from 'vitest';
import type { TicketFilter, TicketRow, TicketSlaState } from '../../shared/contract.ts';
import { SLA_METRICS } from '../../shared/contracts/sla.ts';
import { PRIORITIES } from '../../shared/domain.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { ticketSlaOutcome } from '../../electron/core/sla/sla-queries.ts';
import { TicketRepository } from '../../electron/core/tickets/ticket-repository.ts';
import { tempDb } from './helpers.ts';

const all: TicketFilter = { status: [], priority: [], category: [], channel: [], resolvedBy: [], search: '' };

function demoQueue() {
  const { db } = tempDb();
  writeDemoHistory(db, { tickets: 120, seed: 4, accounts: false });
  const tickets = new TicketRepository(db);
  const everything = tickets.list(all, 0, 500).rows;
  return { db, tickets, everything };
}

/** Every page of a listing, concatenated. */
function pages(tickets: TicketRepository, filter: TicketFilter, sort: Parameters<TicketRepository['list']>[3], size: number): TicketRow[] {
  const out: TicketRow[] = [];
  for (let offset = 0; ; offset += size) {
    const page = tickets.list(filter, offset, size, sort);
    out.push(...page.rows);
    if (offset + size >= page.total) return out;
  }
}

describe('ticket queue: SLA state, sorting', () => {
  it("gives every row the SLA state its metrics' outcomes make (breached > in progress > achieved > none) and filters by it", () => {
    const { db, tickets, everything } = demoQueue();
    expect(everything.length).toBe(120);
    const seen = new Set<TicketSlaState>();
    for (const row of everything) {
      const outcomes = SLA_METRICS.map((metric) => ticketSlaOutcome(db, row.id, metric));
      const expected: TicketSlaState = outcomes.includes('breached')
        ? 'breached'
        : outcomes.includes('in_progress')
          ? 'in_progress'
          : outcomes.includes('achieved')
            ? 'achieved'
            : 'none';
      expect(row.slaState, row.id).toBe(expected);
      expect(tickets.get(row.id)?.slaState, row.id).toBe(expected);
      seen.add(expected);
    }
    // The demo has both breached and achieved tickets, so the filter below is a real test.
    expect(seen.has('breached') && seen.has('achieved')).toBe(true);

    // Filtering by SLA state: exactly the tickets in that state, with their total.
    for (const states of [['breached'], ['achieved', 'in_progress'], ['none']] as TicketSlaState[][]) {
      const expected = everything.filter((row) => states.includes(row.slaState)).map((row) => row.id);
      const page = tickets.list({ ...all, slaState: states }, 0, 500);
      expect(page.total, states.join()).toBe(expected.length);
      expect(page.rows.map((row) => row.id)).toEqual(expected);
    }
    // Combined with another facet, too.
    const breachedUrgent = everything.filter((row) => row.slaState === 'breached' && row.priority === 'urgent');
    expect(tickets.list({ ...all, priority: ['urgent'], slaState: ['breached'] }, 0, 500).total).toBe(breachedUrgent.length);
  });

  it('sorts server-side in the domain order of a column, ties by id, across pages without overlap', () => {
    const { tickets, everything } = demoQueue();
    const rank = (row: TicketRow) => PRIORITIES.indexOf(row.priority);
    const byId = (a: TicketRow, b: TicketRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const ascending = [...everything].sort((a, b) => rank(a) - rank(b) || byId(a, b)).map((row) => row.id);
    expect(pages(tickets, all, { by: 'priority', direction: 'asc' }, 17).map((row) => row.id)).toEqual(ascending);
    const descending = [...everything].sort((a, b) => rank(b) - rank(a) || byId(b, a)).map((row) => row.id);
    expect(pages(tickets, all, { by: 'priority', direction: 'desc' }, 17).map((row) => row.id)).toEqual(descending);

    const slaRank = (row: TicketRow) => ['breached', 'in_progress', 'achieved', 'none'].indexOf(row.slaState);
    const bySla = [...everything].sort((a, b) => slaRank(a) - slaRank(b) || byId(a, b)).map((row) => row.id);
    expect(pages(tickets, all, { by: 'sla', direction: 'asc' }, 50).map((row) => row.id)).toEqual(bySla);

    const subject = (row: TicketRow) => row.subject.toLowerCase();
    const bySubject = [...everything].sort((a, b) => (subject(a) < subject(b) ? -1 : subject(a) > subject(b) ? 1 : byId(a, b))).map((row) => row.id);
    expect(pages(tickets, all, { by: 'subject', direction: 'asc' }, 50).map((row) => row.id)).toEqual(bySubject);

    // No sort given: newest first (created, then id), as before.
    const newest = [...everything].sort((a, b) => (a.createdAt > b.createdAt ? -1 : a.createdAt < b.createdAt ? 1 : a.id < b.id ? -1 : 1));
    expect(everything.map((row) => row.id)).toEqual(newest.map((row) => row.id));
    expect(tickets.list(all, 0, 500, { by: 'created', direction: 'desc' }).rows.map((row) => row.id)).toEqual(newest.map((row) => row.id));
  });
});
