// The verifier does not let a pack pass on what it fails to look at: a reopen within the clawback with no reversal
// recorded, issues that break the issue rules, any statement field or CSV cell that differs, a cosigner key that
// signs nothing, a pack that shows the auditor another history than the checkpoint they kept, and bad input (named
// by file and line, never a stack trace). A receipt's OK line says what it proves and what it cannot.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { decideDispute, listDisputes, openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { issueStatement } from '../../electron/core/outcomes/issued-statements.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { tempDir } from './helpers.ts';
import { aiSolved, loadContract, outcomeEvents, record, seqOf } from './outcome-kit.ts';
import type { Line } from './trust-kit.ts';
import {
  appendSignatureLine,
  cosignatureLine,
  lineAt,
  makeCosigner,
  readLines,
  rechain,
  runVerifier,
  runVerifierJson,
  sealManifest,
  seqWhere,
  writeEventLines,
  writeTestPack,
  writeTestReceipt,
  type BuiltPack,
  type Receipt,
} from './verifier-kit.ts';

const CONTRACT = 'acme-ai-2026';
const AUDITOR = { kind: 'human', id: 'aud-1' } as const;
const SUPERVISOR = { kind: 'human', id: 'sup-1' } as const;
const DAY = 86_400_000;
const plusDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY).toISOString();

