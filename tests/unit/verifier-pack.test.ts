// The independent verifier on packs: it reproduces the app's statements to the cent (the demo, and a hand-built
// scenario with a reversal, an upheld and a rejected dispute, an open dispute and a discrepancy), and it names
// each kind of tampering: a changed, dropped or swapped event, a changed contract price, an edited statement
// total, a swapped public key, an edited manifest entry, a history rewritten behind a checkpoint, a forged
// cosignature.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateInstallationKey, type InstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { cosignCheckpoint } from '../../electron/core/checkpoints/cosignature.ts';
import { recordCheckpoint } from '../../electron/core/checkpoints/record-checkpoint.ts';
import { recordCosignature } from '../../electron/core/checkpoints/record-cosignature.ts';
import { formatVerifierKey, rawEd25519PublicKey } from '../../electron/core/checkpoints/signed-note.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { decideDispute, listDisputes, openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { tempDir } from './helpers.ts';
import { aiSolved, loadContract, record, ticketLines } from './outcome-kit.ts';
import { rehashed, type Line } from './trust-kit.ts';
import {
  appendSignatureLine,
  cosignatureLine,
  lineAt,
  makeCosigner,
  readLines,
  readManifest,
  rechain,
  runVerifier,
  runVerifierJson,
  sealManifest,
  seqWhere,
  writeEventLines,
  writeTestPack,
  writeTestReceipt,
  type Receipt,
  type BuiltPack,
} from './verifier-kit.ts';

const AUDITOR = { kind: 'human', id: 'aud-1' } as const;
const SUPERVISOR = { kind: 'human', id: 'sup-1' } as const;

/** A copy of a pack to tamper with. */
function copyPack(pack: BuiltPack): string {
  const dir = join(tempDir(), 'pack');
  cpSync(pack.dir, dir, { recursive: true });
  return dir;
}

function statementOf(dir: string, contract: string, period: string): Record<string, unknown> & { lines: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(join(dir, 'statements', contract, `${period}.json`), 'utf8')) as Record<string, unknown> & { lines: Record<string, unknown>[] };
}

/** The hand-built scenario: every outcome path, in a single-user ledger, with a checkpoint in the middle. */
async function buildScenarioPack(dir: string): Promise<BuiltPack> {
  const db = openDatabase(join(dir, 'scenario.db'));
  try {
    loadContract(db);
    record(db, [
      ...aiSolved('T-1', '2026-10-05T09:00:00.000Z'),
      // reopened by the customer after verification, inside the 30-day clawback: a credit in November
      ...aiSolved('T-2', '2026-10-05T10:00:00.000Z', [{ kind: 'customer', at: '2026-11-02T08:00:00.000Z' }]),
      ...aiSolved('T-3', '2026-10-06T09:00:00.000Z'),
      ...aiSolved('T-4', '2026-10-06T10:00:00.000Z'),
      ...aiSolved('T-5', '2026-10-07T09:00:00.000Z'),
      ...aiSolved('T-6', '2026-10-07T10:00:00.000Z', [], 'shipping_status'),
      // a human replied first: never a candidate
      ...ticketLines('T-7', '2026-10-08T09:00:00.000Z', [{ kind: 'human_reply', at: '2026-10-08T09:05:00.000Z' }, { kind: 'solve_ai', at: '2026-10-08T09:10:00.000Z' }]),
      // verified in November
      ...aiSolved('T-8', '2026-10-30T09:00:00.000Z'),
    ]);
    runVerification(db, '2026-11-20T00:00:00.000Z');
    recordCheckpoint(db, loadOrCreateInstallationKey(), new Date());
    openDisputeOn(db, 'T-3', 'the customer never got the reset link', AUDITOR, { at: '2026-11-21T09:00:00.000Z' });
    openDisputeOn(db, 'T-4', 'looks escalated by phone', AUDITOR, { at: '2026-11-21T09:05:00.000Z' });
    openDisputeOn(db, 'T-6', 'wrong order number', AUDITOR, { at: '2026-11-21T09:10:00.000Z' });
    const [upheld, rejected] = [openDisputeSeq(db, 'T-3'), openDisputeSeq(db, 'T-4')];
    decideDispute(db, upheld, 'upheld', 'the link was never sent', SUPERVISOR, '2026-11-22T09:00:00.000Z');
    decideDispute(db, rejected, 'rejected', 'chat log shows it was solved', SUPERVISOR, '2026-11-22T09:05:00.000Z');
    // A low CSAT inside T-5's window, imported after its verification: a discrepancy on the next run.
    record(db, [{ ticket: 'T-5', type: 'csat', at: '2026-10-08T09:00:00.000Z', score: 1 }]);
    runVerification(db, '2026-11-25T00:00:00.000Z');
    const pack = await writeTestPack(db, join(dir, 'pack'), 'acme-ai-2026');
    writeTestReceipt(db, pack, 'T-6', join(dir, 'T-6.receipt.json'));
    return pack;
  } finally {
    db.close();
  }
}

