// The only module that opens a database. The driver is better-sqlite3-multiple-ciphers (better-sqlite3's API over
// SQLite3MultipleCiphers), so a file may be encrypted at rest; a plain file opens exactly as with better-sqlite3.
import { copyFileSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type BetterSqlite3 from 'better-sqlite3';
import { applyMigrations, defaultMigrationsDir, loadMigrations } from './migrate.ts';
import { databaseKeyFor, type DatabaseKey } from './database-key.ts';
import { explainSqliteFailure, openProblem } from './startup-check.ts';
import { makePrivateTempDir } from '../files/private-temp.ts';
import { readAhead } from './read-ahead.ts';

/**
 * A connection as the rest of Attest sees it: better-sqlite3's API (a type only; the object comes from
 * better-sqlite3-multiple-ciphers). Keying and re-keying stay in this module — a connection's key is chosen when it
 * is opened — and the tests' own raw connections (the same driver, opened without this module) stay assignable to it.
 * Plain better-sqlite3 is never loaded: two copies of SQLite in one process do not see each other's POSIX locks, so
 * one can truncate the WAL index the other has mapped (SIGBUS) — https://sqlite.org/howtocorrupt.html §2.2.1.
 */
export type Db = BetterSqlite3.Database;
export type Statement<Params extends unknown[] | object = unknown[], Result = unknown> = BetterSqlite3.Statement<Params, Result>;
type KeyedConnection = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Refuse to create a new file (every command but the ones that fill a database). */
  mustExist?: boolean;
  migrationsDir?: string;
  /** Skip migrations (only for tools that inspect a database as it is). */
  skipMigrations?: boolean;
  /**
   * The file's encryption key; null opens it as a plain file; undefined uses the key named for this file in this
   * process (database-key.ts useDatabaseKey), if any. A new file opened with a key is created encrypted.
   */
  key?: DatabaseKey | null;
  /**
   * Leave out SQLite's structural check (quick_check) at open, for a second connection of a process that opened the
   * same file with the check moments before: the console's own connection, checked when the console opened, writes
   * without checking again, and a job's connection (an import's: its transaction stays open across the job's yields)
   * is no different. The check reads the whole file on the opening thread — at a million tickets about half a minute,
   * in which the console answered nobody. The chain monitor's full check (integrity_check) re-reads the file in a
   * thread of its own.
   */
  structureCheckedByThisProcess?: boolean;
}

/**
 * ChaCha20-Poly1305, SQLite3MultipleCiphers' default, named explicitly so a change of the library's default can never
 * change how Attest's files are written. Chosen over SQLCipher v4 (AES-256-CBC + HMAC-SHA512) because it is
 * authenticated encryption of every page in one primitive (a changed byte fails the page's Poly1305 tag before the
 * chain check even runs), is constant-time in software on every CPU (no dependence on AES instructions), and keeps
 * bytes 16–23 of the header readable, which SQLite's WAL mode needs and which lets Attest tell an encrypted file
 * from one that is no database at all (database-key.ts fileKind). Both are sound; this one has fewer knobs.
 */
const CIPHER = 'chacha20';

/**
 * Keys the connection before its first read. "raw:" followed by exactly 32 bytes makes SQLite3MultipleCiphers use
 * the bytes as the page key and skip its passphrase key derivation (sqlite3mcExtractRawKey): the key file's bytes are
 * the key, with no text encoding in between that could mangle them. Pages of the -wal file are encrypted the same way;
 * the -shm index holds no record contents, and temporary tables stay in memory (temp_store below).
 */
function applyKey(db: KeyedConnection, key: DatabaseKey): void {
  db.pragma(`cipher = '${CIPHER}'`);
  db.key(Buffer.concat([Buffer.from('raw:', 'latin1'), key]));
}

function keyOf(path: string, options: { key?: DatabaseKey | null }): DatabaseKey | null {
  return options.key === undefined ? databaseKeyFor(path) : options.key;
}

