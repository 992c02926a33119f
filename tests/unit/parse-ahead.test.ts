// Lines read and parsed ahead in a thread (parse-ahead.ts) are taken exactly as lines parsed in the importing thread:
// the same ledger, event for event and hash for hash, the same report, and a bad line refused with the same file,
// line, field and reason, the database unchanged — across the thread's batches. The thread stops with the import.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { generateDemoHistory } from '../../electron/core/demo/generator.ts';
import { registerFeatures } from '../../electron/core/features.ts';
import { MAX_LINE_BYTES } from '../../electron/core/files/input-limits.ts';
import { ImportError, importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { AHEAD_BATCH_CHARS, AHEAD_BATCH_ITEMS, AHEAD_MAX_BATCHES, threadsReadingAhead } from '../../electron/core/interchange/parse-ahead.ts';
import { tempDb, tempDir } from './helpers.ts';

registerFeatures();

const IN_THIS_THREAD = { parseAheadMinBytes: Number.MAX_SAFE_INTEGER };
const AHEAD = { parseAheadMinBytes: 0 };
const RECORDED_AT = '2026-11-30T12:00:00.000Z';

const generated = new Map<number, string[]>();

/** The demo generator's lines for `tickets` tickets, as a JSONL file: several of the thread's batches. */
function historyFile(tickets: number): { path: string; lines: string[] } {
  if (!generated.has(tickets)) generated.set(tickets, [...generateDemoHistory({ tickets, seed: 7 })].map((line) => JSON.stringify(line)));
  const lines = [...generated.get(tickets)!];
  const path = join(tempDir(), 'history.jsonl');
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, lines };
}