/** The seq of a ticket's open dispute, read through the app's dispute list. */
function openDisputeSeq(db: Db, ticket: string): number {
  return listDisputes(db).disputes.find((d) => d.ticket === ticket && d.state === 'open')!.seq;
}

let demo: BuiltPack;
let scenario: BuiltPack;
let demoReceipt: string;

/** Packs built once for the file (tempDir() is emptied after each test). */
const packRoot = mkdtempSync(join(tmpdir(), 'attest-verifier-'));
afterAll(() => rmSync(packRoot, { recursive: true, force: true }));

beforeAll(async () => {
  const dir = join(packRoot, 'demo');
  mkdirSync(dir);
  const dbPath = join(dir, 'demo.db');
  createDemoDatabase(dbPath, { tickets: 300 });
  const db = openDatabase(dbPath);
  try {
    runVerification(db);
    demo = await writeTestPack(db, join(dir, 'pack'), 'demo-ai-pilot-2026');
    const ticket = String(JSON.parse(demo.lines.find((l) => l.includes('"type":"outcome.verified"'))!).ticket);
    demoReceipt = join(dir, `${ticket}.receipt.json`);
    writeTestReceipt(db, demo, ticket, demoReceipt);
  } finally {
    db.close();
  }
  mkdirSync(join(packRoot, 'scenario'));
  scenario = await buildScenarioPack(join(packRoot, 'scenario'));
}, 120_000);

describe('packs the app wrote are reproduced to the cent', () => {
  it('the demo pack', () => {
    const run = runVerifier(demo.dir, '--key', join(demo.dir, 'installation.pub'));
    expect(run.stdout).toBe(`PACK OK: ${demo.lines.length} events, ${demo.periods.length} statements reproduced to the cent\n`);
    expect(run.code).toBe(0);
    expect(demo.periods.length).toBeGreaterThan(0);
    expect(run.stderr).toContain('SLA clauses (first_reply) taken from the ledger, not re-evaluated');
    expect(run.stderr).toContain('installation key pinned');
  });

  it('the hand-built scenario: reversal, upheld, rejected and open disputes, a discrepancy', () => {
    const json = runVerifierJson(scenario.dir);
    expect(json.problems).toEqual([]);
    expect(json).toMatchObject({ ok: true, events: scenario.lines.length, statements: 2 });
    expect(json.notes.some((n) => n.startsWith('installation key not pinned: '))).toBe(true);
    // The scenario really has each path (so "reproduced" covers them).
    const october = statementOf(scenario.dir, 'acme-ai-2026', '2026-10');
    const november = statementOf(scenario.dir, 'acme-ai-2026', '2026-11');
    const status = (s: typeof october, t: string): unknown => s.lines.find((l) => l.ticket === t)?.status;
    expect([status(october, 'T-1'), status(october, 'T-4'), status(october, 'T-6')]).toEqual(['billed', 'billed', 'held']);
    expect([status(november, 'T-2'), status(november, 'T-3')]).toEqual(['reversed', 'reversed']);
    expect(october.lines.find((l) => l.ticket === 'T-5')?.discrepancy).toBe(true);
    expect(status(november, 'T-8')).toBe('billed');
  });
});

/** The pack re-sealed by someone holding the installation key, after a change: only the content can betray it. */
const reseal = (dir: string, key: InstallationKey): void => sealManifest(dir, key);

