// The statement and KPI PDFs as documents an auditor files, read back with an independent reader (pdfjs-dist):
// issuer, period and time zone, computed as of, ledger head and checkpoint (compared with the ledger's own rows),
// "page i of m" on every page, the signature block, totals before adjustments before lines; the KPI report's
// figures as the overview's API returns them (formatted here by hand with Intl), the definitions, charts drawn as
// vector paths, the board's AHT in the overview's number and unit; and the same ledger giving the same bytes.
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract.ts';
import { KPI_DEFINITIONS, type KpiExport, type KpiReport, type MigrationBoard } from '../../shared/contracts/kpis.ts';
import type { DisputeRow } from '../../shared/contracts/outcomes.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { freezeBaseline } from '../../electron/core/kpis/baselines.ts';
import { statementPdf } from '../../electron/core/outcomes/statement-pdf.ts';
import { statementPdfContext } from '../../electron/core/outcomes/statement-pdf-context.ts';
import { statementDocument } from '../../electron/core/outcomes/statement.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { addAccount } from '../../electron/core/people/accounts.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';
import { tempDb } from './helpers.ts';
import { aiSolved, loadContract, record } from './outcome-kit.ts';

const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
const STANDARD_FONTS = fileURLToPath(new URL('../../node_modules/pdfjs-dist/standard_fonts/', import.meta.url));

interface ReadPdf {
  /** Each page's text: its runs in order, one space between them, whitespace collapsed. */
  pages: string[];
  /** Path-drawing operators (pdfjs constructPath) per page. */
  paths: number[];
  creationDate: string;
}

async function readPdf(bytes: Buffer): Promise<ReadPdf> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const pages: string[] = [];
  const paths: number[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' '));
    const operators = await page.getOperatorList();
    paths.push(operators.fnArray.filter((fn) => fn === pdfjs.OPS.constructPath).length);
  }
  const { info } = (await doc.getMetadata()) as { info: { CreationDate?: string } };
  await doc.destroy();
  return { pages, paths, creationDate: info.CreationDate ?? '' };
}

/** What a PDF prints for a figure: the standard fonts have no U+2212, so a minus is an en dash. */
const printed = (text: string): string => text.replace(/\u2212/g, '\u2013');
/** "2026-11-02T10:00:00.000Z" → "2026-11-02 10:00:00 UTC", written out here, not by the app's formatter. */
const utc = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

const PASSWORDS = { admin: 'Lantern-orchard-5821', sup: 'Quiet-harbour-7381', aud: 'Copper-meadow-4410' } as const;
const TICKETS = 70;

async function signedIn(core: CoreHandle, name: keyof typeof PASSWORDS): Promise<string> {
  let token: string | null = null;
  const result = await core.invoke('auth.login', { name, password: PASSWORDS[name] }, { via: 'browser', onSession: (t) => (token = t) });
  expect(result.ok).toBe(true);
  return token!;
}

function row<T>(db: Db, sql: string, ...params: unknown[]): T {
  return db.prepare(sql).get(...params) as T;
}

