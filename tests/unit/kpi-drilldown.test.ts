// A figure's drill-down: its denominator ticket by ticket, each marked in or out of the numerator with the reason.
// Expected memberships are read off tests/fixtures/kpis/kpis.jsonl by hand (the comments say why); totals are
// checked against the KPI report, and paging against the whole list.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRILL_KPIS, KPI_FRACTIONS, type KpiDrillRow } from '../../shared/contracts/kpis.ts';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { checkMapping } from '../../electron/core/importers/csv-mapping.ts';
import { importFileSync } from '../../electron/core/importers/import-run.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { kpiReport } from '../../electron/core/kpis/kpi-report.ts';
import { kpiDrill, kpiDrillExport, type DrillSelection } from '../../electron/core/kpis/kpi-tickets.ts';
import { slaTickets } from '../../electron/core/sla/sla-queries.ts';
import { slaTicketsExport } from '../../electron/core/sla/sla-ticket-export.ts';
import { tempDb, tempDir } from './helpers.ts';

const KPI_FIXTURE = fileURLToPath(new URL('../fixtures/kpis/kpis.jsonl', import.meta.url));

const PERIOD = { from: '2026-03-02', to: '2026-03-03', category: [] as string[] };

function seqOf(db: Db, ticket: string, type: string, at: string): number {
  return db.prepare('SELECT seq FROM events WHERE ticket_id = ? AND type = ? AND substr(at, 1, 19) = ?').pluck().get(ticket, type, at.slice(0, 19)) as number;
}

/** Every row of a drill-down, page by page. */
function allRows(db: Db, selection: DrillSelection, limit: number): { rows: KpiDrillRow[]; pages: number; total: number } {
  const rows: KpiDrillRow[] = [];
  let pages = 0;
  let total = 0;
  for (let offset = 0; ; offset += limit) {
    const page = kpiDrill(db, { ...selection, show: 'all', offset, limit });
    total = page.total;
    if (page.rows.length === 0) break;
    rows.push(...page.rows);
    pages++;
  }
  return { rows, pages, total };
}

