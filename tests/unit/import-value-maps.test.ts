// Value maps for every mapped field (status, priority, CSAT, channel, category), the survey of a file's values
// before it is imported (a read: nothing written), the finishing phase's progress, and the list of past imports.
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CsvMapping, ImportRunStatus } from '../../shared/contracts/importers.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { checkMapping } from '../../electron/core/importers/csv-mapping.ts';
import { importHistory } from '../../electron/core/importers/import-repository.ts';
import { importFileSync, type ImportProgress } from '../../electron/core/importers/import-run.ts';
import { surveyValues } from '../../electron/core/importers/value-survey.ts';
import { openCore } from '../../electron/core/service.ts';
import { tempDb, tempDir } from './helpers.ts';

// Words no built-in vocabulary knows: "Done", "Critical!", "Happy"/"Unhappy", "WWW", "Pwd".
const CSV = `Ticket,Opened,State,Prio,Mood,Via,Kind
a1,2026-03-02 09:00,Done,Critical!,Happy,WWW,Pwd
a2,2026-03-02 10:00,Done,low,Unhappy,WWW,Billing
a3,2026-03-02 11:00,open,Critical!,Happy,email,Pwd
a4,2026-03-02 12:00,Parked,high,4,email,Pwd
a5,2026-03-02 13:00,Done,low,,WWW,
`;

const COLUMNS = { id: 'Ticket', created: 'Opened', status: 'State', priority: 'Prio', csat: 'Mood', channel: 'Via', category: 'Kind' };
const TIMES = { format: 'yyyy-MM-dd HH:mm', timezone: 'UTC' };
const MAPPED: CsvMapping = checkMapping(
  {
    columns: COLUMNS,
    timestamps: TIMES,
    values: {
      status: { done: 'solved', Parked: 'on_hold' },
      priority: { 'Critical!': 'urgent' },
      csat: { Happy: 5, unhappy: 1 },
      channel: { WWW: 'web' },
      category: { Pwd: 'password_reset' },
    },
  },
  'map.json',
);
const UNMAPPED: CsvMapping = checkMapping({ columns: COLUMNS, timestamps: TIMES }, 'map.json');

function csvFile(text = CSV): string {
  const file = join(tempDir(), 'legacy.csv');
  writeFileSync(file, text);
  return file;
}

function ticket(db: Db, id: string): Record<string, unknown> {
  return db.prepare('SELECT status, priority, csat, channel, category FROM tickets WHERE id = ?').get(id) as Record<string, unknown>;
}

/** Everything a write could change: the chain head, every projection's row count. */
function snapshot(db: Db): unknown {
  const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
  return {
    head: db.prepare('SELECT count(*), max(seq), max(hash) FROM events').raw().get(),
    rows: Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get()])),
  };
}

describe('value maps', () => {
  it('apply to status, priority, CSAT, channel and category, case-insensitively', () => {
    const { db } = tempDb();
    const report = importFileSync(db, { format: 'csv', path: csvFile(), mapping: MAPPED });
    expect(report.anomalyCounts).toEqual({});
    expect(ticket(db, 'a1')).toEqual({ status: 'solved', priority: 'urgent', csat: 5, channel: 'web', category: 'password_reset' });
    expect(ticket(db, 'a2')).toEqual({ status: 'solved', priority: 'low', csat: 1, channel: 'web', category: 'Billing' });
    expect(ticket(db, 'a3')).toEqual({ status: 'open', priority: 'urgent', csat: 5, channel: 'email', category: 'password_reset' });
    expect(ticket(db, 'a4')).toEqual({ status: 'on_hold', priority: 'high', csat: 4, channel: 'email', category: 'password_reset' });
  });

  it('without them the same words become anomalies (status open, priority normal, CSAT not recorded)', () => {
    const { db } = tempDb();
    const report = importFileSync(db, { format: 'csv', path: csvFile(), mapping: UNMAPPED });
    // Done ×3 and Parked: unknown status; Critical! ×2: unknown priority; Happy ×2, Unhappy: not a score.
    expect(report.anomalyCounts).toEqual({ unknown_status: 4, unknown_priority: 2, csat_out_of_range: 3 });
    expect(ticket(db, 'a1')).toEqual({ status: 'open', priority: 'normal', csat: null, channel: 'www', category: 'Pwd' });
  });

  it('refuses targets that are not Attest values, naming the field', () => {
    expect(() => checkMapping({ columns: { id: 'x' }, values: { csat: { Happy: 7 } } }, 'map.json')).toThrow('map.json: values.csat.Happy: 7 must be a score 1–5');
    expect(() => checkMapping({ columns: { id: 'x' }, values: { csat: { Meh: 2.5 } } }, 'map.json')).toThrow('map.json: values.csat.Meh: 2.5 must be a score 1–5');
    expect(() => checkMapping({ columns: { id: 'x' }, values: { status: { Done: 'finished' } } }, 'map.json')).toThrow('map.json: values.status.Done: "finished" must be');
    expect(() => checkMapping({ columns: { id: 'x' }, values: { priority: { P1: 'p1' } } }, 'map.json')).toThrow('map.json: values.priority.P1: "p1" must be');
  });
});

