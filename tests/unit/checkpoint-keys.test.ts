// The installation key (file, mode, protector, folder) and the daily checkpoint schedule.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCheckpoints } from '../../electron/core/checkpoints/checkpoint-check.ts';
import { DAILY_CHECKPOINT_MS, recordCheckpointIfDue } from '../../electron/core/checkpoints/checkpoint-schedule.ts';
import { installationVerifierKeys, loadOrCreateInstallationKey, userDataDir, type KeyProtector } from '../../electron/core/checkpoints/installation-key.ts';
import { parseSignedNote, parseVerifierKey, verifySignedNote } from '../../electron/core/checkpoints/signed-note.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { SMALL_FIXTURE, tempDb, tempDir } from './helpers.ts';

/** A reversible stand-in for safeStorage: the stored bytes are not the PEM. */
const xorProtector: KeyProtector = {
  encrypt: (plain) => Buffer.from(plain.map((b) => b ^ 0x5a)),
  decrypt: (encrypted) => Buffer.from(encrypted.map((b) => b ^ 0x5a)),
};

describe('installation key', () => {
  it('is created once as a PKCS#8 PEM file readable by its owner only, with its public key beside it', () => {
    const dir = join(tempDir(), 'nested', 'attest');
    const key = loadOrCreateInstallationKey({ dir });
    expect(key.privateKeyFile).toBe(join(dir, 'installation-key.pem'));
    expect(readFileSync(key.privateKeyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    if (process.platform !== 'win32') expect(statSync(key.privateKeyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(key.publicKeyFile, 'utf8')).toBe(key.publicKeyPem);
    expect(key.name).toMatch(/^attest-[0-9a-f]{8}$/);
    expect(parseVerifierKey(key.verifierKey).rawPublicKey.equals(key.rawPublicKey)).toBe(true);
    const again = loadOrCreateInstallationKey({ dir });
    expect(again.verifierKey).toBe(key.verifierKey);
    expect(installationVerifierKeys(dir).map((k) => k.name)).toEqual([key.name]);
  });

  it('is stored through the protector when one is given, as a separate key', () => {
    const dir = tempDir();
    const protectedKey = loadOrCreateInstallationKey({ dir, protector: xorProtector });
    const stored = readFileSync(protectedKey.privateKeyFile);
    expect(stored.toString('utf8')).not.toContain('PRIVATE KEY');
    expect(xorProtector.decrypt(stored).toString('utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(loadOrCreateInstallationKey({ dir, protector: xorProtector }).verifierKey).toBe(protectedKey.verifierKey);
    const plain = loadOrCreateInstallationKey({ dir });
    expect(plain.verifierKey).not.toBe(protectedKey.verifierKey);
    expect(installationVerifierKeys(dir).map((k) => k.name).sort()).toEqual([plain.name, protectedKey.name].sort());
  });

  it('lives in $ATTEST_HOME, else the OS user-data folder', () => {
    expect(userDataDir({ ATTEST_HOME: '/x/home' }, 'linux')).toBe('/x/home');
    expect(userDataDir({ XDG_CONFIG_HOME: '/x/config' }, 'linux')).toBe(join('/x/config', 'attest'));
    expect(userDataDir({}, 'linux')).toMatch(/[/\\]\.config[/\\]attest$/);
    expect(userDataDir({}, 'darwin')).toMatch(/Library[/\\]Application Support[/\\]attest$/);
    expect(userDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toBe(join('C:\\Users\\a\\AppData\\Roaming', 'attest'));
  });
});

describe('scheduled checkpoints', () => {
  it('records one when the ledger moved and the last one is a day old, and never otherwise', () => {
    const { db } = tempDb();
    const keyDir = tempDir();
    const start = new Date('2026-11-01T08:00:00.000Z');
    expect(recordCheckpointIfDue(db, DAILY_CHECKPOINT_MS, { dir: keyDir }, start)).toBeNull(); // empty ledger
    importJsonlFile(db, SMALL_FIXTURE);
    const first = recordCheckpointIfDue(db, DAILY_CHECKPOINT_MS, { dir: keyDir }, start);
    expect(first).toMatchObject({ treeSize: 16, seq: 17 });
    // The head is the checkpoint itself: nothing moved, even days later.
    expect(recordCheckpointIfDue(db, DAILY_CHECKPOINT_MS, { dir: keyDir }, new Date('2026-11-05T08:00:00.000Z'))).toBeNull();
    recordEvents(db, [{ type: 'category.mode', at: '2026-11-01T09:00:00.000Z', category: 'billing', mode: 'draft', reason: 'pilot' }]);
    expect(recordCheckpointIfDue(db, DAILY_CHECKPOINT_MS, { dir: keyDir }, new Date('2026-11-01T20:00:00.000Z'))).toBeNull(); // too soon
    const second = recordCheckpointIfDue(db, DAILY_CHECKPOINT_MS, { dir: keyDir }, new Date('2026-11-02T08:00:00.000Z'));
    expect(second).toMatchObject({ treeSize: 18, seq: 19 });

    const key = parseVerifierKey(second!.key);
    expect(verifySignedNote(parseSignedNote(second!.note), [key]).status).toBe('verified');
    expect(checkCheckpoints(db, { installationKeyDir: keyDir })).toEqual([
      { origin: first!.origin, treeSize: 16, source: 'stored', ok: true, signature: 'verified' },
      { origin: first!.origin, treeSize: 18, source: 'stored', ok: true, signature: 'verified' },
    ]);
  });
});