describe('KPI drill-down on the hand-computed fixture', () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'attest-drill-'));
    db = openDatabase(join(dir, 'kpis.db'));
    importJsonlFile(db, KPI_FIXTURE);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('FCR: the resolved tickets, the four at first contact marked, and why the other two are not', () => {
    const page = kpiDrill(db, { ...PERIOD, kpi: 'fcr', show: 'all', offset: 0, limit: 50 });
    // resolved: K-1, K-2, K-3, K-4, K-6, K-7 (K-5 is open); one public agent reply, never reopened: K-1, K-3, K-6, K-7
    expect(page.denominator).toBe(6);
    expect(page.numerator).toBe(4);
    expect(page.total).toBe(6);
    const marks = Object.fromEntries(page.rows.map((row) => [row.id, row.counts]));
    expect(marks).toEqual({ 'K-1': true, 'K-2': false, 'K-3': true, 'K-4': false, 'K-6': true, 'K-7': true });

    // K-2: the customer wrote again after the AI's solve at 11:00 (a reopen); the AI and then agent-1 replied.
    const k2 = page.rows.find((row) => row.id === 'K-2')!;
    const reopen = seqOf(db, 'K-2', 'message', '2026-03-03T11:00:00Z');
    const secondReply = seqOf(db, 'K-2', 'message', '2026-03-03T11:30:00Z');
    expect(k2.why).toBe(`reopened 2026-03-03 11:00 UTC (#${reopen}); 2 public agent replies, the second 2026-03-03 11:30 UTC (#${secondReply})`);
    expect(k2.evidence).toContain(reopen);
    expect(k2.evidence).toContain(secondReply);
    // K-4: agent-3 asked for the address, then replied "Done." — two public replies, no reopen (pending is not solved).
    const k4 = page.rows.find((row) => row.id === 'K-4')!;
    expect(k4.why).toBe(`2 public agent replies, the second 2026-03-02 14:30 UTC (#${seqOf(db, 'K-4', 'message', '2026-03-02T14:30:00Z')})`);
    // K-1 counts: one AI reply, solved by the AI, never reopened.
    const k1 = page.rows.find((row) => row.id === 'K-1')!;
    const k1Reply = seqOf(db, 'K-1', 'message', '2026-03-02T08:01:00Z');
    const k1Solve = seqOf(db, 'K-1', 'status', '2026-03-02T08:01:01Z');
    expect(k1.why).toBe(`solved 2026-03-02 08:01 UTC (#${k1Solve}) after one public agent reply 2026-03-02 08:01 UTC (#${k1Reply}), never reopened`);
    expect(k1.evidence).toEqual([k1Reply, k1Solve]);
  });

  it('FCR: only the members, or only the rest, when asked', () => {
    const counted = kpiDrill(db, { ...PERIOD, kpi: 'fcr', show: 'counted', offset: 0, limit: 50 });
    expect(counted.rows.map((row) => row.id).sort()).toEqual(['K-1', 'K-3', 'K-6', 'K-7']);
    expect(counted.total).toBe(4);
    const rest = kpiDrill(db, { ...PERIOD, kpi: 'fcr', show: 'not_counted', offset: 0, limit: 50 });
    expect(rest.rows.map((row) => row.id).sort()).toEqual(['K-2', 'K-4']);
    expect(rest.rows.every((row) => !row.counts)).toBe(true);
  });

  it('deflection: all seven tickets, K-1 and K-6 deflected, each other one with its reason', () => {
    const page = kpiDrill(db, { ...PERIOD, kpi: 'deflection', show: 'all', offset: 0, limit: 50 });
    expect([page.numerator, page.denominator]).toEqual([2, 7]);
    const why = Object.fromEntries(page.rows.map((row) => [row.id, row.why]));
    expect(page.rows.filter((row) => row.counts).map((row) => row.id).sort()).toEqual(['K-1', 'K-6']);
    expect(why['K-5']).toBe('not resolved (status open)');
    // K-2 stands solved by agent-1's solve at 11:30, not by the AI's earlier one.
    expect(why['K-2']).toBe(`solved 2026-03-03 11:30 UTC (#${seqOf(db, 'K-2', 'status', '2026-03-03T11:30:01Z')}), not an AI resolution`);
    expect(why['K-7']).toBe(`solved 2026-03-03 23:50 UTC (#${seqOf(db, 'K-7', 'status', '2026-03-03T23:50:00Z')}), not an AI resolution`);
    expect(why['K-6']).toBe(`solved 2026-03-02 16:00 UTC (#${seqOf(db, 'K-6', 'status', '2026-03-02T16:00:21Z')}) by the AI, no human touch`);
  });

  it('CSAT: the four rated tickets, 5 and 4 in the numerator, 3 and 2 not', () => {
    const page = kpiDrill(db, { ...PERIOD, kpi: 'csat', show: 'all', offset: 0, limit: 50 });
    expect([page.numerator, page.denominator]).toEqual([2, 4]);
    expect(Object.fromEntries(page.rows.map((row) => [row.id, row.counts]))).toEqual({ 'K-1': true, 'K-2': false, 'K-3': true, 'K-4': false });
    expect(page.rows.find((row) => row.id === 'K-4')!.why).toBe(`rated 2 2026-03-02 16:00 UTC (#${seqOf(db, 'K-4', 'csat', '2026-03-02T16:00:00Z')}) (3 or lower)`);
  });

  it('AHT: the tickets with worklogs are the mean’s members (K-7 was handled by a human but logged no time)', () => {
    const page = kpiDrill(db, { ...PERIOD, kpi: 'aht', show: 'counted', offset: 0, limit: 50 });
    expect(page.ahtSource).toBe('worklog');
    expect(Object.fromEntries(page.rows.map((row) => [row.id, row.why]))).toEqual({
      'K-2': 'handle time 10 min in 1 worklog event(s)',
      'K-3': 'handle time 20 min in 1 worklog event(s)',
      'K-4': 'handle time 30 min in 1 worklog event(s)',
    });
  });

  it('the numerator and denominator are the ones the KPI report divides, for every KPI and category', () => {
    for (const category of [[], ['password_reset'], ['billing_question', 'how_to']]) {
      const report = kpiReport(db, { ...PERIOD, category });
      for (const kpi of DRILL_KPIS) {
        const page = kpiDrill(db, { ...PERIOD, category, kpi, show: 'all', offset: 0, limit: 500 });
        const member = kpi === 'aht' && report.ahtSource === 'agent_work' ? 'agentworkN' : KPI_FRACTIONS[kpi].member;
        expect([page.numerator, page.denominator], `${kpi} ${category.join('+')}`).toEqual([report.counts[member], report.counts[KPI_FRACTIONS[kpi].population]]);
        expect(page.rows.filter((row) => row.counts)).toHaveLength(page.numerator);
        expect(page.rows).toHaveLength(page.denominator);
      }
    }
  });

  it('exports the whole denominator as CSV with human headers, members marked', () => {
    const csv = kpiDrillExport(db, { ...PERIOD, kpi: 'fcr' });
    expect(csv.mimeType).toBe('text/csv');
    const lines = csv.data.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Ticket,Subject,Category,Channel,Created (UTC),Actor,In numerator,Excluded,Why,Evidence events (ledger seq)');
    expect(lines).toHaveLength(1 + 6);
    const inNumerator = lines.slice(1).map((line) => [line.split(',')[0], line.split(',')[6]]);
    expect(Object.fromEntries(inNumerator)).toEqual({ 'K-1': 'yes', 'K-2': 'no', 'K-3': 'yes', 'K-4': 'no', 'K-6': 'yes', 'K-7': 'yes' });
  });
});

