// Receipts: `attest receipt` writes one ticket's outcome events, the evidence they name and the contract version,
// each exported line with an inclusion proof under one signed (and, where recorded, cosigned) checkpoint. Checked
// here by code written from the texts alone: the event hash (README: SHA-256 of the JCS of the envelope), RFC 9162
// §2.1.3.2 inclusion verification, and the C2SP signed note's Ed25519 signature with node:crypto directly.
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { cosignCheckpoint, formatCosignerKey, parseCosignerKey } from '../../electron/core/checkpoints/cosignature.ts';
import { recordCosignature } from '../../electron/core/checkpoints/record-cosignature.ts';
import { rawEd25519PublicKey } from '../../electron/core/checkpoints/signed-note.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { decideDispute, openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { runVerifier } from './verifier-kit.ts';
import { addAccount } from '../../electron/core/people/accounts.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { tempDir } from './helpers.ts';
import { aiSolved, loadContract, record, ticketLines } from './outcome-kit.ts';
import { attest } from './trust-kit.ts';

const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** RFC 9162 §2.1.3.2, step by step. */
function rootFromProof(leafIndex: number, treeSize: number, leaf: Buffer, proof: Buffer[]): Buffer | null {
  if (leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = sha256(Buffer.concat([Buffer.from([0x00]), leaf]));
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.concat([Buffer.from([0x01]), p, r]));
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = sha256(Buffer.concat([Buffer.from([0x01]), r, p]));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

const ENVELOPE = ['seq', 'ticket', 'type', 'at', 'actor', 'recordedAt', 'prevHash', 'hash'];
/** README "The ledger": SHA-256 over the JCS of {actor, at, payload, prevHash, recordedAt, seq, ticket, type}. */
function eventHash(line: Record<string, unknown>): string {
  const payload = Object.fromEntries(Object.entries(line).filter(([key]) => !ENVELOPE.includes(key)));
  const { actor, at, prevHash, recordedAt, seq, ticket, type } = line;
  return createHash('sha256').update(canonicalize({ actor, at, payload, prevHash, recordedAt, seq, ticket, type })!).digest('hex');
}

interface Receipt {
  format: string;
  ticket: string;
  contract: string;
  origin: string;
  installationKey: string;
  checkpoint: string;
  treeSize: number;
  events: { line: Record<string, unknown>; leafIndex: number; proof: string[] }[];
  outcome: { state: string; verifiedSeq: number; price: string; currency: string; period: string };
}

/** Every check an auditor makes of a receipt on its own; the list of what failed (empty: it holds). */
function receiptProblems(receipt: Receipt): string[] {
  const problems: string[] = [];
  const [text, signatures] = receipt.checkpoint.split('\n\n') as [string, string];
  const [origin, size, root] = text.split('\n');
  if (origin !== receipt.origin || Number(size) !== receipt.treeSize) problems.push('checkpoint does not name the receipt’s origin and size');
  const name = receipt.installationKey.split('+')[0]!;
  const material = receipt.installationKey.split('+').slice(2).join('+');
  const raw = Buffer.from(material, 'base64');
  const own = signatures.split('\n').find((line) => line.startsWith(`\u2014 ${name} `));
  const sig = own ? Buffer.from(own.split(' ')[2]!, 'base64').subarray(4) : Buffer.alloc(0);
  const spki = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw.subarray(1)]), format: 'der', type: 'spki' });
  if (raw[0] !== 0x01 || !verify(null, Buffer.from(`${text}\n`), spki, sig)) problems.push('checkpoint signature');
  for (const event of receipt.events) {
    const seq = event.line.seq as number;
    if (eventHash(event.line) !== event.line.hash) problems.push(`#${seq} hash`);
    const folded = rootFromProof(event.leafIndex, receipt.treeSize, Buffer.from(event.line.hash as string, 'hex'), event.proof.map((p) => Buffer.from(p, 'base64')));
    if (event.leafIndex !== seq - 1 || !folded || folded.toString('base64') !== root) problems.push(`#${seq} proof`);
  }
  return problems;
}

/** Three AI resolutions: T-1 billed, T-2 reopened and reversed, T-3 disputed and held. */
function scenario(dir: string, contract: Record<string, unknown> = {}): string {
  const path = join(dir, 'ledger.db');
  const db = openDatabase(path);
  try {
    loadContract(db, contract);
    for (const id of ['T-1', 'T-2', 'T-3']) record(db, aiSolved(id, '2026-10-05T10:00:00Z'));
    runVerification(db, '2026-10-10T00:00:00Z', () => 'achieved');
    record(db, ticketLines('T-2', '2026-10-05T10:00:00Z', [{ kind: 'reopen_status', at: '2026-10-12T09:00:00Z' }]).slice(2));
    runVerification(db, '2026-10-20T00:00:00Z', () => 'achieved');
    openDisputeOn(db, 'T-3', 'the customer says it still fails', { kind: 'human', id: 'aud-1' });
  } finally {
    db.close();
  }
  return path;
}

