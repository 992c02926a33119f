// The queue's SLA state reads one row per ticket of sla_ticket_states (migration 016) instead of aggregating the
// ticket's outcomes. Held here to the definition stated over sla_outcomes itself — breached if a metric's outcome is
// breached or open with its deadline passed, else in progress if one is open, else achieved, else none — written out
// in the test, at every as-of that sits on an open deadline (the boundary where in progress turns to breached), after
// the demo is written, after events are appended (the projection's refresh) and after a rebuild.
import { describe, expect, it, vi } from 'vitest';
import { TICKET_SLA_STATES, type TicketSlaState, type TicketSort } from '../../shared/contract.ts';
import { TICKET_STATUSES } from '../../shared/domain.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { slaStateCounts, ticketSlaStateSql, ticketsInSlaStatesSql } from '../../electron/core/sla/sla-read-repository.ts';
import { TicketRepository } from '../../electron/core/tickets/ticket-repository.ts';
import { ticketFilterSchema } from '../../shared/contract.ts';
import { tempDb } from './helpers.ts';
import { policyFile, recordPolicy, ticketLines } from './sla-helpers.ts';

interface OutcomeRow {
  ticket_id: string;
  outcome: 'achieved' | 'breached' | 'open';
  deadline: string | null;
}

/** The definition, over every ticket's stored outcomes. */
function expectedStates(db: Db, asOf: string): Map<string, TicketSlaState> {
  const byTicket = new Map<string, OutcomeRow[]>();
  for (const row of db.prepare('SELECT ticket_id, outcome, deadline FROM sla_outcomes').all() as OutcomeRow[]) {
    byTicket.set(row.ticket_id, [...(byTicket.get(row.ticket_id) ?? []), row]);
  }
  const states = new Map<string, TicketSlaState>();
  for (const id of db.prepare('SELECT id FROM tickets').pluck().all() as string[]) {
    const outcomes = byTicket.get(id) ?? [];
    const breached = outcomes.some((o) => o.outcome === 'breached' || (o.outcome === 'open' && o.deadline !== null && o.deadline <= asOf));
    const open = outcomes.some((o) => o.outcome === 'open');
    states.set(id, breached ? 'breached' : open ? 'in_progress' : outcomes.length > 0 ? 'achieved' : 'none');
  }
  return states;
}

function storedStates(db: Db, asOf: string): Map<string, TicketSlaState> {
  const rows = db.prepare(`SELECT id, ${ticketSlaStateSql('tickets.id')} AS state FROM tickets`).all({ asOf }) as { id: string; state: TicketSlaState }[];
  return new Map(rows.map((row) => [row.id, row.state]));
}

/** As-of instants on each open deadline, a millisecond before it, and far before and after everything. */
function boundaryInstants(db: Db): string[] {
  const deadlines = db.prepare("SELECT DISTINCT deadline FROM sla_outcomes WHERE outcome = 'open' AND deadline IS NOT NULL ORDER BY deadline").pluck().all() as string[];
  const before = (iso: string): string => new Date(Date.parse(iso) - 1).toISOString();
  const picked = deadlines.filter((_, i) => i % Math.max(1, Math.floor(deadlines.length / 12)) === 0);
  return ['2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z', ...picked.flatMap((deadline) => [before(deadline), deadline])];
}

/**
 * The tickets of each state by the conditions the queue's SLA filter reads from sla_ticket_states (migration 022), and
 * from sla_untargeted for none (migration 028).
 */
function chosenIds(db: Db, asOf: string, states: readonly TicketSlaState[]): string[] {
  const sql = ticketsInSlaStatesSql(states);
  return (db.prepare(sql).pluck().all(...(sql.includes('@asOf') ? [{ asOf }] : [])) as string[]).sort();
}