// t1, t2, t6 resolved after one agent reply (FCR); t3 resolved with no reply; t4 open; t5 resolved an hour before it
// was created: flagged resolved_before_created on import, which takes it out of FCR (and reopen rate) unless included.
const FLAGGED_CSV = `id,created,first,resolved,status,priority,channel,category
t1,2026-03-02 09:00,2026-03-02 09:30,2026-03-02 10:00,Solved,normal,email,how_to
t2,2026-03-02 09:00,2026-03-02 10:30,2026-03-02 11:00,Solved,normal,email,how_to
t3,2026-03-02 09:00,,2026-03-02 13:00,Solved,normal,email,billing
t4,2026-03-02 12:00,2026-03-02 12:30,,Open,normal,email,billing
t5,2026-03-02 15:00,,2026-03-02 14:00,Solved,normal,email,how_to
t6,2026-03-02 16:00,2026-03-02 16:10,2026-03-02 16:20,Solved,normal,email,billing
`;

describe('KPI drill-down and import-flagged tickets', () => {
  it('lists the flagged ticket apart, with its flag, and counts it again when flagged tickets are included', () => {
    const { db } = tempDb();
    const file = join(tempDir(), 'tickets.csv');
    writeFileSync(file, FLAGGED_CSV);
    const mapping = checkMapping(
      {
        columns: { id: 'id', created: 'created', firstResponse: 'first', resolved: 'resolved', status: 'status', priority: 'priority', channel: 'channel', category: 'category' },
        timestamps: { format: 'yyyy-MM-dd HH:mm', timezone: 'UTC' },
      },
      'mapping.json',
    );
    importFileSync(db, { format: 'csv', path: file, mapping, recordedAt: '2026-04-01T00:00:00.000Z' });
    const period = { from: '2026-03-02', to: '2026-03-08', category: [] as string[], kpi: 'fcr' as const };

    const left = kpiDrill(db, { ...period, show: 'all', offset: 0, limit: 50 });
    // resolved: t1, t2, t3, t6 (t5 left out); one agent reply: t1, t2, t6
    expect([left.numerator, left.denominator, left.excluded]).toEqual([3, 4, 1]);
    expect(left.rows.map((row) => [row.id, row.counts])).toEqual(expect.arrayContaining([['t1', true], ['t2', true], ['t6', true], ['t3', false]]));
    expect(left.rows.find((row) => row.id === 't3')!.why).toBe('no public agent reply');
    const flagSeq = db.prepare("SELECT seq FROM events WHERE type = 'import.flag' AND ticket_id = 't5' AND json_extract(payload, '$.kind') = 'resolved_before_created'").pluck().get() as number;
    const excluded = kpiDrill(db, { ...period, show: 'excluded', offset: 0, limit: 50 });
    expect(excluded.rows.map((row) => row.id)).toEqual(['t5']);
    expect(excluded.rows[0]).toMatchObject({ counts: false, excluded: true, evidence: [flagSeq] });
    expect(excluded.rows[0]!.why).toMatch(new RegExp(`^excluded: flagged on import — resolved_before_created.* #${flagSeq}$`));
    const report = kpiReport(db, period);
    expect([report.counts.fcr, report.counts.resolved]).toEqual([left.numerator, left.denominator]);

    const counted = kpiDrill(db, { ...period, includeFlagged: true, show: 'all', offset: 0, limit: 50 });
    // t5 is back in the denominator, out of the numerator: it got no agent reply.
    expect([counted.numerator, counted.denominator, counted.excluded]).toEqual([3, 5, 0]);
    expect(counted.rows.find((row) => row.id === 't5')).toMatchObject({ counts: false, why: 'no public agent reply' });
    const reportIncluded = kpiReport(db, { ...period, includeFlagged: true });
    expect([reportIncluded.counts.fcr, reportIncluded.counts.resolved]).toEqual([counted.numerator, counted.denominator]);

    // The export lists the denominator (counted first, newest first, ties by id), then the excluded ticket, marked.
    const csv = kpiDrillExport(db, period).data.trimEnd().split('\r\n').slice(1).map((line) => line.split(','));
    expect(csv.map((cells) => [cells[0], cells[6], cells[7]])).toEqual([['t6', 'yes', 'no'], ['t1', 'yes', 'no'], ['t2', 'yes', 'no'], ['t3', 'no', 'no'], ['t5', 'no', 'yes']]);
  });
});

