// Import-flagged tickets leave the KPIs their flags spoil and come back when included. Expected values are
// worked out by hand from the six tickets below; SLA counts are checked against the SLA engine's own reads.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CsvMapping } from '../../shared/contracts/importers.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { checkMapping } from '../../electron/core/importers/csv-mapping.ts';
import { importFileSync } from '../../electron/core/importers/import-run.ts';
import { kpiReport, kpiSeries } from '../../electron/core/kpis/kpi-report.ts';
import { kpiTickets } from '../../electron/core/kpis/kpi-tickets.ts';
import { slaCompliance, ticketSlaOutcome } from '../../electron/core/sla/sla-queries.ts';
import { tempDb, tempDir } from './helpers.ts';
import { BERLIN_24_7, recordPolicy } from './sla-helpers.ts';

// t1, t2, t6: resolved with exactly one agent reply (FCR). t3: resolved, no reply (not FCR). t4: open.
// t5: resolved at 14:00 but created at 15:00 → resolved_before_created (leaves FCR, AHT's agent work, reopen rate,
// SLA total resolution). t6: CSAT "Happy" is not a score → csat_out_of_range (leaves CSAT once it has a score).
const CSV = `id,created,first,resolved,status,priority,channel,category,csat
t1,2026-03-02 09:00,2026-03-02 09:30,2026-03-02 10:00,Solved,normal,email,how_to,5
t2,2026-03-02 09:00,2026-03-02 10:30,2026-03-02 11:00,Solved,normal,email,how_to,2
t3,2026-03-02 09:00,,2026-03-02 13:00,Solved,normal,email,billing,4
t4,2026-03-02 12:00,2026-03-02 12:30,,Open,normal,email,billing,
t5,2026-03-02 15:00,,2026-03-02 14:00,Solved,normal,email,how_to,1
t6,2026-03-02 16:00,2026-03-02 16:10,2026-03-02 16:20,Solved,normal,email,billing,Happy
`;

const MAPPING: CsvMapping = checkMapping(
  {
    columns: { id: 'id', created: 'created', firstResponse: 'first', resolved: 'resolved', status: 'status', priority: 'priority', channel: 'channel', category: 'category', csat: 'csat' },
    timestamps: { format: 'yyyy-MM-dd HH:mm', timezone: 'UTC' },
  },
  'mapping.json',
);

const PERIOD = { from: '2026-03-02', to: '2026-03-08' };

function ledger(): { db: Db; file: string; path: string } {
  const { db, path } = tempDb();
  // One SLA policy for every ticket (all are normal-priority email): first reply 60 min, total resolution 180 min.
  recordPolicy(db, {
    version: 1,
    effectiveFrom: '2026-01-01T00:00:00Z',
    calendars: { always: BERLIN_24_7 },
    policies: [{ id: 'email', match: { channel: ['email'] }, calendar: 'always', targets: { normal: { first_reply: { minutes: 60, business: false }, total_resolution: { minutes: 180, business: false } } } }],
  });
  const file = join(tempDir(), 'tickets.csv');
  writeFileSync(file, CSV);
  const report = importFileSync(db, { format: 'csv', path: file, mapping: MAPPING, recordedAt: '2026-04-01T00:00:00.000Z' });
  expect(report.anomalyCounts).toEqual({ resolved_before_created: 1, csat_out_of_range: 1 });
  return { db, file, path };
}