function expectSameStates(db: Db): { checked: number; seen: Set<TicketSlaState> } {
  const seen = new Set<TicketSlaState>();
  let checked = 0;
  for (const asOf of boundaryInstants(db)) {
    const expected = expectedStates(db, asOf);
    expect(storedStates(db, asOf), `as of ${asOf}`).toEqual(expected);
    // The counts from the indexes, and the tickets each state's conditions choose, say the same.
    const tally = Object.fromEntries(TICKET_SLA_STATES.map((state) => [state, [...expected.values()].filter((s) => s === state).length]));
    expect(slaStateCounts(db, asOf, expected.size), `counts as of ${asOf}`).toEqual(tally);
    const idsIn = (...states: TicketSlaState[]): string[] => [...expected].filter(([, s]) => states.includes(s)).map(([id]) => id).sort();
    for (const state of TICKET_SLA_STATES) expect(chosenIds(db, asOf, [state]), `${state} as of ${asOf}`).toEqual(idsIn(state));
    expect(chosenIds(db, asOf, ['breached', 'in_progress'])).toEqual(idsIn('breached', 'in_progress'));
    expect(chosenIds(db, asOf, ['achieved', 'none'])).toEqual(idsIn('achieved', 'none'));
    // sla_untargeted lists exactly the tickets in the state none (it does not depend on the as-of).
    expect(db.prepare('SELECT ticket_id FROM sla_untargeted ORDER BY ticket_id').pluck().all()).toEqual(idsIn('none'));
    for (const state of expected.values()) seen.add(state);
    checked++;
  }
  return { checked, seen };
}