describe('value survey before an import', () => {
  it('lists every value per field with its count and fate, unmapped ones first to fix, and writes nothing', () => {
    const { db } = tempDb();
    // A ledger with something in it already, so "known" means something: an earlier import with an email ticket.
    importFileSync(db, { format: 'csv', path: csvFile('Ticket,Opened,Via,Kind\nz1,2026-03-01 09:00,email,Billing\n'), mapping: checkMapping({ columns: { id: 'Ticket', created: 'Opened', channel: 'Via', category: 'Kind' }, timestamps: TIMES }, 'm') });
    const before = snapshot(db);
    const survey = surveyValues(db, csvFile(), 'legacy.csv', UNMAPPED);
    expect(snapshot(db)).toEqual(before);

    expect(survey.rows).toBe(5);
    expect(survey.fields.status).toEqual({
      column: 'State',
      rows: 5,
      unmappedRows: 4,
      distinctOmitted: 0,
      values: [
        { value: 'Done', count: 3, state: 'unmapped', becomes: 'open' },
        { value: 'open', count: 1, state: 'recognized', becomes: 'open' },
        { value: 'Parked', count: 1, state: 'unmapped', becomes: 'open' },
      ],
    });
    expect(survey.fields.priority?.values).toEqual([
      { value: 'Critical!', count: 2, state: 'unmapped', becomes: 'normal' },
      { value: 'low', count: 2, state: 'recognized', becomes: 'low' },
      { value: 'high', count: 1, state: 'recognized', becomes: 'high' },
    ]);
    // a5 has no rating: 4 rows with a value.
    expect(survey.fields.csat).toMatchObject({ rows: 4, unmappedRows: 3 });
    expect(survey.fields.csat?.values).toEqual([
      { value: 'Happy', count: 2, state: 'unmapped', becomes: null },
      { value: '4', count: 1, state: 'recognized', becomes: 4 },
      { value: 'Unhappy', count: 1, state: 'unmapped', becomes: null },
    ]);
    expect(survey.fields.channel?.values).toEqual([
      { value: 'WWW', count: 3, state: 'kept', becomes: 'www', known: false },
      { value: 'email', count: 2, state: 'kept', becomes: 'email', known: true },
    ]);
    expect(survey.fields.category?.values).toEqual([
      { value: 'Pwd', count: 3, state: 'kept', becomes: 'Pwd', known: false },
      { value: 'Billing', count: 1, state: 'kept', becomes: 'Billing', known: true },
    ]);
  });

  it('with the value maps, every value is mapped or recognized', () => {
    const { db } = tempDb();
    const survey = surveyValues(db, csvFile(), 'legacy.csv', MAPPED);
    for (const field of Object.values(survey.fields)) expect(field.unmappedRows).toBe(0);
    expect(survey.fields.csat?.values.map((v) => [v.value, v.state, v.becomes])).toEqual([
      ['Happy', 'mapped', 5],
      ['4', 'recognized', 4],
      ['Unhappy', 'mapped', 1],
    ]);
    expect(survey.fields.category?.values[0]).toEqual({ value: 'Pwd', count: 3, state: 'mapped', becomes: 'password_reset', known: false });
  });

  it('names the file, line and field of a problem, like the import', () => {
    const { db } = tempDb();
    expect(() => surveyValues(db, csvFile(), 'legacy.csv', checkMapping({ columns: { id: 'Ticket', status: 'Status' } }, 'm'))).toThrow(
      'legacy.csv:1: Status: column named by the mapping (columns.status) is not in the header',
    );
    expect(() => surveyValues(db, csvFile('Ticket,State\na,"open\n'), 'cut.csv', checkMapping({ columns: { id: 'Ticket', status: 'State' } }, 'm'))).toThrow(/^cut\.csv:2: /);
  });
});

