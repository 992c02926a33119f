// The desktop app's database key (electron/main/database-key.ts) with a stand-in for Electron's safeStorage: an
// AES-256-GCM "keychain" of the test's own (node:crypto), reporting whichever Linux backend the test chooses.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openReadOnly } from '../../electron/core/db/connection.ts';
import { fileKind } from '../../electron/core/db/database-key.ts';
import { openCore } from '../../electron/core/service.ts';
import { ensureDemoDatabase, parseShellArgs } from '../../electron/main/database-path.ts';
import { consoleKeyForFile, DESKTOP_KEY_FILE, DesktopKeyError, desktopKeyForFile, loadOrCreateDesktopDatabaseKey, type SafeStorageApi } from '../../electron/main/database-key.ts';
import { tempDir } from './helpers.ts';

/** A keychain stand-in: strings sealed with AES-256-GCM under a secret only this object holds. */
function fakeSafeStorage(backend: string, options: { available?: boolean } = {}): SafeStorageApi & { calls: string[] } {
  const secret = randomBytes(32);
  const calls: string[] = [];
  return {
    calls,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => {
      calls.push('backend');
      return backend;
    },
    encryptString(plain: string): Buffer {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
    decryptString(blob: Buffer): string {
      const decipher = createDecipheriv('aes-256-gcm', secret, blob.subarray(0, 12));
      decipher.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('desktop database key', () => {
  it('is made once, kept sealed by the key store in a file only its owner may read, and read back the same', () => {
    const dir = tempDir();
    const safeStorage = fakeSafeStorage('gnome_libsecret');
    const first = loadOrCreateDesktopDatabaseKey({ dir, safeStorage, platform: 'linux' });
    expect(first).toMatchObject({ created: true, warning: null, file: join(dir, DESKTOP_KEY_FILE) });
    expect(first.key).toHaveLength(32);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const stored = readFileSync(first.file);
    expect(stored.includes(first.key!)).toBe(false);
    expect(stored.includes(Buffer.from(first.key!.toString('hex')))).toBe(false);

    const second = loadOrCreateDesktopDatabaseKey({ dir, safeStorage, platform: 'linux' });
    expect(second.created).toBe(false);
    expect(second.key!.equals(first.key!)).toBe(true);
  });

  it("warns plainly where Linux falls back to Electron's plain-text backend, and only there", () => {
    const linux = loadOrCreateDesktopDatabaseKey({ dir: tempDir(), safeStorage: fakeSafeStorage('basic_text'), platform: 'linux' });
    expect(linux.key).toHaveLength(32);
    expect(linux.warning).toMatch(/no system keyring \(GNOME Keyring, KWallet\) answered, so Electron keeps Attest's database key with its plain-text fallback: anyone who can copy .* can decrypt your databases/);
    const kwallet = loadOrCreateDesktopDatabaseKey({ dir: tempDir(), safeStorage: fakeSafeStorage('kwallet5'), platform: 'linux' });
    expect(kwallet.warning).toBeNull();
    // getSelectedStorageBackend is Linux-only in Electron: elsewhere it is never asked.
    const mac = fakeSafeStorage('basic_text');
    expect(loadOrCreateDesktopDatabaseKey({ dir: tempDir(), safeStorage: mac, platform: 'darwin' }).warning).toBeNull();
    expect(mac.calls).toEqual([]);
  });

  it('a key the key store cannot open is an error naming the file, and the file is never replaced', () => {
    const dir = tempDir();
    loadOrCreateDesktopDatabaseKey({ dir, safeStorage: fakeSafeStorage('gnome_libsecret'), platform: 'linux' });
    const file = join(dir, DESKTOP_KEY_FILE);
    const before = readFileSync(file);
    // Another keychain (another user, a reset keyring) cannot open it.
    expect(() => loadOrCreateDesktopDatabaseKey({ dir, safeStorage: fakeSafeStorage('gnome_libsecret'), platform: 'linux' })).toThrow(DesktopKeyError);
    expect(() => loadOrCreateDesktopDatabaseKey({ dir, safeStorage: fakeSafeStorage('gnome_libsecret'), platform: 'linux' })).toThrow(
      /the database key in .*database-key\.safestorage cannot be decrypted by this computer's key store .*do not delete the file/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('without any key store: new databases stay plain, with a notice; an existing key is not guessed at', () => {
    const dir = tempDir();
    const none = loadOrCreateDesktopDatabaseKey({ dir, safeStorage: fakeSafeStorage('basic_text', { available: false }), platform: 'linux' });
    expect(none.key).toBeNull();
    expect(none.warning).toMatch(/new databases are not encrypted; encrypt one later with "attest encrypt"/);
    writeFileSync(join(dir, DESKTOP_KEY_FILE), randomBytes(60), { mode: 0o600 });
    expect(() => loadOrCreateDesktopDatabaseKey({ dir, safeStorage: fakeSafeStorage('basic_text', { available: false }), platform: 'linux' })).toThrow(
      /cannot be read: this computer's key store is not available/,
    );
  });

  it('the first start makes an encrypted demo database; plain files made before keep opening as they are', async () => {
    const userData = tempDir();
    const { key } = loadOrCreateDesktopDatabaseKey({ dir: userData, safeStorage: fakeSafeStorage('gnome_libsecret'), platform: 'linux' });
    const demo = join(userData, 'attest-demo.db');
    expect(desktopKeyForFile(demo, key)).toBe(key);
    expect(ensureDemoDatabase(demo, { tickets: 5, key })).toBe(true);
    expect(fileKind(demo)).toBe('encrypted');
    expect(readFileSync(demo).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');

    const plain = join(userData, 'older.db');
    expect(ensureDemoDatabase(plain, { tickets: 5 })).toBe(true);
    expect(fileKind(plain)).toBe('sqlite');
    expect(desktopKeyForFile(plain, key)).toBeNull();

    for (const path of [demo, plain]) {
      // The console opens both (the demo has accounts: its sign-in screen answers), and both hold their 5 tickets.
      const core = openCore({ dbPath: path, key: desktopKeyForFile(path, key), role: 'admin', chainPollIntervalMs: 0 });
      try {
        const auth = await core.invoke('auth.state', {});
        expect(auth.ok && auth.value.mode).toBe('accounts');
      } finally {
        core.close();
      }
      const db = openReadOnly(path, { key: desktopKeyForFile(path, key) });
      expect(db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(5);
      db.close();
    }
    expect(fileKind(plain)).toBe('sqlite');
  });

  it('--key-file opens a database the CLI encrypted; other files keep the desktop rules', () => {
    const dir = tempDir();
    const keyFile = join(dir, 'cli.key');
    const cliKey = randomBytes(32);
    writeFileSync(keyFile, cliKey.toString('hex'), { mode: 0o600 });
    const args = parseShellArgs(['--db', 'ledger.db', '--key-file=cli.key'], dir);
    expect(args).toMatchObject({ db: join(dir, 'ledger.db'), keyFile });
    const desktopKey = randomBytes(32);
    expect(consoleKeyForFile(join(dir, 'ledger.db'), args, desktopKey)!.equals(cliKey)).toBe(true);
    expect(consoleKeyForFile(join(dir, 'other.db'), args, desktopKey)).toBe(desktopKey);
  });

  it('the bundled desktop start (a fake electron): a new database is encrypted, a weak key store is named, a file that is no database gets the plain sentence', async () => {
    const { buildElectron } = await import('../../scripts/build-electron.ts');
    const { createFakeElectron, loadWithFakeElectron } = await import('../electron/fake-electron.ts');
    const work = tempDir();
    const appPath = join(work, 'app');
    await buildElectron({ outDir: join(appPath, 'dist-electron'), quiet: true });
    mkdirSync(join(appPath, 'dist', 'renderer'), { recursive: true });
    writeFileSync(join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><div id="root"></div>');
    // Node caches a loaded bundle: the second start loads a copy of it.
    copyFileSync(join(appPath, 'dist-electron', 'main.cjs'), join(appPath, 'dist-electron', 'main-again.cjs'));
    const userData = join(work, 'user');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

    // A new database, on Linux without a keyring.
    const fresh = join(work, 'fresh.db');
    const first = createFakeElectron({ appPath, userData });
    Object.assign(first.electron.safeStorage, { getSelectedStorageBackend: () => 'basic_text' });
    let unhook = loadWithFakeElectron(join(appPath, 'dist-electron', 'main.cjs'), first.electron, ['.', `--db=${fresh}`]);
    try {
      first.emitReady();
      for (let i = 0; i < 200 && first.windows.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(first.errorBoxes).toEqual([]);
      expect(first.windows).toHaveLength(1);
      expect(fileKind(fresh)).toBe('encrypted');
      expect(statSync(join(userData, DESKTOP_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(first.messageBoxes[0]).toMatchObject({ type: 'warning', message: expect.stringMatching(/plain-text fallback/) });
      expect(warn.mock.calls.map((call) => String(call[0])).join('\n')).toMatch(/attest: WARNING: no system keyring/);
    } finally {
      first.emitApp('will-quit');
      unhook();
      warn.mockRestore();
    }

    // A file that is no database: the start-up dialog says so in one sentence, and nothing is written.
    const notes = join(work, 'notes.db');
    writeFileSync(notes, 'Shopping list: bread, milk.\n'.repeat(100));
    const before = readFileSync(notes);
    const second = createFakeElectron({ appPath, userData });
    unhook = loadWithFakeElectron(join(appPath, 'dist-electron', 'main-again.cjs'), second.electron, ['.', `--db=${notes}`]);
    try {
      second.emitReady();
      for (let i = 0; i < 200 && second.errorBoxes.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(second.errorBoxes).toHaveLength(1);
      expect(second.errorBoxes[0]!.title).toBe('Attest could not open its database');
      expect(second.errorBoxes[0]!.content).toMatch(new RegExp(`^${notes.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not an Attest database \\(nor any SQLite database\\)`));
      expect(second.errorBoxes[0]!.content).not.toMatch(/\n\s+at |SqliteError/);
      expect(second.exitCode()).toBe(1);
      expect(second.windows).toHaveLength(0);
      expect(readFileSync(notes).equals(before)).toBe(true);
    } finally {
      second.emitApp('will-quit');
      unhook();
    }
  });
});