describe('the SLA state of a ticket (sla_ticket_states)', () => {
  it('is what the ticket’s outcomes say, at every open deadline, after the demo, an append and a rebuild', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 150, seed: 4, accounts: false });
    // A ticket with no SLA target (its history lacks the created event that says which policy applies) and two open
    // ones whose deadlines the test crosses.
    recordEvents(db, ticketLines('T-NOSLA', [['2026-11-02T08:00:00Z', 'customer']]), '2026-11-02T08:00:00Z');
    recordEvents(db, ticketLines('T-OPEN-1', [['2026-11-03T09:00:00Z', 'created']]), '2026-11-03T09:00:00Z');
    recordEvents(db, ticketLines('T-OPEN-2', [['2026-11-03T10:00:00Z', 'created'], ['2026-11-03T10:05:00Z', 'agent']]), '2026-11-03T10:05:00Z');

    const written = expectSameStates(db);
    expect(written.checked).toBeGreaterThan(4);
    // Every state occurs, or the comparison proves less than it claims.
    expect([...written.seen].sort()).toEqual(['achieved', 'breached', 'in_progress', 'none']);

    // An append refreshes the touched tickets' rows: T-OPEN-1 is answered and solved, its clocks stop.
    recordEvents(db, ticketLines('T-OPEN-1', [['2026-11-03T09:30:00Z', 'agent'], ['2026-11-03T09:40:00Z', 'solved']]), '2026-11-03T09:40:00Z');
    expectSameStates(db);
    const summary = 'SELECT ticket_id, breached, open_metrics, open_deadline FROM sla_ticket_states ORDER BY ticket_id';
    const refreshed = db.prepare(summary).all();

    db.transaction(() => rebuildAllProjections(db)).immediate();
    expect(db.prepare(summary).all()).toEqual(refreshed);
    expectSameStates(db);
  });

  it('is none for every ticket without a target: before any policy, after one, for a ticket the SLA engine never reads', () => {
    const { db } = tempDb();
    recordEvents(db, ticketLines('T-1', [['2026-10-05T08:00:00Z', 'created'], ['2026-10-05T08:10:00Z', 'agent']]), '2026-10-05T08:10:00Z');
    recordEvents(db, ticketLines('T-2', [['2026-10-05T08:00:00Z', 'created']], { channel: 'carrier-pigeon' }), '2026-10-05T08:00:00Z');
    // No policy yet: no ticket has a target.
    expect(expectSameStates(db).seen).toEqual(new Set(['none']));
    expect(db.prepare('SELECT count(*) FROM sla_untargeted').pluck().get()).toBe(2);
    // A policy gives T-1 a target (none of its policies matches T-2's channel).
    recordPolicy(db, policyFile());
    expectSameStates(db);
    expect(db.prepare('SELECT ticket_id FROM sla_untargeted').pluck().all()).toEqual(['T-2']);
    // A ticket whose only event is of a type the SLA projection does not read (an assignment) is listed, with no target.
    recordEvents(db, [{ ticket: 'T-3', type: 'assigned', at: '2026-10-05T09:00:00Z', to: { kind: 'human', id: 'agent-1' } }], '2026-10-05T09:00:00Z');
    expect(db.prepare('SELECT id FROM tickets ORDER BY id').pluck().all()).toEqual(['T-1', 'T-2', 'T-3']);
    expectSameStates(db);
    expect(db.prepare('SELECT ticket_id FROM sla_untargeted ORDER BY ticket_id').pluck().all()).toEqual(['T-2', 'T-3']);
    // Its created event arrives: a target applies from then on.
    recordEvents(db, ticketLines('T-3', [['2026-10-05T08:55:00Z', 'created']]), '2026-10-05T09:05:00Z');
    expectSameStates(db);
    expect(db.prepare('SELECT ticket_id FROM sla_untargeted').pluck().all()).toEqual(['T-2']);
    const untargeted = db.prepare('SELECT ticket_id FROM sla_untargeted').pluck().all();
    db.transaction(() => rebuildAllProjections(db)).immediate();
    expect(db.prepare('SELECT ticket_id FROM sla_untargeted').pluck().all()).toEqual(untargeted);
  });

  it('is in progress while every open clock is paused, with no deadline to pass', () => {
    const { db } = tempDb();
    // Agent work only: its clock runs while the ticket waits on an agent and is paused while it waits on the customer.
    const agentWork = { id: 'work', match: { channel: ['email'] }, calendar: 'office', targets: { normal: { agent_work: { minutes: 600, business: true } } } };
    recordPolicy(db, policyFile({ policies: [agentWork] }));
    recordEvents(db, ticketLines('T-PAUSED', [['2026-11-03T11:00:00Z', 'created'], ['2026-11-03T11:05:00Z', 'agent'], ['2026-11-03T11:06:00Z', 'status:pending']]), '2026-11-03T11:06:00Z');
    recordEvents(db, ticketLines('T-RUNNING', [['2026-11-03T11:00:00Z', 'created']]), '2026-11-03T11:00:00Z');
    expect(db.prepare('SELECT ticket_id, open_metrics > 0, open_deadline IS NULL FROM sla_ticket_states ORDER BY ticket_id').raw().all()).toEqual([
      ['T-PAUSED', 1, 1],
      ['T-RUNNING', 1, 0],
    ]);
    const { seen } = expectSameStates(db);
    expect(seen).toEqual(new Set(['in_progress', 'breached']));
  });

  it('filters and sorts the queue by the state the row shows', () => {
    const { db } = tempDb();
    recordPolicy(db, policyFile());
    recordEvents(db, ticketLines('T-1', [['2026-10-05T08:00:00Z', 'created'], ['2026-10-05T08:10:00Z', 'agent'], ['2026-10-05T09:00:00Z', 'solved']]), '2026-10-05T09:00:00Z');
    recordEvents(db, ticketLines('T-2', [['2026-10-05T08:00:00Z', 'created']]), '2026-10-05T08:00:00Z');
    // No policy of the file matches this channel.
    recordEvents(db, ticketLines('T-3', [['2026-10-05T08:00:00Z', 'created']], { channel: 'carrier-pigeon' }), '2026-10-05T08:00:00Z');
    const repository = new TicketRepository(db);
    const all = repository.list(ticketFilterSchema.parse({}), 0, 10).rows;
    const stateOf = new Map(all.map((row) => [row.id, row.slaState]));
    // Read now, long after T-2's first reply was due.
    expect(Object.fromEntries(stateOf)).toEqual({ 'T-1': 'achieved', 'T-2': 'breached', 'T-3': 'none' });
    for (const state of ['achieved', 'breached', 'none'] as const) {
      const page = repository.list(ticketFilterSchema.parse({ slaState: [state] }), 0, 10);
      expect(page.rows.map((row) => row.id), state).toEqual([...stateOf].filter(([, s]) => s === state).map(([id]) => id));
      expect(page.total).toBe(page.rows.length);
    }
    const sorted = repository.list(ticketFilterSchema.parse({}), 0, 10, { by: 'sla', direction: 'asc' }).rows.map((row) => row.id);
    expect(sorted).toEqual(['T-2', 'T-1', 'T-3']);
  });

  it('filtered by SLA states alone, counts and pages as the same filter read ticket by ticket, whichever way it reads them', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 200, seed: 9, accounts: false });
    // Tickets whose first reply is due after now: in progress, a state few tickets are in.
    const minutesAgo = (n: number): string => new Date(Date.now() - n * 60_000).toISOString();
    for (const [i, id] of ['T-NEW-1', 'T-NEW-2', 'T-NEW-3'].entries()) recordEvents(db, ticketLines(id, [[minutesAgo(3 + i), 'created']]));
    // Tickets with no SLA target (no created event says which policy applies): none, a state few tickets are in too.
    for (const [i, id] of ['T-OFF-1', 'T-OFF-2', 'T-OFF-3', 'T-OFF-4'].entries()) recordEvents(db, ticketLines(id, [[minutesAgo(10 + i), 'customer']]));
    const repository = new TicketRepository(db);
    const few = vi.spyOn(TicketRepository.prototype as never as { pageOfFewInSlaStates: () => unknown }, 'pageOfFewInSlaStates');
    // Every status chosen matches every ticket, and makes the filter one with a facet: read ticket by ticket.
    const everyStatus = { status: [...TICKET_STATUSES] };
    const sorts: TicketSort[] = [
      { by: 'created', direction: 'desc' },
      { by: 'subject', direction: 'asc' },
      { by: 'sla', direction: 'asc' },
    ];
    const choices: TicketSlaState[][] = [['breached'], ['in_progress'], ['achieved'], ['none'], ['breached', 'in_progress'], ['in_progress', 'achieved', 'none']];
    const totals: Record<string, number> = {};
    for (const slaState of choices) {
      for (const sort of sorts) {
        for (const offset of [0, 7, 40]) {
          const fast = repository.list(ticketFilterSchema.parse({ slaState }), offset, 10, sort);
          const reference = repository.list(ticketFilterSchema.parse({ slaState, ...everyStatus }), offset, 10, sort);
          expect(fast, `${slaState.join('+')} by ${sort.by} from ${offset}`).toEqual(reference);
          totals[slaState.join('+')] = fast.total;
        }
      }
    }
    expect(totals.in_progress).toBeGreaterThanOrEqual(3);
    expect(totals.none).toBeGreaterThanOrEqual(4);
    expect(totals.breached).toBeGreaterThan(0);
    expect(totals.achieved).toBeGreaterThan(0);
    expect(totals.breached! + totals.in_progress! + totals.achieved! + totals.none!).toBe(repository.count());
    // The few tickets in progress were read from sla_ticket_states first; the many achieved ones by the queue's walk.
    expect(few).toHaveBeenCalled();
    few.mockClear();
    repository.list(ticketFilterSchema.parse({ slaState: ['none'] }), 0, 10);
    expect(few).toHaveBeenCalled();
    few.mockClear();
    repository.list(ticketFilterSchema.parse({ slaState: ['achieved'] }), 0, 10);
    expect(few).not.toHaveBeenCalled();
    few.mockRestore();
  });

  it('reads first a state of up to a sixteenth of the queue whose tickets came in together, where the walk passes every other', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 600, seed: 11, accounts: false });
    // An import of 30 old tickets no SLA target applies to (no created event): none, all at the end of the queue's
    // newest-first order, a twenty-first of it. Spread evenly, the walk would find 5 of them within 105 tickets, and
    // the estimate says walk; here it would pass all 600 others first.
    for (let i = 0; i < 30; i++) recordEvents(db, ticketLines(`T-OLD-${i}`, [[`2020-01-0${1 + (i % 9)}T0${i % 10}:00:00Z`, 'customer']]));
    const repository = new TicketRepository(db);
    expect(repository.count()).toBe(630);
    const few = vi.spyOn(TicketRepository.prototype as never as { pageOfFewInSlaStates: () => unknown }, 'pageOfFewInSlaStates');
    const everyStatus = { status: [...TICKET_STATUSES] };
    for (const sort of [{ by: 'created', direction: 'desc' }, { by: 'subject', direction: 'asc' }] as TicketSort[]) {
      const page = repository.list(ticketFilterSchema.parse({ slaState: ['none'] }), 0, 5, sort);
      expect(page.total).toBe(30);
      expect(page.rows.every((row) => row.id.startsWith('T-OLD-'))).toBe(true);
      expect(page).toEqual(repository.list(ticketFilterSchema.parse({ slaState: ['none'], ...everyStatus }), 0, 5, sort));
    }
    expect(few).toHaveBeenCalledTimes(2);
    few.mockRestore();
  });
});
