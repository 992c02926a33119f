// The desktop app's database key: 32 random bytes made once per user, kept in the user-data folder encrypted with
// Electron's safeStorage (the OS keychain: Keychain on macOS, DPAPI on Windows, the Secret Service or KWallet on
// Linux). New databases the app creates are encrypted with it. No Electron import: main.ts passes safeStorage in, so
// this logic is tested in Node with a stand-in (tests/unit/desktop-database-key.test.ts).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_KEY_BYTES, fileKind, parseKey, readKeyFile, type DatabaseKey } from '../core/db/database-key.ts';

/** The part of Electron's safeStorage this module uses. */
export interface SafeStorageApi {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' is Electron's fallback when no keyring answers (a key hard-coded in Electron). */
  getSelectedStorageBackend?(): string;
}

export const DESKTOP_KEY_FILE = 'database-key.safestorage';

export interface DesktopDatabaseKey {
  /** null: the OS offers no way to protect a key, so new databases stay plain (and `warning` says so). */
  key: DatabaseKey | null;
  file: string;
  /** Whether the key was made now (the first start). */
  created: boolean;
  /** A notice the person must see, or null. */
  warning: string | null;
}

export class DesktopKeyError extends Error {}

function weakBackendWarning(safeStorage: SafeStorageApi, platform: NodeJS.Platform, dir: string): string | null {
  if (platform !== 'linux' || !safeStorage.getSelectedStorageBackend) return null;
  if (safeStorage.getSelectedStorageBackend() !== 'basic_text') return null;
  return (
    `no system keyring (GNOME Keyring, KWallet) answered, so Electron keeps Attest's database key with its plain-text ` +
    `fallback: anyone who can copy ${dir} can decrypt your databases. Install or unlock a keyring and restart Attest to protect new keys with it.`
  );
}

/**
 * The desktop key: read from `dir`/database-key.safestorage, or made and written there (mode 0600, written beside and
 * renamed into place) on the first start. A key file that cannot be decrypted is an error, never silently replaced: a
 * new key would lock the person out of every database encrypted with the old one.
 */
export function loadOrCreateDesktopDatabaseKey(options: { dir: string; safeStorage: SafeStorageApi; platform?: NodeJS.Platform }): DesktopDatabaseKey {
  const { dir, safeStorage } = options;
  const platform = options.platform ?? process.platform;
  const file = join(dir, DESKTOP_KEY_FILE);
  if (!safeStorage.isEncryptionAvailable()) {
    if (existsSync(file)) {
      throw new DesktopKeyError(`the database key in ${file} cannot be read: this computer's key store is not available; start Attest in your usual desktop session (do not delete the file)`);
    }
    return { key: null, file, created: false, warning: 'this computer offers no key store to protect a database key, so new databases are not encrypted; encrypt one later with "attest encrypt"' };
  }
  const warning = weakBackendWarning(safeStorage, platform, dir);
  if (existsSync(file)) {
    let hex: string;
    try {
      hex = safeStorage.decryptString(readFileSync(file));
    } catch (error) {
      throw new DesktopKeyError(
        `the database key in ${file} cannot be decrypted by this computer's key store (${(error as Error).message}); encrypted databases stay closed until it can — do not delete the file`,
      );
    }
    return { key: parseKey(Buffer.from(hex, 'latin1'), `the database key in ${file}`), file, created: false, warning };
  }
  const key = randomBytes(DATABASE_KEY_BYTES);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const partial = `${file}.${process.pid}.creating`;
  try {
    writeFileSync(partial, safeStorage.encryptString(key.toString('hex')), { mode: 0o600, flag: 'wx' });
    chmodSync(partial, 0o600);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { key, file, created: true, warning };
}

/**
 * The key the desktop app opens `path` with: the key file given with `--key-file` for the `--db` it names (a database
 * encrypted by the CLI), else desktopKeyForFile.
 */
export function consoleKeyForFile(path: string, shell: { db?: string; keyFile?: string }, desktopKey: DatabaseKey | null): DatabaseKey | null {
  if (shell.keyFile && shell.db === path) return readKeyFile(shell.keyFile);
  return desktopKeyForFile(path, desktopKey);
}

/**
 * The key the app opens `path` with: the desktop key for a new (missing or empty) file — new databases are encrypted
 * by default — and for an encrypted one; none for a plain file made before (or by the CLI), which keeps working as it
 * is until someone runs `attest encrypt` on it.
 */
export function desktopKeyForFile(path: string, key: DatabaseKey | null): DatabaseKey | null {
  if (!key) return null;
  const kind = fileKind(path);
  return kind === 'missing' || kind === 'empty' || kind === 'encrypted' ? key : null;
}
