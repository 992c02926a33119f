// The only module that opens a database. Swapping the driver (e.g. for better-sqlite3-multiple-ciphers,
// which has the same API) happens here and nowhere else.
import Database from 'better-sqlite3';
import { applyMigrations, defaultMigrationsDir } from './migrate.ts';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Refuse to create a new file (every command but the ones that fill a database). */
  mustExist?: boolean;
  migrationsDir?: string;
  /** Skip migrations (only for tools that inspect a database as it is). */
  skipMigrations?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: Boolean(options.readonly || options.mustExist) });
  try {
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    db.pragma('busy_timeout = 5000');
    if (!options.skipMigrations && !options.readonly) applyMigrations(db, options.migrationsDir ?? defaultMigrationsDir());
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