describe('tampering is named', () => {
  it('a changed event (hash kept) names the event and its ticket', () => {
    const dir = copyPack(demo);
    const lines = readLines(dir);
    const seq = seqWhere(lines, (l) => l.type === 'message' && l.ticket !== null && (l.seq as number) > 100);
    const line = lineAt(lines, seq);
    lines[seq - 1] = JSON.stringify({ ...line, body: 'rewritten' });
    writeEventLines(dir, lines);
    reseal(dir, demo.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`event #${seq} (${String(line.ticket)}) message: content changed`);
  });

  it('a dropped event', () => {
    const dir = copyPack(demo);
    const lines = readLines(dir);
    writeEventLines(dir, lines.filter((_, i) => i !== 499));
    reseal(dir, demo.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('event #500 missing: the line after #499 is #501');
  });

  it('two events swapped', () => {
    const dir = copyPack(demo);
    const lines = readLines(dir);
    [lines[699], lines[700]] = [lines[700]!, lines[699]!];
    writeEventLines(dir, lines);
    reseal(dir, demo.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('events #700 and #701 are swapped');
  });

  it('an inserted event', () => {
    const dir = copyPack(demo);
    const lines = readLines(dir);
    const before = lineAt(lines, 499);
    const inserted = rehashed({ seq: 500, ticket: 'T-1', type: 'csat', at: before.at, score: 5, actor: { kind: 'customer', id: 'c-1' }, recordedAt: before.recordedAt, prevHash: before.hash });
    lines.splice(499, 0, JSON.stringify(inserted));
    writeEventLines(dir, lines);
    reseal(dir, demo.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    const original = lineAt(demo.lines, 500);
    expect(run.stdout).toContain(`an event was inserted before #500${original.ticket ? ` (${String(original.ticket)})` : ''} ${String(original.type)}: line 501 should hold #501`);
  });

  it('a file the manifest does not list, a listed statement missing', () => {
    const dir = copyPack(scenario);
    writeFileSync(join(dir, 'statements', 'acme-ai-2026', 'note.txt'), 'added later\n');
    rmSync(join(dir, 'statements', 'acme-ai-2026', '2026-11.json'));
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('statements/acme-ai-2026/note.txt: not listed in manifest.json');
    expect(run.stdout).toContain('statements/acme-ai-2026/2026-11.json: listed in manifest.json but missing');
    sealManifest(dir, scenario.key);
    expect(runVerifier(dir).stdout).toBe(
      'statements/acme-ai-2026/2026-11.csv: a CSV without its JSON statement\n' +
        'statements/acme-ai-2026/2026-11.json: the contract has a statement for 2026-11, but the pack does not hold it\n',
    );
  });

  it('a changed contract price in the contract file', () => {
    const dir = copyPack(scenario);
    const path = join(dir, 'contracts', 'acme-ai-2026.v1.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"pricePerResolution": 0.99', '"pricePerResolution": 1.99'));
    reseal(dir, scenario.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    const seq = seqWhere(scenario.lines, (l) => l.type === 'contract.version');
    expect(run.stdout).toContain(`contracts/acme-ai-2026.v1.json: differs from contract.version event #${seq}: pricePerResolution 1.99 vs 0.99`);
  });

  it('a changed contract price in the event, the history rechained after it', () => {
    const dir = copyPack(scenario);
    const seq = seqWhere(scenario.lines, (l) => l.type === 'contract.version');
    writeEventLines(dir, rechain(readLines(dir), seq, (l: Line) => ({ ...l, pricePerResolution: 1.99 })));
    const path = join(dir, 'contracts', 'acme-ai-2026.v1.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"pricePerResolution": 0.99', '"pricePerResolution": 1.99'));
    reseal(dir, scenario.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    // The statements no longer follow from the events, figure by figure…
    expect(run.stdout).toContain('statements/acme-ai-2026/2026-10.json: ticket T-1 charge: the statement says 0.99, the events give 1.99');
    expect(run.stdout).toMatch(/statements\/acme-ai-2026\/2026-10\.json: subtotal: the statement says \d+\.\d\d, the events give \d+\.\d\d/);
    // …and the checkpoint signed over the original history no longer matches it.
    expect(run.stdout).toMatch(/checkpoints\/\d+\.checkpoint: root .* the history behind this checkpoint was rewritten/);
  });

  it('an edited statement total names the period and both figures', () => {
    const dir = copyPack(scenario);
    const path = join(dir, 'statements', 'acme-ai-2026', '2026-10.json');
    const statement = statementOf(dir, 'acme-ai-2026', '2026-10');
    const genuine = String(statement.total);
    writeFileSync(path, JSON.stringify({ ...statement, total: '1.00' }, null, 2) + '\n');
    reseal(dir, scenario.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    // The JSON no longer follows from the events, and its CSV (rendered from the genuine figures) no longer says what it says.
    expect(run.stdout).toBe(
      `statements/acme-ai-2026/2026-10.json: total: the statement says 1.00, the events give ${genuine}\n` +
        `statements/acme-ai-2026/2026-10.csv:${statement.lines.length + 2}: TOTAL row net: the CSV says ${genuine}, the JSON says 1.00\n`,
    );
  });

  it('an edited statement line names the ticket, the period and both figures', () => {
    const dir = copyPack(scenario);
    const statement = statementOf(dir, 'acme-ai-2026', '2026-10');
    const line = statement.lines.find((l) => l.ticket === 'T-6')!;
    Object.assign(line, { status: 'billed', charge: '0.99', net: '0.99', disputeSeq: null });
    writeFileSync(join(dir, 'statements', 'acme-ai-2026', '2026-10.json'), JSON.stringify(statement, null, 2) + '\n');
    reseal(dir, scenario.key);
    const problems = runVerifierJson(dir).problems.filter((p) => p.kind === 'statement_mismatch');
    expect(problems.map((p) => p.message)).toEqual([
      'statements/acme-ai-2026/2026-10.json: ticket T-6 status: the statement says billed, the events give held',
      'statements/acme-ai-2026/2026-10.json: ticket T-6 charge: the statement says 0.99, the events give 0.00',
      'statements/acme-ai-2026/2026-10.json: ticket T-6 net: the statement says 0.99, the events give 0.00',
      expect.stringMatching(/^statements\/acme-ai-2026\/2026-10\.json: ticket T-6 disputeSeq: the statement says null, the events give \d+$/),
    ]);
    expect(problems[0]).toMatchObject({ kind: 'statement_mismatch', ticket: 'T-6', period: '2026-10', contract: 'acme-ai-2026' });
    const row = statement.lines.indexOf(line) + 2;
    expect(runVerifierJson(dir).problems.filter((p) => p.kind === 'csv_mismatch').map((p) => p.message)).toEqual([
      `statements/acme-ai-2026/2026-10.csv:${row}: ticket T-6 status: the CSV says held, the JSON says billed`,
      `statements/acme-ai-2026/2026-10.csv:${row}: ticket T-6 charge: the CSV says 0.00, the JSON says 0.99`,
      `statements/acme-ai-2026/2026-10.csv:${row}: ticket T-6 net: the CSV says 0.00, the JSON says 0.99`,
      expect.stringMatching(new RegExp(`^statements/acme-ai-2026/2026-10\\.csv:${row}: ticket T-6 dispute_seq: the CSV says \\d+, the JSON says \\(empty\\)$`)),
    ]);
  });

  it('a swapped public key: the checkpoints are not signed by it, and a pinned key tells', () => {
    const dir = copyPack(scenario);
    const { privateKey } = generateKeyPairSync('ed25519');
    const raw = rawEd25519PublicKey(createPublicKey(privateKey));
    const name = 'attest-forger';
    const forged: InstallationKey = { ...scenario.key, name, privateKey, rawPublicKey: raw, verifierKey: formatVerifierKey(name, raw) };
    writeFileSync(join(dir, 'installation.pub'), `${forged.verifierKey}\n`);
    sealManifest(dir, forged);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`checkpoints/${scenario.treeSize}.checkpoint: no valid signature by the installation key attest-forger`);
    const pinned = runVerifier(dir, '--key', join(scenario.dir, 'installation.pub'));
    expect(pinned.stdout).toContain(`installation.pub: the installation key ${forged.verifierKey} is not the pinned key ${scenario.key.verifierKey}`);

    // The genuine key given as a PEM (which has no name, so it could be meant for a cosigner) must sign something.
    const pem = join(dir, '..', `genuine-${Date.now()}.pub.pem`);
    writeFileSync(pem, scenario.key.publicKeyPem);
    const byPem = runVerifier(dir, '--key', pem);
    expect(byPem.code).toBe(1);
    expect(byPem.stdout).toContain(`${pem}: this Ed25519 key is neither the installation key of ${dir} nor the key of any cosignature in it`);
    expect(runVerifier(scenario.dir, '--key', pem).code).toBe(0);
  });

  it('an edited manifest entry: the signature no longer covers the manifest', () => {
    const dir = copyPack(scenario);
    const manifest = readManifest(dir);
    const entry = manifest.files.find((f) => f.path === 'events.jsonl')!;
    entry.sha256 = '0'.repeat(64);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^manifest\.sig: signs ".*", not this manifest\.json \([0-9a-f]{64}\)$/m);
    expect(run.stdout).toContain(`manifest.json says ${'0'.repeat(64)}`);
  });

  it('a verification that does not follow from its ticket\'s events is named', () => {
    const dir = copyPack(scenario);
    const seq = seqWhere(scenario.lines, (l) => l.type === 'outcome.verified' && l.ticket === 'T-1');
    const genuine = String(lineAt(scenario.lines, seq).at);
    const early = new Date(Date.parse(genuine) - 3_600_000).toISOString();
    writeEventLines(dir, rechain(readLines(dir), seq, (l: Line) => ({ ...l, at: early })));
    reseal(dir, scenario.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`ticket T-1: outcome.verified #${seq} (period 2026-10) does not follow from the ticket's events: verified at ${early}, the window ends ${genuine}`);
  });

  it('a history rewritten behind a checkpoint (every later event re-hashed and re-linked)', () => {
    const dir = copyPack(scenario);
    const mid = seqWhere(scenario.lines, (l) => l.type === 'checkpoint');
    const target = seqWhere(scenario.lines, (l) => l.type === 'csat' || (l.type === 'message' && (l.seq as number) > 3));
    expect(target).toBeLessThan(mid);
    writeEventLines(dir, rechain(readLines(dir), target, (l: Line) => ({ ...l, body: 'quietly edited' })));
    reseal(dir, scenario.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    const size = mid - 1;
    expect(run.stdout).toContain(`checkpoints/${size}.checkpoint: root ${String(lineAt(scenario.lines, mid).rootHash)}, the first ${size} events give`);
    expect(run.stdout).toContain(`event #${mid} checkpoint: root ${String(lineAt(scenario.lines, mid).rootHash)}, the first ${size} events give`);
  });

  it('a forged cosignature by a named cosigner key; a genuine one verifies', () => {
    const buyer = makeCosigner('auditor.example/buyer');
    const dir = copyPack(scenario);
    const note = readFileSync(join(dir, 'checkpoints', `${scenario.treeSize}.checkpoint`), 'utf8');
    appendSignatureLine(dir, scenario.treeSize, cosignatureLine(buyer, note, 1_790_000_000));
    reseal(dir, scenario.key);
    const keyFile = join(tempDir(), 'buyer.vkey');
    writeFileSync(keyFile, `${buyer.vkey}\n`);
    const good = runVerifierJson(dir, '--key', keyFile);
    expect(good.problems).toEqual([]);
    expect(good.notes).toContain(`checkpoints/${scenario.treeSize}.checkpoint: cosigned by auditor.example/buyer at ${new Date(1_790_000_000_000).toISOString()} (verified)`);
    expect(runVerifierJson(dir).notes).toContain(`checkpoints/${scenario.treeSize}.checkpoint: cosignature by auditor.example/buyer not checked (no --key for it)`);

    // The vendor writes a cosignature line under the buyer's name, signed with a key of its own.
    const impostor = makeCosigner('auditor.example/buyer');
    const forgedDir = copyPack(scenario);
    const forgedLine = cosignatureLine({ ...impostor, vkey: buyer.vkey }, note, 1_790_000_000);
    appendSignatureLine(forgedDir, scenario.treeSize, forgedLine);
    reseal(forgedDir, scenario.key);
    const run = runVerifier(forgedDir, '--key', keyFile);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`checkpoints/${scenario.treeSize}.checkpoint: the cosignature by auditor.example/buyer does not verify with the given key auditor.example/buyer: forged or altered\n`);
  });
});

describe('receipts', () => {
  const receiptOf = (path: string): Receipt => JSON.parse(readFileSync(path, 'utf8')) as Receipt;
  const saved = (receipt: Receipt): string => {
    const path = join(tempDir(), 'changed.receipt.json');
    writeFileSync(path, JSON.stringify(receipt, null, 2));
    return path;
  };

  it('a billed and a held resolution check out from their receipts alone', () => {
    const receipt = receiptOf(demoReceipt);
    const run = runVerifier(demoReceipt, '--key', join(demo.dir, 'installation.pub'));
    expect(run.stdout).toBe(
      `RECEIPT OK: ${receipt.ticket} billed 0.99 EUR in ${receipt.outcome.period} as of checkpoint of size ${demo.treeSize} (${receipt.events.length} events proven; ` +
        'events after them or left out of the receipt are not ruled out — compare with a pack or a newer cosigned receipt)\n',
    );
    expect(run.code).toBe(0);
    const held = runVerifier(join(scenario.dir, '..', 'T-6.receipt.json'));
    expect(held.stdout).toMatch(/^RECEIPT OK: T-6 held 0\.99 EUR in 2026-10 as of checkpoint of size \d+ \(\d+ events proven; events after them or left out of the receipt are not ruled out/);
  });

  it('a receipt whose proof was altered', () => {
    const receipt = receiptOf(demoReceipt);
    const item = receipt.events.find((e) => e.line.type === 'outcome.verified')!;
    const first = Buffer.from(item.proof[0]!, 'base64');
    first[0] = first[0]! ^ 1;
    item.proof[0] = first.toString('base64');
    const run = runVerifier(saved(receipt));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`event #${String(item.line.seq)} (${receipt.ticket}) outcome.verified: its inclusion proof does not lead to the checkpoint's root (size ${demo.treeSize})`);
  });

  it('a receipt whose event or stated price was changed, or signed by another key than the pinned one', () => {
    const receipt = receiptOf(demoReceipt);
    const verified = receipt.events.find((e) => e.line.type === 'outcome.verified')!;
    const changed = structuredClone(receipt);
    changed.events.find((e) => e.line.type === 'outcome.verified')!.line.price = '9.99';
    expect(runVerifier(saved(changed)).stdout).toContain(`event #${String(verified.line.seq)} (${receipt.ticket}) outcome.verified: content changed`);

    const overstated = structuredClone(receipt);
    overstated.outcome.price = '1.99';
    expect(runVerifier(saved(overstated)).stdout).toBe(`${receipt.ticket}: the receipt says price 1.99, its events give 0.99\n`);

    const other = join(tempDir(), 'other.pub');
    writeFileSync(other, `${otherInstallationKey()}\n`);
    const pinned = runVerifier(demoReceipt, '--key', other);
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toContain('the receipt: the installation key');
  });
});

/** Another installation's verifier key (type 0x01). */
function otherInstallationKey(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  return formatVerifierKey('attest-other', rawEd25519PublicKey(publicKey));
}

describe('a contract that requires a buyer-cosigned checkpoint', () => {
  it('awaiting until the buyer cosigns, billed after; packs and receipts reproduced either way', async () => {
    const buyer = makeCosigner('buyer.example/auditor');
    const dir = tempDir();
    const buyerKey = join(dir, 'buyer.pub');
    writeFileSync(buyerKey, `${buyer.vkey}\n`);
    const db = openDatabase(join(dir, 'cosigned.db'));
    let before: BuiltPack;
    let after: BuiltPack;
    try {
      loadContract(db, { requireCosignedCheckpoint: true, buyerKeys: [buyer.vkey] });
      record(db, [...aiSolved('T-1', '2026-10-05T09:00:00.000Z'), ...aiSolved('T-2', '2026-10-06T09:00:00.000Z')]);
      runVerification(db, '2026-11-20T00:00:00.000Z');
      before = await writeTestPack(db, join(dir, 'before'), 'acme-ai-2026');
      writeTestReceipt(db, before, 'T-1', join(dir, 'before.receipt.json'));
      // The buyer cosigns the pack's checkpoint (the app's cosign), and the ledger records it.
      const note = readFileSync(join(before.dir, 'checkpoints', `${before.treeSize}.checkpoint`), 'utf8');
      recordCosignature(db, cosignCheckpoint(note, { name: buyer.name, privateKey: buyer.privateKey }, 1_790_000_000));
      after = await writeTestPack(db, join(dir, 'after'), 'acme-ai-2026');
      writeTestReceipt(db, after, 'T-1', join(dir, 'after.receipt.json'));
    } finally {
      db.close();
    }
    const awaiting = runVerifier(before.dir, '--key', join(before.dir, 'installation.pub.pem'));
    expect(awaiting.stdout).toBe(`PACK OK: ${before.lines.length} events, 1 statements reproduced to the cent\n`);
    expect(awaiting.stderr).toContain('installation key pinned');
    const october = statementOf(before.dir, 'acme-ai-2026', '2026-10');
    expect([october.awaiting, october.awaitingAmount, october.total]).toEqual([2, '1.98', '0.00']);
    expect(october.lines.map((l) => l.status)).toEqual(['awaiting_cosignature', 'awaiting_cosignature']);
    expect(runVerifier(join(dir, 'before.receipt.json')).stdout).toMatch(/^RECEIPT OK: T-1 awaiting_cosignature 0\.99 EUR in 2026-10 as of /);

    const billed = runVerifierJson(after.dir, '--key', buyerKey);
    expect(billed.problems).toEqual([]);
    expect(billed.notes).toContain(`checkpoints/${before.treeSize}.checkpoint: cosigned by ${buyer.name} at ${new Date(1_790_000_000_000).toISOString()} (verified)`);
    expect(statementOf(after.dir, 'acme-ai-2026', '2026-10').lines.map((l) => l.status)).toEqual(['billed', 'billed']);
    expect(runVerifier(join(dir, 'after.receipt.json'), '--key', buyerKey).stdout).toMatch(/^RECEIPT OK: T-1 billed 0\.99 EUR in 2026-10 as of /);

    // A receipt claiming billed under a cosignature line the buyer's key did not make.
    const receipt = JSON.parse(readFileSync(join(dir, 'before.receipt.json'), 'utf8')) as Receipt;
    const impostor = makeCosigner(buyer.name);
    const forgedLine = cosignatureLine({ ...impostor, vkey: buyer.vkey }, receipt.checkpoint, 1_790_000_000);
    const forged = join(dir, 'forged.receipt.json');
    writeFileSync(forged, JSON.stringify({ ...receipt, checkpoint: `${receipt.checkpoint}${forgedLine}\n`, outcome: { ...receipt.outcome, state: 'billed' } }));
    expect(runVerifier(forged).stdout).toBe('T-1: the receipt says state billed, its events give awaiting_cosignature\n');
    expect(runVerifier(forged, '--key', buyerKey).stdout).toContain(`the receipt's checkpoint: the cosignature by ${buyer.name} does not verify with the given key ${buyer.name}: forged or altered`);

    // Claiming the awaiting outcomes as billed is caught.
    const copy = copyPack(before);
    const statement = statementOf(copy, 'acme-ai-2026', '2026-10');
    writeFileSync(join(copy, 'statements', 'acme-ai-2026', '2026-10.json'), JSON.stringify({ ...statement, subtotal: '1.98', total: '1.98' }, null, 2) + '\n');
    sealManifest(copy, before.key);
    expect(runVerifier(copy).stdout).toBe(
      'statements/acme-ai-2026/2026-10.json: subtotal: the statement says 1.98, the events give 0.00\n' +
        'statements/acme-ai-2026/2026-10.json: total: the statement says 1.98, the events give 0.00\n' +
        'statements/acme-ai-2026/2026-10.csv:4: TOTAL row charge: the CSV says 0.00, the JSON says 1.98\n' +
        'statements/acme-ai-2026/2026-10.csv:4: TOTAL row net: the CSV says 0.00, the JSON says 1.98\n',
    );
  });
});
