// Thousands of mutated export files: each must import cleanly or fail with FILE:LINE: field: reason,
// and a failure must leave the database exactly as it was.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMapping } from '../../electron/core/importers/csv-mapping.ts';
import { importFileSync } from '../../electron/core/importers/import-run.ts';
import type { ImportFormat } from '../../shared/contracts/importers.ts';
import { ImportError } from '../../electron/core/interchange/jsonl-import.ts';
import { CaseCounter, DigestTracker, FUZZ_SEED, fuzzRuns } from './fuzz-kit.ts';
import { tempDb, tempDir } from './helpers.ts';

const counter = new CaseCounter();
afterAll(() => console.log(counter.report('helpdesk exports (Freshdesk, mapped CSV, Zendesk)')));

const fixture = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`../fixtures/importers/${name}`, import.meta.url)));
const mapping = checkMapping(JSON.parse(fixture('generic-mapping.json').toString('utf8')), 'generic-mapping.json');

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'randomBytes'; at: number; bytes: Uint8Array }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'insertText'; at: number; text: string }
  | { kind: 'hugeField'; at: number; size: number }
  | { kind: 'latin1' }
  | { kind: 'duplicateSlice'; from: number; to: number }
  | { kind: 'nest'; at: number; depth: number }
  | { kind: 'overLimit'; at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const textMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('randomBytes' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('insertText' as const), at: position, text: fc.stringMatching(/^[",\n\r{}[\]:\\a-z0-9 é€-]{1,30}$/) }),
  fc.record({ kind: fc.constant('hugeField' as const), at: position, size: fc.integer({ min: 10_000, max: 300_000 }) }),
  fc.record({ kind: fc.constant('latin1' as const) }),
  fc.record({ kind: fc.constant('duplicateSlice' as const), from: position, to: position }),
);
/** The limits (nesting, a field past 1 MB) matter for JSON; CSV has no nesting and its field limit has its own tests. */
const jsonMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 8, arbitrary: textMutation },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), at: position, depth: fc.oneof(fc.integer({ min: 60, max: 70 }), fc.integer({ min: 5_000, max: 100_000 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('overLimit' as const), at: position }) },
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
      case 'nest':
        data = Buffer.concat([data.subarray(0, at(m.at)), Buffer.from('['.repeat(m.depth)), data.subarray(at(m.at))]);
        break;
      case 'overLimit':
        // One byte past the 1 MB field limit, wherever the position falls.
        data = Buffer.concat([data.subarray(0, at(m.at)), Buffer.alloc(1024 * 1024 + 1, 'y'), data.subarray(at(m.at))]);
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


const ERROR_SHAPE = /^[^\n]+:\d+: [^\n]+: [^\n]+$/;

function fuzz(format: ImportFormat, source: Buffer, runs: number): { clean: number; refused: number } {
  const { db } = tempDb();
  // Every row of every table, not a few chosen ones.
  const tracker = new DigestTracker(db);
  const dir = tempDir();
  const path = join(dir, `mutated.${format === 'zendesk' ? 'json' : 'csv'}`);
  const counts = { clean: 0, refused: 0 };
  fc.assert(
    fc.property(fc.array(format === 'zendesk' ? jsonMutation : textMutation, { minLength: 1, maxLength: 3 }), (mutations) => {
      writeFileSync(path, mutate(source, mutations));
      const before = tracker.digest();
      try {
        importFileSync(db, { format, path, mapping: format === 'csv' ? mapping : undefined });
        counts.clean++;
      } catch (error) {
        if (!(error instanceof ImportError)) throw new Error(`not an ImportError: ${(error as Error).stack}`);
        expect(error.message).toMatch(ERROR_SHAPE);
        expect(error.message.startsWith(`${path}:`)).toBe(true);
        expect(tracker.digest()).toBe(before);
        expect(error.message).not.toMatch(/Maximum call stack|out of memory/);
        expect(db.inTransaction).toBe(false);
        counts.refused++;
      }
      counter.add(format);
    }),
    { numRuns: fuzzRuns(runs), seed: FUZZ_SEED },
  );
  return counts;
}

describe('importer fuzz', () => {
  it('Freshdesk CSV: mutated files import cleanly or are refused with the database unchanged', () => {
    const counts = fuzz('freshdesk', fixture('freshdesk-tickets.csv'), 400);
    expect(counts.clean).toBeGreaterThan(0);
    expect(counts.refused).toBeGreaterThan(0);
  }, 60_000);

  it('mapped CSV', () => {
    const counts = fuzz('csv', fixture('generic.csv'), 250);
    expect(counts.clean + counts.refused).toBe(fuzzRuns(250));
  }, 60_000);

  it('Zendesk JSON pages and line-per-ticket exports', () => {
    const a = fuzz('zendesk', fixture('zendesk-page-1.json'), 300);
    const b = fuzz('zendesk', fixture('zendesk-full.ndjson'), 300);
    expect(a.refused + b.refused).toBeGreaterThan(0);
    expect(a.clean + b.clean).toBeGreaterThan(0);
  }, 60_000);
});
