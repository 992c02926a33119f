// The witness discipline of `attest cosign` (after c2sp.org/tlog-witness): a cosigner who signs any note it is
// handed can be shown a forked history of the same log and vouch for it (a split view). Here an honest ledger and a
// fork sharing its first events (same origin, same installation key) are cosigned through the CLI: the fork is
// refused at a smaller size, at the same size with another root, and at a larger size without or with a wrong
// consistency proof; the honest later checkpoint is cosigned with `attest prove --consistency` output. Proofs and
// roots are computed, and `attest prove`'s output checked, by RFC 9162 §2.1 routines written in this file.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { recordCheckpoint } from '../../electron/core/checkpoints/record-checkpoint.ts';
import { formatVerifierKey, parseVerifierKey, rawEd25519PublicKey, signNote } from '../../electron/core/checkpoints/signed-note.ts';
import { emptyWitnessState, witnessCosign, WitnessRefusal, type WitnessState } from '../../electron/core/checkpoints/witness.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';
import { attest, copyOf } from './trust-kit.ts';

// ---- RFC 9162 §2.1, from the RFC's text ----
const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
/** The largest power of two smaller than n (n > 1). */
const split = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
/** MTH over leaf hashes (each already SHA-256(0x00 ‖ leaf)); MTH({}) = SHA-256(). */
function mth(leafHashes: Buffer[]): Buffer {
  if (leafHashes.length === 0) return sha256();
  if (leafHashes.length === 1) return leafHashes[0]!;
  const k = split(leafHashes.length);
  return sha256(Buffer.from([0x01]), mth(leafHashes.slice(0, k)), mth(leafHashes.slice(k)));
}
/** §2.1.4.1 SUBPROOF(m, D[n], b). */
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  const n = d.length;
  if (m === n) return b ? [] : [mth(d)];
  const k = split(n);
  return m <= k ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))] : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}
/** §2.1.4.1 PROOF(m, D[n]), 0 < m < n. */
const consistencyProof = (m: number, d: Buffer[]): Buffer[] => subproof(m, d, true);
/** §2.1.4.2, step by step. */
function verifiesByRfc(first: number, second: number, firstHash: Buffer, secondHash: Buffer, path: Buffer[]): boolean {
  if (first === second) return path.length === 0 && firstHash.equals(secondHash);
  if (path.length === 0) return false;
  const p = (first & (first - 1)) === 0 ? [firstHash, ...path] : [...path];
  let fn = first - 1;
  let sn = second - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = p[0]!;
  let sr = p[0]!;
  for (const c of p.slice(1)) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      fr = sha256(Buffer.from([0x01]), c, fr);
      sr = sha256(Buffer.from([0x01]), c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else sr = sha256(Buffer.from([0x01]), sr, c);
    fn >>= 1;
    sn >>= 1;
  }
  return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0;
}

/** The ledger's leaves read without the app: leaf i is the 32 bytes of event i+1's hash. */
function ledgerLeafHashes(path: string): Buffer[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT hash FROM events ORDER BY seq').all() as { hash: string }[];
    return rows.map((row) => sha256(Buffer.from([0x00]), Buffer.from(row.hash, 'hex')));
  } finally {
    db.close();
  }
}

const noteBody = (note: string): string[] => note.slice(0, note.indexOf('\n\n')).split('\n');
const sizeOf = (note: string): number => Number(noteBody(note)[1]);
const rootOf = (note: string): Buffer => Buffer.from(noteBody(note)[2]!, 'base64');
const proofJson = (fromSize: number, toSize: number, proof: Buffer[]): string => JSON.stringify({ fromSize, toSize, proof: proof.map((h) => h.toString('hex')) });

function addMessages(path: string, texts: string[]): void {
  const db = openDatabase(path);
  try {
    recordEvents(db, texts.map((body, i) => ({ ticket: 'T-1', type: 'message', at: `2026-10-03T09:00:${String(i).padStart(2, '0')}Z`, author: { kind: 'customer', id: 'c-17' }, public: true, body })));
  } finally {
    db.close();
  }
}