/** The first read of a new connection: a wrong or missing key, a lock or a foreign file shows here, before any write. */
function touchSchema(db: Db): void {
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

/** The page cache of a connection (KiB), unless it asks for less: 256 MiB. */
const DEFAULT_CACHE_KIB = 262_144;

/** Connection settings only: none of them writes to the file. */
function tuneConnection(db: Db, cacheKiB = DEFAULT_CACHE_KIB): void {
  db.pragma(`cache_size = -${Math.max(1024, Math.floor(cacheKiB))}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('busy_timeout = 5000');
}

export class IntegrityError extends Error {}

/**
 * What SQLite finds wrong with the file's structure (empty when sound); reads only. 'quick' (before every write,
 * ~4 ms/MB) checks pages and records; 'full' (verification, ~10 ms/MB) also checks that every index matches its
 * table — a doctored index would make the rules and reports read another ticket's events.
 */
export function structuralProblems(db: Db, depth: 'quick' | 'full' = 'quick'): string[] {
  const pragma = depth === 'full' ? 'integrity_check' : 'quick_check';
  try {
    return (db.pragma(`${pragma}(5)`) as Record<string, string>[])
      .flatMap((row) => String(Object.values(row)[0]).split('\n'))
      .map((line) => line.trim())
      .filter((line) => line !== 'ok' && line !== '' && !line.startsWith('***'));
  } catch (error) {
    return [(error as Error).message];
  }
}

/**
 * SQLite's own structural check (pages, indexes, free list) — about 4 ms per MB. A file that fails it is never
 * written to: appending to a damaged file would bury the damage under new, validly hashed events.
 */
function requireSoundFile(db: Db, path: string): void {
  // The check visits pages in b-tree order: a file read through first is checked from the cache (read-ahead.ts).
  readAhead(path);
  const problems = structuralProblems(db);
  if (problems.length > 0) {
    throw new IntegrityError(
      `${path} fails SQLite's integrity check (${problems.join('; ')}); Attest will not write to it — check it with "attest verify" (read-only) and restore it from a backup`,
    );
  }
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const key = keyOf(path, options);
  if (options.readonly) return openReadOnly(path, { key });
  let db: KeyedConnection;
  try {
    db = new Database(path, { fileMustExist: Boolean(options.mustExist) });
  } catch (error) {
    throw explainSqliteFailure(path, error, key !== null) ?? error;
  }
  try {
    if (key) applyKey(db, key);
    touchSchema(db);
    if (!options.structureCheckedByThisProcess) requireSoundFile(db, path);
    const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
    // Before the first pragma or migration that could write: a file from a newer Attest is left exactly as it is.
    if (!options.skipMigrations) refuseNewerSchema(db, path, migrationsDir);
    db.pragma('journal_mode = WAL');
    // FULL: a commit is on the disk (the WAL fsynced) before Attest reports it done, so a power cut never loses an
    // acknowledged event (NORMAL could lose the last commits, though never corrupt the file). The crash soak relies on it.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    tuneConnection(db);
    if (!options.skipMigrations) applyMigrations(db, migrationsDir);
    return db as unknown as Db;
  } catch (error) {
    db.close();
    throw explainSqliteFailure(path, error, key !== null) ?? error;
  }
}

function refuseNewerSchema(db: Db, path: string, migrationsDir: string): void {
  const state = schemaState(db, migrationsDir);
  if (state.kind === 'newer') throw openProblem(path, 'newer_version', { version: state.version, latest: state.latest });
}

/**
 * Opens a database strictly for reading: no migrations, no pragma that writes, no WAL switch; the file's bytes stay
 * as they are. (SQLite itself keeps its -wal/-shm index files beside a WAL database while any connection reads it and
 * may leave them, empty, afterwards; they are never removed here: another process may be using them.) A WAL database in a folder the reader may not write to (where SQLite cannot create its shared-memory
 * index) is read from an in-memory copy instead, so an auditor's read-only copy can always be checked.
 */
