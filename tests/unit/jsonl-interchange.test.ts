import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { exportJsonl } from '../../electron/core/interchange/jsonl-export.ts';
import { ImportError, importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { TicketRepository } from '../../electron/core/tickets/ticket-repository.ts';
import { exportSigned, SMALL_FIXTURE, tempDb, tempDir } from './helpers.ts';

function dump(db: Db): unknown {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1`).raw().all()]));
}

function importError(db: Db, path: string): ImportError {
  try {
    importJsonlFile(db, path);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('import did not fail');
}

const GOOD = readFileSync(SMALL_FIXTURE, 'utf8');

describe('JSONL import', () => {
  it('imports events, derives actors and builds the ticket projections', () => {
    const { db } = tempDb();
    const report = importJsonlFile(db, SMALL_FIXTURE);
    expect(report).toMatchObject({ linesRead: 15, eventsAdded: 15, duplicatesSkipped: 0, ticketsTouched: 3 });
    const tickets = new TicketRepository(db);
    expect(tickets.get('T-1')).toMatchObject({ status: 'solved', resolvedBy: 'ai', csat: 5, reopenCount: 0, category: 'password_reset' });
    expect(tickets.get('T-2')).toMatchObject({ status: 'open', resolvedBy: 'unresolved', reopenCount: 1, escalated: true });
    expect(tickets.get('T-3')).toMatchObject({ status: 'open', priority: 'urgent' });
    const actor = db.prepare('SELECT actor FROM events WHERE seq = 1').pluck().get();
    expect(actor).toBe('{"id":"c-17","kind":"customer"}');
    expect(db.prepare('SELECT at FROM events WHERE seq = 5').pluck().get()).toBe('2026-10-02T08:00:00.000Z');
  });

  it('is idempotent: importing the same file twice adds nothing', () => {
    const { db } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    const before = dump(db);
    const second = importJsonlFile(db, SMALL_FIXTURE);
    expect(second).toMatchObject({ eventsAdded: 0, duplicatesSkipped: 15 });
    expect(dump(db)).toEqual(before);
  });

  it('adds only the new lines of a file that grew', () => {
    const { db, dir } = tempDb();
    const first = join(dir, 'part.jsonl');
    writeFileSync(first, GOOD.split('\n').slice(0, 8).join('\n'));
    importJsonlFile(db, first);
    expect(importJsonlFile(db, SMALL_FIXTURE)).toMatchObject({ eventsAdded: 7, duplicatesSkipped: 8 });
    expect(verifyLedger(db).intact).toBe(true);
  });

  const badLines: [string, string, RegExp][] = [
    ['invalid JSON', '{"ticket":"T-9",', /:3: \(line\): invalid JSON/],
    ['unknown type', '{"ticket":"T-9","type":"teleported","at":"2026-10-01T09:00:00Z"}', /:3: type: unknown event type "teleported"/],
    ['missing ticket', '{"type":"csat","at":"2026-10-01T09:00:00Z","score":3}', /:3: ticket: is required/],
    ['timestamp without zone', '{"ticket":"T-9","type":"csat","at":"2026-10-01 09:00","score":3}', /:3: at: "2026-10-01 09:00" is not an ISO 8601 timestamp with a time zone/],
    ['impossible date', '{"ticket":"T-9","type":"csat","at":"2026-02-30T09:00:00Z","score":3}', /:3: at: .* not an ISO 8601/],
    ['bad priority', '{"ticket":"T-9","type":"created","at":"2026-10-01T09:00:00Z","channel":"email","priority":"critical","category":"x","subject":"s"}', /:3: priority: /],
    ['bad author kind', '{"ticket":"T-9","type":"message","at":"2026-10-01T09:00:00Z","author":{"kind":"robot"},"public":true,"body":"b"}', /:3: author\.kind: /],
    ['csat out of range', '{"ticket":"T-9","type":"csat","at":"2026-10-01T09:00:00Z","score":9}', /:3: score: /],
    ['unknown field', '{"ticket":"T-9","type":"csat","at":"2026-10-01T09:00:00Z","score":3,"scroe":4}', /:3: scroe: unknown field/],
    ['bad escalation reason', '{"ticket":"T-9","type":"escalated","at":"2026-10-01T09:00:00Z","reason":"bored","by":{"kind":"ai"}}', /:3: reason: /],
  ];

  for (const [name, line, expected] of badLines) {
    it(`fails the whole file on ${name}, naming file, line and field, and changes nothing`, () => {
      const { db, dir } = tempDb();
      importJsonlFile(db, SMALL_FIXTURE);
      const before = dump(db);
      const path = join(dir, 'bad.jsonl');
      const lines = GOOD.split('\n').filter(Boolean).map((l) => l.replace('"T-1"', '"N-1"').replace('"T-2"', '"N-2"'));
      lines.splice(2, 0, line);
      writeFileSync(path, lines.join('\n') + '\n');
      const error = importError(db, path);
      expect(error.message.startsWith(`${path}:3: `)).toBe(true);
      expect(error.message).toMatch(expected);
      expect(error.line).toBe(3);
      expect(dump(db)).toEqual(before);
    });
  }

  it('rejects an exported line whose content was altered after export', () => {
    const { db, dir } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    const out = join(dir, 'export.jsonl');
    exportJsonl(db, out);
    const lines = readFileSync(out, 'utf8').split('\n');
    lines[2] = lines[2]!.replace('reset link', 'refund link');
    writeFileSync(out, lines.join('\n'));
    const fresh = openDatabase(join(dir, 'fresh.db'));
    try {
      expect(importError(fresh, out).message).toMatch(/:3: hash: does not match the content/);
      expect(fresh.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    } finally {
      fresh.close();
    }
  });
});

describe('JSONL export', () => {
  it('round-trips byte for byte: export, import into an empty database, export again', () => {
    const { db, dir } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    const first = join(dir, 'first.jsonl');
    const second = join(dir, 'second.jsonl');
    const report = exportSigned(db, first);
    expect(report.events).toBe(16);
    const copy = openDatabase(join(dir, 'copy.db'));
    try {
      const imported = importJsonlFile(copy, first);
      expect(imported.eventsAdded).toBe(16);
      expect(imported.headHash).toBe(report.headHash);
      exportJsonl(copy, second);
      expect(readFileSync(second)).toEqual(readFileSync(first));
      expect(verifyLedger(copy)).toMatchObject({ intact: true, headHash: report.headHash });
      expect(importJsonlFile(copy, first)).toMatchObject({ eventsAdded: 0, duplicatesSkipped: 16 });
    } finally {
      copy.close();
    }
  });

  it('carries seq, recordedAt, prevHash and hash as extra fields', () => {
    const { db } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    const out = join(tempDir(), 'e.jsonl');
    exportJsonl(db, out);
    const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!);
    expect(Object.keys(first)).toEqual(['seq', 'ticket', 'type', 'at', 'category', 'channel', 'priority', 'requester', 'subject', 'actor', 'recordedAt', 'prevHash', 'hash']);
    expect(first.seq).toBe(1);
  });
});

describe('rebuild', () => {
  it('drops and replays the projections with identical query results', () => {
    const { db } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    const tickets = new TicketRepository(db);
    const before = tickets.snapshot();
    const list = tickets.list({ status: [], priority: [], category: [], channel: [], resolvedBy: [], search: '' }, 0, 100);
    db.exec('UPDATE ticket_counts SET n = n + 5; DELETE FROM tickets');
    expect(rebuildAllProjections(db).tickets).toBe(3);
    expect(tickets.snapshot()).toEqual(before);
    expect(tickets.list({ status: [], priority: [], category: [], channel: [], resolvedBy: [], search: '' }, 0, 100)).toEqual(list);
  });
});