/** Every table's rows but the database's own identity and its migrations' times, which differ from file to file. */
function dump(db: Db): unknown {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]).filter(
    (name) => name !== 'ledger_identity' && name !== 'schema_migrations',
  );
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1`).raw().all()]));
}

function importError(work: () => unknown): ImportError {
  try {
    work();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('the import did not fail');
}

describe('lines parsed ahead in a thread', () => {
  it('give the ledger, projections and report of lines parsed in the importing thread, hash for hash', { timeout: 60_000 }, () => {
    const { path, lines } = historyFile(700);
    expect(lines.length).toBeGreaterThan(2 * AHEAD_BATCH_ITEMS);
    const here = tempDb();
    const ahead = tempDb();
    const reportHere = importJsonlFile(here.db, path, { ...IN_THIS_THREAD, recordedAt: RECORDED_AT });
    const reportAhead = importJsonlFile(ahead.db, path, { ...AHEAD, recordedAt: RECORDED_AT });
    expect(reportAhead).toEqual(reportHere);
    expect(reportAhead.eventsAdded).toBe(lines.length);
    expect(dump(ahead.db)).toEqual(dump(here.db));
    // Again, all duplicates, the same way.
    expect(importJsonlFile(ahead.db, path, { ...AHEAD, recordedAt: RECORDED_AT })).toEqual(importJsonlFile(here.db, path, { ...IN_THIS_THREAD, recordedAt: RECORDED_AT }));
    expect(dump(ahead.db)).toEqual(dump(here.db));
  });

  it('post long lines in batches bounded by their size, in order', { timeout: 60_000 }, () => {
    // 24 messages of 900,000 characters: three batches by size (AHEAD_BATCH_CHARS), not one by count.
    const lines = [JSON.stringify({ ticket: 'L-1', type: 'created', at: '2026-10-01T09:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: 'long' })];
    for (let i = 0; i < 24; i++) {
      const at = new Date(Date.UTC(2026, 9, 1, 10, i)).toISOString();
      lines.push(JSON.stringify({ ticket: 'L-1', type: 'message', at, author: { kind: 'customer', id: 'c-1' }, public: true, body: `${i} ${'x'.repeat(900_000)}` }));
    }
    expect(24 * 900_000).toBeGreaterThan(2 * AHEAD_BATCH_CHARS);
    const path = join(tempDir(), 'long.jsonl');
    writeFileSync(path, lines.join('\n') + '\n');
    const here = tempDb();
    const ahead = tempDb();
    expect(importJsonlFile(ahead.db, path, { ...AHEAD, recordedAt: RECORDED_AT })).toEqual(importJsonlFile(here.db, path, { ...IN_THIS_THREAD, recordedAt: RECORDED_AT }));
    const bodies = (db: Db): string[] => (db.prepare("SELECT substr(json_extract(payload, '$.body'), 1, 3) FROM events WHERE type = 'message' ORDER BY seq").pluck().all() as string[]);
    expect(bodies(ahead.db)).toEqual(bodies(here.db));
    expect(bodies(ahead.db)[23]).toBe('23 ');
    expect(dump(ahead.db)).toEqual(dump(here.db));
  });

  const badLines: [string, (lines: string[], at: number) => void, RegExp][] = [
    ['invalid JSON', (lines, at) => lines.splice(at, 0, '{"ticket":"T-9",'), /\(line\): invalid JSON/],
    ['an unknown field', (lines, at) => lines.splice(at, 0, '{"ticket":"T-9","type":"csat","at":"2026-10-01T09:00:00Z","score":3,"scroe":4}'), /scroe: unknown field/],
    ['a __proto__ key', (lines, at) => lines.splice(at, 0, '{"ticket":"T-9","type":"csat","at":"2026-10-01T09:00:00Z","score":3,"__proto__":{}}'), /__proto__: unknown field/],
    ['a line over the length limit', (lines, at) => lines.splice(at, 0, `{"ticket":"T-9","body":"${'x'.repeat(MAX_LINE_BYTES + (2 << 20))}"}`), /\(line\): the line is longer than/],
    ['a rule of the writer (recorded before it happened)', (lines, at) => lines.splice(at, 0, '{"ticket":"T-9","type":"csat","at":"2099-10-01T09:00:00Z","score":3}'), /at: 2099-10-01T09:00:00.000Z is after the time/],
    ['a file cut short', (lines) => lines.push('{"ticket":"T-9","type":"csat"'), /the file ends in the middle of this line/],
  ];

  for (const [name, spoil, expected] of badLines) {
    it(`refuse ${name} past the first batches with the same file, line and field, the database unchanged`, { timeout: 60_000 }, () => {
      const { lines } = historyFile(700);
      const at = 2 * AHEAD_BATCH_ITEMS + 17;
      spoil(lines, at);
      const path = join(tempDir(), 'bad.jsonl');
      writeFileSync(path, lines.join('\n') + (name === 'a file cut short' ? '' : '\n'));
      const { db } = tempDb();
      const before = dump(db);
      const errorHere = importError(() => importJsonlFile(db, path, { ...IN_THIS_THREAD, recordedAt: RECORDED_AT }));
      const errorAhead = importError(() => importJsonlFile(db, path, { ...AHEAD, recordedAt: RECORDED_AT }));
      expect(errorAhead.message).toMatch(expected);
      expect(errorAhead.message.startsWith(`${path}:${name === 'a file cut short' ? lines.length : at + 1}: `)).toBe(true);
      expect({ ...errorAhead, message: errorAhead.message }).toEqual({ ...errorHere, message: errorHere.message });
      expect(dump(db)).toEqual(before);
    });
  }

  it('stops its thread when the import stops early', { timeout: 60_000 }, async () => {
    // More lines than the thread may read ahead: left alone, it would wait for the taker for ever. The line refused
    // parses (the thread goes on past it); the writer's rule stops the import.
    const { lines } = historyFile(3000);
    expect(lines.length).toBeGreaterThan((AHEAD_MAX_BATCHES + 2) * AHEAD_BATCH_ITEMS);
    lines.splice(3, 0, '{"ticket":"T-9","type":"csat","at":"2099-10-01T09:00:00Z","score":3}');
    const path = join(tempDir(), 'early.jsonl');
    writeFileSync(path, lines.join('\n') + '\n');
    const { db } = tempDb();
    await expect.poll(threadsReadingAhead).toBe(0);
    expect(importError(() => importJsonlFile(db, path, AHEAD)).line).toBe(4);
    await expect.poll(threadsReadingAhead, { timeout: 10_000 }).toBe(0);
  });
});