describe('through the contract', () => {
  async function waitDone(core: ReturnType<typeof openCore>, runId: string): Promise<ImportRunStatus> {
    for (;;) {
      const status = await core.invoke('imports.status', { runId });
      if (!status.ok) throw new Error(status.error.message);
      if (status.value.state !== 'running') return status.value;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('imports.values reads the upload (nothing written), imports.start then imports it with the maps, imports.history lists it', async () => {
    const { path, db } = tempDb();
    db.close();
    const core = openCore({ dbPath: path, role: 'supervisor' });
    try {
      const up = await core.invoke('imports.upload', { offset: 0, chunkBase64: Buffer.from(CSV).toString('base64') });
      const uploadId = up.ok ? up.value.uploadId : '';
      const survey = await core.invoke('imports.values', { uploadId, fileName: 'legacy.csv', mapping: UNMAPPED });
      expect(survey.ok && survey.value.fields.csat?.unmappedRows).toBe(3);
      const untouched = await core.invoke('tickets.list', {});
      expect(untouched.ok && untouched.value.total).toBe(0);
      const bad = await core.invoke('imports.values', { uploadId, fileName: 'legacy.csv', mapping: { columns: { id: 'Ticket' }, values: { csat: { Happy: 9 } } } });
      expect(bad.ok === false && bad.error).toEqual({ code: 'invalid_input', message: 'mapping: values.csat.Happy: 9 must be a score 1–5' });
      const history0 = await core.invoke('imports.history', {});
      expect(history0.ok && history0.value).toEqual({ total: 0, rows: [] });

      const started = await core.invoke('imports.start', { uploadId, fileName: 'legacy.csv', format: 'csv', mapping: MAPPED });
      expect(started.ok && started.value).toMatchObject({ phase: 'reading', finishing: null });
      const done = await waitDone(core, started.ok ? started.value.runId : '');
      // 5 tickets: recording, one projection batch, ledger-wide projections, commit — all done.
      expect(done).toMatchObject({ state: 'done', phase: 'finishing', finishing: { step: 'committed', done: 4, total: 4 }, report: { imported: 5, anomalyCounts: {} } });

      const history = await core.invoke('imports.history', {});
      expect(history.ok && history.value.total).toBe(1);
      expect(history.ok && history.value.rows[0]).toMatchObject({
        file: 'legacy.csv',
        sha256: done.report!.sha256,
        format: 'csv',
        // Without accounts, the console's caller is the operating-system user.
        by: `os:${userInfo().username}`,
        rows: 5,
        imported: 5,
        events: done.report!.events,
        anomalies: 0,
        seq: done.report!.importSeq,
      });
    } finally {
      core.close();
    }
  });
});

describe('finishing phase and past imports', () => {
  it('after the rows: recording, projections in batches, ledger-wide projections, commit — each announced with its count', () => {
    const { db } = tempDb();
    const rows = Array.from({ length: 1_203 }, (_, i) => `t${i},2026-03-02 09:00,open,low,,email,x`).join('\n');
    const seen: ImportProgress[] = [];
    // Reading progress is throttled; every finishing step is told.
    importFileSync(db, { format: 'csv', path: csvFile(`Ticket,Opened,State,Prio,Mood,Via,Kind\n${rows}\n`), mapping: UNMAPPED, onProgress: (p) => seen.push(p) });
    const steps = seen.filter((p) => p.phase === 'finishing').map((p) => `${p.finishing!.done}/${p.finishing!.total} ${p.finishing!.step}`);
    // 1,203 tickets touched since the last 5,000-ticket refresh: 5 batches of ≤ 250, so 1 + 5 + 2 = 8 steps.
    expect(steps).toEqual([
      '0/8 recording the import in the ledger',
      '1/8 updating ticket projections 1–250 of 1203',
      '2/8 updating ticket projections 251–500 of 1203',
      '3/8 updating ticket projections 501–750 of 1203',
      '4/8 updating ticket projections 751–1000 of 1203',
      '5/8 updating ticket projections 1001–1203 of 1203',
      '6/8 updating ledger-wide projections',
      '7/8 committing the transaction',
    ]);
    expect(seen.filter((p) => p.phase === 'reading').every((p) => p.finishing === null)).toBe(true);
    expect(db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(1_203);
  });

  it('lists import.file events newest first with file, SHA-256, who, when and counts; a re-import that adds nothing is not listed', () => {
    const { db } = tempDb();
    const file = csvFile();
    const first = importFileSync(db, { format: 'csv', path: file, mapping: UNMAPPED, actor: { kind: 'human', id: 'mrivera', name: 'Maya Rivera' }, recordedAt: '2026-04-01T08:00:00.000Z' });
    importFileSync(db, { format: 'csv', path: file, mapping: UNMAPPED, recordedAt: '2026-04-01T09:00:00.000Z' });
    const second = importFileSync(db, { format: 'csv', path: file, mapping: MAPPED, recordedAt: '2026-04-02T08:00:00.000Z' });
    const page = importHistory(db, 0, 100);
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.seq)).toEqual([second.importSeq, first.importSeq]);
    expect(page.rows[1]).toEqual({
      seq: first.importSeq,
      at: '2026-04-01T08:00:00.000Z',
      by: 'Maya Rivera',
      file: 'legacy.csv',
      sha256: first.sha256,
      format: 'csv',
      rows: 5,
      imported: 5,
      updated: 0,
      duplicates: 0,
      skipped: 0,
      events: first.events,
      firstSeq: first.firstSeq,
      lastSeq: first.lastSeq,
      anomalies: 9,
      anomalyCounts: { unknown_status: 4, unknown_priority: 2, csat_out_of_range: 3 },
    });
    expect(page.rows[0]).toMatchObject({ by: 'attest-import', imported: 0, anomalies: 0 });
    expect(importHistory(db, 1, 1).rows.map((r) => r.seq)).toEqual([first.importSeq]);
  });
});
