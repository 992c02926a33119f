// The installation's Ed25519 key, which signs its checkpoints. The private key is a PKCS#8 PEM file with
// mode 0600 in the user data folder; in Electron it is stored encrypted with safeStorage (a protector the
// main process passes in — the core never imports electron). Created on first use.
import { createPrivateKey, createPublicKey, generateKeyPairSync, hash, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { formatVerifierKey, parseVerifierKey, rawEd25519PublicKey, type NoteSigner, type VerifierKey } from './signed-note.ts';

/** Encrypts the key file's bytes at rest (Electron's safeStorage), and decrypts them. */
export interface KeyProtector {
  encrypt(plain: Buffer): Buffer;
  decrypt(encrypted: Buffer): Buffer;
}

export interface InstallationKeyOptions {
  /** The folder holding the key; default: userDataDir(). */
  dir?: string;
  protector?: KeyProtector;
}

export interface InstallationKey extends NoteSigner {
  /** `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`. */
  verifierKey: string;
  /** SPKI PEM of the public key. */
  publicKeyPem: string;
  privateKeyFile: string;
  publicKeyFile: string;
}

// A protected key is a different file (and a different key) from a plain one, so the CLI never tries to
// read bytes only Electron's safeStorage can decrypt.
const PLAIN_KEY_FILE = 'installation-key.pem';
const PROTECTED_KEY_FILE = 'installation-key.protected';
/** installation-key.pem → installation-key.pub.pem; installation-key.protected → installation-key.protected.pub.pem. */
const publicFileOf = (privateFile: string): string => `${privateFile.replace(/\.pem$/, '')}.pub.pem`;

/** $ATTEST_HOME, else the OS user-data folder: ~/.config/attest (or $XDG_CONFIG_HOME/attest), ~/Library/Application Support/attest, %APPDATA%/attest. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ATTEST_HOME) return env.ATTEST_HOME;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'attest');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'attest');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'attest');
}

/** A stable name per key: "attest-" and the first 8 hex digits of SHA-256 of the raw public key. */
export function installationKeyName(rawPublicKey: Uint8Array): string {
  return `attest-${hash('sha256', rawPublicKey, 'hex').slice(0, 8)}`;
}

function describe(privateKey: KeyObject, privateKeyFile: string): InstallationKey {
  const publicKey = createPublicKey(privateKey);
  const rawPublicKey = rawEd25519PublicKey(publicKey);
  const name = installationKeyName(rawPublicKey);
  return {
    name,
    privateKey,
    rawPublicKey,
    verifierKey: formatVerifierKey(name, rawPublicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privateKeyFile,
    publicKeyFile: publicFileOf(privateKeyFile),
  };
}

/** Writes a file readable by its owner only, atomically (a crash never leaves half a key). */
function writePrivateFile(path: string, bytes: Buffer): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600); // the umask may have narrowed it further; never widened
  renameSync(temporary, path);
}

/** Loads the installation's key, creating it (and its public PEM beside it) on first use. */
export function loadOrCreateInstallationKey(options: InstallationKeyOptions = {}): InstallationKey {
  const dir = options.dir ?? userDataDir();
  const file = join(dir, options.protector ? PROTECTED_KEY_FILE : PLAIN_KEY_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file);
    const pem = options.protector ? options.protector.decrypt(stored) : stored;
    const key = describe(createPrivateKey({ key: pem, format: 'pem' }), file);
    if (!existsSync(key.publicKeyFile)) writeFileSync(key.publicKeyFile, key.publicKeyPem);
    return key;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  writePrivateFile(file, options.protector ? options.protector.encrypt(pem) : pem);
  const key = describe(privateKey, file);
  writeFileSync(key.publicKeyFile, key.publicKeyPem);
  return key;
}

/** The public keys of the installation keys present in `dir` (read only: never creates a key). */
export function installationVerifierKeys(dir: string = userDataDir()): VerifierKey[] {
  const keys: VerifierKey[] = [];
  for (const privateFile of [PLAIN_KEY_FILE, PROTECTED_KEY_FILE]) {
    const publicFile = join(dir, publicFileOf(privateFile));
    if (existsSync(publicFile)) keys.push(verifierKeyFromPem(readFileSync(publicFile, 'utf8')));
  }
  return keys;
}

/** A verifier key from an Ed25519 public key PEM, named as the installation names its keys. */
export function verifierKeyFromPem(pem: string): VerifierKey {
  const rawPublicKey = rawEd25519PublicKey(createPublicKey({ key: pem, format: 'pem' }));
  return parseVerifierKey(formatVerifierKey(installationKeyName(rawPublicKey), rawPublicKey));
}