export function openReadOnly(path: string, options: { key?: DatabaseKey | null; cacheKiB?: number } = {}): Db {
  const key = keyOf(path, options);
  let db: KeyedConnection | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    if (key) applyKey(db, key);
    tuneConnection(db, options.cacheKiB);
    // Touch the schema now: a WAL file that cannot be opened read-only fails here rather than mid-verification.
    touchSchema(db);
    return db as unknown as Db;
  } catch (error) {
    db?.close();
    // A WAL file whose folder the reader may not write (no shared-memory index possible): SQLite says CANTOPEN or
    // READONLY_DIRECTORY / READONLY_CANTINIT, at open or at the first read.
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) {
      // SQLite3MultipleCiphers decrypts through its own file layer, which an in-memory image does not pass through:
      // an encrypted file is read from a private copy on disk instead (still encrypted; removed when closed).
      if (key && existsSync(path)) return encryptedPrivateCopy(path, key);
      return inMemoryCopy(path);
    }
    throw explainSqliteFailure(path, error, key !== null) ?? error;
  }
}

/**
 * The file read whole into memory and opened there. Its header is switched from WAL to rollback mode in the copy
 * only (SQLite cannot open an in-memory image marked WAL); a non-empty -wal beside it would hold commits the copy
 * misses, so that case is refused with what to do instead.
 */
function inMemoryCopy(path: string): Db {
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new Error(`${path}: its write-ahead log ${wal} holds commits that a reader cannot apply in this folder; copy both files to a folder you can write, or open it once with Attest to checkpoint it`);
  }
  const image = readFileSync(path);
  if (image.length >= 20 && image[18] === 2 && image[19] === 2) {
    image[18] = 1;
    image[19] = 1;
  }
  const copy = new Database(image);
  tuneConnection(copy);
  return copy;
}

/** Connections that read a private copy of an encrypted file (see encryptedPrivateCopy). */
const privateCopies = new WeakSet<object>();

/**
 * An encrypted database in a folder the reader may not write, copied (with its -wal, if any) into a private temporary
 * folder (0700) and opened there with the key. The copy's bytes are the file's, still encrypted; the folder is removed
 * when the connection closes, or when this process exits.
 */
