// The queue's SLA state reads one row per ticket of sla_ticket_states (migration 016) instead of aggregating the
// ticket's outcomes. Held here to the definition stated over sla_outcomes itself — breached if a metric's outcome is
// breached or open with its deadline passed, else in progress if one is open, else achieved, else none — written out
// in the test, at every as-of that sits on an open deadline (the boundary where in progress turns to breached), after
// the demo is written, after events are appended (the projection's refresh) and after a rebuild.
import { describe, expect, it } from 'vitest';
import type { TicketSlaState } from '../../shared/contract.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { ticketSlaStateSql } from '../../electron/core/sla/sla-read-repository.ts';
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

function expectSameStates(db: Db): { checked: number; seen: Set<TicketSlaState> } {
  const seen = new Set<TicketSlaState>();
  let checked = 0;
  for (const asOf of boundaryInstants(db)) {
    const expected = expectedStates(db, asOf);
    expect(storedStates(db, asOf), `as of ${asOf}`).toEqual(expected);
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
});