function checkpointOf(path: string, size?: number): string {
  const db = openDatabase(path);
  try {
    return recordCheckpoint(db, loadOrCreateInstallationKey(), new Date(), size).note;
  } finally {
    db.close();
  }
}

const NAME = 'buyer.example/auditor';

/** A cosigner's key, an honest ledger and a fork of it sharing the imported events (same ledger id: same origin). */
function splitView(): { dir: string; keyFile: string; stateFile: string; honest: string; fork: string; installationKey: string } {
  const dir = tempDir();
  const keyFile = join(dir, 'auditor.key');
  expect(attest('keygen', '--out', keyFile, '--name', NAME).code).toBe(0);
  const honest = join(dir, 'honest.db');
  const db = openDatabase(honest);
  try {
    importJsonlFile(db, SMALL_FIXTURE, { importedBy: { kind: 'human', id: 'ops-1' } });
  } finally {
    db.close();
  }
  const fork = copyOf(honest, dir, 'fork.db');
  addMessages(honest, ['The link worked, thanks.', 'All good now.', 'Closing from my side.']);
  addMessages(fork, Array.from({ length: 10 }, (_, i) => `A different conversation, line ${i}.`));
  return { dir, keyFile, stateFile: `${keyFile}.witness.json`, honest, fork, installationKey: loadOrCreateInstallationKey().verifierKey };
}

