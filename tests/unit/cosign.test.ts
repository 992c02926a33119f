// Cosigned checkpoints: the bytes of `attest cosign` checked by an implementation of C2SP tlog-cosignature written
// here from the spec (message, key ID, timestamp, Ed25519 over node:crypto directly), `attest keygen`'s files, and
// `attest checkpoint add-cosignature` recording only real cosignatures of stored checkpoints — a forged line, a line
// over another checkpoint, or one by an unknown key is refused on the CLI and on the ledger's append path.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cosignCheckpoint } from '../../electron/core/checkpoints/cosignature.ts';
import { recordCheckpoint } from '../../electron/core/checkpoints/record-checkpoint.ts';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';
import { attest } from './trust-kit.ts';

// ---- tlog-cosignature, from the text of c2sp.org/tlog-cosignature (Ed25519) ----
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();
const raw32 = (pem: string): Buffer => createPublicKey(pem).export({ format: 'der', type: 'spki' }).subarray(-32);
/** Key ID: SHA-256(<name> || "\n" || 0x04 || 32-byte Ed25519 cosigner public key)[:4]. */
const specKeyId = (name: string, raw: Buffer): Buffer => sha256(Buffer.concat([Buffer.from(name), Buffer.from('\n'), Buffer.from([0x04]), raw])).subarray(0, 4);
/** Two newline-terminated lines, "cosignature/v1" and "time <ts>", then the whole note body (its final newline included). */
const specMessage = (body: string, time: number): Buffer => Buffer.from(`cosignature/v1\ntime ${time}\n${body}`);
const spki = (raw: Buffer) => createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });

/** Checks a signature line against a key by the spec alone; returns the timestamp, or throws saying why not. */
function specVerify(line: string, body: string, name: string, raw: Buffer): number {
  const [dash, lineName, b64, ...rest] = line.split(' ');
  expect(dash).toBe('\u2014');
  expect(rest).toEqual([]);
  expect(lineName).toBe(name);
  const bytes = Buffer.from(b64!, 'base64');
  expect(bytes.length).toBe(4 + 8 + 64); // struct { u64 timestamp; opaque ed25519_signature[64]; } after the key ID
  expect(bytes.subarray(0, 4).equals(specKeyId(name, raw))).toBe(true);
  const time = Number(bytes.readBigUInt64BE(4));
  if (!verify(null, specMessage(body, time), spki(raw), bytes.subarray(12))) throw new Error('signature does not verify');
  return time;
}

/** A small ledger with two stored checkpoints (of 2 events, then of the head). */
function ledgerWithCheckpoints(dir: string): { path: string; first: { note: string; seq: number }; second: { note: string; seq: number } } {
  const path = join(dir, 'ledger.db');
  const db = openDatabase(path);
  try {
    importJsonlFile(db, SMALL_FIXTURE, { importedBy: { kind: 'human', id: 'ops-1' } });
    const key = loadOrCreateInstallationKey();
    const first = recordCheckpoint(db, key, new Date(), 2);
    const second = recordCheckpoint(db, key);
    return { path, first, second };
  } finally {
    db.close();
  }
}

function keygen(dir: string, name = 'buyer.example/auditor'): { keyFile: string; pubFile: string; vkey: string; raw: Buffer } {
  const keyFile = join(dir, 'auditor.key');
  const result = attest('keygen', '--out', keyFile, '--name', name);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const pubFile = join(dir, 'auditor.pub');
  const vkey = readFileSync(pubFile, 'utf8').trim();
  expect(result.stdout.split('\n')[0]).toBe(vkey);
  return { keyFile, pubFile, vkey, raw: raw32(createPublicKey(createPrivateKey(readFileSync(keyFile, 'utf8'))).export({ format: 'pem', type: 'spki' }) as string) };
}

