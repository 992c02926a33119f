// The auditor's pack, checked file by file with code written here from the published formats (not the app's): the
// manifest's hashes and its signed note, the chain and Merkle root of events.jsonl against the pack's checkpoint,
// cosignature lines after the installation's, issued statements byte for byte, open ones as `attest statement`
// prints them; the access record inside the pack; refusals that leave nothing behind; and the independent
// verifier reproducing the statements when it is part of the tree.
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { writePack } from '../../electron/core/audit/pack.ts';
import { cosignCheckpoint, formatCosignerKey } from '../../electron/core/checkpoints/cosignature.ts';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { rawEd25519PublicKey } from '../../electron/core/checkpoints/signed-note.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { decideDispute, openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { issueStatement } from '../../electron/core/outcomes/issued-statements.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { resourcePath } from '../../electron/core/resources.ts';
import { tamper, tempDir } from './helpers.ts';
import { aiSolved, loadContract, record } from './outcome-kit.ts';
import { demoAccountOf } from './people-kit.ts';
import { attest } from './trust-kit.ts';
import { filesUnder, type Manifest } from './verifier-kit.ts';

const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();
const OPS = { kind: 'human', id: 'ops-1' } as const;

/** RFC 9162 §2.1.1 MTH over the 32-byte event hashes. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256(Buffer.alloc(0));
  if (leaves.length === 1) return sha256(Buffer.concat([Buffer.from([0]), leaves[0]!]));
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(Buffer.concat([Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k))]));
}

const ENVELOPE = ['seq', 'ticket', 'type', 'at', 'actor', 'recordedAt', 'prevHash', 'hash'];
function eventHash(line: Record<string, unknown>): string {
  const payload = Object.fromEntries(Object.entries(line).filter(([key]) => !ENVELOPE.includes(key)));
  const { actor, at, prevHash, recordedAt, seq, ticket, type } = line;
  return createHash('sha256').update(canonicalize({ actor, at, payload, prevHash, recordedAt, seq, ticket, type })!).digest('hex');
}

/** Ed25519 verification of a signed note's text by a type-0x01 verifier key line, by the C2SP text. */
function noteSignedBy(note: string, vkey: string): boolean {
  const [text, sigs] = [note.slice(0, note.lastIndexOf('\n\n') + 1), note.slice(note.lastIndexOf('\n\n') + 2)];
  const [name, id] = vkey.split('+');
  const material = Buffer.from(vkey.split('+').slice(2).join('+'), 'base64');
  const keyId = sha256(Buffer.concat([Buffer.from(`${name}\n`), material])).subarray(0, 4);
  if (material[0] !== 1 || keyId.toString('hex') !== id) return false;
  const line = sigs.split('\n').find((l) => l.startsWith(`\u2014 ${name} `));
  if (!line) return false;
  const bytes = Buffer.from(line.split(' ')[2]!, 'base64');
  if (!bytes.subarray(0, 4).equals(keyId)) return false;
  const spki = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), material.subarray(1)]), format: 'der', type: 'spki' });
  return verify(null, Buffer.from(text), spki, bytes.subarray(4));
}