function receiptOf(path: string, dir: string, ticket: string): Receipt {
  const out = join(dir, `${ticket}.receipt.json`);
  const result = attest('receipt', '--db', path, '--ticket', ticket, '--out', out);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as Receipt;
}

const eventCount = (path: string): number => {
  const db = openDatabase(path, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
};

describe('attest receipt', () => {
  it('proves every event of a billed, a reversed and a held outcome under one signed checkpoint', () => {
    const dir = tempDir();
    const path = scenario(dir);
    const before = eventCount(path);
    const billed = receiptOf(path, dir, 'T-1');
    // No checkpoint covered the events: one was signed (a write, so this process's session.started first), of the head.
    expect(eventCount(path)).toBe(before + 2);
    expect(billed.treeSize).toBe(before + 1);
    expect(billed).toMatchObject({ format: 'attest-receipt/v1', ticket: 'T-1', contract: 'acme-ai-2026', outcome: { state: 'billed', price: '0.99', currency: 'EUR', period: '2026-10' } });
    expect(receiptProblems(billed)).toEqual([]);
    const types = billed.events.map((e) => e.line.type);
    expect(types).toContain('contract.version');
    expect(types).toContain('outcome.verified');
    const verified = billed.events.find((e) => e.line.type === 'outcome.verified')!.line;
    expect(billed.outcome.verifiedSeq).toBe(verified.seq);
    // Every piece of evidence the verification names, and the solve it verified, is in the receipt.
    const seqs = billed.events.map((e) => e.line.seq);
    for (const seq of [...(verified.evidence as number[]), verified.solveSeq as number]) expect(seqs).toContain(seq);
    expect(billed.events.every((e) => e.line.ticket === 'T-1' || e.line.ticket === null)).toBe(true);

    const reversed = receiptOf(path, dir, 'T-2');
    expect(reversed.outcome.state).toBe('reversed');
    expect(reversed.events.map((e) => e.line.type)).toContain('outcome.reversed');
    expect(receiptProblems(reversed)).toEqual([]);
    const held = receiptOf(path, dir, 'T-3');
    expect(held.outcome.state).toBe('held');
    expect(held.events.map((e) => e.line.type)).toContain('outcome.disputed');
    expect(receiptProblems(held)).toEqual([]);
    // The checkpoint signed for the first receipt covers the others: nothing more was written.
    expect(eventCount(path)).toBe(before + 2);
    expect(held.treeSize).toBe(billed.treeSize);
  });

  it('is caught when a proof hash, an event or the checkpoint is altered', () => {
    const dir = tempDir();
    const receipt = receiptOf(scenario(dir), dir, 'T-1');
    const copy = (): Receipt => JSON.parse(JSON.stringify(receipt)) as Receipt;
    const proof = copy();
    const first = proof.events.find((e) => e.proof.length > 0)!;
    first.proof[0] = Buffer.alloc(32, 1).toString('base64');
    expect(receiptProblems(proof)).toEqual([`#${first.line.seq as number} proof`]);
    const price = copy();
    const verified = price.events.find((e) => e.line.type === 'outcome.verified')!;
    verified.line.price = '0.01';
    expect(receiptProblems(price)).toEqual([`#${verified.line.seq as number} hash`]);
    const root = copy();
    root.checkpoint = root.checkpoint.replace(/\n([A-Za-z0-9+/]{43}=)\n/, `\n${Buffer.alloc(32, 2).toString('base64')}\n`);
    expect(receiptProblems(root)).toContain('checkpoint signature');
  });

  it('uses the newest cosigned checkpoint that covers the events, with its cosignature lines', () => {
    const dir = tempDir();
    const path = scenario(dir);
    const first = receiptOf(path, dir, 'T-1');
    const cosigner = generateKeyPairSync('ed25519').privateKey;
    const vkey = formatCosignerKey('buyer.example/auditor', rawEd25519PublicKey(createPublicKey(cosigner)));
    const line = cosignCheckpoint(first.checkpoint, { name: 'buyer.example/auditor', privateKey: cosigner }, Math.floor(Date.now() / 1000) - 60);
    const db = openDatabase(path);
    try {
      recordCosignature(db, line, { keys: [parseCosignerKey(vkey)] });
    } finally {
      db.close();
    }
    // A newer checkpoint, not cosigned: the receipt stays with the cosigned one.
    expect(attest('checkpoint', '--db', path).code).toBe(0);
    const cosigned = receiptOf(path, dir, 'T-1');
    expect(cosigned.treeSize).toBe(first.treeSize);
    expect(cosigned.checkpoint).toBe(`${first.checkpoint}${line}\n`);
    expect(receiptProblems(cosigned)).toEqual([]);
  });

  it('refuses a ticket without a verified outcome and writes nothing', () => {
    const dir = tempDir();
    const path = scenario(dir);
    const before = readFileSync(path);
    const result = attest('receipt', '--db', path, '--ticket', 'T-404', '--out', join(dir, 'x.json'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ticket T-404 has no verified outcome under contract acme-ai-2026');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('on a ledger with accounts a refused receipt leaves only the sign-in in the access log: no export record, no checkpoint', () => {
    const dir = tempDir();
    const path = scenario(dir);
    const db = openDatabase(path);
    addAccount(db, { name: 'admin', display: 'Ada Admin', role: 'admin', password: 'Lantern-orchard-5821' }, { kind: 'human', id: 'os:tester' });
    addAccount(db, { name: 'aud', display: 'Aria Auditor', role: 'auditor', password: 'Copper-meadow-4410' }, { kind: 'human', id: 'acct:admin', name: 'Ada Admin' });
    db.close();
    const before = eventCount(path);
    const passwordFile = join(dir, 'pw');
    writeFileSync(passwordFile, 'Copper-meadow-4410\n');
    process.env.ATTEST_USER = 'aud';
    process.env.ATTEST_PASSWORD_FILE = passwordFile;
    try {
      const refused = attest('receipt', '--db', path, '--ticket', 'T-404', '--out', join(dir, 'x.json'));
      expect(refused.code).toBe(1);
      // Checked after the sign-in (the permission comes first, as for every command), before anything is handed out.
      const db2 = openDatabase(path, { readonly: true });
      const added = db2.prepare('SELECT type FROM events WHERE seq > ? ORDER BY seq').pluck().all(before) as string[];
      db2.close();
      expect(added.filter((type) => type !== 'session.started')).toEqual(['access.login']);
      const afterRefusal = eventCount(path);
      const given = attest('receipt', '--db', path, '--ticket', 'T-1', '--out', join(dir, 'T-1.json'));
      expect(given.code).toBe(0);
      expect(eventCount(path)).toBeGreaterThan(afterRefusal);
    } finally {
      delete process.env.ATTEST_USER;
      delete process.env.ATTEST_PASSWORD_FILE;
    }
  });

  it('says awaiting_cosignature until a buyer key of the contract cosigns a covering checkpoint, recorded without --key', () => {
    const dir = tempDir();
    const cosigner = generateKeyPairSync('ed25519').privateKey;
    const vkey = formatCosignerKey('buyer.example/auditor', rawEd25519PublicKey(createPublicKey(cosigner)));
    const path = scenario(dir, { requireCosignedCheckpoint: true, buyerKeys: [vkey] });
    const awaiting = receiptOf(path, dir, 'T-1');
    expect(awaiting.outcome.state).toBe('awaiting_cosignature');
    const sig = join(dir, 'c.sig');
    writeFileSync(sig, `${cosignCheckpoint(awaiting.checkpoint, { name: 'buyer.example/auditor', privateKey: cosigner }, Math.floor(Date.now() / 1000) - 60)}\n`);
    const added = attest('checkpoint', 'add-cosignature', '--db', path, sig);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const billed = receiptOf(path, dir, 'T-1');
    expect(billed.outcome.state).toBe('billed');
    expect(billed.checkpoint).toBe(`${awaiting.checkpoint}${readFileSync(sig, 'utf8')}`);
    expect(receiptProblems(billed)).toEqual([]);
  });

  it('carries the buyer cosignature that makes it billable when it is proven under a later checkpoint without one', () => {
    const dir = tempDir();
    const cosigner = generateKeyPairSync('ed25519').privateKey;
    const vkey = formatCosignerKey('buyer.example/auditor', rawEd25519PublicKey(createPublicKey(cosigner)));
    const path = scenario(dir, { requireCosignedCheckpoint: true, buyerKeys: [vkey] });
    const first = receiptOf(path, dir, 'T-1');
    const sig = join(dir, 'c.sig');
    writeFileSync(sig, `${cosignCheckpoint(first.checkpoint, { name: 'buyer.example/auditor', privateKey: cosigner }, Math.floor(Date.now() / 1000) - 60)}\n`);
    expect(attest('checkpoint', 'add-cosignature', '--db', path, sig).code).toBe(0);
    // A dispute opened and rejected after the cosigned checkpoint: the receipt needs a later, uncosigned one.
    const db = openDatabase(path);
    try {
      const dispute = openDisputeOn(db, 'T-1', 'checking', { kind: 'human', id: 'aud-1' });
      decideDispute(db, dispute.seq, 'rejected', 'fine after all', { kind: 'human', id: 'sup-1' });
    } finally {
      db.close();
    }
    const later = receiptOf(path, dir, 'T-1');
    expect(later.outcome.state).toBe('billed');
    expect(later.checkpoint).not.toContain('buyer.example/auditor');
    const types = later.events.map((e) => e.line.type);
    expect(types).toContain('checkpoint.cosigned');
    expect(types).toContain('checkpoint');
    expect(receiptProblems(later)).toEqual([]);
    const out = join(dir, 'later.receipt.json');
    writeFileSync(out, JSON.stringify(later));
    const checked = runVerifier(out);
    expect(checked.stdout).toContain('RECEIPT OK: T-1 billed 0.99 EUR');
    expect(checked.code).toBe(0);
  });
});