describe('KPIs leave out import-flagged tickets from the KPIs their flags spoil', () => {
  it('FCR, agent-work AHT and reopen rate: t5 leaves them when excluded and returns when included', () => {
    const { db } = ledger();
    const excluded = kpiReport(db, PERIOD);
    const included = kpiReport(db, { ...PERIOD, includeFlagged: true });

    // Tickets are never left out.
    expect(excluded.tickets).toBe(6);
    expect(included.tickets).toBe(6);
    // FCR: resolved t1 t2 t3 t5 t6, first-contact t1 t2 t6 → 3/5 with t5, 3/4 without.
    expect(included.counts).toMatchObject({ resolved: 5, fcr: 3 });
    expect(included.fcr).toBe(3 / 5);
    expect(excluded.counts).toMatchObject({ resolved: 4, fcr: 3 });
    expect(excluded.fcr).toBe(3 / 4);
    // Reopen rate: ever solved 5 → 4, none reopened.
    expect(included.counts.everSolved).toBe(5);
    expect(excluded.counts.everSolved).toBe(4);
    // AHT (no worklogs → agent work, first to last human action): t1 30, t2 30, t3 0, t4 0, t5 0, t6 10 minutes.
    expect(included.ahtSource).toBe('agent_work');
    expect(included.counts.agentworkN).toBe(6);
    expect(included.ahtMinutes).toBeCloseTo(70 / 6, 9);
    expect(excluded.counts.agentworkN).toBe(5);
    expect(excluded.ahtMinutes).toBeCloseTo(70 / 5, 9);
    // CSAT is not spoiled by t5's flag: 5, 2, 4, 1 (t6's "Happy" was not recorded) → mean 3 either way.
    expect(excluded.csatMean).toBe(3);
    expect(included.csatMean).toBe(3);

    // Per category: how_to = t1 t2 t5 (2/3 → 2/2), billing = t3 t6 (1/2 either way).
    const byCategory = kpiReport(db, { ...PERIOD, by: 'category' });
    expect(byCategory.groups.how_to!.fcr).toBe(1);
    expect(byCategory.groups.billing!.fcr).toBe(1 / 2);
    expect(kpiReport(db, { ...PERIOD, by: 'category', includeFlagged: true }).groups.how_to!.fcr).toBe(2 / 3);
    // A category filter that does not hold the flagged ticket changes nothing.
    expect(kpiReport(db, { ...PERIOD, category: ['billing'] }).fcr).toBe(1 / 2);

    // The counts shown beside the toggle: t5 and t6 are flagged; per KPI, the flagged tickets it would count —
    // t5 is resolved, ever solved, has agent work and a total-resolution outcome; t6 has no rating to leave out.
    expect(excluded.flagged).toEqual({ included: false, tickets: 2, byKpi: { fcr: 1, aht: 1, reopenRate: 1, slaCompliance: 1 } });
    expect(included.flagged).toEqual({ included: true, tickets: 2, byKpi: { fcr: 1, aht: 1, reopenRate: 1, slaCompliance: 1 } });
  });

  it('SLA compliance leaves out only the metrics the flag spoils, counted as the SLA engine counts them', () => {
    const { db } = ledger();
    const engine = slaCompliance(db, PERIOD);
    const sum = (key: 'achieved' | 'breached'): number => Object.values(engine.metrics).reduce((total, m) => total + m[key], 0);
    const included = kpiReport(db, { ...PERIOD, includeFlagged: true });
    expect(included.counts).toMatchObject({ slaAchieved: sum('achieved'), slaBreached: sum('breached') });

    // resolved_before_created spoils total resolution (not first reply): t5's own outcome there leaves the counts.
    const t5 = ticketSlaOutcome(db, 't5', 'total_resolution');
    expect(['achieved', 'breached']).toContain(t5);
    const excluded = kpiReport(db, PERIOD);
    expect(excluded.counts.slaAchieved).toBe(sum('achieved') - (t5 === 'achieved' ? 1 : 0));
    expect(excluded.counts.slaBreached).toBe(sum('breached') - (t5 === 'breached' ? 1 : 0));
  });

  it('CSAT: a rating a later import recorded for a csat-flagged ticket stays out until included', () => {
    const { db, file } = ledger();
    // The same export again, now with a value map for "Happy": t6 gets its score, its earlier flag stands.
    const mapped = { ...MAPPING, values: { csat: { Happy: 5 } } };
    const again = importFileSync(db, { format: 'csv', path: file, mapping: mapped, recordedAt: '2026-04-02T00:00:00.000Z' });
    expect(again.events).toBeGreaterThan(0);
    // Scores 5, 2, 4, 1 and t6's 5.
    expect(kpiReport(db, { ...PERIOD, includeFlagged: true })).toMatchObject({ csatResponses: 5, csatMean: 17 / 5, csatSatisfiedShare: 3 / 5 });
    expect(kpiReport(db, PERIOD)).toMatchObject({ csatResponses: 4, csatMean: 3, csatSatisfiedShare: 2 / 4 });
    expect(kpiReport(db, PERIOD).flagged.byKpi.csat).toBe(1);
  });

  it('trend series and drill-downs leave out the same tickets as the figures', () => {
    const { db } = ledger();
    const week = (includeFlagged: boolean) => kpiSeries(db, { ...PERIOD, bucket: 'week', includeFlagged })[0]!;
    expect(week(false)).toMatchObject({ bucket: '2026-03-02', tickets: 6, fcr: 3 / 4 });
    expect(week(true)).toMatchObject({ bucket: '2026-03-02', tickets: 6, fcr: 3 / 5 });

    const drill = (drillName: 'resolved' | 'fcr' | 'tickets', includeFlagged: boolean) =>
      kpiTickets(db, { ...PERIOD, category: [], drill: drillName, offset: 0, limit: 50, includeFlagged });
    expect(drill('resolved', false).rows.map((r) => r.id).sort()).toEqual(['t1', 't2', 't3', 't6']);
    expect(drill('resolved', false).total).toBe(4);
    expect(drill('resolved', true).rows.map((r) => r.id).sort()).toEqual(['t1', 't2', 't3', 't5', 't6']);
    expect(drill('fcr', false).total).toBe(3);
    expect(drill('tickets', false).total).toBe(6);
  });

  it('attest kpis --include-flagged counts them (one CLI run: the default is kpiReport itself)', () => {
    const { db, path } = ledger();
    db.close();
    const bin = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
    const kpis = (...extra: string[]) => {
      const run = spawnSync(process.execPath, [bin, 'kpis', '--db', path, '--from', PERIOD.from, '--to', PERIOD.to, '--json', ...extra], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout) as { fcr: number; flagged: { included: boolean; tickets: number } };
    };
    expect(kpis('--include-flagged')).toMatchObject({ fcr: 3 / 5, flagged: { included: true, tickets: 2 } });
  });

  it("a period's exclusions look at its own tickets only: to the second at its edges, whatever other periods hold", () => {
    const { db } = ledger();
    // t5 (flagged) was created at 15:00 on 2 March: a period is [from, to), so one ending at 15:00 holds no
    // flagged ticket and one starting at 15:00 holds t5 (and t6, flagged at 16:00).
    const before = kpiReport(db, { from: '2026-03-02T00:00:00Z', to: '2026-03-02T15:00:00Z', includeFlagged: false });
    expect(before.flagged).toEqual({ included: false, tickets: 0, byKpi: {} });
    expect(before.counts).toMatchObject({ resolved: 3, fcr: 2 });
    const from = kpiReport(db, { from: '2026-03-02T15:00:00Z', to: '2026-03-03T00:00:00Z' });
    expect(from.flagged).toEqual({ included: false, tickets: 2, byKpi: { fcr: 1, aht: 1, reopenRate: 1, slaCompliance: 1 } });
    // t6 is left (resolved, FCR); t5 is out.
    expect(from.counts).toMatchObject({ resolved: 1, fcr: 1 });
    const t5Only = kpiReport(db, { from: '2026-03-02T15:00:00Z', to: '2026-03-02T15:00:01Z' });
    expect(t5Only.counts).toMatchObject({ tickets: 1, resolved: 0, everSolved: 0 });
    expect(t5Only.flagged.tickets).toBe(1);

    // Another month's flagged tickets leave this week's figures as they were.
    const week = kpiReport(db, PERIOD);
    const weekSeries = kpiSeries(db, { ...PERIOD, bucket: 'day' });
    const april = join(tempDir(), 'april.csv');
    writeFileSync(april, CSV.replaceAll('2026-03-02', '2026-04-06').replaceAll(/^t(\d)/gm, 'a$1'));
    expect(importFileSync(db, { format: 'csv', path: april, mapping: MAPPING, recordedAt: '2026-04-07T00:00:00.000Z' }).anomalyCounts).toEqual({
      resolved_before_created: 1,
      csat_out_of_range: 1,
    });
    expect(kpiReport(db, PERIOD)).toEqual(week);
    expect(kpiSeries(db, { ...PERIOD, bucket: 'day' })).toEqual(weekSeries);
    expect(kpiReport(db, { from: '2026-04-06', to: '2026-04-12' })).toMatchObject({ counts: { resolved: 4, fcr: 3 }, flagged: { tickets: 2 } });
    expect(kpiReport(db, { from: '2026-03-09', to: '2026-04-05' }).flagged).toEqual({ included: false, tickets: 0, byKpi: {} });
  });

  it('a look changes nothing: reports with and without flagged tickets append no event', () => {
    const { db } = ledger();
    const count = (): unknown => db.prepare('SELECT count(*), max(seq) FROM events').raw().get();
    const before = count();
    kpiReport(db, PERIOD);
    kpiReport(db, { ...PERIOD, includeFlagged: true, by: 'category' });
    kpiSeries(db, { ...PERIOD, bucket: 'day' });
    expect(count()).toEqual(before);
  });
});
