// The limits every importer holds a file to, at their edges: a field over 1 MB, nesting over 64 levels (and far
// deeper, where a recursive parser would blow the stack), and files cut short. Each is refused with
// FILE:LINE: field: reason and leaves every row of the database as it was; nothing is imported short.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../shared/domain.ts';
import type { ImportFormat } from '../../shared/contracts/importers.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { MAX_FIELD_BYTES } from '../../electron/core/files/input-limits.ts';
import { checkMapping } from '../../electron/core/importers/csv-mapping.ts';
import { importFileSync } from '../../electron/core/importers/import-run.ts';
import { importJsonlFile, importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { importContract } from '../../electron/core/outcomes/contract-import.ts';
import { importPolicyText } from '../../electron/core/sla/policy-file.ts';
import { databaseDigest } from './fuzz-kit.ts';
import { SMALL_FIXTURE, tempDb, tempDir } from './helpers.ts';

const ACTOR: Actor = { kind: 'human', id: 'tester' };
const OVER = 'x'.repeat(MAX_FIELD_BYTES + 1);
/** Just at the limit in bytes but not in characters: 'é' is two bytes of UTF-8. */
const OVER_IN_BYTES = 'é'.repeat(MAX_FIELD_BYTES / 2 + 1);
const TOO_LONG = 'longer than 1 MB (the limit for one field)';
const TOO_DEEP = 'nested more than 64 levels deep (the limit for one file)';
const deepArray = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** A database with tickets in it, so "unchanged" means something. */
function seeded(): Db {
  const { db } = tempDb();
  importJsonlFile(db, SMALL_FIXTURE);
  return db;
}

function expectRefused(db: Db, run: () => unknown, message: string | RegExp): void {
  const before = databaseDigest(db);
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'the file was accepted').toBeInstanceOf(Error);
  const text = (thrown as Error).message;
  if (typeof message === 'string') expect(text).toBe(message);
  else expect(text).toMatch(message);
  expect(databaseDigest(db)).toBe(before);
}

function helpdeskFile(db: Db, name: string, content: string | Buffer, format: ImportFormat, mapping?: unknown) {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return { path, run: () => importFileSync(db, { format, path, mapping: mapping ? checkMapping(mapping, 'map.json') : undefined }) };
}

const FD_HEADER = 'Ticket ID,Subject,Description,Created Time\n';
const FD_ROW = '1,Printer,It jams,2026-01-02 10:00:00\n';

describe('Freshdesk and mapped CSV limits', () => {
  it('refuses a field over 1 MB (in characters or in UTF-8 bytes), naming line and column', () => {
    const db = seeded();
    for (const body of [OVER, OVER_IN_BYTES]) {
      const { path, run } = helpdeskFile(db, 'fd.csv', `${FD_HEADER}${FD_ROW}2,Big,"${body}",2026-01-02 11:00:00\n`, 'freshdesk');
      expectRefused(db, run, `${path}:3: Description: ${TOO_LONG}`);
    }
    const mapping = { columns: { id: 'Key', created: 'Opened', body: 'Text' } };
    const { path, run } = helpdeskFile(db, 'mapped.csv', `Key,Opened,Text\nA-1,2026-01-02T10:00:00Z,"${OVER}"\n`, 'csv', mapping);
    expectRefused(db, run, `${path}:2: Text: ${TOO_LONG}`);
  });

  it('refuses a file cut short: a row with fewer fields, an unclosed quote, a last row without its line break', () => {
    const db = seeded();
    const cutRow = helpdeskFile(db, 'cut.csv', `${FD_HEADER}${FD_ROW}2,Cut off\n`, 'freshdesk');
    expectRefused(db, cutRow.run, `${cutRow.path}:3: (csv): the row has 2 of the header's 4 fields (cut short: a truncated file or a line break outside quotes)`);
    const cutQuote = helpdeskFile(db, 'quote.csv', `${FD_HEADER}${FD_ROW}2,Cut,"It stopped in the mid`, 'freshdesk');
    expectRefused(db, cutQuote.run, new RegExp(`^${cutQuote.path}:\\d+: \\(csv\\): a quoted field is never closed`));
    const cutField = helpdeskFile(db, 'field.csv', `${FD_HEADER}${FD_ROW}2,Cut,It stopped in the mid,2026-01-02 11:00:00`, 'freshdesk');
    expectRefused(db, cutField.run, `${cutField.path}:3: (csv): the file ends in the middle of this row, without a line break (truncated?); if the row is complete, end the file with a line break`);
    const mapped = helpdeskFile(db, 'mapped.csv', 'Key,Opened,Text\nA-1,2026-01-02T10:00:00Z\n', 'csv', { columns: { id: 'Key', created: 'Opened', body: 'Text' } });
    expectRefused(db, mapped.run, `${mapped.path}:2: (csv): the row has 2 of the header's 3 fields (cut short: a truncated file or a line break outside quotes)`);
    // The same rows, whole, import.
    const whole = helpdeskFile(db, 'whole.csv', `${FD_HEADER}${FD_ROW}`, 'freshdesk');
    expect(whole.run()).toMatchObject({ imported: 1 });
  });
});

