// Hand-computed KPI values on tests/fixtures/kpis/kpis.jsonl (see the comments for each number).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { emptySums, sumKpis, sumKpisFullScan } from '../../electron/core/kpis/kpi-repository.ts';
import { KpiInputError, kpiReport } from '../../electron/core/kpis/kpi-report.ts';
import { kpiTickets } from '../../electron/core/kpis/kpi-tickets.ts';
import { parseEventLine } from '../../electron/core/ledger/event-lines.ts';
import { tempDb } from './helpers.ts';

export const KPI_FIXTURE = fileURLToPath(new URL('../fixtures/kpis/kpis.jsonl', import.meta.url));

/** Sums of fractional minutes differ in the last bits with the order they were added in. */
function expectSameSums(a: Record<string, number>, b: Record<string, number>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const key of Object.keys(a)) expect(a[key], key).toBeCloseTo(b[key]!, 6);
}

function loaded() {
  const t = tempDb();
  importJsonlFile(t.db, KPI_FIXTURE);
  return t;
}

describe('KPI values on the small fixture (tickets K-1 … K-7 created 2026-03-02/03, K-8 on 03-10)', () => {
  it('computes every KPI by hand', () => {
    const { db } = loaded();
    const r = kpiReport(db, { from: '2026-03-02', to: '2026-03-03' });
    expect(r.tickets).toBe(7); // K-8 is outside the period
    // resolved: K-1, K-2, K-3, K-4, K-6, K-7 (K-5 is open). One public agent reply and no reopen: K-1, K-3, K-6, K-7.
    expect(r.fcr).toBeCloseTo(4 / 6, 12);
    // AI solved with no human involvement: K-1, K-6 (K-2 was AI-solved, reopened, then solved by a human).
    expect(r.deflection).toBeCloseTo(2 / 7, 12);
    // worklogs: K-2 10, K-3 20, K-4 30 minutes (K-7 has none: the selection has worklogs, so only they count).
    expect(r.ahtMinutes).toBe(20);
    expect(r.ahtSource).toBe('worklog');
    // ratings 5 (K-1), 3 (K-2), 4 (K-3), 2 (K-4)
    expect(r.csatMean).toBe(3.5);
    expect(r.csatSatisfiedShare).toBe(0.5);
    expect(r.csatResponses).toBe(4);
    // no SLA policy imported: null with the reason, never 0
    expect(r.slaCompliance).toBeNull();
    expect(r.notes.slaCompliance).toMatch(/no SLA policy/);
    // ever solved: the six resolved ones; reopened: K-2
    expect(r.reopenRate).toBeCloseTo(1 / 6, 12);
    // escalated: K-3
    expect(r.escalationRate).toBeCloseTo(1 / 7, 12);
    // human: $50,000 × 1.6 / 4,000 tickets per agent-year; AI: no verified outcomes -> null
    expect(r.costPerResolution).toEqual({ human: 20, ai: null });
    expect(r.groups).toEqual({});
  });

  it('groups by channel and actor', () => {
    const { db } = loaded();
    const byChannel = kpiReport(db, { from: '2026-03-02', to: '2026-03-03', by: 'channel' });
    expect(Object.keys(byChannel.groups)).toEqual(['chat', 'email', 'web']);
    // email: K-1 (AI, FCR), K-3 (human, FCR, escalated), K-7 (human, FCR, no worklog)
    expect(byChannel.groups.email).toMatchObject({ tickets: 3, fcr: 1, escalationRate: 1 / 3, ahtMinutes: 20, ahtSource: 'worklog' });
    expect(byChannel.groups.email!.deflection).toBeCloseTo(1 / 3, 12);
    // web: K-4 (2 replies, not FCR), K-5 (open)
    expect(byChannel.groups.web).toMatchObject({ tickets: 2, fcr: 0, csatMean: 2, csatSatisfiedShare: 0, reopenRate: 0 });
    const byActor = kpiReport(db, { from: '2026-03-02', to: '2026-03-03', by: 'actor' });
    expect(Object.keys(byActor.groups)).toEqual(['ai', 'human', 'none']);
    expect(byActor.groups.ai).toMatchObject({ tickets: 2, fcr: 1, deflection: 1, ahtMinutes: null, ahtSource: null, csatMean: 5 });
    expect(byActor.groups.human).toMatchObject({ tickets: 4, fcr: 0.5, deflection: 0, ahtMinutes: 20, reopenRate: 0.25, csatMean: 3 });
    // K-5: nothing resolved, no rating: ratios with no data are null, never 0
    expect(byActor.groups.none).toMatchObject({ tickets: 1, fcr: null, csatMean: null, reopenRate: null, ahtMinutes: null, deflection: 0 });
  });

  it('falls back to agent work time, labeled, where the selection has no worklogs', () => {
    const { db } = loaded();
    // 2026-03-03T12:00Z .. 2026-03-04T00:00Z holds only K-7: human reply 23:40, human solve 23:50 -> 10 minutes
    const r = kpiReport(db, { from: '2026-03-03T12:00:00Z', to: '2026-03-04T00:00:00Z' });
    expect(r.tickets).toBe(1);
    expect(r.ahtMinutes).toBe(10);
    expect(r.ahtSource).toBe('agent_work');
    expect(r.notes.aht).toMatch(/agent work time/);
  });

  it('counts partial days at the edges exactly (timestamps are instants, `to` excluded)', () => {
    const { db } = loaded();
    // from noon on 03-02: K-4 (13:00), K-5 (15:00), K-6 (16:00), K-2, K-7
    expect(kpiReport(db, { from: '2026-03-02T12:00:00Z', to: '2026-03-04T00:00:00Z' }).tickets).toBe(5);
    expect(kpiReport(db, { from: '2026-03-02T12:00:00+01:00', to: '2026-03-02T16:00:00Z' }).tickets).toBe(2);
    expect(kpiReport(db, { from: '2026-03-04', to: '2026-03-09' }).tickets).toBe(0);
    expect(kpiReport(db, { from: '2026-03-04', to: '2026-03-09' })).toMatchObject({ fcr: null, deflection: null, csatMean: null, escalationRate: null });
  });

  it('refuses bad periods with the field named', () => {
    const { db } = loaded();
    expect(() => kpiReport(db, { from: '2026-02-30', to: '2026-03-03' })).toThrow(KpiInputError);
    expect(() => kpiReport(db, { from: '2026-03-05', to: '2026-03-03' })).toThrow(/to: 2026-03-03 is before from/);
    expect(() => kpiReport(db, { from: 'yesterday', to: '2026-03-03' })).toThrow(/from: "yesterday"/);
  });

  it('keeps the rollup equal to a full rebuild and to a full scan after incremental imports', () => {
    const { db } = loaded();
    recordEvents(db, [
      { ticket: 'K-5', type: 'message', at: '2026-03-04T08:00:00Z', author: { kind: 'human', id: 'agent-9' }, public: true, body: 'Fixed.' },
      { ticket: 'K-5', type: 'status', at: '2026-03-04T08:00:01Z', status: 'solved', by: { kind: 'human', id: 'agent-9' } },
      { ticket: 'K-5', type: 'worklog', at: '2026-03-04T08:00:02Z', minutes: 45, by: { kind: 'human', id: 'agent-9' } },
      { ticket: 'K-1', type: 'message', at: '2026-03-05T08:00:00Z', author: { kind: 'customer', id: 'c-1' }, public: true, body: 'Again locked.' },
    ]);
    const incremental = sumKpis(db, '2026-03-01T00:00:00.000Z', '2026-03-11T00:00:00.000Z', { categories: [] }, 'category');
    const scan = sumKpisFullScan(db, '2026-03-01T00:00:00.000Z', '2026-03-11T00:00:00.000Z', { categories: [] });
    expectSameSums(incremental.all, scan);
    rebuildAllProjections(db);
    const rebuilt = sumKpis(db, '2026-03-01T00:00:00.000Z', '2026-03-11T00:00:00.000Z', { categories: [] }, 'category');
    expectSameSums(rebuilt.all, incremental.all);
    expect([...rebuilt.groups.keys()].sort()).toEqual([...incremental.groups.keys()].sort());
    for (const [key, sums] of rebuilt.groups) expectSameSums(sums, incremental.groups.get(key)!);
    // K-1 reopened (no longer resolved, no longer deflected); K-5 resolved by a human with 45 minutes logged
    const r = kpiReport(db, { from: '2026-03-02', to: '2026-03-03' });
    expect(r.deflection).toBeCloseTo(1 / 7, 12);
    expect(r.ahtMinutes).toBeCloseTo((10 + 20 + 30 + 45) / 4, 12);
    expect(r.reopenRate).toBeCloseTo(2 / 7, 12);
    expect(emptySums().tickets).toBe(0);
  });

  it('opens the tickets behind a figure with their evidence', () => {
    const { db } = loaded();
    const page = kpiTickets(db, { from: '2026-03-02', to: '2026-03-03', category: [], drill: 'deflected', offset: 0, limit: 10 });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.id).sort()).toEqual(['K-1', 'K-6']);
    const k1 = page.rows.find((r) => r.id === 'K-1')!;
    const solve = db.prepare("SELECT seq FROM events WHERE ticket_id = 'K-1' AND type = 'status'").pluck().get();
    expect(k1.evidence).toEqual([solve]);
    const reopened = kpiTickets(db, { from: '2026-03-02', to: '2026-03-03', category: ['password_reset'], drill: 'reopened', offset: 0, limit: 10 });
    expect(reopened.rows.map((r) => r.id)).toEqual(['K-2']);
    expect(reopened.rows[0]!.evidence).toHaveLength(1);
  });

  it('validates worklog lines: positive minutes, human by', () => {
    expect(() => parseEventLine({ ticket: 'K-1', type: 'worklog', at: '2026-03-02T08:00:00Z', minutes: 0, by: { kind: 'human', id: 'a' } })).toThrow(/minutes/);
    expect(() => parseEventLine({ ticket: 'K-1', type: 'worklog', at: '2026-03-02T08:00:00Z', minutes: 5, by: { kind: 'ai', model: 'm' } })).toThrow(/human/);
    expect(() => parseEventLine({ type: 'worklog', at: '2026-03-02T08:00:00Z', minutes: 5, by: { kind: 'human', id: 'a' } })).toThrow();
    expect(parseEventLine({ ticket: 'K-1', type: 'worklog', at: '2026-03-02T08:00:00Z', minutes: 12, by: { kind: 'human', id: 'agent-4' } })).toBeTruthy();
  });
});
