// Hostile files for the importers not covered by import-fuzz.test.ts (Attest JSONL, knowledge-base articles,
// outcome contracts, SLA policy files): each mutated file imports cleanly or is refused with FILE:LINE: field,
// never a crash, and a refused file leaves every row of the database as it was.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../shared/domain.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { importJsonlFile, ImportError } from '../../electron/core/interchange/jsonl-import.ts';
import { importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { ArticleError } from '../../electron/core/kb/parse-article.ts';
import { ContractError, importContract } from '../../electron/core/outcomes/contract-import.ts';
import { importPolicyText } from '../../electron/core/sla/policy-file.ts';
import { CaseCounter, DigestTracker, FUZZ_SEED, fuzzRuns } from './fuzz-kit.ts';
import { SMALL_FIXTURE, tempDb, tempDir } from './helpers.ts';

const counter = new CaseCounter();
afterAll(() => console.log(counter.report('JSONL, KB, contract and SLA files')));

const resource = (...parts: string[]): string => fileURLToPath(new URL(`../../resources/${parts.join('/')}`, import.meta.url));
const ACTOR: Actor = { kind: 'human', id: 'fuzzer' };

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'bytes'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; from: number; to: number }
  | { kind: 'nest'; at: number; depth: number; open: string }
  | { kind: 'huge'; at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const HOSTILE = ['<script>alert(1)</script>', '\u202E', '\u0000', '\u001b[2J', '"', '\\', '\n', '\r\n', '{', '}', '[', ']', ',', ':', '---\n', '__proto__', '=cmd|calc', '\uD800', '\uFEFF'];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 12 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), from: position, to: position }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('nest' as const), at: position, depth: fc.oneof(fc.integer({ min: 60, max: 70 }), fc.integer({ min: 1000, max: 200_000 })), open: fc.constantFrom('[', '{"a":', '{') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), at: position }) },
);