describe('the statement PDF as a document', () => {
  it('issued and signed: issuer, period and zone, as of, head and checkpoint, page i of m everywhere, totals first, signatures; then the open period after it', async () => {
    const { db, path } = tempDb();
    loadContract(db);
    const ids = Array.from({ length: TICKETS }, (_, i) => `T-${i + 1}`);
    for (const [i, id] of ids.entries()) record(db, aiSolved(id, `2026-10-${String(2 + (i % 20)).padStart(2, '0')}T10:00:00Z`));
    runVerification(db, '2026-10-31T00:00:00Z', () => 'achieved');
    addAccount(db, { name: 'admin', display: 'Ada Admin', role: 'admin', password: PASSWORDS.admin }, { kind: 'human', id: 'os:tester' });
    const admin = { kind: 'human', id: 'acct:admin', name: 'Ada Admin' } as const;
    addAccount(db, { name: 'sup', display: 'Sam Supervisor', role: 'supervisor', password: PASSWORDS.sup }, admin);
    addAccount(db, { name: 'aud', display: 'Aria Auditor', role: 'auditor', password: PASSWORDS.aud }, admin);

    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      const sup = await signedIn(core, 'sup');
      const signature = { password: PASSWORDS.sup, meaning: 'approved', reason: 'final statement of October' } as const;
      const issued = await core.invoke('outcomes.issueStatement', { period: '2026-10', signature }, { session: sup });
      expect(issued.ok).toBe(true);
      // After the issue an upheld dispute changes October: an adjustment of the open November statement.
      const opened = (await core.invoke('outcomes.disputeOpen', { ticket: 'T-3', reason: 'the answer was wrong' }, { session: await signedIn(core, 'aud') })) as Result<DisputeRow>;
      if (!opened.ok) throw new Error(opened.error.message);
      const upheld = await core.invoke('outcomes.disputeUphold', { dispute: opened.value.seq, reason: 'confirmed wrong', signature: { ...signature, reason: 'dispute upheld' } }, { session: sup });
      expect(upheld.ok).toBe(true);

      // --- October, issued: the ledger's own rows say what the document must print.
      const issue = row<{ seq: number; at: string; payload: string }>(db, "SELECT seq, at, payload FROM events WHERE type = 'statement.issued'");
      const { checkpoint } = JSON.parse(issue.payload) as { checkpoint: { treeSize: number; rootHash: string } };
      const headEvent = row<{ hash: string; recorded_at: string }>(db, 'SELECT hash, recorded_at FROM events WHERE seq = ?', checkpoint.treeSize);
      const checkpointEvent = row<{ payload: string }>(db, "SELECT payload FROM events WHERE type = 'checkpoint' AND seq < ? ORDER BY seq DESC LIMIT 1", issue.seq);
      expect(JSON.parse(checkpointEvent.payload)).toMatchObject({ treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash });
      const issueSignature = row<{ at: string }>(db, "SELECT at FROM events WHERE type = 'signature' AND json_extract(payload, '$.signedSeq') = ?", issue.seq);

      const download = async (period: string): Promise<Buffer> => {
        const result = (await core.invoke('outcomes.statementPdf', { period }, { session: sup })) as Result<{ base64: string }>;
        if (!result.ok) throw new Error(result.error.message);
        return Buffer.from(result.value.base64, 'base64');
      };
      const octoberBytes = await download('2026-10');
      const october = await readPdf(octoberBytes);
      const m = october.pages.length;
      expect(m).toBeGreaterThan(1);
      october.pages.forEach((text, i) => expect(text).toContain(`Statement 2026-10 — acme-ai-2026 — page ${i + 1} of ${m}`));
      const first = october.pages[0]!;
      expect(first).toContain('Issued by the operator of contract acme-ai-2026 (organization name not set)');
      expect(first).toContain('Contract acme-ai-2026, version 1; amounts in EUR');
      expect(first).toContain('Period 2026-10: 2026-10-01 00:00 to 2026-10-31 24:00, time zone Europe/Berlin');
      expect(first).toContain(`Computed as of ${utc(issue.at)}`);
      expect(first).toContain(`Ledger head event #${checkpoint.treeSize} (`);
      expect(first).toContain(`chain hash ${headEvent.hash}, recorded ${utc(headEvent.recorded_at)}`);
      expect(first).toContain(`Checkpoint tree size ${checkpoint.treeSize}, root ${checkpoint.rootHash} (signed checkpoint)`);
      expect(first).toContain(`ISSUED by Sam Supervisor at ${utc(issue.at)} (event #${issue.seq}); signed: meaning approved — reason: final statement of October`);
      // Totals first, by hand: 70 outcomes at EUR 0.99 = EUR 69.30; then adjustments, then the lines.
      const all = october.pages.join(' ');
      expect(all).toContain(`Verified resolutions billed ${TICKETS} · EUR 69.30`);
      expect(all).toContain('Total due EUR 69.30');
      const order = ['Totals', 'Total due', 'Totals by category', 'Adjustments of issued periods (0, net EUR 0.00)', `Lines (${TICKETS})`, 'Signatures'].map((label) => all.indexOf(label));
      expect(order.every((at) => at >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      // Every line is there, the first and the last; T-1, created Oct 2 10:00Z, verified when its 72 h window ended.
      expect(all).toMatch(/T-1 password_reset 1 billed 2026-10-05 #\d+ EUR 0\.99 EUR 0\.00 #2 #5 #\d+/);
      expect(all).toContain(`T-${TICKETS} password_reset`);
      // The signature block: printed name, meaning and time; the contract's signer would follow (none: imported unsigned).
      expect(all).toContain(`Sam Supervisor — approved — ${utc(issueSignature.at)} Reason: final statement of October. Signs the issue of this statement (event #${issue.seq})`);
      expect(all).toContain('Issued for the vendor by Name Signature Date Accepted for the buyer by Name Signature Date');
      // A closed document: downloading it again gives the same bytes, dated by the issue.
      expect((await download('2026-10')).equals(octoberBytes)).toBe(true);
      expect(october.creationDate).toBe(`D:${issue.at.slice(0, 19).replace(/[-T:]/g, '')}Z`);

      // --- November, open: the head is the ledger's last event; its adjustment comes before its (no) lines.
      const document = statementDocument(db, '2026-11');
      const novemberBytes = await statementPdf(document.statement, statementPdfContext(db, document));
      const head = row<{ seq: number; hash: string }>(db, 'SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1');
      const november = (await readPdf(novemberBytes)).pages.join(' ');
      expect(november).toContain('OPEN — NOT ISSUED');
      expect(november).toContain(`Ledger head event #${head.seq} (`);
      expect(november).toContain(`chain hash ${head.hash}`);
      expect(november).toContain(`Checkpoint tree size ${head.seq}, root `);
      expect(november).toContain(`RFC 9162 Merkle root of events #1..${head.seq}, not a signed checkpoint`);
      // T-3's October charge credited by the upheld dispute: net −0.99, printed with an en dash.
      expect(november).toContain(printed('Adjustments of issued periods 1 · \u2212EUR 0.99'));
      expect(november).toContain(printed('Total so far (open period) \u2212EUR 0.99'));
      expect(november).not.toContain('Total due');
      expect(november).toMatch(/T-3 password_reset 2026-10 #\d+ was billed, now billed and reversed EUR 0\.00 EUR 0\.99 –EUR 0\.99/);
      expect(november.indexOf('Adjustments of issued periods (1')).toBeLessThan(november.indexOf('Lines (0)'));
      expect(november).toContain('Sam Supervisor — approved —');
      expect(november).toContain('Reason: dispute upheld. Signs #');
      // Same ledger, same bytes: computed again from the same events.
      const again = statementDocument(db, '2026-11');
      expect((await statementPdf(again.statement, statementPdfContext(db, again))).equals(novemberBytes)).toBe(true);
      // The organization name, once set, is the issuer.
      const named = (await readPdf(await statementPdf(document.statement, { ...statementPdfContext(db, document), issuer: 'Harbor Savings Bank AG' }))).pages[0]!;
      expect(named).toContain('Issued by Harbor Savings Bank AG Statement 2026-11 — acme-ai-2026');
    } finally {
      core.close();
    }
  });
});

describe('the KPI PDF report', () => {
  const FIXTURE = fileURLToPath(new URL('../fixtures/kpis/kpis.jsonl', import.meta.url));

  it('prints every overview figure as the API returns it, the definitions, vector charts and the ledger head; the same bytes again; the board’s AHT as the overview’s', async () => {
    const { db, path } = tempDb();
    importJsonlFile(db, FIXTURE);
    freezeBaseline(db, { name: 'first day', from: '2026-03-02', to: '2026-03-02' }, { kind: 'human', id: 'ops-1' });
    // Every category seen on a ticket has a row on the board (mode off until someone sets one).
    const categories = (db.prepare("SELECT DISTINCT json_extract(payload, '$.category') FROM events WHERE type = 'created' ORDER BY 1").pluck().all() as string[]).filter(Boolean);
    db.close();
    const core = openCore({ dbPath: path, role: 'auditor' });
    try {
      const range = { from: '2026-03-02', to: '2026-03-10' };
      const exported = async (view: 'overview' | 'board'): Promise<Buffer> => {
        const result = (await core.invoke('kpis.export', { view, format: 'pdf', ...range })) as Result<KpiExport>;
        if (!result.ok) throw new Error(result.error.message);
        return Buffer.from(result.value.data, 'base64');
      };
      const report = (await core.invoke('kpis.report', range)) as Result<KpiReport>;
      if (!report.ok) throw new Error(report.error.message);
      const r = report.value;
      const bytes = await exported('overview');
      const pdf = await readPdf(bytes);
      const text = pdf.pages.join(' ');

      // Each figure, formatted here with Intl (en-US). No contract in this ledger: its amounts have no currency, so none is shown.
      const pct = (v: number | null): string => (v === null ? '—' : `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v * 100)}%`);
      const expected: [string, string][] = [
        ['Verified AI resolutions', String(r.counts.verified)],
        ['Deflection', pct(r.deflection)],
        ['First-contact resolution', pct(r.fcr)],
        ['Average handle time', `${r.ahtMinutes!.toFixed(1)} min`],
        ['CSAT', `${r.csatMean!.toFixed(2)} · ${pct(r.csatSatisfiedShare)} 4–5`],
        ['SLA compliance', '—'],
        ['Reopen rate', pct(r.reopenRate)],
        ['Escalation rate', pct(r.escalationRate)],
        ['Cost per resolution (human / AI)', '— / —'],
        ['Amounts', 'not shown: no outcome contract and no cost-model currency'],
        ['Tickets', String(r.tickets)],
      ];
      for (const [label, value] of expected) expect(text, label).toContain(`${label} ${value}`);
      expect(r.fcr).not.toBeNull();
      // The FCR row carries its Wilson interval and n (resolved tickets), the baseline and the change.
      expect(text).toMatch(new RegExp(`First-contact resolution ${pct(r.fcr).replace('.', '\\.')} \\d+\\.\\d% to \\d+\\.\\d% ${r.counts.resolved} \\d+\\.\\d% [+–±]\\d+\\.\\d pp`));
      // The definitions, in the words the console shows.
      for (const d of KPI_DEFINITIONS) expect(text).toContain(`${d.label}: ${d.definition.slice(0, 40)}`);
      // Charts: titles, axis ticks and drawn paths (lines, bars, grid) on the page that holds them.
      expect(text).toContain('FCR, deflection and reopen rate (%)');
      expect(text).toContain('Tickets created per week (count)');
      // The four charts may fall on two pages: count the drawn paths of the pages that hold them.
      const chartPaths = pdf.pages.reduce((sum, page, i) => sum + (page.includes('FCR, deflection and reopen rate (%)') || page.includes('Tickets created per week (count)') ? pdf.paths[i]! : 0), 0);
      expect(chartPaths).toBeGreaterThan(40);
      // The frame: the ledger head from the ledger's own last row, the period, page i of m.
      const reader = new Database(path, { readonly: true });
      const head = row<{ seq: number; hash: string; recorded_at: string }>(reader as unknown as Db, 'SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1');
      reader.close();
      expect(text).toContain(`Ledger head event #${head.seq} (`);
      expect(text).toContain(`chain hash ${head.hash}`);
      expect(text).toContain(`Computed as of ${utc(head.recorded_at)}`);
      expect(text).toContain('Period tickets created 2026-03-02 to 2026-03-10');
      expect(text).toContain('Baseline "first day", tickets created 2026-03-02 to 2026-03-02');
      pdf.pages.forEach((page, i) => expect(page).toContain(`KPI report 2026-03-02 to 2026-03-10 — page ${i + 1} of ${pdf.pages.length}`));
      expect(pdf.creationDate).toBe(`D:${head.recorded_at.slice(0, 19).replace(/[-T:]/g, '')}Z`);
      // Same ledger, same bytes.
      expect((await exported('overview')).equals(bytes)).toBe(true);

      // The board prints each category's AHT as the overview shows that category: same number, same unit.
      const board = (await core.invoke('kpis.board', range)) as Result<MigrationBoard>;
      if (!board.ok) throw new Error(board.error.message);
      const boardBytes = await exported('board');
      expect((await exported('board')).equals(boardBytes)).toBe(true);
      const boardText = (await readPdf(boardBytes)).pages.join(' ');
      let compared = 0;
      for (const category of categories) {
        const overview = (await core.invoke('kpis.report', { ...range, category: [category] })) as Result<KpiReport>;
        if (!overview.ok || overview.value.ahtMinutes === null) continue;
        const boardRow = board.value.rows.find((b) => b.category === category)!;
        const aht = boardRow.comparisons.find((c) => c.kpi === 'aht')!;
        expect(aht.pilot.value).toBeCloseTo(overview.value.ahtMinutes, 9);
        expect(aht.ahtSource).toBe(overview.value.ahtSource);
        const label = overview.value.ahtSource === 'agent_work' ? 'Average handle time (agent work time)' : 'Average handle time';
        expect(boardText).toContain(`${label} compared, not a check`);
        expect(boardText).toContain(`${overview.value.ahtMinutes.toFixed(1)} min (n ${aht.pilot.n})`);
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    } finally {
      core.close();
    }
  });
});
