// The app's Merkle tree, proofs and signed notes against independent implementations written directly from
// RFC 9162 §2.1 (rfc9162-reference.ts) and c2sp.org/signed-note (here); neither imports the app's merkle.ts.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { rewriteChainFrom, SMALL_FIXTURE, tamper, tempDir } from './helpers.ts';
import { MTH, PATH, PROOF, rfcLeaf, rfcVerifyConsistency, rfcVerifyInclusion, sha256 } from './rfc9162-reference.ts';
import {
  consistencyProofRanges,
  inclusionProofRanges,
  MerkleTreeBuilder,
  rangeRoots,
  rootsAtSizes,
  verifyConsistency,
  verifyInclusion,
} from '../../electron/core/ledger/merkle.ts';
import { formatCheckpointText, parseCheckpointText } from '../../electron/core/checkpoints/checkpoint.ts';
import {
  ed25519KeyId,
  formatVerifierKey,
  NoteFormatError,
  parseSignedNote,
  parseVerifierKey,
  rawEd25519PublicKey,
  signNote,
  verifySignedNote,
} from '../../electron/core/checkpoints/signed-note.ts';

/** Leaves like the ledger's: 32 bytes each (deterministic). */
const leaves = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => sha256(Buffer.from(`event ${i}`)));
const appRoot = (d: Buffer[]): Buffer => {
  const builder = new MerkleTreeBuilder();
  for (const leaf of d) builder.appendLeaf(leaf);
  return builder.root();
};
const appInclusion = (m: number, d: Buffer[]): Buffer[] => rangeRoots(d.map(rfcLeaf), inclusionProofRanges(m, d.length));
const appConsistency = (m: number, d: Buffer[]): Buffer[] => rangeRoots(d.map(rfcLeaf), consistencyProofRanges(m, d.length));
const flip = (b: Buffer): Buffer => {
  const copy = Buffer.from(b);
  copy[7]! ^= 0x01;
  return copy;
};