describe('attest cosign keeps a witness state: a split view is refused', () => {
  it('cosigns the honest history and refuses the fork at a smaller size, the same size and a larger size', () => {
    const { dir, keyFile, stateFile, honest, fork, installationKey } = splitView();
    const cosign = (note: string, ...extra: string[]) => {
      const file = join(dir, `c-${sizeOf(note)}-${rootOf(note).toString('hex').slice(0, 8)}.txt`);
      writeFileSync(file, note);
      return attest('cosign', '--checkpoint', file, '--key', keyFile, '--name', NAME, '--time', '1790000000', ...extra);
    };
    const refused = (note: string, sentence: RegExp, ...extra: string[]) => {
      const before = readFileSync(stateFile);
      const out = join(dir, 'refused.sig');
      const result = cosign(note, '--out', out, ...extra);
      expect(result.stderr).toMatch(sentence);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
      expect(readFileSync(stateFile).equals(before)).toBe(true);
      expect(existsSync(`${stateFile}.lock`)).toBe(false);
    };

    // The honest checkpoint of size N. Without the installation key the first cosignature trusts the note's signer by
    // name and key ID (the plain `attest cosign --checkpoint C --key K --name N`) and says so.
    const first = checkpointOf(honest);
    const n = sizeOf(first);
    const withoutKey = cosign(first);
    expect(withoutKey.code).toBe(0);
    expect(withoutKey.stderr).toMatch(/installation signature of attest\.local\/.* was not checked/);
    const signerId = `${installationKey.split('+')[0]}+${installationKey.split('+')[1]}`;
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).origins[noteBody(first)[0]!]).toMatchObject({ installationKey: null, installationKeyId: signerId });
    // Given once, the key is checked and remembered.
    const signed = cosign(first, '--installation-key', installationKey, '--json');
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(JSON.parse(signed.stdout)).toMatchObject({ treeSize: n, previousSize: n, witnessState: stateFile });
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    const origin = noteBody(first)[0]!;
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({
      format: 'attest-witness/v1',
      origins: { [origin]: { treeSize: n, rootHash: rootOf(first).toString('base64'), installationKey, installationKeyId: signerId, timestamp: 1790000000 } },
    });
    // The same checkpoint again is the same state of the log: cosigned again (the installation key is remembered).
    expect(cosign(first).code).toBe(0);

    // The fork: same origin, same installation key, another history after the shared events.
    const forkLeaves = ledgerLeafHashes(fork);
    const shared = ledgerLeafHashes(honest).findIndex((leaf, i) => !leaf.equals(forkLeaves[i]!));
    expect(shared).toBeGreaterThan(0);
    expect(shared).toBeLessThan(n);
    const smaller = checkpointOf(fork, n - 1);
    const same = checkpointOf(fork, n);
    const larger = checkpointOf(fork, n + 3);
    expect(noteBody(same)[0]).toBe(origin);
    expect(rootOf(same).equals(rootOf(first))).toBe(false);
    refused(smaller, new RegExp(`this key already cosigned size ${n} of ${origin}; a checkpoint of size ${n - 1} < ${n} is not a later state of that log`));
    refused(same, /already cosigned size \d+ .* this checkpoint of the same size has root .*split view/);
    refused(larger, new RegExp(`size ${n + 3} needs --consistency with a proof from ${n} to ${n + 3}`));
    // The fork's own, correct proof (computed here, and by the app on the fork) proves the fork, not the cosigned history.
    const forkLeavesNow = ledgerLeafHashes(fork);
    const forkProof = consistencyProof(n, forkLeavesNow.slice(0, n + 3));
    expect(verifiesByRfc(n, n + 3, mth(forkLeavesNow.slice(0, n)), rootOf(larger), forkProof)).toBe(true);
    writeFileSync(join(dir, 'fork-proof.json'), proofJson(n, n + 3, forkProof));
    refused(larger, /does not show that size \d+ .* is a prefix of size/, '--consistency', join(dir, 'fork-proof.json'));
    const appForkProof = attest('prove', '--db', fork, '--consistency', '--from', String(n), '--to', String(n + 3), '--json');
    expect(appForkProof.code).toBe(0);
    writeFileSync(join(dir, 'app-fork-proof.json'), appForkProof.stdout);
    refused(larger, /is a prefix of size/, '--consistency', join(dir, 'app-fork-proof.json'));

    // The honest log grows; `attest prove --consistency` (checked here by RFC 9162) lets the cosigner follow it.
    addMessages(honest, ['One more thing.', 'Never mind.']);
    const later = checkpointOf(honest);
    const m = sizeOf(later);
    const honestLeaves = ledgerLeafHashes(honest);
    expect(mth(honestLeaves.slice(0, n)).equals(rootOf(first))).toBe(true);
    expect(mth(honestLeaves.slice(0, m)).equals(rootOf(later))).toBe(true);
    const proved = attest('prove', '--db', honest, '--consistency', '--from', String(n), '--to', String(m), '--json');
    expect(proved.code).toBe(0);
    const appProof = JSON.parse(proved.stdout) as { fromSize: number; toSize: number; proof: string[] };
    expect(appProof.proof).toEqual(consistencyProof(n, honestLeaves.slice(0, m)).map((h) => h.toString('hex')));
    expect(verifiesByRfc(n, m, rootOf(first), rootOf(later), appProof.proof.map((h) => Buffer.from(h, 'hex')))).toBe(true);
    const proofFile = join(dir, 'proof.json');
    writeFileSync(proofFile, proved.stdout);
    // Every altered proof is refused: each hash changed in turn, one dropped, one added (by the same code the
    // command runs, on the state file as it stands; one altered proof through the CLI below).
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as WitnessState;
    const signer = { name: NAME, privateKey: createPrivateKey(readFileSync(keyFile, 'utf8')) };
    const alterations = [
      ...appProof.proof.map((_, i) => [`hash ${i}`, appProof.proof.map((h, j) => (i === j ? sha256(Buffer.from(h, 'hex')).toString('hex') : h))] as const),
      ['dropped', appProof.proof.slice(1)] as const,
      ['added', [...appProof.proof, appProof.proof[0]!]] as const,
    ];
    for (const [label, proof] of alterations) {
      expect(verifiesByRfc(n, m, rootOf(first), rootOf(later), proof.map((h) => Buffer.from(h, 'hex'))), label).toBe(false);
      expect(() => witnessCosign(state, { checkpoint: later, signer, timestamp: 1790000000, consistency: { ...appProof, proof: [...proof] } }), label).toThrow(/is a prefix of size/);
    }
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...appProof, proof: alterations[0]![1] }));
    refused(later, /is a prefix of size/, '--consistency', join(dir, 'bad.json'));
    writeFileSync(join(dir, 'range.json'), JSON.stringify({ ...appProof, fromSize: n - 1 }));
    refused(later, new RegExp(`from size ${n - 1} to ${m}; needed: from ${n} \\(last cosigned\\) to ${m}`), '--consistency', join(dir, 'range.json'));
    const out = join(dir, 'later.sig');
    const followed = cosign(later, '--consistency', proofFile, '--out', out);
    expect(followed.stderr).toContain(`cosignature written to ${out}`);
    expect(followed.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^\u2014 buyer\.example\/auditor [A-Za-z0-9+/=]+\n$/);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).origins[origin]).toMatchObject({ treeSize: m, rootHash: rootOf(later).toString('base64') });
    // Now the first checkpoint is in the past of what this key vouched for.
    refused(first, new RegExp(`already cosigned size ${m} of ${origin}; a checkpoint of size ${n} < ${m}`));
    // Many CLI runs (each a Node start) on a machine shared with other work: a generous limit, no timing asserted.
  }, 180_000);

  it('refuses another installation key for a known origin, a note not signed by its key, and a time going back', () => {
    const { dir, keyFile, stateFile, honest, installationKey } = splitView();
    const note = checkpointOf(honest);
    const file = join(dir, 'c.txt');
    writeFileSync(file, note);
    const cosign = (...extra: string[]) => attest('cosign', '--checkpoint', file, '--key', keyFile, '--name', NAME, ...extra);
    // A PEM file holding the installation's public key is as good as its verifier key line.
    const pemFile = join(process.env.ATTEST_HOME!, 'installation-key.pub.pem');
    expect(cosign('--installation-key', pemFile, '--time', '1790000000').code).toBe(0);
    const state = readFileSync(stateFile);
    expect(JSON.parse(state.toString()).origins[noteBody(note)[0]!].installationKey).toBe(installationKey);

    const other = generateKeyPairSync('ed25519');
    const raw = rawEd25519PublicKey(other.publicKey);
    const otherKey = formatVerifierKey(loadOrCreateInstallationKey().name, raw);
    const wrongKey = cosign('--installation-key', otherKey, '--time', '1790000000');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain(`is signed with ${installationKey} (remembered from this key's first cosignature of it); --installation-key ${otherKey} is another key`);
    // The same origin signed by someone else's key under the installation's key name.
    const forged = signNote(note.slice(0, note.indexOf('\n\n') + 1), { name: loadOrCreateInstallationKey().name, privateKey: other.privateKey, rawPublicKey: raw });
    writeFileSync(file, forged);
    const notTheLog = cosign('--time', '1790000000');
    expect(notTheLog.code).toBe(1);
    expect(notTheLog.stderr).toMatch(/carries no signature by its installation key/);
    // The text without its signature cannot be checked at all.
    writeFileSync(file, note.slice(0, note.indexOf('\n\n') + 1));
    expect(cosign('--time', '1790000000').stderr).toContain('give the signed note');
    writeFileSync(file, note);
    const back = cosign('--time', '1789999999');
    expect(back.code).toBe(1);
    expect(back.stderr).toContain('would go back in time');
    expect(readFileSync(stateFile).equals(state)).toBe(true);
    // Nor forward past the clock: the ledger would refuse it, and the state would then block every honest cosignature.
    const future = cosign('--time', String(Math.floor(Date.now() / 1000) + 3600));
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(/a cosignature is not made in the future/);
    expect(readFileSync(stateFile).equals(state)).toBe(true);
    // The remembered key may be given again, here as a file holding its verifier key line.
    writeFileSync(join(dir, 'installation.pub'), `${installationKey}\n`);
    expect(cosign('--installation-key', join(dir, 'installation.pub'), '--time', '1790000000').code).toBe(0);
    // Inputs that cannot be read are usage errors (exit 2), before anything is decided.
    writeFileSync(join(dir, 'proof.json'), 'not json');
    const unreadable = cosign('--consistency', join(dir, 'proof.json'), '--time', '1790000000');
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('--consistency');
    expect(cosign('--installation-key', 'attest+00000000+AAAA', '--time', '1790000000').code).toBe(2);
    // Another run holding the lock: refused, the state untouched.
    writeFileSync(`${stateFile}.lock`, '1\n');
    const locked = cosign('--time', '1790000000');
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('another cosign is running with this key');
    expect(readFileSync(stateFile).equals(state)).toBe(true);
    rmSync(`${stateFile}.lock`);
    // A damaged state file is never overwritten.
    writeFileSync(stateFile, '{"format":"attest-witness/v1","origins":{"x":{}}}');
    const damaged = cosign('--time', '1790000001');
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain('is damaged');
    expect(readFileSync(stateFile, 'utf8')).toBe('{"format":"attest-witness/v1","origins":{"x":{}}}');
  }, 120_000);
});