describe('Zendesk JSON limits', () => {
  const ticket = (extra: Record<string, unknown>): Record<string, unknown> => ({ id: 7, created_at: '2026-01-02T10:00:00Z', subject: 'Hi', ...extra });

  it('refuses a description over 1 MB without assembling it, naming the field', () => {
    const db = seeded();
    const { path, run } = helpdeskFile(db, 'page.json', JSON.stringify({ tickets: [ticket({ description: OVER })] }), 'zendesk');
    expectRefused(db, run, `${path}:1: description: ${TOO_LONG}`);
  });

  it('refuses nesting past 64 levels, also 200,000 levels deep where a recursive parser would overflow', () => {
    const db = seeded();
    for (const depth of [63, 200_000]) {
      const text = `{"tickets":[\n${JSON.stringify(ticket({ custom_fields: [] })).replace('"custom_fields":[]', `"custom_fields":${deepArray(depth)}`)}\n]}\n`;
      const { path, run } = helpdeskFile(db, 'deep.json', text, 'zendesk');
      expectRefused(db, run, `${path}:2: custom_fields: ${TOO_DEEP}`);
    }
    // 62 levels inside the page's two (the page object and its tickets array) is the limit exactly: accepted.
    const ok = helpdeskFile(db, 'ok.json', `{"tickets":[${JSON.stringify(ticket({ custom_fields: [] })).replace('"custom_fields":[]', `"custom_fields":${deepArray(61)}`)}]}`, 'zendesk');
    expect(ok.run()).toMatchObject({ imported: 1 });
  });

  it('refuses a page or a line-per-ticket file cut short', () => {
    const db = seeded();
    const page = JSON.stringify({ tickets: [ticket({ id: 8 }), ticket({ id: 9 })] });
    const cut = helpdeskFile(db, 'cut.json', page.slice(0, page.indexOf('"id":9')), 'zendesk');
    expectRefused(db, cut.run, `${cut.path}:1: (json): the file ends in the middle of a JSON value (truncated?)`);
    const lines = `${JSON.stringify(ticket({ id: 10 }))}\n${JSON.stringify(ticket({ id: 11, description: 'cut here' }))}`;
    const cutLine = helpdeskFile(db, 'cut.ndjson', lines.slice(0, -10), 'zendesk');
    expectRefused(db, cutLine.run, `${cutLine.path}:2: (json): the file ends in the middle of a JSON value (truncated?)`);
  });
});