function encryptedPrivateCopy(path: string, key: DatabaseKey): Db {
  const folder = makePrivateTempDir('readcopy');
  const removeFolder = (): void => rmSync(folder, { recursive: true, force: true });
  process.once('exit', removeFolder);
  let copy: KeyedConnection | undefined;
  try {
    const copyPath = join(folder, basename(path));
    copyFileSync(path, copyPath);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copyPath}-wal`);
    copy = new Database(copyPath, { readonly: true, fileMustExist: true });
    applyKey(copy, key);
    tuneConnection(copy);
    touchSchema(copy);
    const close = copy.close.bind(copy);
    copy.close = () => {
      const closed = close();
      removeFolder();
      process.removeListener('exit', removeFolder);
      return closed;
    };
    privateCopies.add(copy);
    return copy as unknown as Db;
  } catch (error) {
    copy?.close();
    removeFolder();
    process.removeListener('exit', removeFolder);
    throw explainSqliteFailure(path, error, true) ?? error;
  }
}

/**
 * Whether this connection reads a copy of the file (in memory, or a private copy of an encrypted file; see
 * openReadOnly): worker threads, which open the file by its path, cannot share it.
 */
export function isInMemoryCopy(db: Db): boolean {
  return db.memory || privateCopies.has(db);
}

export type SchemaState =
  | { kind: 'current'; version: number }
  | { kind: 'older'; version: number; latest: number }
  | { kind: 'newer'; version: number; latest: number }
  | { kind: 'not_attest' };

/** The names of the database's tables; reads only. */
export function tableNames(db: Db): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
}

/**
 * For a database built under a private temporary name and thrown away unless it is completed (the demo):
 * - its commits are not synced one by one, since a crash loses only a file nobody uses; the builder syncs the
 *   finished file once, before it takes its final name;
 * - it keeps a rollback journal instead of the write-ahead log. Every commit is still atomic and a failed one is
 *   still rolled back (the journal holds each page as it was before the transaction changed it), but a page the build
 *   adds — most of what it writes: events, projection rows — is written once, into the file, where the log wrote it
 *   twice, into the log and again into the file at each checkpoint. No other connection reads the file meanwhile,
 *   which is what the log is for. `createDemoDatabase` at 300,000 tickets, alternated: 79.6 and 81.8 s with the log,
 *   77.3 and 79.9 s with the journal. An encrypted file's journal is encrypted with it (tests/unit/demo-build-settings.test.ts);
 * - unless it is encrypted, SQLite's temporary files go to disk rather than memory: a rebuild sums millions of rows
 *   in one sort (the SLA rollup), which held 1.2 GB of memory at a million tickets. An encrypted file keeps them in
 *   memory, because SQLite3MultipleCiphers does not encrypt temporary files.
 */
export function tuneForPrivateBuild(db: Db, options: { encrypted: boolean }): void {
  db.pragma('synchronous = OFF');
  requireJournalMode(db, 'truncate');
  if (!options.encrypted) db.pragma('temp_store = FILE');
}

/**
 * The end of a private build: the file back in write-ahead-log mode, as every Attest file is. Every commit is in the
 * file itself (the log is empty after the switch), so the file alone is the whole database.
 */
export function finishPrivateBuild(db: Db): void {
  requireJournalMode(db, 'wal');
}

function requireJournalMode(db: Db, mode: 'truncate' | 'wal'): void {
  // SQLite answers with the mode in force, which stays the old one when it cannot switch (inside a transaction).
  const now = db.pragma(`journal_mode = ${mode}`, { simple: true });
  if (now !== mode) throw new Error(`the database could not be switched to journal mode ${mode} (it is in ${String(now)})`);
}

/** Which schema a database has, compared with the migrations this version of Attest ships; reads only. */
export function schemaState(db: Db, migrationsDir = defaultMigrationsDir()): SchemaState {
  const tables = new Set(tableNames(db));
  if (!tables.has('events') || !tables.has('schema_migrations')) return { kind: 'not_attest' };
  const version = (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
  const latest = Math.max(0, ...loadMigrations(migrationsDir).map((m) => m.version));
  if (version === latest) return { kind: 'current', version };
  return version > latest ? { kind: 'newer', version, latest } : { kind: 'older', version, latest };
}

/**
 * A connection that holds `path` exclusively until it is closed (locking_mode EXCLUSIVE, set before the first access
 * so SQLite keeps the WAL index in this process's memory): no other process can read or write the file meanwhile.
 * Its write-ahead log is checkpointed into the file, so the file alone holds every commit. For re-encrypting the file
 * (db/encryption.ts); a file another program has open is named as locked.
 */
export function openExclusive(path: string, options: { key?: DatabaseKey | null } = {}): Db {
  const key = keyOf(path, options);
  let db: KeyedConnection | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    if (key) applyKey(db, key);
    db.pragma('locking_mode = EXCLUSIVE');
    touchSchema(db);
    requireSoundFile(db, path);
    const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (checkpoint && checkpoint.busy !== 0) throw openProblem(path, 'locked');
    return db as unknown as Db;
  } catch (error) {
    db?.close();
    throw explainSqliteFailure(path, error, key !== null) ?? error;
  }
}

/**
 * Re-encrypts the file at `path` — a private copy nobody else has open — from `fromKey` (null: plain) to `toKey`.
 * SQLite3MultipleCiphers rewrites every page in one transaction; it cannot do so in WAL mode, so the copy leaves WAL
 * mode for the rekey and returns to it after.
 */
export function rekeyFile(path: string, fromKey: DatabaseKey | null, toKey: DatabaseKey): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    if (fromKey) applyKey(db, fromKey);
    touchSchema(db);
    db.pragma('journal_mode = DELETE');
    db.pragma(`cipher = '${CIPHER}'`);
    db.rekey(Buffer.concat([Buffer.from('raw:', 'latin1'), toKey]));
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}