describe('witnessCosign against proofs computed from RFC 9162', () => {
  it('follows a log from every size m to every size n > m, and refuses a fork unless it shares the first m leaves', () => {
    const log = generateKeyPairSync('ed25519');
    const raw = rawEd25519PublicKey(log.publicKey);
    const signer = { name: 'log.example', privateKey: log.privateKey, rawPublicKey: raw };
    const key = parseVerifierKey(formatVerifierKey('log.example', raw));
    const cosigner = { name: NAME, privateKey: generateKeyPairSync('ed25519').privateKey };
    const note = (leaves: Buffer[]) => signNote(`log.example/x\n${leaves.length}\n${mth(leaves).toString('base64')}\n`, signer);
    const leaves = Array.from({ length: 17 }, () => sha256(Buffer.from([0x00]), randomBytes(32)));
    const hex = (proof: Buffer[]) => proof.map((h) => h.toString('hex'));
    let checked = 0;
    for (let m = 1; m < leaves.length; m++) {
      const start: WitnessState = witnessCosign(emptyWitnessState(), { checkpoint: note(leaves.slice(0, m)), signer: cosigner, timestamp: 1, installationKey: key }).state;
      for (let n = m + 1; n <= leaves.length; n++) {
        const honest = leaves.slice(0, n);
        const next = witnessCosign(start, { checkpoint: note(honest), signer: cosigner, timestamp: 2, consistency: { fromSize: m, toSize: n, proof: hex(consistencyProof(m, honest)) } });
        expect(next.state.origins['log.example/x']).toMatchObject({ treeSize: n, rootHash: mth(honest).toString('base64') });
        // A fork that replaces leaf `diverge` onwards; its own proof is a correct RFC 9162 proof of the fork.
        for (let diverge = 0; diverge < n; diverge++) {
          const forked = [...honest.slice(0, diverge), ...honest.slice(diverge).map((h) => sha256(Buffer.from('fork'), h))];
          const attempt = () => witnessCosign(start, { checkpoint: note(forked), signer: cosigner, timestamp: 2, consistency: { fromSize: m, toSize: n, proof: hex(consistencyProof(m, forked)) } });
          if (diverge >= m) expect(attempt().state.origins['log.example/x']!.treeSize).toBe(n);
          else expect(attempt, `m=${m} n=${n} diverge=${diverge}`).toThrow(WitnessRefusal);
          checked++;
        }
      }
    }
    expect(checked).toBe(1632);
  });

  it('keeps the pure cosignature unchanged: the line is the one cosignCheckpoint makes of the note text', async () => {
    const { cosignCheckpoint } = await import('../../electron/core/checkpoints/cosignature.ts');
    const log = generateKeyPairSync('ed25519');
    const raw = rawEd25519PublicKey(createPublicKey(log.privateKey));
    const text = `log.example/y\n1\n${sha256(Buffer.from([0x00]), Buffer.alloc(32)).toString('base64')}\n`;
    const cosigner = { name: NAME, privateKey: generateKeyPairSync('ed25519').privateKey };
    const witnessed = witnessCosign(emptyWitnessState(), {
      checkpoint: signNote(text, { name: 'log.example', privateKey: log.privateKey, rawPublicKey: raw }),
      signer: cosigner,
      timestamp: 1790000000,
      installationKey: parseVerifierKey(formatVerifierKey('log.example', raw)),
    });
    expect(witnessed.line).toBe(cosignCheckpoint(text, cosigner, 1790000000));
  });
});
