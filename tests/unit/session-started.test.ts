// session.started: a process that writes says who it is (clock, time zone, version, how it runs) before its first new
// event of each UTC day, in the same transaction; a process that only reads writes nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { recordCheckpoint } from '../../electron/core/checkpoints/record-checkpoint.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { declareSession, endSessionDeclaration } from '../../electron/core/sessions/session-start.ts';
import { tempDb, tempDir } from './helpers.ts';
import { attest, eventCount } from './trust-kit.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const created = (ticket: string, at: string) => ({ ticket, type: 'created', at, channel: 'email', priority: 'normal', category: 'how_to', subject: 's' });

function events(db: Db): { seq: number; type: string; recordedAt: string; payload: Record<string, unknown> }[] {
  return (db.prepare('SELECT seq, type, recorded_at AS recordedAt, payload FROM events ORDER BY seq').all() as { seq: number; type: string; recordedAt: string; payload: string }[]).map((row) => ({
    ...row,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  }));
}

afterEach(() => endSessionDeclaration());

describe('session.started in the core', () => {
  it('is not written by code that declared no session (nothing is assumed about who writes)', () => {
    const { db } = tempDb();
    recordEvents(db, [created('T-1', '2026-10-05T08:00:00Z')], '2026-10-05T08:00:01.000Z');
    expect(events(db).map((e) => e.type)).toEqual(['created']);
  });

  it('precedes the first event a declared process records each UTC day, with its clock, zone, version and command', () => {
    const { db } = tempDb();
    declareSession({ via: 'cli', command: 'import' });
    const before = Date.now();
    recordEvents(db, [created('T-1', '2026-10-05T08:00:00Z')], '2026-10-05T08:00:01.000Z');
    recordEvents(db, [created('T-2', '2026-10-05T09:00:00Z')], '2026-10-05T09:00:01.000Z');
    recordEvents(db, [created('T-3', '2026-10-06T00:00:00Z')], '2026-10-06T00:00:01.000Z');
    const all = events(db);
    expect(all.map((e) => e.type)).toEqual(['session.started', 'created', 'created', 'session.started', 'created']);
    const [first] = all;
    expect(first!.recordedAt).toBe('2026-10-05T08:00:01.000Z');
    expect(first!.payload).toMatchObject({ via: 'cli', command: 'import', version: VERSION, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    expect(typeof first!.payload.host).toBe('string');
    // The clock is what the system clock said when the session was recorded, not the time the caller passed.
    expect(Date.parse(String(first!.payload.clock))).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(String(first!.payload.clock))).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('is recorded again when the transaction that held it was rolled back', () => {
    const { db } = tempDb();
    declareSession({ via: 'console' });
    expect(() => db.transaction(() => {
      recordEvents(db, [created('T-1', '2026-10-05T08:00:00Z')], '2026-10-05T08:00:01.000Z');
      throw new Error('the work failed after its first write');
    })()).toThrow(/work failed/);
    expect(events(db)).toEqual([]);
    recordEvents(db, [created('T-1', '2026-10-05T08:00:00Z')], '2026-10-05T08:05:00.000Z');
    expect(events(db).map((e) => e.type)).toEqual(['session.started', 'created']);
  });

  it('comes before the head a checkpoint signs, so the checkpoint stays #treeSize + 1', () => {
    const { db } = tempDb();
    recordEvents(db, [created('T-1', '2026-10-05T08:00:00Z')], '2026-10-05T08:00:01.000Z');
    declareSession({ via: 'cli', command: 'checkpoint' });
    const checkpoint = recordCheckpoint(db, loadOrCreateInstallationKey(), new Date('2026-10-05T10:00:00Z'));
    expect(checkpoint.seq).toBe(checkpoint.treeSize + 1);
    expect(events(db).map((e) => e.type)).toEqual(['created', 'session.started', 'checkpoint']);
  });

  it('a file cannot state one: only Attest writes it', () => {
    const { db } = tempDb();
    recordEvents(db, [created('T-1', '2026-10-05T08:00:00Z')], '2026-10-05T08:00:01.000Z');
    const line = { type: 'session.started', at: '2026-10-05T09:00:00Z', clock: '2026-10-05T09:00:00Z', timeZone: 'UTC', version: '9.9.9', via: 'cli' };
    expect(() => recordEvents(db, [{ ...line, via: 'shell' }])).toThrow(/via/);
    expect(() => recordEvents(db, [{ ...line, clock: 'yesterday' }])).toThrow(/clock/);
  });
});

describe('session.started from the CLI', () => {
  it('a writing command records it with its name; reads (verify, statement, audit gaps) write nothing', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'ledger.db');
    const file = join(dir, 'tickets.jsonl');
    writeFileSync(file, JSON.stringify(created('T-1', '2026-10-05T08:00:00Z')) + '\n');
    expect(attest('import', '--db', dbPath, file).code).toBe(0);
    const count = eventCount(dbPath);
    for (const args of [['verify'], ['statement', '--period', '2026-10'], ['audit', 'gaps', '--json']]) attest(...args, '--db', dbPath);
    expect(eventCount(dbPath)).toBe(count);
    const gaps = JSON.parse(attest('audit', 'gaps', '--db', dbPath, '--json').stdout) as { sessionStarts: number; findings: unknown[] };
    expect(gaps).toMatchObject({ sessionStarts: 1, findings: [] });
    const stored = new Database(dbPath, { readonly: true });
    const first = stored.prepare('SELECT type, payload FROM events ORDER BY seq LIMIT 1').get() as { type: string; payload: string };
    stored.close();
    expect(first.type).toBe('session.started');
    expect(JSON.parse(first.payload)).toMatchObject({ via: 'cli', command: 'import', version: VERSION });
  });
});