function checkPack(pack: string): { manifest: Manifest; events: Record<string, unknown>[] } {
  const manifestBytes = readFileSync(join(pack, 'manifest.json'));
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  expect(manifest.format).toBe('attest-pack/v1');
  // Every file but the manifest and its signature, sorted by path, with its SHA-256 and size.
  const onDisk = filesUnder(pack).filter((p) => p !== 'manifest.json' && p !== 'manifest.sig').sort();
  expect(manifest.files.map((f) => f.path)).toEqual(onDisk);
  for (const file of manifest.files) {
    const bytes = readFileSync(join(pack, file.path));
    expect({ path: file.path, sha256: sha256(bytes).toString('hex'), bytes: bytes.length }).toEqual(file);
  }
  const installation = readFileSync(join(pack, 'installation.pub'), 'utf8').trim();
  expect(manifest.installationKey).toBe(installation);
  const sig = readFileSync(join(pack, 'manifest.sig'), 'utf8');
  expect(sig.startsWith(`attest-pack/v1\n${manifest.origin}\n${manifest.treeSize}\n${manifest.rootHash}\nmanifest sha256 ${sha256(manifestBytes).toString('hex')}\n\n`)).toBe(true);
  expect(noteSignedBy(sig, installation)).toBe(true);
  // The chain, and the root of events #1..treeSize, which the pack's (newest) checkpoint signs.
  const events = readFileSync(join(pack, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(events).toHaveLength(manifest.treeSize);
  events.forEach((event, i) => {
    expect(event.seq).toBe(i + 1);
    expect(event.prevHash).toBe(i === 0 ? '0'.repeat(64) : events[i - 1]!.hash);
    expect(eventHash(event)).toBe(event.hash);
  });
  expect(mth(events.map((e) => Buffer.from(e.hash as string, 'hex'))).toString('base64')).toBe(manifest.rootHash);
  const sizes = readdirSync(join(pack, 'checkpoints')).map((f) => Number(f.replace('.checkpoint', ''))).sort((a, b) => a - b);
  expect(sizes.at(-1)).toBe(manifest.treeSize);
  for (const size of sizes) {
    const note = readFileSync(join(pack, 'checkpoints', `${size}.checkpoint`), 'utf8');
    expect(note.split('\n').slice(0, 3)).toEqual([manifest.origin, String(size), mth(events.slice(0, size).map((e) => Buffer.from(e.hash as string, 'hex'))).toString('base64')]);
    expect(noteSignedBy(note, installation)).toBe(true);
  }
  return { manifest, events };
}

/** T-1..T-3 verified in October; October issued; then T-3's dispute upheld (an adjustment of November). */
function scenario(dir: string): { path: string; cosignature: string; cosigner: string } {
  const path = join(dir, 'ledger.db');
  const db = openDatabase(path);
  const cosignerKey = generateKeyPairSync('ed25519').privateKey;
  const cosigner = formatCosignerKey('buyer.example/auditor', rawEd25519PublicKey(createPublicKey(cosignerKey)));
  try {
    loadContract(db);
    for (const id of ['T-1', 'T-2', 'T-3']) record(db, aiSolved(id, '2026-10-05T10:00:00Z'));
    runVerification(db, '2026-10-10T00:00:00Z', () => 'achieved');
    const issued = issueStatement(db, { period: '2026-10', key: loadOrCreateInstallationKey(), actor: OPS });
    const dispute = openDisputeOn(db, 'T-3', 'the customer says it still fails', OPS);
    decideDispute(db, dispute.seq, 'upheld', 'confirmed by the log', OPS);
    const note = (db.prepare('SELECT payload FROM events WHERE seq = ?').pluck().get(issued.checkpoint.seq) as string);
    const cosignature = cosignCheckpoint(JSON.parse(note).note as string, { name: 'buyer.example/auditor', privateKey: cosignerKey }, Math.floor(Date.now() / 1000) - 60);
    writeFileSync(join(dir, 'c.sig'), `${cosignature}\n`);
    return { path, cosignature, cosigner };
  } finally {
    db.close();
  }
}

describe('attest export --pack', () => {
  it('writes a pack whose every file, hash, signature, root and statement checks by the published formats', () => {
    const dir = tempDir();
    const { path, cosignature, cosigner } = scenario(dir);
    expect(attest('checkpoint', 'add-cosignature', '--db', path, join(dir, 'c.sig'), '--key', cosigner).code).toBe(0);
    const pack = join(dir, 'pack');
    const result = attest('export', '--db', path, '--pack', pack, '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { treeSize: number; statements: { period: string; state: string }[] };
    const { manifest, events } = checkPack(pack);
    expect(manifest).toMatchObject({ treeSize: summary.treeSize, contract: null, period: null });
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
    // Issued October as issued, byte for byte; November (the adjustment of T-3) open, as `attest statement` prints it.
    expect(summary.statements.map((s) => [s.period, s.state])).toEqual([['2026-10', 'issued'], ['2026-11', 'open']]);
    const issued = events.find((e) => e.type === 'statement.issued')!;
    expect(readFileSync(join(pack, 'statements/acme-ai-2026/2026-10.json'), 'utf8')).toBe(issued.document);
    const november = readFileSync(join(pack, 'statements/acme-ai-2026/2026-11.json'), 'utf8');
    expect(november).toBe(attest('statement', '--db', path, '--period', '2026-11').stdout);
    expect(JSON.parse(november)).toMatchObject({ adjustments: [{ ticket: 'T-3', period: '2026-10', was: 'billed', now: 'billed_and_reversed' }] });
    expect(readFileSync(join(pack, 'statements/acme-ai-2026/2026-11.csv'), 'utf8')).toBe(attest('statement', '--db', path, '--period', '2026-11', '--format', 'csv').stdout);
    expect(readFileSync(join(pack, 'statements/acme-ai-2026/2026-10.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    // The cosignature follows the installation's signature line in the checkpoint it signs.
    const cosigned = readFileSync(join(pack, 'checkpoints', `${(issued.checkpoint as { treeSize: number }).treeSize}.checkpoint`), 'utf8');
    expect(cosigned.trimEnd().split('\n').at(-1)).toBe(cosignature);
    expect(cosigned.trimEnd().split('\n').at(-2)).toMatch(/^\u2014 attest-[0-9a-f]{8} /);
    // Terms in force and the keys.
    const version = events.find((e) => e.type === 'contract.version')!;
    const versionPayload = Object.fromEntries(Object.entries(version).filter(([key]) => !ENVELOPE.includes(key)));
    expect(JSON.parse(readFileSync(join(pack, 'contracts/acme-ai-2026.v1.json'), 'utf8'))).toEqual(versionPayload);
    expect(readFileSync(join(pack, 'installation.pub.pem'), 'utf8')).toBe(loadOrCreateInstallationKey().publicKeyPem);
    expect(readFileSync(join(pack, 'README.txt'), 'utf8')).toBe(readFileSync(resourcePath('auditor', 'README.txt'), 'utf8'));
  });

  it('carries the evidence map (resources/auditor/evidence.md)', () => {
    const evidence = resourcePath('auditor', 'evidence.md');
    expect(existsSync(evidence), 'resources/auditor/evidence.md is missing: the evidence map (another helper) must be merged for the pack to be complete').toBe(true);
    const dir = tempDir();
    const { path } = scenario(dir);
    expect(attest('export', '--db', path, '--pack', join(dir, 'pack')).code).toBe(0);
    expect(readFileSync(join(dir, 'pack', 'evidence.md'))).toEqual(readFileSync(evidence));
  });

  it('of one period: the manifest says so and holds that statement only', () => {
    const dir = tempDir();
    const { path } = scenario(dir);
    expect(attest('export', '--db', path, '--pack', join(dir, 'p'), '--period', '2026-10', '--contract', 'acme-ai-2026').code).toBe(0);
    const { manifest } = checkPack(join(dir, 'p'));
    expect(manifest).toMatchObject({ period: '2026-10', contract: 'acme-ai-2026' });
    expect(manifest.files.filter((f) => f.path.startsWith('statements/')).map((f) => f.path)).toEqual(['statements/acme-ai-2026/2026-10.csv', 'statements/acme-ai-2026/2026-10.json', 'statements/acme-ai-2026/2026-10.pdf']);
  });

  it('refuses a non-empty folder and a ledger that does not verify, leaving ledger and folder as they were', () => {
    const dir = tempDir();
    const { path } = scenario(dir);
    const before = readFileSync(path);
    mkdirSync(join(dir, 'full'));
    writeFileSync(join(dir, 'full', 'x'), 'x');
    const full = attest('export', '--db', path, '--pack', join(dir, 'full'));
    expect(full.code).toBe(2);
    expect(full.stderr).toContain('must be an empty folder');
    expect(readdirSync(join(dir, 'full'))).toEqual(['x']);
    expect(readFileSync(path).equals(before)).toBe(true);
    const db = openDatabase(path);
    tamper(db, "UPDATE events SET payload = json_set(payload, '$.price', '0.01') WHERE type = 'outcome.verified' AND ticket_id = 'T-1'");
    db.close();
    const broken = attest('export', '--db', path, '--pack', join(dir, 'broken'));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('refusing to pack a ledger that does not verify');
    expect(existsSync(join(dir, 'broken'))).toBe(false);
  });

  it('leaves no folder and no partial files when writing fails half-way', async () => {
    const dir = tempDir();
    const { path } = scenario(dir);
    const db = openDatabase(path);
    try {
      const missing = join(dir, 'no-such-readme.txt');
      await expect(writePack(db, join(dir, 'pack'), { key: loadOrCreateInstallationKey(), resources: { readme: missing, evidence: missing, verifier: missing } })).rejects.toThrow(/no-such-readme/);
    } finally {
      db.close();
    }
    expect(readdirSync(dir).filter((name) => name.startsWith('pack'))).toEqual([]);
  });

  it('holds its own access record on a ledger with accounts, before the pack’s checkpoint', () => {
    const dir = tempDir();
    const path = join(dir, 'demo.db');
    createDemoDatabase(path, { tickets: 30, seed: 5 });
    const auditor = demoAccountOf('auditor');
    writeFileSync(join(dir, 'pw'), `${auditor.password}\n`);
    const pack = join(dir, 'pack');
    const result = spawnSync(process.execPath, [join(dirname(resourcePath()), 'bin', 'attest.js'), 'export', '--db', path, '--pack', pack, '--user', auditor.account], {
      encoding: 'utf8',
      env: { ...process.env, ATTEST_PASSWORD_FILE: join(dir, 'pw') },
    });
    expect(result.stderr.replace(/attest: warning: .*\n/g, '')).toBe('');
    expect(result.status).toBe(0);
    const { manifest, events } = checkPack(pack);
    const access = events.filter((e) => e.type === 'access.export');
    expect(access.at(-1)).toMatchObject({ what: `pack ${pack}`, file: pack, account: auditor.account, via: 'cli' });
    expect(access.at(-1)!.seq).toBe(manifest.treeSize);
  });

  const verifier = resourcePath('verifier', 'attest-verify.mjs');
  it.runIf(existsSync(verifier))('is reproduced to the cent by attest-verify.mjs from the pack alone', () => {
    const dir = tempDir();
    const { path, cosigner } = scenario(dir);
    expect(attest('checkpoint', 'add-cosignature', '--db', path, join(dir, 'c.sig'), '--key', cosigner).code).toBe(0);
    expect(attest('export', '--db', path, '--pack', join(dir, 'pack')).code).toBe(0);
    writeFileSync(join(dir, 'auditor.pub'), `${cosigner}\n`);
    const run = spawnSync(process.execPath, [join(dir, 'pack', 'attest-verify.mjs'), join(dir, 'pack'), '--key', join(dir, 'pack', 'installation.pub'), '--key', join(dir, 'auditor.pub')], { encoding: 'utf8' });
    expect(run.stdout).toMatch(/^PACK OK: \d+ events, 2 statements reproduced to the cent/);
    expect(run.status).toBe(0);
  });
});