describe('attest keygen', () => {
  it('writes a 0600 PKCS#8 key and the type-0x04 verifier key line, and never overwrites', () => {
    const dir = tempDir();
    const { keyFile, vkey, raw } = keygen(dir);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const [name, id, material] = [vkey.slice(0, vkey.indexOf('+')), vkey.split('+')[1], vkey.split('+').slice(2).join('+')];
    expect(name).toBe('buyer.example/auditor');
    expect(Buffer.from(material!, 'base64')).toEqual(Buffer.concat([Buffer.from([0x04]), raw]));
    expect(id).toBe(specKeyId(name, raw).toString('hex'));
    const again = attest('keygen', '--out', keyFile);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(join(dir, 'auditor.pub'), 'utf8').trim()).toBe(vkey);
  });

  it('names the key "auditor" by default and appends .pub to a name without .key', () => {
    const dir = tempDir();
    expect(attest('keygen', '--out', join(dir, 'mine.pem')).code).toBe(0);
    expect(readFileSync(join(dir, 'mine.pem.pub'), 'utf8')).toMatch(/^auditor\+[0-9a-f]{8}\+/);
  });
});

describe('attest cosign', () => {
  it('signs cosignature/v1, the time and the checkpoint text, as the spec says, byte for byte', () => {
    const dir = tempDir();
    const { keyFile, raw } = keygen(dir);
    const { first } = ledgerWithCheckpoints(dir);
    const noteFile = join(dir, 'c.txt');
    writeFileSync(noteFile, first.note);
    const result = attest('cosign', '--checkpoint', noteFile, '--key', keyFile, '--name', 'buyer.example/auditor', '--installation-key', loadOrCreateInstallationKey().verifierKey, '--time', '1790000000');
    expect(result.code).toBe(0);
    const line = result.stdout.trimEnd();
    const body = first.note.slice(0, first.note.indexOf('\n\n') + 1);
    expect(body.split('\n')).toHaveLength(4); // origin, size, root, then the final newline
    expect(specVerify(line, body, 'buyer.example/auditor', raw)).toBe(1790000000);
    // Ed25519 is deterministic: the spec's own signature of the spec's message is the same bytes.
    const expected = sign(null, specMessage(body, 1790000000), createPrivateKey(readFileSync(keyFile, 'utf8')));
    expect(Buffer.from(line.split(' ')[2]!, 'base64').subarray(12)).toEqual(expected);
    // Not a signature of the note without the header, nor under another time.
    expect(verify(null, Buffer.from(body), spki(raw), expected)).toBe(false);
    expect(verify(null, specMessage(body, 1790000001), spki(raw), expected)).toBe(false);
  });

  it('refuses a key that is not Ed25519 and a file that is not a checkpoint', () => {
    const dir = tempDir();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    writeFileSync(join(dir, 'rsa.key'), rsa);
    writeFileSync(join(dir, 'c.txt'), 'attest.local/x\n1\nAAAA\n');
    const refused = attest('cosign', '--checkpoint', join(dir, 'c.txt'), '--key', join(dir, 'rsa.key'), '--name', 'a');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not Ed25519');
  });
});

