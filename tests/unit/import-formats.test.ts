import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { checkMapping, guessMapping } from '../../electron/core/importers/csv-mapping.ts';
import { importFileSync, type ImportFileOptions } from '../../electron/core/importers/import-run.ts';
import { ticketsExcludedFrom } from '../../electron/core/importers/import-repository.ts';
import { ImportCancelled } from '../../electron/core/importers/import-types.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { exportSigned, tempDb, tempDir } from './helpers.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/importers/${name}`, import.meta.url));
const mapping = checkMapping(JSON.parse(readFileSync(fixture('generic-mapping.json'), 'utf8')), 'generic-mapping.json');

function ticket(db: Db, id: string): Record<string, unknown> {
  return db.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as Record<string, unknown>;
}

function snapshot(db: Db): unknown {
  return {
    events: db.prepare('SELECT count(*) AS n, max(hash) AS h FROM events').get(),
    tickets: db.prepare('SELECT * FROM tickets ORDER BY id').all(),
    flags: db.prepare('SELECT count(*) AS n FROM import_flags').get(),
  };
}

function run(db: Db, options: Omit<ImportFileOptions, 'recordedAt'>) {
  return importFileSync(db, { recordedAt: '2025-01-01T00:00:00.000Z', ...options });
}

describe('Freshdesk CSV', () => {
  it('maps words and numeric codes, case-insensitive headers, quoted newlines, several date formats', () => {
    const { db } = tempDb();
    const report = run(db, { format: 'freshdesk', path: fixture('freshdesk-tickets.csv') });
    expect(report).toMatchObject({ rows: 8, imported: 6, duplicates: 1, skipped: 1 });
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ticket(db, 'fd-1001')).toMatchObject({ status: 'solved', priority: 'low', channel: 'email', category: 'password_reset', csat: 5, first_reply_at: '2024-03-01T09:20:00.000Z', solved_at: '2024-03-01T11:30:00.000Z' });
    // numeric codes: status 2 open, priority 3 high, source 7 chat
    expect(ticket(db, 'fd-1002')).toMatchObject({ status: 'open', priority: 'high', channel: 'chat', subject: 'Where is my "parcel"?' });
    // dd/MM/yyyy date, status 5 closed, priority 4 urgent, source 3 phone
    expect(ticket(db, 'fd-1003')).toMatchObject({ status: 'closed', priority: 'urgent', channel: 'phone', created_at: '2024-03-02T08:15:00.000Z', csat: 1 });
    const body = db.prepare("SELECT payload ->> '$.body' FROM events WHERE ticket_id = 'fd-1002' AND type = 'message' AND payload ->> '$.author.kind' = 'customer'").pluck().get();
    expect(body).toBe('Ordered last week.\nTracking says nothing.');
    const created = JSON.parse(db.prepare("SELECT payload FROM events WHERE ticket_id = 'fd-1001' AND type = 'created'").pluck().get() as string);
    expect(created).toMatchObject({ requester: 'carla@example.com', organization: 'Acme', tags: ['login', 'password'], attributes: { Group: 'Tier 1', 'Custom: Plan': 'Pro' } });
  });

  it('reports anomalies per row, kept but flagged, and excludes them only from the KPIs they spoil', () => {
    const { db } = tempDb();
    const report = run(db, { format: 'freshdesk', path: fixture('freshdesk-tickets.csv') });
    expect(report.anomalies.map((a) => [a.row, a.ticket, a.kind])).toEqual([
      [6, 'fd-1004', 'csat_out_of_range'],
      [6, 'fd-1004', 'resolved_before_created'],
      [7, 'fd-1005', 'created_time_missing'],
      [7, 'fd-1005', 'unknown_priority'],
      [9, 'fd-1006', 'first_response_after_resolution'],
      [10, 'fd-1007', 'no_time_known'],
    ]);
    expect(ticket(db, 'fd-1005')).toMatchObject({ created_at: '2024-03-06T14:00:00.000Z', priority: 'normal' });
    expect(ticket(db, 'fd-1007')).toBeUndefined();
    expect(ticket(db, 'fd-1004')!.csat).toBeNull();
    expect([...ticketsExcludedFrom(db, 'first_response_time')].sort()).toEqual(['fd-1005', 'fd-1006']);
    expect([...ticketsExcludedFrom(db, 'csat')]).toEqual(['fd-1004']);
    expect(report.kpiExclusions).toMatchObject({ first_response_time: 2, csat: 1, sla: 1, resolution_time: 2 });
  });

  it('is idempotent by source ticket id; a newer export adds only the new facts', () => {
    const { db } = tempDb();
    const first = run(db, { format: 'freshdesk', path: fixture('freshdesk-tickets.csv') });
    const before = snapshot(db);
    const again = run(db, { format: 'freshdesk', path: fixture('freshdesk-tickets.csv') });
    expect(again).toMatchObject({ imported: 0, updated: 0, events: 0, importSeq: null, sha256: first.sha256 });
    expect(snapshot(db)).toEqual(before);
    const newer = run(db, { format: 'freshdesk', path: fixture('freshdesk-newer.csv') });
    expect(newer).toMatchObject({ rows: 2, imported: 1, updated: 1 });
    expect(ticket(db, 'fd-1002')).toMatchObject({ status: 'solved', csat: 5, priority: 'high', first_reply_at: '2024-03-02T10:30:00.000Z' });
    expect(db.prepare("SELECT count(*) FROM events WHERE ticket_id = 'fd-1002' AND type = 'created'").pluck().get()).toBe(1);
  });

  it('records the import as a ledger-wide import.file event naming the file, its SHA-256 and the events it added', () => {
    const { db } = tempDb();
    const report = run(db, { format: 'freshdesk', path: fixture('freshdesk-tickets.csv'), actor: { kind: 'human', id: 'ops' } });
    const row = db.prepare("SELECT seq, ticket_id, actor, payload FROM events WHERE type = 'import.file'").get() as { seq: number; ticket_id: null; actor: string; payload: string };
    expect(row.seq).toBe(report.importSeq);
    expect(row.ticket_id).toBeNull();
    expect(JSON.parse(row.actor)).toEqual({ kind: 'human', id: 'ops' });
    expect(JSON.parse(row.payload)).toMatchObject({ file: 'freshdesk-tickets.csv', sha256: report.sha256, format: 'freshdesk', firstSeq: 1, lastSeq: report.importSeq! - 1, events: report.events });
    // imported facts keep their real actors
    const actors = db.prepare("SELECT DISTINCT json_extract(actor, '$.kind') FROM events WHERE ticket_id = 'fd-1001'").pluck().all();
    expect(actors).toEqual(expect.arrayContaining(['customer', 'human']));
  });
});

describe('any CSV with a mapping', () => {
  it('imports through the mapping: value maps, time format, attributes, duplicates, anomalies', () => {
    const { db } = tempDb();
    const report = run(db, { format: 'csv', path: fixture('generic.csv'), mapping });
    expect(report).toMatchObject({ rows: 5, imported: 4, duplicates: 1 });
    expect(ticket(db, 'T-1')).toMatchObject({ priority: 'urgent', channel: 'web', category: 'outage', created_at: '2024-04-01T09:05:00.000Z', first_reply_at: '2024-04-01T09:35:00.000Z', csat: 5, status: 'solved' });
    expect(ticket(db, 'T-2')).toMatchObject({ status: 'new', first_reply_at: null, solved_at: null, csat: null });
    expect(report.anomalies.map((a) => `${a.row}:${a.ticket}:${a.kind}`)).toEqual([
      '4:T-3:csat_out_of_range',
      '4:T-3:first_response_after_resolution',
      '5:T-4:created_time_missing',
      '5:T-4:unknown_priority',
    ]);
  });

  it('refuses a mapping naming a missing column, and a bad mapping file, with the field at fault', () => {
    const { db } = tempDb();
    const bad = { ...mapping, columns: { ...mapping.columns, priority: 'Urgency' } };
    expect(() => run(db, { format: 'csv', path: fixture('generic.csv'), mapping: bad })).toThrow(/generic\.csv:1: Urgency: column named by the mapping \(columns\.priority\) is not in the header/);
    expect(() => checkMapping({ columns: {} }, 'm.json')).toThrow('m.json: columns.id: is required');
    expect(() => checkMapping({ columns: { id: 'x' }, timestamps: { timezone: 'Mars/Base' } }, 'm.json')).toThrow(/m\.json: timestamps\.timezone/);
    expect(() => checkMapping({ columns: { id: 'x' }, values: { priority: { P1: 'critical' } } }, 'm.json')).toThrow(/values\.priority\.P1/);
  });

  it('guesses the columns from the header', () => {
    expect(guessMapping(['Ticket ID', 'Created', 'First Reply', 'Solved At', 'Priority', 'Type', 'Channel', 'Subject', 'Description', 'Rating', 'Agent'])).toEqual({
      id: 'Ticket ID',
      created: 'Created',
      firstResponse: 'First Reply',
      resolved: 'Solved At',
      priority: 'Priority',
      category: 'Type',
      channel: 'Channel',
      subject: 'Subject',
      body: 'Description',
      csat: 'Rating',
      agent: 'Agent',
    });
  });
});

describe('Zendesk JSON', () => {
  it('imports incremental export pages, derives what fields allow and marks the history partial', () => {
    const { db } = tempDb();
    const page1 = run(db, { format: 'zendesk', path: fixture('zendesk-page-1.json') });
    expect(page1).toMatchObject({ rows: 2, imported: 2, partialHistory: 2 });
    expect(ticket(db, 'zd-35436')).toMatchObject({ status: 'solved', priority: 'high', channel: 'email', category: 'question', csat: 5, requester: '20978392', assignee: '235323' });
    const created = JSON.parse(db.prepare("SELECT payload FROM events WHERE ticket_id = 'zd-35436' AND type = 'created'").pluck().get() as string);
    expect(created).toMatchObject({ tags: ['enterprise', 'printer'], attributes: { custom_27642: '745', group_id: '98738' }, organization: '509974' });
    expect(db.prepare("SELECT count(*) FROM import_flags WHERE kind = 'partial_history'").pluck().get()).toBe(2);
    const page2 = run(db, { format: 'zendesk', path: fixture('zendesk-page-2.json') });
    expect(page2).toMatchObject({ imported: 1, updated: 1 });
    expect(page2.anomalies).toEqual([expect.objectContaining({ row: 1, ticket: 'zd-35438', kind: 'unknown_priority' })]);
    expect(ticket(db, 'zd-35436')!.status).toBe('closed');
    expect(ticket(db, 'zd-35438')!.status).toBe('on_hold');
  });

  it('imports the admin full export (one ticket per line) with comments and audits, out-of-order audits included', () => {
    const { db } = tempDb();
    const report = run(db, { format: 'zendesk', path: fixture('zendesk-full.ndjson') });
    expect(report).toMatchObject({ rows: 2, imported: 2, partialHistory: 0 });
    expect(ticket(db, 'zd-501')).toMatchObject({ status: 'solved', solved_at: '2024-01-10T09:02:00.000Z', first_reply_at: '2024-01-10T09:00:00.000Z', csat: 1, assignee: '7001' });
    const messages = db
      .prepare("SELECT payload ->> '$.author.kind' AS author_kind, payload ->> '$.public' AS public, payload ->> '$.body' AS body FROM events WHERE ticket_id = 'zd-501' AND type = 'message' ORDER BY at")
      .all();
    expect(messages).toEqual([
      { author_kind: 'customer', public: 1, body: 'I want my money back' },
      { author_kind: 'human', public: 1, body: 'Refunded, sorry!' },
      { author_kind: 'human', public: 0, body: 'internal: refund id R-1' },
    ]);
  });

  it('applies ticket_events to tickets imported before, telling customers from agents', () => {
    const { db } = tempDb();
    run(db, { format: 'zendesk', path: fixture('zendesk-page-1.json') });
    const report = run(db, { format: 'zendesk', path: fixture('zendesk-ticket-events.json') });
    expect(report).toMatchObject({ rows: 2, updated: 2 });
    expect(ticket(db, 'zd-35437')).toMatchObject({ status: 'open', reopen_count: 1, first_reply_at: '2024-02-02T12:00:00.000Z' });
    expect(run(db, { format: 'zendesk', path: fixture('zendesk-ticket-events.json') })).toMatchObject({ events: 0, duplicates: 2 });
  });
});

describe('errors leave the database exactly as it was', () => {
  const cases: [string, string, RegExp][] = [
    ['bad-date.csv', 'Ticket ID,Status,Created time\n1,Open,2024-01-01 10:00:00\n2,Open,yesterday\n', /bad-date\.csv:3: Created time: "yesterday" is not a date and time/],
    ['open-quote.csv', 'Ticket ID,Subject\n1,"never closed\n2,x\n', /open-quote\.csv:\d+: \(csv\): a quoted field is never closed/],
    ['no-id.csv', 'Subject,Status\nx,Open\n', /no-id\.csv:1: Ticket ID: column is missing/],
    ['empty-id.csv', 'Ticket ID,Subject\n1,a\n,b\n', /empty-id\.csv:3: Ticket ID: is empty/],
    ['utf16.csv', '\uFEFFTicket ID\n1\n', /utf16\.csv:1: \(file\): the file is UTF-16 encoded/],
  ];
  for (const [name, content, error] of cases) {
    it(`${name}: ${error.source.slice(0, 40)}`, () => {
      const { db } = tempDb();
      run(db, { format: 'freshdesk', path: fixture('freshdesk-tickets.csv') });
      const before = snapshot(db);
      const path = join(tempDir(), name);
      writeFileSync(path, name === 'utf16.csv' ? Buffer.from(content, 'utf16le') : content);
      expect(() => run(db, { format: 'freshdesk', path })).toThrow(error);
      expect(snapshot(db)).toEqual(before);
      expect(db.inTransaction).toBe(false);
    });
  }

  it('Zendesk: invalid JSON, truncated page and a bad field name the line and the field', () => {
    const { db } = tempDb();
    const dir = tempDir();
    const write = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    expect(() => run(db, { format: 'zendesk', path: write('a.json', '{"tickets":[{"id":1,"created_at":"2024-01-01T00:00:00Z"},\n{"id":2,]}') })).toThrow(/a\.json:2: \(json\): invalid JSON/);
    expect(() => run(db, { format: 'zendesk', path: write('b.json', '{"tickets":[{"id":1,"created_at":"2024-01-01T00:00:00Z"}') })).toThrow(/b\.json:1: \(json\)/);
    expect(() => run(db, { format: 'zendesk', path: write('c.ndjson', '{"id":1,"created_at":"2024-01-01T00:00:00Z"}\n{"id":2,"created_at":"soon"}\n') })).toThrow(/c\.ndjson:2: created_at: "soon" is not a date/);
    expect(() => run(db, { format: 'zendesk', path: write('d.ndjson', '{"id":1,"created_at":"2024-01-01T00:00:00Z"}\n{"subject":"no id"}\n') })).toThrow(/d\.ndjson:2: id: is required/);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
  });

  it('a cancelled import rolls back', () => {
    const { db } = tempDb();
    const signal = { cancelled: true };
    expect(() => run(db, { format: 'freshdesk', path: fixture('freshdesk-tickets.csv'), signal })).toThrow(ImportCancelled);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
  });
});

describe('round trip', () => {
  it('import → export JSONL → import into an empty database gives identical ticket projections', () => {
    const { db } = tempDb();
    run(db, { format: 'freshdesk', path: fixture('freshdesk-tickets.csv') });
    run(db, { format: 'freshdesk', path: fixture('freshdesk-newer.csv') });
    run(db, { format: 'csv', path: fixture('generic.csv'), mapping });
    for (const page of ['zendesk-page-1.json', 'zendesk-page-2.json', 'zendesk-full.ndjson', 'zendesk-ticket-events.json']) run(db, { format: 'zendesk', path: fixture(page) });
    const out = join(tempDir(), 'export.jsonl');
    exportSigned(db, out);
    const copy = tempDb().db;
    importJsonlFile(copy, out);
    expect(snapshot(copy)).toEqual(snapshot(db));
    expect(copy.prepare('SELECT * FROM import_flags ORDER BY seq').all()).toEqual(db.prepare('SELECT * FROM import_flags ORDER BY seq').all());
  });

  it('works from a copy of a fixture under another name (attribution uses the name given)', () => {
    const { db } = tempDb();
    const path = join(tempDir(), 'renamed.csv');
    copyFileSync(fixture('generic.csv'), path);
    const report = run(db, { format: 'csv', path, mapping, name: 'upload/renamed.csv' });
    expect(report.file).toBe('upload/renamed.csv');
    expect(JSON.parse(db.prepare("SELECT payload FROM events WHERE type = 'import.file'").pluck().get() as string).file).toBe('renamed.csv');
  });
});