function mutate(source: Buffer, mutations: readonly Mutation[]): Buffer {
  let data = source;
  for (const m of mutations) {
    const at = (p: number): number => Math.floor(p * data.length);
    switch (m.kind) {
      case 'truncate':
        data = data.subarray(0, at(m.at));
        break;
      case 'insert':
        data = Buffer.concat([data.subarray(0, at(m.at)), Buffer.from(m.text), data.subarray(at(m.at))]);
        break;
      case 'bytes':
        data = Buffer.concat([data.subarray(0, at(m.at)), Buffer.from(m.bytes), data.subarray(at(m.at))]);
        break;
      case 'delete': {
        const [from, to] = [at(Math.min(m.from, m.to)), at(Math.max(m.from, m.to))];
        data = Buffer.concat([data.subarray(0, from), data.subarray(to)]);
        break;
      }
      case 'nest':
        data = Buffer.concat([data.subarray(0, at(m.at)), Buffer.from(m.open.repeat(m.depth)), data.subarray(at(m.at))]);
        break;
      case 'huge':
        // Just past the 1 MB field limit, inside whatever string or value the position falls in.
        data = Buffer.concat([data.subarray(0, at(m.at)), Buffer.alloc(1024 * 1024 + 1, 'x'), data.subarray(at(m.at))]);
        break;
    }
  }
  return data;
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

/** Runs one fuzz target: import → clean, or the expected error class with `shape`, database unchanged. */
function fuzzFile(name: string, runs: number, source: Buffer, attempt: (db: Db, data: Buffer) => void, isExpected: (error: unknown) => boolean, shape: RegExp) {
  const { db } = tempDb();
  const tracker = new DigestTracker(db);
  const outcomes = { clean: 0, refused: 0 };
  fc.assert(
    fc.property(mutations, (list) => {
      const data = mutate(source, list);
      const before = tracker.digest();
      try {
        attempt(db, data);
        outcomes.clean++;
      } catch (error) {
        if (!isExpected(error)) throw new Error(`${name}: not a file error: ${(error as Error).stack}`);
        const message = (error as Error).message;
        expect(message.split('\n')[0]).toMatch(shape);
        expect(message).not.toMatch(/Maximum call stack|out of memory|undefined|\[object /);
        expect(tracker.digest(), `${name}: refused but changed the database: ${message}`).toBe(before);
        expect(db.inTransaction).toBe(false);
        outcomes.refused++;
      }
      counter.add(name);
    }),
    { numRuns: runs, seed: FUZZ_SEED },
  );
  return outcomes;
}

describe('file fuzz', () => {
  it('Attest JSONL: mutated exports import cleanly or are refused as FILE:LINE: field: reason', () => {
    const dir = tempDir();
    const path = join(dir, 'mutated.jsonl');
    const outcomes = fuzzFile(
      'jsonl',
      fuzzRuns(250),
      readFileSync(SMALL_FIXTURE),
      (db, data) => {
        writeFileSync(path, data);
        importJsonlFile(db, path);
      },
      (error) => error instanceof ImportError,
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: [^\\n]+: [^\\n]+$`),
    );
    expect(outcomes.refused).toBeGreaterThan(outcomes.clean);
  }, 60_000);

  it('knowledge-base articles (Markdown with front matter, HTML, text)', () => {
    const source = tempDir();
    const articles = ['billing', 'refunds'].flatMap((folder) => readdirSync(resource('kb', folder)).filter((f) => f.endsWith('.md')).slice(0, 1).map((file) => join(resource('kb', folder), file)));
    const html = Buffer.from('<html><head><title>Reset</title><meta name="keywords" content="a,b"></head><body><article><h2>Steps</h2><p>Open <b>settings</b>.</p><ul><li>one</li></ul></article></body></html>');
    const text = Buffer.from('Opening hours\nWe answer Monday to Friday, 8:00 to 18:00.\n');
    const outcomes = { clean: 0, refused: 0 };
    for (const [i, [file, data]] of [...articles.map((a) => [a.replace(/^.*\//, ''), readFileSync(a)] as const), ['page.html', html] as const, ['hours-mutated.txt', text] as const].entries()) {
      const result = fuzzFile(
        `kb ${file}`,
        fuzzRuns(60),
        data,
        (db, mutated) => {
          // The mutated file beside an intact one: a refused file must keep the good one out too.
          const dir = join(source, `run-${i}-${Math.random().toString(36).slice(2)}`);
          mkdirSync(dir);
          writeFileSync(join(dir, 'intact.txt'), text);
          writeFileSync(join(dir, file), mutated);
          importKnowledgeBase(db, dir, ACTOR);
        },
        (error) => error instanceof ArticleError,
        /^[^\n:]+:\d+: [^\n:]+: [^\n]+$/,
      );
      outcomes.clean += result.clean;
      outcomes.refused += result.refused;
    }
    expect(outcomes.clean).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 60_000);

  it('outcome contract files', () => {
    const outcomes = fuzzFile(
      'contract',
      fuzzRuns(250),
      readFileSync(resource('contracts', 'demo-contract.json')),
      (db, data) => void importContract(db, 'contract.json', data.toString('utf8'), ACTOR),
      (error) => error instanceof ContractError,
      /^contract\.json(:\d+)?: [^\n]+$/,
    );
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 60_000);

  it('SLA policy files', () => {
    const outcomes = fuzzFile(
      'sla',
      fuzzRuns(250),
      readFileSync(resource('sla-policies.json')),
      (db, data) => void importPolicyText(db, 'policies.json', data.toString('utf8'), ACTOR),
      (error) => error instanceof ImportError,
      /^policies\.json:\d+: [^\n]+: [^\n]+$/,
    );
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 60_000);
});

describe('the digest the fuzz tests rely on', () => {
  it('changes with a committed write and not with a rolled-back one', () => {
    const { db } = tempDb();
    const tracker = new DigestTracker(db);
    const empty = tracker.digest();
    expect(() =>
      db.transaction(() => {
        importJsonlFile(db, SMALL_FIXTURE);
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(tracker.digest()).toBe(empty);
    importJsonlFile(db, SMALL_FIXTURE);
    expect(tracker.digest()).not.toBe(empty);
  });
});
