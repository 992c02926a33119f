// A large JSONL import's lines are parsed in a thread of their own (interchange/line-parser-thread.ts) while the
// importing thread appends. Each case here runs both ways on the same file — parsed in the importing thread, and in
// the parser thread with its threshold at 0 — and the ledger, the report and the error must be the same.
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { generateDemoHistory } from '../../electron/core/demo/generator.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { ImportError, importJsonlFile, type JsonlImportOptions } from '../../electron/core/interchange/jsonl-import.ts';
import { parsedInItsOwnThread, setLineParserWorkerUrl } from '../../electron/core/interchange/line-parser-thread.ts';
import { readLinesSync } from '../../electron/core/interchange/line-reader.ts';
import { parsedHere } from '../../electron/core/interchange/parsed-lines.ts';
import { MAX_LINE_BYTES, NESTED_TOO_DEEP } from '../../electron/core/files/input-limits.ts';
import { defaultSlaPolicyLine } from '../../electron/core/sla/default-policies.ts';
import { DEMO_DEFAULT_START } from '../../electron/core/demo/generator.ts';
import { createHash } from 'node:crypto';
import { exportSigned, tempDir } from './helpers.ts';

const RECORDED_AT = '2027-01-01T00:00:00.000Z';
const HERE: JsonlImportOptions = { recordedAt: RECORDED_AT, now: () => RECORDED_AT, parserThreadMinBytes: Number.POSITIVE_INFINITY };
const THREAD: JsonlImportOptions = { ...HERE, parserThreadMinBytes: 0 };