describe('RFC 9162 Merkle tree', () => {
  it('gives the same root as the RFC definition for every size 0..70 and some larger ones', () => {
    const all = leaves(1100);
    for (let n = 0; n <= 70; n++) expect(appRoot(all.slice(0, n)).toString('hex'), `size ${n}`).toBe(MTH(all.slice(0, n)).toString('hex'));
    for (const n of [127, 128, 129, 255, 256, 257, 600, 1023, 1024, 1025, 1100]) {
      expect(appRoot(all.slice(0, n)).toString('hex'), `size ${n}`).toBe(MTH(all.slice(0, n)).toString('hex'));
    }
    const sizes = [0, 1, 5, 64, 65, 999, 1100];
    const roots = rootsAtSizes(all.map(rfcLeaf), sizes);
    for (const n of sizes) expect(roots.get(n)?.toString('hex')).toBe(MTH(all.slice(0, n)).toString('hex'));
  });

  it('has the well-known empty root and leaf hash', () => {
    expect(appRoot([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(appRoot([Buffer.alloc(32)]).equals(sha256(Buffer.alloc(33)))).toBe(true);
  });

  it('builds inclusion proofs equal to PATH that verify, for every (index, size) up to 40', () => {
    const all = leaves(40);
    for (let n = 1; n <= 40; n++) {
      const d = all.slice(0, n);
      const root = MTH(d);
      for (let m = 0; m < n; m++) {
        const proof = appInclusion(m, d);
        expect(proof.map((h) => h.toString('hex')), `PATH(${m}, D[${n}])`).toEqual(PATH(m, d).map((h) => h.toString('hex')));
        expect(rfcVerifyInclusion(m, n, rfcLeaf(d[m]!), proof, root)).toBe(true);
        expect(verifyInclusion(m, n, rfcLeaf(d[m]!), proof, root)).toBe(true);
        // Tampered: another leaf, another index, a changed or missing node, another root.
        expect(verifyInclusion(m, n, rfcLeaf(d[(m + 1) % n]!), proof, root)).toBe(n === 1 ? true : false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, rfcLeaf(d[m]!), proof, root)).toBe(false);
        for (let i = 0; i < proof.length; i++) {
          const changed = proof.map((h, j) => (j === i ? flip(h) : h));
          expect(verifyInclusion(m, n, rfcLeaf(d[m]!), changed, root)).toBe(false);
          expect(rfcVerifyInclusion(m, n, rfcLeaf(d[m]!), changed, root)).toBe(false);
        }
        if (proof.length > 0) expect(verifyInclusion(m, n, rfcLeaf(d[m]!), proof.slice(0, -1), root)).toBe(false);
        expect(verifyInclusion(m, n, rfcLeaf(d[m]!), [...proof, root], root)).toBe(false);
        expect(verifyInclusion(m, n, rfcLeaf(d[m]!), proof, flip(root))).toBe(false);
      }
    }
  });

  it('builds consistency proofs equal to PROOF that verify, for all 1 ≤ m ≤ n ≤ 40', () => {
    const all = leaves(40);
    for (let n = 1; n <= 40; n++) {
      const d = all.slice(0, n);
      const secondRoot = MTH(d);
      for (let m = 1; m <= n; m++) {
        const firstRoot = MTH(d.slice(0, m));
        const proof = appConsistency(m, d);
        expect(proof.map((h) => h.toString('hex')), `PROOF(${m}, D[${n}])`).toEqual(PROOF(m, d).map((h) => h.toString('hex')));
        expect(rfcVerifyConsistency(m, n, firstRoot, secondRoot, proof)).toBe(true);
        expect(verifyConsistency(m, n, firstRoot, secondRoot, proof)).toBe(true);
        for (let i = 0; i < proof.length; i++) {
          const changed = proof.map((h, j) => (j === i ? flip(h) : h));
          expect(verifyConsistency(m, n, firstRoot, secondRoot, changed), `changed node ${i} of PROOF(${m}, D[${n}])`).toBe(false);
          expect(rfcVerifyConsistency(m, n, firstRoot, secondRoot, changed)).toBe(false);
        }
        expect(verifyConsistency(m, n, flip(firstRoot), secondRoot, proof)).toBe(false);
        expect(verifyConsistency(m, n, firstRoot, flip(secondRoot), proof)).toBe(false);
        if (proof.length > 0) expect(verifyConsistency(m, n, firstRoot, secondRoot, proof.slice(0, -1))).toBe(false);
      }
    }
  });

  it('proves inclusion and consistency in larger trees, reading the leaves as a stream', () => {
    const all = leaves(1000);
    const root = MTH(all);
    for (const m of [0, 1, 511, 512, 513, 998, 999]) {
      const proof = appInclusion(m, all);
      expect(rfcVerifyInclusion(m, all.length, rfcLeaf(all[m]!), proof, root)).toBe(true);
    }
    for (const m of [1, 2, 3, 500, 512, 513, 999, 1000]) {
      expect(rfcVerifyConsistency(m, 1000, MTH(all.slice(0, m)), root, appConsistency(m, all))).toBe(true);
    }
    // A stream that stops short is an error, not a wrong proof.
    expect(() => rangeRoots(all.slice(0, 10).map(rfcLeaf), inclusionProofRanges(3, 20))).toThrow(/only 10 leaves/);
  });
});

// ---- c2sp.org/signed-note ---------------------------------------------------------------------------
function independentKeyId(name: string, raw: Buffer): string {
  return createHash('sha256').update(name).update(Buffer.from([0x0a, 0x01])).update(raw).digest().subarray(0, 4).toString('hex');
}

function newSigner(name = 'attest-test') {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
  return { name, privateKey, publicKey, rawPublicKey: raw };
}

describe('C2SP signed notes', () => {
  it('verifies the example from the specification', () => {
    const vkey = parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
    const note = parseSignedNote(
      'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n',
    );
    expect(note.text).toBe('This is an example message.\n');
    expect(verifySignedNote(note, [vkey]).status).toBe('verified');
    expect(verifySignedNote({ ...note, text: 'This is an example message!\n' }, [vkey]).status).toBe('bad_signature');
  });

  it('signs, parses and verifies a checkpoint; the key ID and signature check out independently', () => {
    const signer = newSigner();
    const root = sha256(Buffer.from('root'));
    const text = formatCheckpointText({ origin: 'attest.local/0123456789abcdef', treeSize: 41, rootHash: root });
    expect(text).toBe(`attest.local/0123456789abcdef\n41\n${root.toString('base64')}\n`);
    const noteText = signNote(text, signer);
    const lines = noteText.split('\n');
    expect(lines.slice(0, 4)).toEqual(['attest.local/0123456789abcdef', '41', root.toString('base64'), '']);
    expect(lines[4]).toMatch(/^— attest-test [A-Za-z0-9+/]+=*$/);
    expect(lines[5]).toBe('');
    const signatureBytes = Buffer.from(lines[4]!.split(' ')[2]!, 'base64');
    expect(signatureBytes).toHaveLength(68);
    expect(signatureBytes.subarray(0, 4).toString('hex')).toBe(independentKeyId('attest-test', signer.rawPublicKey));
    expect(ed25519KeyId('attest-test', signer.rawPublicKey).toString('hex')).toBe(independentKeyId('attest-test', signer.rawPublicKey));
    expect(rawEd25519PublicKey(signer.publicKey).equals(signer.rawPublicKey)).toBe(true);
    // Ed25519 over exactly the text bytes, checked with node:crypto directly.
    expect(cryptoVerify(null, Buffer.from(text, 'utf8'), signer.publicKey, signatureBytes.subarray(4))).toBe(true);
    // A note signed here (not by the app) parses and verifies with the app.
    const own = cryptoSign(null, Buffer.from(text), signer.privateKey);
    const handmade = `${text}\n— attest-test ${Buffer.concat([Buffer.from(independentKeyId('attest-test', signer.rawPublicKey), 'hex'), own]).toString('base64')}\n`;
    const vkey = parseVerifierKey(formatVerifierKey('attest-test', signer.rawPublicKey));
    expect(verifySignedNote(parseSignedNote(handmade), [vkey]).status).toBe('verified');

    const parsed = parseSignedNote(noteText);
    expect(parseCheckpointText(parsed.text)).toEqual({ origin: 'attest.local/0123456789abcdef', treeSize: 41, rootHash: root });
    expect(verifySignedNote(parsed, [vkey]).status).toBe('verified');
    // Another key with the same name is not "known" (ID differs): no signature by a known key.
    const other = newSigner();
    expect(verifySignedNote(parsed, [parseVerifierKey(formatVerifierKey('attest-test', other.rawPublicKey))]).status).toBe('no_known_signature');
  });

  it('fails when any byte of the signed text changes', () => {
    const signer = newSigner();
    const vkey = parseVerifierKey(formatVerifierKey(signer.name, signer.rawPublicKey));
    const note = signNote(formatCheckpointText({ origin: 'attest.local/x', treeSize: 7, rootHash: sha256(Buffer.from('r')) }), signer);
    const bodyLength = note.indexOf('\n\n') + 1;
    for (let i = 0; i < bodyLength; i++) {
      const code = note.charCodeAt(i);
      if (code === 0x0a) continue;
      const changed = note.slice(0, i) + String.fromCharCode(code === 0x41 ? 0x42 : 0x41) + note.slice(i + 1);
      expect(verifySignedNote(parseSignedNote(changed), [vkey]).status, `byte ${i}`).toBe('bad_signature');
    }
  });

  it('formats and parses verifier keys; refuses malformed ones and malformed notes', () => {
    const signer = newSigner('attest-abc');
    const vkey = formatVerifierKey('attest-abc', signer.rawPublicKey);
    expect(vkey).toBe(`attest-abc+${independentKeyId('attest-abc', signer.rawPublicKey)}+${Buffer.concat([Buffer.from([1]), signer.rawPublicKey]).toString('base64')}`);
    const parsed = parseVerifierKey(vkey);
    expect(parsed.rawPublicKey.equals(signer.rawPublicKey)).toBe(true);
    expect(signer.publicKey.equals(parsed.publicKey)).toBe(true);
    expect(() => parseVerifierKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(/does not match/);
    expect(() => parseVerifierKey('no-plus-signs')).toThrow(NoteFormatError);

    const good = signNote('a\nb\n', signer);
    expect(() => parseSignedNote(good.slice(0, -1))).toThrow(/ends with a newline/);
    expect(() => parseSignedNote(good.replace('\n\n', '\n'))).toThrow(NoteFormatError);
    expect(() => parseSignedNote(good.replace('— ', '- '))).toThrow(/signature line 1/);
    expect(() => parseSignedNote(good.replace('a\n', 'a\r\n'))).toThrow(/control character/);
    expect(() => parseSignedNote('a\n\n')).toThrow(/at least one signature/);
    expect(() => parseSignedNote(Buffer.from([0x61, 0xff, 0x0a, 0x0a]))).toThrow(/UTF-8/);
    expect(() => parseCheckpointText('o\n007\nAAAA\n')).toThrow(/leading zeros/);
    expect(() => parseCheckpointText('o\n7\nAAAA\n')).toThrow(/32/);
  });
});

// ---- The CLI: checkpoints catch rewritten and truncated histories; proofs check out independently ----
const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

function attest(home: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ATTEST_HOME: home } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const fileSha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Three more events for a new ticket, so the ledger grows past a checkpoint. */
function appendMore(home: string, dir: string, db: string, ticket: string): void {
  const file = join(dir, `${ticket}.jsonl`);
  writeFileSync(
    file,
    [
      { ticket, type: 'created', at: '2026-10-03T09:00:00Z', channel: 'email', priority: 'low', category: 'billing', subject: 'Invoice', requester: 'c-9' },
      { ticket, type: 'message', at: '2026-10-03T09:00:01Z', author: { kind: 'customer', id: 'c-9' }, public: true, body: 'Where is my invoice?' },
      { ticket, type: 'csat', at: '2026-10-03T10:00:00Z', score: 5 },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n') + '\n',
  );
  expect(attest(home, 'import', '--db', db, file).code).toBe(0);
}

/** Parses a checkpoint note the way another tool would: three lines, base64 root. */
function noteBody(note: string): { origin: string; size: number; root: Buffer } {
  const [origin, size, root] = note.split('\n');
  return { origin: origin!, size: Number(size), root: Buffer.from(root!, 'base64') };
}

/** Event hashes (the leaves) read straight from the file. */
function leafBytes(db: string): Buffer[] {
  const raw = new Database(db, { readonly: true });
  try {
    return (raw.prepare('SELECT hash FROM events ORDER BY seq').pluck().all() as string[]).map((h) => Buffer.from(h, 'hex'));
  } finally {
    raw.close();
  }
}

/** A careful attacker puts the UPDATE/DELETE triggers back, so `verify` cannot tell they were ever dropped. */
function restoreProtection(raw: InstanceType<typeof Database>): void {
  raw.exec(`CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
            CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;`);
}

/**
 * The attack: change one event's content and recompute every later hash and link with the app's own
 * eventHash, and the recorded head, so the hash chain itself is intact again.
 */
function rewriteHistory(db: string, seq: number): void {
  rewriteChainFrom(db, seq, "UPDATE events SET payload = json_set(payload, '$.body', 'I never asked for a refund.') WHERE seq = ?");
}

describe('attest checkpoint, prove and verify --checkpoint', () => {
  it('catches a full-chain rewrite with the stored and with an external checkpoint', { timeout: 120_000 }, () => {
    const home = tempDir();
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(attest(home, 'import', '--db', db, SMALL_FIXTURE).code).toBe(0);
    const note = join(dir, 'cp.txt');
    const made = attest(home, 'checkpoint', '--db', db, '--out', note, '--json');
    expect(made.code).toBe(0);
    const checkpoint = JSON.parse(made.stdout);
    expect(Object.keys(checkpoint)).toEqual(['origin', 'treeSize', 'rootHash', 'note', 'keyId', 'seq']);
    // Each command that writes is a process that first records its session.started: the import's (#1), then the
    // 15 lines and import.file (#17), then the checkpoint command's (#18) before the checkpoint of those 18 events.
    expect(checkpoint).toMatchObject({ treeSize: 18, seq: 19 });
    expect(checkpoint.origin).toMatch(/^attest\.local\/[0-9a-f]{32}$/);
    expect(readFileSync(note, 'utf8')).toBe(checkpoint.note);
    expect(noteBody(checkpoint.note).root.equals(MTH(leafBytes(db).slice(0, 18)))).toBe(true);
    appendMore(home, dir, db, 'T-9');

    const before = attest(home, 'verify', '--db', db, '--checkpoint', note, '--json');
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout).checkpoints).toEqual([
      { origin: checkpoint.origin, treeSize: 18, ok: true, source: 'stored', signature: 'verified' },
      { origin: checkpoint.origin, treeSize: 18, ok: true, source: note, signature: 'verified' },
    ]);

    rewriteHistory(db, 3);
    // The chain alone no longer shows anything…
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare('SELECT count(*) FROM events').pluck().get()).toBe(24);
    raw.close();
    // …but the stored checkpoint does, and so does the external note.
    const stored = attest(home, 'verify', '--db', db);
    expect(stored.code).toBe(1);
    // The verdict comes first; the chain's own consistency is stated after it, never as "intact".
    expect(stored.stdout.split('\n')[0]).toMatch(new RegExp(`^BROKEN: checkpoint of size 18 \\(${checkpoint.origin}\\) does not match the ledger: .*history was rewritten`));
    expect(stored.stdout).toMatch(/\nchain: 24 events, head [0-9a-f]{64} \(links and hashes hold; see above\)/);
    expect(stored.stdout).not.toMatch(/^intact/m);
    const external = attest(home, 'verify', '--db', db, '--checkpoint', note, '--json');
    expect(external.code).toBe(1);
    const checks = JSON.parse(external.stdout).checkpoints;
    expect(checks.map((c: { ok: boolean; source: string }) => [c.source, c.ok])).toEqual([['stored', false], [note, false]]);
    expect(checks[1].problem).toMatch(/^checkpoint of size 18 \(attest\.local\/[0-9a-f]+\) does not match the ledger: /);
    // Writing a new checkpoint over the rewritten history is refused, too.
    const resign = attest(home, 'checkpoint', '--db', db);
    expect(resign.code).toBe(1);
    expect(resign.stderr).toMatch(/refusing to sign/);
  });

  it('catches a truncation with a rewritten head through an external checkpoint', { timeout: 120_000 }, () => {
    const home = tempDir();
    const dir = tempDir();
    const db = join(dir, 'a.db');
    attest(home, 'import', '--db', db, SMALL_FIXTURE);
    attest(home, 'checkpoint', '--db', db);
    appendMore(home, dir, db, 'T-9');
    const note = join(dir, 'cp25.txt');
    // import (session, 15 lines, import.file), checkpoint (session, #19), appendMore (session, 3 lines, import.file), this one's session.
    expect(JSON.parse(attest(home, 'checkpoint', '--db', db, '--out', note, '--json').stdout)).toMatchObject({ treeSize: 25, seq: 26 });

    const raw = new Database(db);
    tamper(raw, 'DELETE FROM events WHERE seq > 21');
    raw.prepare('UPDATE ledger_head SET seq = 21, hash = (SELECT hash FROM events WHERE seq = 21) WHERE id = 1').run();
    restoreProtection(raw);
    raw.close();
    // …and rebuilds the projections from the shortened ledger, so they no longer remember the deleted events.
    expect(attest(home, 'rebuild', '--db', db).code).toBe(0);

    expect(attest(home, 'verify', '--db', db).code).toBe(0); // the stored checkpoint of size 18 still holds
    const result = attest(home, 'verify', '--db', db, '--checkpoint', note);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^chain: 21 events/);
    expect(lines[0]).toMatch(/^BROKEN: checkpoint of size 25 \(attest\.local\/[0-9a-f]+\) does not match the ledger: the ledger has only 21 events/);
  });

  it('checks signatures: with --key, with the installation key, or says they are unverified', { timeout: 120_000 }, () => {
    const home = tempDir();
    const dir = tempDir();
    const db = join(dir, 'a.db');
    attest(home, 'import', '--db', db, SMALL_FIXTURE);
    const note = join(dir, 'cp.txt');
    attest(home, 'checkpoint', '--db', db, '--out', note);
    const publicPem = join(home, 'installation-key.pub.pem');
    expect(attest(home, 'verify', '--db', db, '--checkpoint', note, '--key', publicPem).code).toBe(0);

    // Another machine without an installation key: the root is checked, the signature is unverified.
    const elsewhere = tempDir();
    const unverified = attest(elsewhere, 'verify', '--db', db, '--checkpoint', note, '--json');
    expect(unverified.code).toBe(0);
    expect(JSON.parse(unverified.stdout).checkpoints[1]).toMatchObject({ ok: true, signature: 'unverified' });
    expect(unverified.stderr).toMatch(/unverified signature/);

    // A key that did not sign: every checkpoint fails, stored ones included.
    const { publicKey } = generateKeyPairSync('ed25519');
    const otherKey = join(dir, 'other.pem');
    writeFileSync(otherKey, publicKey.export({ type: 'spki', format: 'pem' }));
    const wrongKey = attest(home, 'verify', '--db', db, '--checkpoint', note, '--key', otherKey);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(/BROKEN: checkpoint of size 18 .* it is not signed by the given key/);

    // A forged note (root changed, signature kept) fails its signature.
    const forged = join(dir, 'forged.txt');
    const text = readFileSync(note, 'utf8');
    writeFileSync(forged, text.replace(/^(.*\n18\n)(.)/, (_, head: string, c: string) => head + (c === 'A' ? 'B' : 'A')));
    const forgedResult = attest(home, 'verify', '--db', db, '--checkpoint', forged);
    expect(forgedResult.code).toBe(1);
    expect(forgedResult.stdout).toMatch(/does not verify/);
    expect(attest(home, 'verify', '--db', db, '--key', 'not-a-key').code).toBe(2);
  });

  it('prints proofs that verify independently against the checkpoint, without changing the file', { timeout: 120_000 }, () => {
    const home = tempDir();
    const dir = tempDir();
    const db = join(dir, 'a.db');
    attest(home, 'import', '--db', db, SMALL_FIXTURE);
    const checkpoint = JSON.parse(attest(home, 'checkpoint', '--db', db, '--json').stdout);
    appendMore(home, dir, db, 'T-9');
    const { root: checkpointRoot, size } = noteBody(checkpoint.note);
    const hashBefore = fileSha256(db);
    const all = leafBytes(db);

    // Every (index, size) is covered in-process above; here the command's output, end to end.
    for (const seq of [1, 8, size]) {
      const result = attest(home, 'prove', '--db', db, '--seq', String(seq), '--size', String(size), '--json');
      expect(result.code).toBe(0);
      const proof = JSON.parse(result.stdout);
      expect(Object.keys(proof)).toEqual(['leafIndex', 'treeSize', 'rootHash', 'proof']);
      expect(proof).toMatchObject({ leafIndex: seq - 1, treeSize: size, rootHash: checkpointRoot.toString('hex') });
      const path = proof.proof.map((h: string) => Buffer.from(h, 'hex'));
      expect(rfcVerifyInclusion(seq - 1, size, rfcLeaf(all[seq - 1]!), path, checkpointRoot)).toBe(true);
      expect(rfcVerifyInclusion(seq - 1, size, rfcLeaf(all[seq % size]!), path, checkpointRoot)).toBe(false);
    }
    const head = JSON.parse(attest(home, 'prove', '--db', db, '--seq', '24', '--json').stdout);
    expect(head).toMatchObject({ leafIndex: 23, treeSize: 24, rootHash: MTH(all).toString('hex') });

    const consistency = attest(home, 'prove', '--db', db, '--consistency', '--from', String(size), '--to', '24', '--json');
    expect(consistency.code).toBe(0);
    const proof = JSON.parse(consistency.stdout);
    expect(Object.keys(proof)).toEqual(['fromSize', 'toSize', 'proof']);
    const path = proof.proof.map((h: string) => Buffer.from(h, 'hex'));
    expect(rfcVerifyConsistency(size, 24, checkpointRoot, MTH(all), path)).toBe(true);
    expect(rfcVerifyConsistency(size, 24, flip(checkpointRoot), MTH(all), path)).toBe(false);

    expect(attest(home, 'verify', '--db', db).code).toBe(0);
    expect(fileSha256(db)).toBe(hashBefore);

    expect(attest(home, 'prove', '--db', db, '--seq', '25').code).toBe(2);
    expect(attest(home, 'prove', '--db', db, '--seq', '3', '--size', '99').code).toBe(2);
    expect(attest(home, 'prove', '--db', db, '--consistency', '--from', '5').code).toBe(2);
    expect(attest(home, 'prove', '--db', db).code).toBe(2);
    expect(fileSha256(db)).toBe(hashBefore);
  });

  it('records a checkpoint of the exported head and writes its note beside the export', () => {
    const home = tempDir();
    const dir = tempDir();
    const db = join(dir, 'a.db');
    attest(home, 'import', '--db', db, SMALL_FIXTURE);
    const out = join(dir, 'export.jsonl');
    const exported = JSON.parse(attest(home, 'export', '--db', db, '--format', 'jsonl', '--out', out, '--json').stdout);
    // The import's session.started, 15 lines and import.file, and the export command's own session.started.
    expect(exported).toMatchObject({ events: 18, checkpoint: `${out}.checkpoint`, checkpointSeq: 19 });
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(18);
    const { size, root } = noteBody(readFileSync(`${out}.checkpoint`, 'utf8'));
    const exportedHashes = readFileSync(out, 'utf8').trim().split('\n').map((line) => Buffer.from(JSON.parse(line).hash, 'hex'));
    expect(size).toBe(18);
    expect(root.equals(MTH(exportedHashes))).toBe(true);
  });
});
