// Ticket text with markup, bidi overrides and control characters reaches the statement and KPI PDFs as visible
// text: read back from the PDFs' own content streams (an extraction independent of pdfkit), no control character
// is there raw, and each shows as a visible escape (\u202E), so what a reader sees is what the ledger holds.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract.ts';
import type { KpiExport } from '../../shared/contracts/kpis.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { buildStatement } from '../../electron/core/outcomes/statement.ts';
import { statementPdf } from '../../electron/core/outcomes/statement-pdf.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { openCore } from '../../electron/core/service.ts';
import { tempDb } from './helpers.ts';
import { aiSolved, loadContract, record } from './outcome-kit.ts';

/** The text of every TJ/Tj string in a PDF's content streams (inflated where compressed), as bytes in latin1. */
function pdfStrings(pdf: Buffer): string[] {
  const out: string[] = [];
  const raw = pdf.toString('latin1');
  for (const match of raw.matchAll(/<<([^]*?)>>\s*stream\r?\n/g)) {
    const start = match.index! + match[0].length;
    const end = raw.indexOf('endstream', start);
    let body = pdf.subarray(start, end);
    if (/\/FlateDecode/.test(match[1]!)) {
      try {
        body = inflateSync(body);
      } catch {
        continue; // a font or image stream cut differently: not text
      }
    }
    const content = body.toString('latin1');
    for (const tj of content.matchAll(/\[((?:<[0-9a-fA-F]*>\s*-?[\d.]*\s*)+)\]\s*TJ/g)) {
      out.push([...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''));
    }
  }
  return out;
}

/** C0 controls and DEL, as WinAnsi bytes; 0x80–0x9F are printable in WinAnsi (the em dash is 0x97). */
const RAW_CONTROL = /[\x00-\x1f\x7f]/;
const HOSTILE_ID = 'T-\u202Egnp.exe\u0007\u001b[31m';

describe('hostile text in PDFs', () => {
  it('statement PDF: ticket ids with a bidi override and control characters are shown escaped', async () => {
    const { db } = tempDb();
    loadContract(db);
    record(db, aiSolved(HOSTILE_ID, '2026-10-02T10:00:00Z'));
    record(db, aiSolved('<script>alert(1)</script>', '2026-10-03T10:00:00Z'));
    runVerification(db, '2026-10-25T00:00:00Z', (): never => {
      throw new Error('the contract needs no SLA');
    });
    const statement = buildStatement(db, '2026-10');
    expect(statement.lines.map((l) => l.ticket)).toContain(HOSTILE_ID);
    const strings = pdfStrings(await statementPdf(statement));
    expect(strings.length).toBeGreaterThan(10);
    for (const text of strings) expect(RAW_CONTROL.test(text), JSON.stringify(text)).toBe(false);
    // Narrow table columns wrap a long id over several text runs.
    const all = strings.join('');
    expect(all).toContain('T-\\u202Egnp.exe\\u0007\\u001B[31m');
    expect(all).toContain('<script>alert(1)</script>');
  });

  it('KPI PDF: a category with control characters and bidi marks is shown escaped', async () => {
    const { db, path } = tempDb();
    const fixture = readFileSync(fileURLToPath(new URL('../fixtures/kpis/kpis.jsonl', import.meta.url)), 'utf8');
    importJsonlText(db, 'kpis.jsonl', fixture.replaceAll('"category":"password_reset"', '"category":"reset\\u202e\\u0008\\u0000x"'));
    db.close();
    const core = openCore({ dbPath: path, role: 'auditor' });
    try {
      const pdf = (await core.invoke('kpis.export', { view: 'overview', format: 'pdf', from: '2026-03-01', to: '2026-03-10' })) as Result<KpiExport>;
      if (!pdf.ok) throw new Error(pdf.error.message);
      const strings = pdfStrings(Buffer.from(pdf.value.data, 'base64'));
      expect(strings.length).toBeGreaterThan(10);
      for (const text of strings) expect(RAW_CONTROL.test(text), JSON.stringify(text)).toBe(false);
      expect(strings.join('')).toContain('reset\\u202E\\u0008\\u0000x');
    } finally {
      core.close();
    }
  });
});