describe('Attest JSONL limits', () => {
  const line = (body: string): string => JSON.stringify({ ticket: 'L-1', type: 'message', at: '2026-01-02T10:00:00Z', author: { kind: 'customer' }, public: true, body });

  it('refuses a field over 1 MB and a line over 4 MB (read no further than that)', () => {
    const db = seeded();
    const dir = tempDir();
    const big = join(dir, 'big.jsonl');
    writeFileSync(big, `${line('fine')}\n${line(OVER)}\n`);
    expectRefused(db, () => importJsonlFile(db, big), `${big}:2: body: ${TOO_LONG}`);
    // 50 MB on one line, as in the report: refused at 4 MB, not read whole.
    const huge = join(dir, 'huge.jsonl');
    writeFileSync(huge, `${line('fine')}\n${line('y'.repeat(50 * 1024 * 1024))}\n`);
    expectRefused(db, () => importJsonlFile(db, huge), `${huge}:2: (line): the line is longer than 4 MB (the limit for one line)`);
    expectRefused(db, () => importJsonlText(db, 'upload.jsonl', `${line(OVER_IN_BYTES)}\n`), `upload.jsonl:1: body: ${TOO_LONG}`);
  });

  it('refuses nesting past 64 levels before parsing, however deep', () => {
    const db = seeded();
    for (const depth of [65, 500_000]) {
      const text = `${line('fine')}\n${JSON.stringify({ ticket: 'L-2', type: 'created', at: '2026-01-02T10:00:00Z', attributes: { deep: 'DEEP' } }).replace('"DEEP"', deepArray(depth))}\n`;
      expectRefused(db, () => importJsonlText(db, 'deep.jsonl', text), `deep.jsonl:2: (line): ${TOO_DEEP}`);
    }
  });

  it('refuses a last line cut short, naming it as truncated', () => {
    const db = seeded();
    const text = `${line('first')}\n${line('second')}\n`;
    expectRefused(db, () => importJsonlText(db, 'cut.jsonl', text.slice(0, -12)), 'cut.jsonl:2: (line): the file ends in the middle of this line (truncated?); nothing was imported');
    const path = join(tempDir(), 'cut.jsonl');
    writeFileSync(path, text.slice(0, -12));
    expectRefused(db, () => importJsonlFile(db, path), `${path}:2: (line): the file ends in the middle of this line (truncated?); nothing was imported`);
  });
});

describe('knowledge-base article limits', () => {
  function kbDir(files: Record<string, string>): string {
    const dir = join(tempDir(), 'kb');
    mkdirSync(dir);
    writeFileSync(join(dir, 'good.md'), '---\ntitle: Good\n---\nA fine article.\n');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  it('refuses a body over 1 MB, a file over 4 MB, and nesting past 64 in front matter or HTML', () => {
    const db = seeded();
    expectRefused(db, () => importKnowledgeBase(db, kbDir({ 'big.md': `---\ntitle: Big\n---\n${OVER}\n` }), ACTOR), `big.md:1: body: ${TOO_LONG}`);
    expectRefused(db, () => importKnowledgeBase(db, kbDir({ 'huge.txt': `Huge\n${'z'.repeat(5 * 1024 * 1024)}\n` }), ACTOR), 'huge.txt:1: (file): larger than 4 MB (the limit for one article file)');
    expectRefused(db, () => importKnowledgeBase(db, kbDir({ 'deep.md': `---\ntitle: Deep\ntags: ${deepArray(100_000)}\n---\nBody\n` }), ACTOR), `deep.md:3: front matter: ${TOO_DEEP}`);
    expectRefused(
      db,
      () => importKnowledgeBase(db, kbDir({ 'deep.html': `<title>Deep</title>\n<body>${'<div>'.repeat(100_000)}text${'</div>'.repeat(100_000)}</body>` }), ACTOR),
      `deep.html:2: html: elements ${TOO_DEEP}`,
    );
    // Unclosed paragraphs and list items do not count as nesting.
    const flat = kbDir({ 'flat.html': `<title>Flat</title><body>${'<p>para <li>item <br>'.repeat(500)}</body>` });
    expect(importKnowledgeBase(db, flat, ACTOR)).toMatchObject({ filesRead: 2 });
  });
});

describe('contract and SLA policy file limits', () => {
  it('refuses deep nesting before any recursive step runs, and a field over 1 MB with its line', () => {
    const db = seeded();
    expectRefused(db, () => importContract(db, 'c.json', `{\n"id": "c",\n"criteria": ${deepArray(300_000)}\n}`, ACTOR), `c.json:3: (contract): ${TOO_DEEP}`);
    expectRefused(db, () => importContract(db, 'c.json', `{\n"id": "c",\n"currency": "${OVER}"\n}`, ACTOR), `c.json:3: currency: ${TOO_LONG}`);
    expectRefused(db, () => importPolicyText(db, 'p.json', `{\n"version": 2,\n"policies": ${deepArray(300_000)}\n}`, ACTOR), `p.json:3: (file): ${TOO_DEEP}`);
    expectRefused(db, () => importPolicyText(db, 'p.json', `{\n"version": 2,\n"policies": [\n{"name": "${OVER}"}]\n}`, ACTOR), `p.json:4: policies.0.name: ${TOO_LONG}`);
  });
});