describe('attest checkpoint add-cosignature', () => {
  it('records a genuine cosignature of a stored checkpoint with the spec payload, once', () => {
    const dir = tempDir();
    const { keyFile, pubFile, vkey, raw } = keygen(dir);
    const { path, first } = ledgerWithCheckpoints(dir);
    writeFileSync(join(dir, 'c.txt'), first.note);
    const sig = join(dir, 'c.sig');
    expect(attest('cosign', '--checkpoint', join(dir, 'c.txt'), '--key', keyFile, '--name', 'buyer.example/auditor', '--installation-key', loadOrCreateInstallationKey().verifierKey, '--time', '1790000000', '--out', sig).code).toBe(0);
    const added = attest('checkpoint', 'add-cosignature', '--db', path, sig, '--key', pubFile, '--json');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const result = JSON.parse(added.stdout) as { seq: number; added: boolean };
    expect(result.added).toBe(true);
    const db = openDatabase(path, { readonly: true });
    try {
      const row = db.prepare('SELECT seq, type, ticket_id, payload FROM events WHERE seq = ?').get(result.seq) as { type: string; ticket_id: null; payload: string };
      expect(row.type).toBe('checkpoint.cosigned');
      expect(row.ticket_id).toBeNull();
      const payload = JSON.parse(row.payload) as Record<string, unknown>;
      const body = first.note.slice(0, first.note.indexOf('\n\n') + 1);
      expect(payload).toEqual({
        checkpointSeq: first.seq,
        treeSize: 2,
        rootHash: body.split('\n')[2],
        cosigner: vkey,
        timestamp: 1790000000,
        signature: readFileSync(sig, 'utf8').trimEnd(),
      });
      expect(specVerify(payload.signature as string, body, 'buyer.example/auditor', raw)).toBe(1790000000);
    } finally {
      db.close();
    }
    const again = attest('checkpoint', 'add-cosignature', '--db', path, sig, '--key', vkey, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: false, seq: result.seq });
  });

  it('signs with a key made by another tool and says the verifier key the line checks with', () => {
    const dir = tempDir();
    const { path, first } = ledgerWithCheckpoints(dir);
    writeFileSync(join(dir, 'c.txt'), first.note);
    // A PKCS#8 PEM as `openssl genpkey -algorithm ed25519` writes it: no .pub beside it.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'other-tool.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const cosigned = attest('cosign', '--checkpoint', join(dir, 'c.txt'), '--key', join(dir, 'other-tool.pem'), '--name', 'bank.example/audit', '--json');
    expect(cosigned.code).toBe(0);
    const { signature, cosigner } = JSON.parse(cosigned.stdout) as { signature: string; cosigner: string };
    // The key line, computed here from the spec: name, SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[:4], base64(0x04 ‖ key).
    const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
    const id = createHash('sha256').update(Buffer.concat([Buffer.from('bank.example/audit\n'), Buffer.from([0x04]), raw])).digest().subarray(0, 4).toString('hex');
    expect(cosigner).toBe(`bank.example/audit+${id}+${Buffer.concat([Buffer.from([0x04]), raw]).toString('base64')}`);
    writeFileSync(join(dir, 'c.sig'), `${signature}\n`);
    const added = attest('checkpoint', 'add-cosignature', '--db', path, join(dir, 'c.sig'), '--key', cosigner, '--json');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ added: true, cosigner });
  });

  it('refuses a forged line, a line over a checkpoint the ledger does not hold, and an untrusted key', () => {
    const dir = tempDir();
    const { keyFile, pubFile } = keygen(dir);
    const { path, second } = ledgerWithCheckpoints(dir);
    const body = second.note.slice(0, second.note.indexOf('\n\n') + 1);
    const privateKey = createPrivateKey(readFileSync(keyFile, 'utf8'));
    const raw = raw32(createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }) as string);
    const line = (message: Buffer, time: number): string => {
      const ts = Buffer.alloc(8);
      ts.writeBigUInt64BE(BigInt(time));
      return `\u2014 buyer.example/auditor ${Buffer.concat([specKeyId('buyer.example/auditor', raw), ts, sign(null, message, privateKey)]).toString('base64')}\n`;
    };
    const cases: [string, string][] = [
      // Signed under one time, claiming another.
      ['forged-time', (() => { const l = line(specMessage(body, 1790000000), 1790000000); const b = Buffer.from(l.trim().split(' ')[2]!, 'base64'); b.writeBigUInt64BE(1790000001n, 4); return `\u2014 buyer.example/auditor ${b.toString('base64')}\n`; })()],
      // A checkpoint of the same log with another root.
      ['other-root', line(specMessage(body.replace(/\n[^\n]+\n$/, `\n${Buffer.alloc(32, 7).toString('base64')}\n`), 1790000000), 1790000000)],
      // The note text without the cosignature header: a plain note signature, not a cosignature.
      ['no-header', (() => { const l = line(Buffer.from(body), 0); return l; })()],
    ];
    const before = readFileSync(path);
    for (const [name, text] of cases) {
      writeFileSync(join(dir, `${name}.sig`), text);
      const refused = attest('checkpoint', 'add-cosignature', '--db', path, join(dir, `${name}.sig`), '--key', pubFile);
      expect(refused.code, name).toBe(1);
      expect(refused.stderr, name).toContain('signs no checkpoint stored in this ledger');
    }
    // A genuine line, but neither --key nor a contract's buyerKeys trusts its key.
    writeFileSync(join(dir, 'good.sig'), line(specMessage(body, 1790000000), 1790000000));
    const untrusted = attest('checkpoint', 'add-cosignature', '--db', path, join(dir, 'good.sig'));
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain('no contract of this ledger names buyerKeys');
    const other = generateKeyPairSync('ed25519').publicKey;
    const otherKey = `buyer.example/auditor+${specKeyId('buyer.example/auditor', raw32(other.export({ format: 'pem', type: 'spki' }) as string)).toString('hex')}+${Buffer.concat([Buffer.from([4]), raw32(other.export({ format: 'pem', type: 'spki' }) as string)]).toString('base64')}`;
    const wrongKey = attest('checkpoint', 'add-cosignature', '--db', path, join(dir, 'good.sig'), '--key', otherKey);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('which is not the key given with --key');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('is re-checked on the append path: a line naming the wrong checkpoint or a bad signature is refused', () => {
    const dir = tempDir();
    const { keyFile, vkey } = keygen(dir);
    const { path, first, second } = ledgerWithCheckpoints(dir);
    writeFileSync(join(dir, 'c.txt'), first.note);
    const signed = attest('cosign', '--checkpoint', join(dir, 'c.txt'), '--key', keyFile, '--name', 'buyer.example/auditor', '--installation-key', loadOrCreateInstallationKey().verifierKey, '--time', '1790000000');
    const signature = signed.stdout.trimEnd();
    const body = first.note.slice(0, first.note.indexOf('\n\n') + 1);
    const genuine = { type: 'checkpoint.cosigned', at: '2026-10-02T00:00:00.000Z', checkpointSeq: first.seq, treeSize: 2, rootHash: body.split('\n')[2], cosigner: vkey, timestamp: 1790000000, signature };
    const secondBody = second.note.slice(0, second.note.indexOf('\n\n') + 1);
    const db = openDatabase(path);
    try {
      const attempts: [Record<string, unknown>, RegExp][] = [
        [{ ...genuine, checkpointSeq: second.seq, treeSize: Number(secondBody.split('\n')[1]), rootHash: secondBody.split('\n')[2] }, /signature: does not verify/],
        [{ ...genuine, checkpointSeq: 1 }, /checkpointSeq: #1 is not a checkpoint/],
        [{ ...genuine, treeSize: 3 }, /treeSize: must be 2/],
        [{ ...genuine, timestamp: 1790000001 }, /timestamp: must be 1790000000/],
        [{ ...genuine, signature: signature.replace(/.{6}$/, 'AAAAA=') }, /signature/],
      ];
      for (const [line, refusal] of attempts) expect(() => recordEvents(db, [line], '2026-10-02T00:00:00.000Z')).toThrow(refusal);
      // A genuine signature dated later than the moment it is recorded (beyond 10 minutes of clock skew).
      const future = Math.floor(Date.now() / 1000) + 3600;
      const dated = cosignCheckpoint(first.note, { name: 'buyer.example/auditor', privateKey: createPrivateKey(readFileSync(keyFile, 'utf8')) }, future);
      expect(() => recordEvents(db, [{ ...genuine, timestamp: future, signature: dated }])).toThrow(/timestamp: .* is later than the moment it is recorded/);
      expect(recordEvents(db, [genuine], '2026-10-02T00:00:00.000Z')[0]!.added).toBe(true);
    } finally {
      db.close();
    }
  });
});