const root = mkdtempSync(join(tmpdir(), 'attest-verifier-rigor-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Reopens imported after the verification run: T-1 by a customer message, T-2 by a move to pending (both within the
 * 30-day clawback), T-4 by a customer 40 days after (too late to matter); T-3's dispute was upheld. */
let unreversed: BuiltPack;
let reversed: BuiltPack;
let reopens: { ticket: string; seq: number; at: string; verifiedSeq: number }[];
let receiptOfT3: string;
let receiptOfT1: string;
/** Two issued periods (September, October). */
let issued: BuiltPack;

const verificationOf = (db: Db, ticket: string): { seq: number; at: string } => ({
  seq: seqOf(db, ticket, 'outcome.verified'),
  at: outcomeEvents(db, 'outcome.verified').find((e) => e.ticket === ticket)!.at,
});

beforeAll(async () => {
  mkdirSync(join(root, 'reopens'));
  const db = openDatabase(join(root, 'reopens', 'ledger.db'));
  try {
    loadContract(db);
    record(db, [
      ...aiSolved('T-1', '2026-10-05T09:00:00.000Z'),
      ...aiSolved('T-2', '2026-10-05T10:00:00.000Z'),
      ...aiSolved('T-3', '2026-10-06T09:00:00.000Z'),
      ...aiSolved('T-4', '2026-10-06T10:00:00.000Z'),
    ]);
    runVerification(db, '2026-10-20T00:00:00.000Z');
    const [v1, v2, v4] = [verificationOf(db, 'T-1'), verificationOf(db, 'T-2'), verificationOf(db, 'T-4')];
    record(db, [
      { ticket: 'T-1', type: 'message', at: plusDays(v1.at, 2), author: { kind: 'customer', id: 'c-x' }, public: true, body: 'Still not shipped' },
      { ticket: 'T-2', type: 'status', at: plusDays(v2.at, 3), status: 'pending', by: { kind: 'human', id: 'agent-7' } },
      { ticket: 'T-4', type: 'message', at: plusDays(v4.at, 40), author: { kind: 'customer', id: 'c-x' }, public: true, body: 'Another question' },
    ]);
    openDisputeOn(db, 'T-3', 'never got the link', AUDITOR, { at: '2026-10-21T09:00:00.000Z' });
    const dispute = listDisputes(db).disputes.find((d) => d.ticket === 'T-3' && d.state === 'open')!.seq;
    decideDispute(db, dispute, 'upheld', 'the link was never sent', SUPERVISOR, '2026-10-22T09:00:00.000Z');
    reopens = [
      { ticket: 'T-1', seq: seqOf(db, 'T-1', 'message', 2), at: plusDays(v1.at, 2), verifiedSeq: v1.seq },
      { ticket: 'T-2', seq: seqOf(db, 'T-2', 'status', 1), at: plusDays(v2.at, 3), verifiedSeq: v2.seq },
    ];
    unreversed = await writeTestPack(db, join(root, 'reopens', 'unreversed'), CONTRACT);
    runVerification(db);
    reversed = await writeTestPack(db, join(root, 'reopens', 'reversed'), CONTRACT);
    receiptOfT3 = join(root, 'reopens', 'T-3.receipt.json');
    writeTestReceipt(db, reversed, 'T-3', receiptOfT3);
    receiptOfT1 = join(root, 'reopens', 'T-1.receipt.json');
    writeTestReceipt(db, reversed, 'T-1', receiptOfT1);
  } finally {
    db.close();
  }

  mkdirSync(join(root, 'issued'));
  const issuing = openDatabase(join(root, 'issued', 'ledger.db'));
  try {
    loadContract(issuing, { effectiveFrom: '2026-09-01' });
    record(issuing, [...aiSolved('T-1', '2026-09-03T09:00:00.000Z'), ...aiSolved('T-2', '2026-09-04T09:00:00.000Z'), ...aiSolved('T-3', '2026-10-05T09:00:00.000Z')]);
    runVerification(issuing, '2026-11-20T00:00:00.000Z');
    const key = loadOrCreateInstallationKey();
    issueStatement(issuing, { period: '2026-09', contract: CONTRACT, key, actor: SUPERVISOR });
    issueStatement(issuing, { period: '2026-10', contract: CONTRACT, key, actor: SUPERVISOR });
    issued = await writeTestPack(issuing, join(root, 'issued', 'pack'), CONTRACT);
  } finally {
    issuing.close();
  }
}, 120_000);

function copyPack(pack: BuiltPack): string {
  const dir = join(tempDir(), 'pack');
  cpSync(pack.dir, dir, { recursive: true });
  return dir;
}

const statementPath = (dir: string, period: string, ext = 'json'): string => join(dir, 'statements', CONTRACT, `${period}.${ext}`);
type StatementJson = Record<string, unknown> & { contract: Record<string, unknown>; lines: Record<string, unknown>[] };
const statementOf = (dir: string, period: string): StatementJson => JSON.parse(readFileSync(statementPath(dir, period), 'utf8')) as StatementJson;

describe('a reopen within the clawback with no reversal recorded', () => {
  it('is named with the reopen, the verification and the statement that still bills it; once reversed the pack is OK', () => {
    const json = runVerifierJson(unreversed.dir);
    expect(json.ok).toBe(false);
    expect(json.problems.map((p) => p.kind)).toEqual(['reversal_missing', 'reversal_missing']);
    const [t1, t2] = reopens;
    expect(json.problems[0]).toMatchObject({ ticket: 'T-1', seq: t1!.seq, period: '2026-10' });
    expect(json.problems[0]!.message).toMatch(
      new RegExp(`^ticket T-1: reopened at ${t1!.at} \\(#${t1!.seq} message\\), within the clawback of 30 days after outcome\\.verified #${t1!.verifiedSeq} \\(.*\\), ` +
        `but no outcome\\.reversed records it: the statement of 2026-10 \\(statements/${CONTRACT}/2026-10\\.json\\) still bills it$`),
    );
    expect(json.problems[1]!.message).toContain(`ticket T-2: reopened at ${t2!.at} (#${t2!.seq} status)`);
    // The app's statement bills T-1 and T-2 in this pack: exactly what the problem is about.
    const lines = statementOf(unreversed.dir, '2026-10').lines;
    expect(lines.filter((l) => ['T-1', 'T-2'].includes(String(l.ticket))).map((l) => l.status)).toEqual(['billed', 'billed']);

    const fixed = runVerifierJson(reversed.dir);
    expect(fixed.problems).toEqual([]);
    expect(statementOf(reversed.dir, '2026-10').lines.filter((l) => ['T-1', 'T-2'].includes(String(l.ticket))).map((l) => l.status)).toEqual([
      'billed_and_reversed',
      'billed_and_reversed',
    ]);
  });
});

describe('issue rules', () => {
  const issueSeqs = (): number[] => issued.lines.flatMap((l, i) => (l.includes('"type":"statement.issued"') ? [i + 1] : []));

  it('a pack that keeps them is reproduced: both issued periods, their CSVs, the PDFs noted as covered by the manifest only', () => {
    const json = runVerifierJson(issued.dir);
    expect(json.problems).toEqual([]);
    expect(json.statements).toBe(2);
    expect(json.notes).toContain("2 statement PDFs: covered by manifest.json's SHA-256 only; their figures are not read (the JSON and CSV of each statement are)");
  });

  it('a period issued twice, out of order, or before it ended', () => {
    const [september, october] = issueSeqs();
    const kindOf = (dir: string): string[] => runVerifierJson(dir).problems.filter((p) => p.kind === 'issue_rule').map((p) => p.message);

    const twice = copyPack(issued);
    writeEventLines(twice, rechain(readLines(twice), october!, (l: Line) => ({ ...l, period: '2026-09' })));
    sealManifest(twice, issued.key);
    expect(kindOf(twice)).toEqual([
      `event #${october} statement.issued (period 2026-09): ${CONTRACT} 2026-09 was already issued by event #${september}; a period is issued once, and the first issue stands`,
    ]);
    // One issue per period throughout: the September file is the first issue's document, and is not reported.
    expect(runVerifierJson(twice).problems.some((p) => p.message.startsWith(`statements/${CONTRACT}/2026-09.json`))).toBe(false);

    const backwards = copyPack(issued);
    writeEventLines(backwards, rechain(readLines(backwards), october!, (l: Line) => ({ ...l, period: '2026-08' })));
    sealManifest(backwards, issued.key);
    expect(kindOf(backwards)).toEqual([`event #${october} statement.issued (period 2026-08): issued after 2026-09 (event #${september}); periods are issued in increasing order`]);

    const early = copyPack(issued);
    writeEventLines(early, rechain(readLines(early), september!, (l: Line) => ({ ...l, at: '2026-09-30T21:00:00.000Z' })));
    sealManifest(early, issued.key);
    // 23:00 in Berlin on the 30th: the period ends at 22:00 UTC.
    expect(kindOf(early)).toEqual([
      `event #${september} statement.issued (period 2026-09): issued at 2026-09-30T21:00:00.000Z, before the period ended (2026-09-30T22:00:00.000Z, Europe/Berlin)`,
    ]);
  });
});

describe('every field of a statement, and its CSV', () => {
  it('line and header fields the old comparison skipped', () => {
    const dir = copyPack(reversed);
    const statement = statementOf(dir, '2026-10');
    const line = statement.lines.find((l) => l.ticket === 'T-1')!;
    const genuine = { verifiedAt: line.verifiedAt, version: line.version, reversalReason: line.reversalReason };
    Object.assign(line, { verifiedAt: '2026-10-31T23:00:00.000Z', version: 2, reversalReason: 'dispute_upheld' });
    statement.contract.timezone = 'UTC';
    writeFileSync(statementPath(dir, '2026-10'), JSON.stringify(statement, null, 2) + '\n');
    // The CSV is rendered again from the edited JSON, so only the recomputation can tell.
    const csv = readFileSync(statementPath(dir, '2026-10', 'csv'), 'utf8').replace(String(genuine.verifiedAt), '2026-10-31T23:00:00.000Z');
    writeFileSync(statementPath(dir, '2026-10', 'csv'), csv.replace(/^(T-1,[a-z_]+,)1,/m, '$12,').replace(/,reopened,/, ',dispute_upheld,'));
    sealManifest(dir, reversed.key);
    const where = `statements/${CONTRACT}/2026-10.json`;
    expect(runVerifierJson(dir).problems.map((p) => p.message)).toEqual([
      `${where}: contract.timezone: the statement says UTC, the events give Europe/Berlin`,
      `${where}: ticket T-1 version: the statement says 2, the events give 1`,
      `${where}: ticket T-1 verifiedAt: the statement says 2026-10-31T23:00:00.000Z, the events give ${String(genuine.verifiedAt)}`,
      `${where}: ticket T-1 reversalReason: the statement says dispute_upheld, the events give reopened`,
    ]);
  });

  it('a CSV that says something else than its JSON, or is not RFC 4180 with CRLF', () => {
    const dir = copyPack(reversed);
    const path = statementPath(dir, '2026-10', 'csv');
    const genuine = readFileSync(path, 'utf8');
    const rows = genuine.split('\r\n');
    const row = rows.findIndex((r) => r.startsWith('T-4,'));
    rows[row] = rows[row]!.replace(',0.99,0.00,0.99,', ',1.99,0.00,1.99,');
    writeFileSync(path, rows.join('\r\n'));
    sealManifest(dir, reversed.key);
    expect(runVerifier(dir).stdout).toBe(
      `statements/${CONTRACT}/2026-10.csv:${row + 1}: ticket T-4 charge: the CSV says 1.99, the JSON says 0.99\n` +
        `statements/${CONTRACT}/2026-10.csv:${row + 1}: ticket T-4 net: the CSV says 1.99, the JSON says 0.99\n`,
    );
    writeFileSync(path, genuine.replaceAll('\r\n', '\n'));
    sealManifest(dir, reversed.key);
    expect(runVerifier(dir).stdout).toBe(`statements/${CONTRACT}/2026-10.csv: not an RFC 4180 CSV (record 1: a line break that is not CRLF)\n`);
  });
});

describe('keys and kept checkpoints', () => {
  it('a cosigner key under which nothing in the pack is cosigned', () => {
    const buyer = makeCosigner('buyer.example/auditor');
    const keyFile = join(tempDir(), 'buyer.vkey');
    writeFileSync(keyFile, `${buyer.vkey}\n`);
    const run = runVerifier(reversed.dir, '--key', keyFile);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${keyFile}: no checkpoint in this pack is cosigned by buyer.example/auditor\n`);
    // Cosigned, the same key is quiet.
    const dir = copyPack(reversed);
    const note = readFileSync(join(dir, 'checkpoints', `${reversed.treeSize}.checkpoint`), 'utf8');
    appendSignatureLine(dir, reversed.treeSize, cosignatureLine(buyer, note, 1_790_000_000));
    sealManifest(dir, reversed.key);
    expect(runVerifierJson(dir, '--key', keyFile).problems).toEqual([]);
  });

  it('the checkpoint the auditor kept must be the pack\'s history at its size (a split view is named)', () => {
    const buyer = makeCosigner('buyer.example/auditor');
    const kept = join(tempDir(), 'kept.checkpoint');
    const note = readFileSync(join(reversed.dir, 'checkpoints', `${unreversed.treeSize}.checkpoint`), 'utf8');
    writeFileSync(kept, `${note}${cosignatureLine(buyer, note, 1_790_000_000)}\n`);
    const same = runVerifierJson(reversed.dir, '--checkpoint', kept);
    expect(same.problems).toEqual([]);
    expect(same.notes).toContain(`${kept}: the pack's first ${unreversed.treeSize} events have its root (verified)`);

    // The same installation key signed another ledger's history: the pack does not show what the auditor saw.
    const other = join(tempDir(), 'other.checkpoint');
    writeFileSync(other, readFileSync(join(issued.dir, 'checkpoints', `${issued.treeSize}.checkpoint`), 'utf8'));
    expect(issued.treeSize).toBeLessThanOrEqual(reversed.treeSize);
    const split = runVerifierJson(reversed.dir, '--checkpoint', other);
    expect(split.problems.map((p) => p.kind)).toEqual(['checkpoint_mismatch']);
    expect(split.problems[0]!.message).toMatch(
      new RegExp(`^${other.replaceAll('/', '\\/')}: root \\S+ at size ${issued.treeSize}, the pack's first ${issued.treeSize} events give \\S+: the pack shows a different history from the one this checkpoint signs$`),
    );
  });
});

describe('receipts prove presence, not absence', () => {
  const receiptOf = (path: string): Receipt => JSON.parse(readFileSync(path, 'utf8')) as Receipt;
  const saved = (receipt: Receipt): string => {
    const path = join(tempDir(), 'changed.receipt.json');
    writeFileSync(path, JSON.stringify(receipt, null, 2));
    return path;
  };

  it('a receipt without its later reversal still verifies, and its OK line says what it cannot rule out', () => {
    const receipt = receiptOf(receiptOfT1);
    expect(runVerifier(receiptOfT1).stdout).toMatch(/^RECEIPT OK: T-1 reversed 0\.99 EUR in 2026-10 as of /);
    const stripped = { ...receipt, events: receipt.events.filter((e) => e.line.type !== 'outcome.reversed'), outcome: { ...receipt.outcome, state: 'billed' } } as Receipt;
    const run = runVerifier(saved(stripped));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `RECEIPT OK: T-1 billed 0.99 EUR in 2026-10 as of checkpoint of size ${receipt.treeSize} (${stripped.events.length} events proven; ` +
        'events after them or left out of the receipt are not ruled out — compare with a pack or a newer cosigned receipt)\n',
    );
  });

  it('an event in the receipt that names a later event it leaves out is named', () => {
    const receipt = receiptOf(receiptOfT3);
    const disputed = receipt.events.find((e) => e.line.type === 'outcome.disputed')!;
    const upheld = receipt.events.find((e) => e.line.type === 'outcome.dispute_upheld')!;
    const stripped = { ...receipt, events: receipt.events.filter((e) => e !== disputed), outcome: { ...receipt.outcome, state: 'billed' } } as Receipt;
    const run = runVerifier(saved(stripped));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `event #${String(upheld.line.seq)} (T-3) outcome.dispute_upheld: its disputeSeq names #${String(disputed.line.seq)}, a later event the receipt leaves out — ` +
        'an outcome event of T-3 may have been withheld\n',
    );
  });
});