describe('KPI drill-down on a demo ledger', () => {
  let dir: string;
  let db: Db;
  const period = { from: '2026-01-01', to: '2026-12-31', category: [] as string[] };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'attest-drill-'));
    createDemoDatabase(join(dir, 'demo.db'), { tickets: 300, seed: 14 });
    db = openDatabase(join(dir, 'demo.db'));
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages through every ticket of the denominator exactly once, and its members add up to the numerator', () => {
    const report = kpiReport(db, period);
    expect(report.tickets).toBeGreaterThan(250);
    for (const kpi of ['fcr', 'deflection', 'reopenRate'] as const) {
      const { rows, pages, total } = allRows(db, { ...period, kpi }, 37);
      const denominator = report.counts[KPI_FRACTIONS[kpi].population];
      expect(pages).toBe(Math.ceil(denominator / 37));
      expect(total).toBe(denominator);
      expect(new Set(rows.map((row) => row.id)).size).toBe(denominator);
      expect(rows.filter((row) => row.counts)).toHaveLength(report.counts[KPI_FRACTIONS[kpi].member]);
      // Every ticket out of the numerator says why, with words, not a blank.
      expect(rows.filter((row) => !row.counts).every((row) => row.why.length > 10)).toBe(true);
    }
  });

  it('the SLA list behind a figure pages through every ticket once and exports them all', () => {
    const query = { from: '2026-01-01', to: '2026-12-31', metric: 'first_reply', outcome: 'achieved' } as const;
    const asOf = '2027-01-01T00:00:00.000Z';
    const paged: string[] = [];
    let total = 0;
    for (let offset = 0; ; offset += 40) {
      const page = slaTickets(db, { ...query, offset, limit: 40 }, asOf);
      total = page.total;
      if (page.rows.length === 0) break;
      paged.push(...page.rows.map((row) => row.ticket));
    }
    expect(total).toBeGreaterThan(100);
    expect(paged).toHaveLength(total);
    expect(new Set(paged).size).toBe(total);
    const csv = slaTicketsExport(db, query, asOf).data.trimEnd().split('\r\n');
    expect(csv[0]).toBe('Ticket,Subject,Priority,Category,Created (UTC),Metric,Outcome,Fulfilled by,Evidence events (ledger seq)');
    expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(paged);
  });

  it('a look records nothing', () => {
    const head = db.prepare('SELECT max(seq) FROM events').pluck().get();
    kpiDrill(db, { ...period, kpi: 'fcr', show: 'all', offset: 0, limit: 10 });
    kpiDrillExport(db, { ...period, kpi: 'fcr' });
    expect(db.prepare('SELECT max(seq) FROM events').pluck().get()).toBe(head);
  });
});
