// The only module that opens a database. Swapping the driver (e.g. for better-sqlite3-multiple-ciphers,
// which has the same API) happens here and nowhere else.
import { existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { applyMigrations, defaultMigrationsDir, loadMigrations } from './migrate.ts';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Refuse to create a new file (every command but the ones that fill a database). */
  mustExist?: boolean;
  migrationsDir?: string;
  /** Skip migrations (only for tools that inspect a database as it is). */
  skipMigrations?: boolean;
}

/** Connection settings only: none of them writes to the file. */
function tuneConnection(db: Db): void {
  db.pragma('cache_size = -262144');
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
  const problems = structuralProblems(db);
  if (problems.length > 0) {
    throw new IntegrityError(
      `${path} fails SQLite's integrity check (${problems.join('; ')}); Attest will not write to it — check it with "attest verify" (read-only) and restore it from a backup`,
    );
  }
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (options.readonly) return openReadOnly(path);
  const db = new Database(path, { fileMustExist: Boolean(options.mustExist) });
  try {
    requireSoundFile(db, path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    tuneConnection(db);
    if (!options.skipMigrations) applyMigrations(db, options.migrationsDir ?? defaultMigrationsDir());
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens a database strictly for reading: no migrations, no pragma that writes, no WAL switch; the file's bytes stay
 * as they are. (SQLite itself keeps its -wal/-shm index files beside a WAL database while any connection reads it and
 * may leave them, empty, afterwards; they are never removed here: another process may be using them.) A WAL database in a folder the reader may not write to (where SQLite cannot create its shared-memory
 * index) is read from an in-memory copy instead, so an auditor's read-only copy can always be checked.
 */
export function openReadOnly(path: string): Db {
  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    tuneConnection(db);
    // Touch the schema now: a WAL file that cannot be opened read-only fails here rather than mid-verification.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db?.close();
    // A WAL file whose folder the reader may not write (no shared-memory index possible): SQLite says CANTOPEN or
    // READONLY_DIRECTORY / READONLY_CANTINIT, at open or at the first read.
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) return inMemoryCopy(path);
    throw error;
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

/** Whether this connection reads an in-memory copy (see openReadOnly): worker threads cannot share it. */
export function isInMemoryCopy(db: Db): boolean {
  return db.memory;
}

export type SchemaState =
  | { kind: 'current'; version: number }
  | { kind: 'older'; version: number; latest: number }
  | { kind: 'newer'; version: number; latest: number }
  | { kind: 'not_attest' };

/** Which schema a database has, compared with the migrations this version of Attest ships; reads only. */
export function schemaState(db: Db, migrationsDir = defaultMigrationsDir()): SchemaState {
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  if (!tables.has('events') || !tables.has('schema_migrations')) return { kind: 'not_attest' };
  const version = (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
  const latest = Math.max(0, ...loadMigrations(migrationsDir).map((m) => m.version));
  if (version === latest) return { kind: 'current', version };
  return version > latest ? { kind: 'newer', version, latest } : { kind: 'older', version, latest };
}