describe('bad input names the file and line', () => {
  const noStack = (text: string): void => expect(text).not.toMatch(/^\s+at /m);

  it('a null line, a line with a wrong type, a truncated manifest, statement or receipt', () => {
    const dir = copyPack(reversed);
    const lines = readLines(dir);
    const seq = seqWhere(lines, (l) => l.type === 'message');
    lines[16] = 'null';
    lines[seq - 1] = JSON.stringify({ ...lineAt(lines, seq), seq: 'x' });
    writeEventLines(dir, lines);
    sealManifest(dir, reversed.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('events.jsonl:17: not an event object\n');
    expect(run.stdout).toContain(`events.jsonl:${seq}: not an event object (seq "x" is not a positive integer)\n`);
    noStack(run.stdout + run.stderr);

    const truncated = copyPack(reversed);
    writeFileSync(join(truncated, 'manifest.json'), readFileSync(join(truncated, 'manifest.json'), 'utf8').slice(0, 100));
    const manifest = runVerifier(truncated);
    expect(manifest.code).toBe(1);
    expect(manifest.stdout).toMatch(/^manifest\.json: not valid JSON \(.+\)\n$/);
    noStack(manifest.stdout + manifest.stderr);

    const statement = copyPack(reversed);
    writeFileSync(statementPath(statement, '2026-10'), readFileSync(statementPath(statement, '2026-10'), 'utf8').slice(0, 200));
    sealManifest(statement, reversed.key);
    expect(runVerifier(statement).stdout).toMatch(new RegExp(`^statements/${CONTRACT}/2026-10\\.json: not valid JSON \\(.+\\)\\n$`));

    const receipt = join(tempDir(), 'cut.receipt.json');
    writeFileSync(receipt, readFileSync(receiptOfT1, 'utf8').slice(0, 300));
    const cut = runVerifier(receipt);
    expect(cut.stdout).toBe(`${receipt}: not valid JSON (${cut.stdout.slice(receipt.length + 18, -2)})\n`);
    noStack(cut.stdout + cut.stderr);
  });
});
