// The statement PDF as the pack carries it: "page i of n" on every page, the ledger head and checkpoint, the issue
// block of an issued statement (or "OPEN — NOT ISSUED"), adjustment and awaiting lines, and the same bytes for the
// same input. Text is read back from the PDF's own content streams (pdfkit writes WinAnsi hex strings in TJ arrays);
// tests/unit/report-documents.test.ts reads them with pdfjs-dist.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatCosignerKey } from '../../electron/core/checkpoints/cosignature.ts';
import { rawEd25519PublicKey } from '../../electron/core/checkpoints/signed-note.ts';
import type { Statement } from '../../shared/contracts/outcomes.ts';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { decideDispute, openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { issueStatement } from '../../electron/core/outcomes/issued-statements.ts';
import { OutcomeRepository } from '../../electron/core/outcomes/outcome-repository.ts';
import { buildStatement } from '../../electron/core/outcomes/statement.ts';
import { statementPdf } from '../../electron/core/outcomes/statement-pdf.ts';
import { issuedPdfContext } from '../../electron/core/outcomes/statement-pdf-context.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { tempDb } from './helpers.ts';
import { aiSolved, loadContract, record } from './outcome-kit.ts';

const OPS = { kind: 'human', id: 'ops-1', name: 'Olga Petrov' } as const;

/** The text lines of a PDF: each TJ array's hex strings decoded (WinAnsi: 0x97 is the em dash, 0x96 the en dash). */
function pdfText(pdf: Buffer): string[] {
  const lines: string[] = [];
  for (const match of pdf.toString('latin1').matchAll(/\[((?:<[0-9a-f]*>\s*-?\d*\s*)+)\]\s*TJ/g)) {
    const text = [...match[1]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join('');
    lines.push(text.replace(/\x97/g, '—').replace(/\x96/g, '\u2013'));
  }
  return lines;
}

/** All text runs in order, one space between them: what a reader sees, whatever the line wraps. */
function joined(pdf: Buffer): string {
  return pdfText(pdf).join(' ').replace(/\s+/g, ' ');
}

function pagesOf(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

function scenario() {
  const { db } = tempDb();
  loadContract(db);
  for (const id of ['T-1', 'T-2', 'T-3']) record(db, aiSolved(id, '2026-10-05T10:00:00Z'));
  runVerification(db, '2026-10-10T00:00:00Z', () => 'achieved');
  issueStatement(db, { period: '2026-10', key: loadOrCreateInstallationKey(), actor: { kind: 'human', id: 'ops-1' } });
  const dispute = openDisputeOn(db, 'T-3', 'still failing', OPS);
  decideDispute(db, dispute.seq, 'upheld', 'confirmed', OPS);
  return db;
}

describe('the statement PDF', () => {
  it('of an issued statement: basis, who issued it with meaning, reason and SHA-256, page i of n, same bytes again', async () => {
    const db = scenario();
    const issued = new OutcomeRepository(db).issuedStatements('acme-ai-2026')[0]!;
    const statement = buildStatement(db, '2026-10');
    const context = issuedPdfContext(db, issued);
    const pdf = await statementPdf(statement, context);
    const text = joined(pdf);
    const { treeSize, rootHash } = issued.payload.checkpoint;
    expect(text).toContain(`Checkpoint tree size ${treeSize}, root ${rootHash} (signed checkpoint)`);
    expect(text).toContain(`Ledger head event #${treeSize} (`);
    expect(text).toContain(`ISSUED by ops-1 at ${issued.at.slice(0, 19).replace('T', ' ')} UTC (event #${issued.seq})`);
    expect(text).toContain('Not signed (a ledger without accounts)');
    expect(text).toContain(`Statement SHA-256 ${issued.payload.sha256}`);
    expect(text).not.toContain('OPEN');
    expect(text).toContain('page 1 of 1');
    // With a signature the block names its meaning and reason.
    const signed = joined(await statementPdf(statement, { ...context, issued: { ...context.issued!, signer: 'Dana Whitfield', meaning: 'approved', reason: 'final statement of October' } }));
    expect(signed).toContain('ISSUED by Dana Whitfield');
    expect(signed).toContain('signed: meaning approved — reason: final statement of October');
    expect(signed).toContain(`Dana Whitfield — approved — ${issued.at.slice(0, 19).replace('T', ' ')} UTC`);
    // Deterministic: the same statement and context give the same bytes, dated by the ledger: the issue's time.
    expect((await statementPdf(statement, context)).equals(pdf)).toBe(true);
    const body = pdf.toString('latin1');
    const dateRef = /\/CreationDate (\d+) 0 R/.exec(body)![1];
    expect(body).toMatch(new RegExp(`\\n${dateRef} 0 obj\\n\\(D:${issued.at.slice(0, 19).replace(/[-T:]/g, '')}Z\\)`));
  });

  it('of an open period: "open — not issued", its adjustment lines, and page numbers on every page', async () => {
    const db = scenario();
    const november = buildStatement(db, '2026-11');
    expect(november.adjustments).toHaveLength(1);
    const a = november.adjustments[0]!;
    const pdf = await statementPdf(november, { basis: { treeSize: 42, rootHash: 'cm9vdA==' } });
    const text = joined(pdf);
    expect(text).toContain('OPEN — NOT ISSUED');
    expect(text).not.toContain('awaiting a checkpoint cosigned by a buyer key');
    expect(text).toContain('Checkpoint tree size 42, root cm9vdA== (RFC 9162 Merkle root of events #1..42, not a signed checkpoint)');
    // The adjustment (an upheld dispute of an issued October outcome): a credit of 0.99, net −0.99, by hand.
    expect([a.charge, a.credit, a.net]).toEqual(['0.00', '0.99', '-0.99']);
    expect(text).toContain('Adjustments of issued periods (1, net \u2013EUR 0.99)');
    expect(text).toContain(`${a.ticket} ${a.category} 2026-10 #${a.verifiedSeq} was billed, now billed and reversed EUR 0.00 EUR 0.99 \u2013EUR 0.99`);
    // A long statement: every page says which of how many it is.
    const long: Statement = { ...november, lines: Array.from({ length: 120 }, () => buildStatement(db, '2026-10').lines).flat() };
    const many = await statementPdf(long, { basis: null });
    const pages = pagesOf(many);
    expect(pages).toBeGreaterThan(2);
    const footers = pdfText(many).filter((line) => / — page \d+ of \d+$/.test(line));
    expect(footers).toEqual(Array.from({ length: pages }, (_, i) => `Statement 2026-11 — acme-ai-2026 — page ${i + 1} of ${pages}`));
  });

  it('lists outcomes awaiting the buyer’s cosigned checkpoint', async () => {
    const { db } = tempDb();
    const buyer = formatCosignerKey('buyer.example/auditor', rawEd25519PublicKey(generateKeyPairSync('ed25519').publicKey));
    loadContract(db, { requireCosignedCheckpoint: true, buyerKeys: [buyer] });
    record(db, aiSolved('T-1', '2026-10-05T10:00:00Z'));
    runVerification(db, '2026-10-10T00:00:00Z', () => 'achieved');
    const awaiting = buildStatement(db, '2026-10');
    expect(awaiting.lines.map((l) => l.status)).toEqual(['awaiting_cosignature']);
    const text = joined(await statementPdf(awaiting));
    expect(text).toContain('Awaiting buyer checkpoint (1, EUR 0.99, not charged)');
    expect(text).toContain('T-1 — password_reset — verified #');
  });
});
