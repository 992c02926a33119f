// The key that encrypts a database at rest, where it comes from (a key file, the desktop key store) and which file it
// opens. Plain TypeScript, no Electron: the CLI, `attest serve`, the desktop shell and worker threads share it.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** 32 random bytes: the raw ChaCha20-Poly1305 key of a database (no passphrase, no key derivation). */
export type DatabaseKey = Buffer;

export const DATABASE_KEY_BYTES = 32;

export class KeyFileError extends Error {}

/**
 * Reads a key file: exactly 32 raw bytes (`head -c 32 /dev/urandom > attest.key`) or 64 hex digits with an optional
 * line end (`openssl rand -hex 32 > attest.key`). Anything else is refused: a passphrase typed into a file would be a
 * far weaker key than it looks. On POSIX systems a key file that its group or others may read is refused as well
 * (like ssh does with private keys): a key beside the database that anyone can read protects nothing.
 */
export function readKeyFile(path: string, platform: NodeJS.Platform = process.platform): DatabaseKey {
  let bytes: Buffer;
  let mode: number;
  try {
    const fd = openSync(path, 'r');
    try {
      mode = fstatSync(fd).mode;
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new KeyFileError(`key file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeyFileError(
      `key file ${path}: readable by other users (mode ${(mode & 0o777).toString(8)}); make it private with "chmod 600 ${path}" and try again`,
    );
  }
  return parseKey(bytes, `key file ${path}`);
}

/** The key in `bytes`: 32 raw bytes, or 64 hex digits (a trailing line end allowed). */
export function parseKey(bytes: Buffer, what: string): DatabaseKey {
  if (bytes.length === DATABASE_KEY_BYTES) return Buffer.from(bytes);
  const text = bytes.toString('latin1').replace(/\r?\n$/, '');
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  throw new KeyFileError(
    `${what}: must hold a 256-bit key — 32 raw bytes or 64 hex digits (make one with "openssl rand -hex 32 > FILE"); it has ${bytes.length} bytes`,
  );
}

/**
 * The key file a command uses: `--key-file F`, else $ATTEST_KEY_FILE. The key itself is never taken from the command
 * line or the environment (both are visible to other users of the machine in the process list).
 */
export function keyFileOption(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = env.ATTEST_KEY_FILE;
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

// ---------------------------------------------------------------------------------------------------------------
// Which key opens which file. The CLI, `attest serve` and the desktop shell name the key once, for their database;
// every later open of that file in this process (the console's chain monitor, an import's own connection, a team
// replica, the checkpoint schedule) finds it here, so no second connection can open the file without it. Worker
// threads do not share this module's state: their parent hands them the key (databaseKeyFor) with their work.

const keys = new Map<string, DatabaseKey>();

/** One name per file: the absolute path with its folder's symbolic links resolved (the file itself may not exist yet). */
function fileIdentity(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/** From now on every connection to `path` in this process is opened with `key` (null: without one). */
export function useDatabaseKey(path: string, key: DatabaseKey | null): void {
  if (path === ':memory:' || path === '') return;
  if (key === null) {
    keys.delete(fileIdentity(path));
    return;
  }
  if (key.length !== DATABASE_KEY_BYTES) throw new KeyFileError(`a database key has ${DATABASE_KEY_BYTES} bytes, not ${key.length}`);
  keys.set(fileIdentity(path), Buffer.from(key));
}

/** The key named for `path` in this process, or null (a plain file). */
export function databaseKeyFor(path: string): DatabaseKey | null {
  if (path === ':memory:' || path === '') return null;
  return keys.get(fileIdentity(path)) ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// What a file looks like from its first bytes, without opening it as a database (so nothing is written).

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export type FileKind = 'missing' | 'empty' | 'sqlite' | 'encrypted' | 'unknown';

/**
 * 'sqlite': a plain SQLite file; 'encrypted': a file whose first 16 bytes are not SQLite's header but whose bytes
 * 16–23 are a database header SQLite3MultipleCiphers leaves readable (page size, file format, 32 reserved bytes per
 * page for ChaCha20-Poly1305's nonce and tag, and SQLite's fixed payload fractions 64/32/32); 'unknown': anything else
 * (not a database, or damaged beyond recognition).
 */
export function fileKind(path: string): FileKind {
  if (!existsSync(path)) return 'missing';
  const head = Buffer.alloc(100);
  let read: number;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return 'unknown';
  }
  if (read === 0) return 'empty';
  if (read >= 16 && head.subarray(0, 16).equals(SQLITE_HEADER)) return 'sqlite';
  if (read < 24) return 'unknown';
  const pageSize = head.readUInt16BE(16) === 1 ? 65536 : head.readUInt16BE(16);
  const validPageSize = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
  const validFormat = [1, 2].includes(head[18]!) && [1, 2].includes(head[19]!);
  const payloadFractions = head[21] === 64 && head[22] === 32 && head[23] === 32;
  return validPageSize && validFormat && head[20]! > 0 && payloadFractions ? 'encrypted' : 'unknown';
}