/** Every table of the file, every row (the whole database as the import left it). */
function dump(db: Db): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1`).raw().all()]));
}

/** Two copies of one ledger (holding the default SLA policies unless `empty`): the same file, so the same chain. */
function twoLedgers(empty = false): [Db, Db] {
  const dir = tempDir();
  const first = openDatabase(join(dir, 'here.db'));
  if (!empty) recordEvents(first, [defaultSlaPolicyLine(DEMO_DEFAULT_START)]);
  first.close();
  copyFileSync(join(dir, 'here.db'), join(dir, 'thread.db'));
  const copies = [openDatabase(join(dir, 'here.db')), openDatabase(join(dir, 'thread.db'))] as [Db, Db];
  onTestFinished(() => copies.forEach((db) => db.open && db.close()));
  return copies;
}

/** The generator's history of `tickets` tickets as JSONL (several parser batches: 2,000 lines each). */
function historyFile(tickets: number): string {
  const path = join(tempDir(), 'history.jsonl');
  writeFileSync(path, [...generateDemoHistory({ tickets, seed: 7 })].map((line) => JSON.stringify(line)).join('\n') + '\n');
  return path;
}

function outcome(db: Db, path: string, options: JsonlImportOptions): { report?: unknown; error?: Pick<ImportError, 'file' | 'line' | 'field' | 'reason'> } {
  try {
    return { report: importJsonlFile(db, path, options) };
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    return { error: { file: error.file, line: error.line, field: error.field, reason: error.reason } };
  }
}

afterEach(() => setLineParserWorkerUrl(undefined));

describe('the parser thread of a JSONL import', () => {
  it('hands over the same events, line numbers, line count and SHA-256 as parsing in the importing thread', () => {
    const path = historyFile(500);
    appendFileSync(path, '\n\n'); // blank lines count as lines read and hold no event
    const thread = parsedInItsOwnThread(path, 0);
    expect(thread).not.toBeNull();
    const fromThread = [...thread!.lines];
    thread!.close();
    const digest = createHash('sha256');
    const here = parsedHere({ name: path, lines: readLinesSync(path, undefined, digest), digest });
    const fromHere = [...here.lines];
    expect(fromThread.length).toBeGreaterThan(4000);
    expect(fromThread).toEqual(fromHere);
    expect(thread!.linesRead()).toBe(here.linesRead());
    expect(thread!.digestHex()).toBe(here.digestHex());
    expect(thread!.digestHex()).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
  });

  it('leaves the same ledger either way: a history, its re-import, and an export restored into an empty ledger', () => {
    const path = historyFile(500);
    const [here, thread] = twoLedgers();
    const first = [importJsonlFile(here, path, HERE), importJsonlFile(thread, path, THREAD)];
    expect(first[1]).toEqual(first[0]);
    expect(first[0]).toMatchObject({ duplicatesSkipped: 0 });
    const again = [importJsonlFile(here, path, HERE), importJsonlFile(thread, path, THREAD)];
    expect(again[1]).toEqual(again[0]);
    expect(again[0]).toMatchObject({ eventsAdded: 0 });
    expect(dump(thread)).toEqual(dump(here));

    const exported = join(tempDir(), 'export.jsonl');
    exportSigned(here, exported);
    const [restoredHere, restoredThread] = twoLedgers(true);
    const restored = [importJsonlFile(restoredHere, exported, HERE), importJsonlFile(restoredThread, exported, THREAD)];
    expect(restored[1]).toEqual(restored[0]);
    expect(dump(restoredThread)).toEqual(dump(restoredHere));
    expect(dump(restoredThread).events).toEqual(dump(here).events);
  });

  it('fails at the same line with the same message, the ledger unchanged, for every kind of bad line', () => {
    const good = readFileSync(historyFile(500), 'utf8').split('\n').filter(Boolean);
    expect(good.length).toBeGreaterThan(4500);
    const at = 4321; // past two of the parser's batches: lines before it were already handed over
    const cases: [string, (lines: string[]) => string][] = [
      ['not JSON', (lines) => [...lines.slice(0, at - 1), '{"ticket": "T-1",', ...lines.slice(at)].join('\n')],
      ['an unknown type', (lines) => [...lines.slice(0, at - 1), lines[at - 1]!.replace(/"type":"[^"]+"/, '"type":"no.such"'), ...lines.slice(at)].join('\n')],
      ['a field missing', (lines) => [...lines.slice(0, at - 1), '{"type":"created","at":"2026-05-01T00:00:00Z"}', ...lines.slice(at)].join('\n')],
      ['nested too deep', (lines) => [...lines.slice(0, at - 1), `{"ticket":"T-1","type":"created","x":${'['.repeat(80)}${']'.repeat(80)}}`, ...lines.slice(at)].join('\n')],
      ['a line too long', (lines) => [...lines.slice(0, at - 1), `{"ticket":"T-1","type":"created","subject":"${'x'.repeat(MAX_LINE_BYTES + 10)}"}`, ...lines.slice(at)].join('\n')],
      ['the last line cut short', (lines) => [...lines.slice(0, at - 1), lines[at - 1]!.slice(0, 30)].join('\n')],
      // The append's own rules refuse the line just before the bad JSON (recorded before it happened): the parser has
      // failed at the next line by then, yet the line before it, in the same batch, is appended first and fails first.
      ['a rule broken just before a bad line', (lines) => [...lines.slice(0, at - 2), lines[at - 2]!.replace(/"at":"[^"]+"/, '"at":"2099-01-01T00:00:00Z"'), '{', ...lines.slice(at)].join('\n')],
    ];
    const dir = tempDir();
    for (const [name, make] of cases) {
      const path = join(dir, `${name.replaceAll(' ', '-')}.jsonl`);
      writeFileSync(path, make(good));
      const [here, thread] = twoLedgers();
      const before = dump(here);
      const results = [outcome(here, path, HERE), outcome(thread, path, THREAD)];
      expect(results[0]!.error, name).toBeDefined();
      expect(results[1], name).toEqual(results[0]);
      expect(results[0]!.error!.line, name).toBe(name.startsWith('a rule') ? at - 1 : at);
      if (name === 'nested too deep') expect(results[0]!.error!.reason).toBe(NESTED_TOO_DEEP);
      expect(dump(here), name).toEqual(before);
      expect(dump(thread), name).toEqual(before);
    }
  });

  it('parses in the importing thread when the thread’s code is not where the build says', () => {
    const path = historyFile(50);
    setLineParserWorkerUrl(new URL(`file://${join(tempDir(), 'missing-worker.cjs')}`));
    expect(parsedInItsOwnThread(path, 0)).toBeNull();
    const [here, fallback] = twoLedgers();
    expect(importJsonlFile(fallback, path, THREAD)).toEqual(importJsonlFile(here, path, HERE));
    expect(dump(fallback)).toEqual(dump(here));
  });
});
