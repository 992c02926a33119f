// Thousands of mutated export files: each must import cleanly or fail with FILE:LINE: field: reason,
// and a failure must leave the database exactly as it was.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { checkMapping } from '../../electron/core/importers/csv-mapping.ts';
import { importFileSync } from '../../electron/core/importers/import-run.ts';
import type { ImportFormat } from '../../shared/contracts/importers.ts';
import { ImportError } from '../../electron/core/interchange/jsonl-import.ts';
import { tempDb, tempDir } from './helpers.ts';

const fixture = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`../fixtures/importers/${name}`, import.meta.url)));
const mapping = checkMapping(JSON.parse(fixture('generic-mapping.json').toString('utf8')), 'generic-mapping.json');

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'randomBytes'; at: number; bytes: Uint8Array }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'insertText'; at: number; text: string }
  | { kind: 'hugeField'; at: number; size: number }
  | { kind: 'latin1' }
  | { kind: 'duplicateSlice'; from: number; to: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('randomBytes' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('insertText' as const), at: position, text: fc.stringMatching(/^[",\n\r{}[\]:\\a-z0-9 é€-]{1,30}$/) }),
  fc.record({ kind: fc.constant('hugeField' as const), at: position, size: fc.integer({ min: 10_000, max: 300_000 }) }),
  fc.record({ kind: fc.constant('latin1' as const) }),
  fc.record({ kind: fc.constant('duplicateSlice' as const), from: position, to: position }),
);

function mutate(source: Buffer, mutations: Mutation[]): Buffer {
  let data = source;
  for (const m of mutations) {
    const at = (p: number): number => Math.floor(p * data.length);
    switch (m.kind) {
      case 'truncate':
        data = data.subarray(0, at(m.at));
        break;
      case 'randomBytes':
        data = Buffer.concat([data.subarray(0, at(m.at)), Buffer.from(m.bytes), data.subarray(at(m.at))]);
        break;
      case 'overwrite': {
        const copy = Buffer.from(data);
        Buffer.from(m.bytes).copy(copy, at(m.at));
        data = copy.subarray(0, data.length);
        break;
      }
      case 'insertText':
        data = Buffer.concat([data.subarray(0, at(m.at)), Buffer.from(m.text), data.subarray(at(m.at))]);
        break;
      case 'hugeField':
        data = Buffer.concat([data.subarray(0, at(m.at)), Buffer.alloc(m.size, 'x'), data.subarray(at(m.at))]);
        break;
      case 'latin1':
        data = Buffer.from(data.toString('utf8'), 'latin1');
        break;
      case 'duplicateSlice': {
        const [from, to] = [at(Math.min(m.from, m.to)), at(Math.max(m.from, m.to))];
        data = Buffer.concat([data, data.subarray(from, to)]);
        break;
      }
    }
  }
  return data;
}

function state(db: Db): string {
  const head = db.prepare('SELECT count(*) AS n, max(seq) AS seq, (SELECT hash FROM ledger_head) AS head FROM events').get();
  const tickets = db.prepare('SELECT id, status, updated_at, event_count FROM tickets ORDER BY id').all();
  const flags = db.prepare('SELECT count(*) FROM import_flags').pluck().get();
  return JSON.stringify([head, tickets, flags]);
}

const ERROR_SHAPE = /^[^\n]+:\d+: [^\n]+: [^\n]+$/;

function fuzz(format: ImportFormat, source: Buffer, runs: number): { clean: number; refused: number } {
  const { db } = tempDb();
  const dir = tempDir();
  const path = join(dir, `mutated.${format === 'zendesk' ? 'json' : 'csv'}`);
  const counts = { clean: 0, refused: 0 };
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
      writeFileSync(path, mutate(source, mutations));
      const before = state(db);
      try {
        importFileSync(db, { format, path, mapping: format === 'csv' ? mapping : undefined });
        counts.clean++;
      } catch (error) {
        if (!(error instanceof ImportError)) throw new Error(`not an ImportError: ${(error as Error).stack}`);
        expect(error.message).toMatch(ERROR_SHAPE);
        expect(error.message.startsWith(`${path}:`)).toBe(true);
        expect(state(db)).toBe(before);
        expect(db.inTransaction).toBe(false);
        counts.refused++;
      }
    }),
    { numRuns: runs, seed: 20240601 },
  );
  return counts;
}

describe('importer fuzz', () => {
  it('Freshdesk CSV: thousands of mutated files import cleanly or are refused with the database unchanged', () => {
    const counts = fuzz('freshdesk', fixture('freshdesk-tickets.csv'), 600);
    expect(counts.clean).toBeGreaterThan(0);
    expect(counts.refused).toBeGreaterThan(0);
  }, 60_000);

  it('mapped CSV', () => {
    const counts = fuzz('csv', fixture('generic.csv'), 400);
    expect(counts.clean + counts.refused).toBe(400);
  }, 60_000);

  it('Zendesk JSON pages and line-per-ticket exports', () => {
    const a = fuzz('zendesk', fixture('zendesk-page-1.json'), 500);
    const b = fuzz('zendesk', fixture('zendesk-full.ndjson'), 500);
    expect(a.refused + b.refused).toBeGreaterThan(0);
    expect(a.clean + b.clean).toBeGreaterThan(0);
  }, 60_000);
});
