// The only module that opens a database. Swapping the driver (e.g. for better-sqlite3-multiple-ciphers,
// which has the same API) happens here and nowhere else.
import { readFileSync } from 'node:fs';
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

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (options.readonly) return openReadOnly(path);
  const db = new Database(path, { fileMustExist: Boolean(options.mustExist) });
  try {
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
 * as they are. A WAL database in a folder the reader may not write to (where SQLite cannot create its shared-memory
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
    if ((error as { code?: string }).code === 'SQLITE_CANTOPEN' || /unable to open/i.test((error as Error).message)) {
      const copy = new Database(readFileSync(path));
      tuneConnection(copy);
      return copy;
    }
    throw error;
  }
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
