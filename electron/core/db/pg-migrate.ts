// The team ledger's schema on PostgreSQL: numbered, hashed migrations in pg-migrations/, beside the SQLite ones
// and under the same rules (a migration edited after it was applied, or one this version does not know, is refused).
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { loadMigrations, MigrationError, type Migration } from './migrate.ts';

let pgMigrationsDirOverride: string | undefined;

/** Bundled builds (Electron main) ship the .sql files beside the bundle and set their location here. */
export function setDefaultPgMigrationsDir(dir: string): void {
  pgMigrationsDirOverride = dir;
}

export function defaultPgMigrationsDir(): string {
  return pgMigrationsDirOverride ?? fileURLToPath(new URL('./pg-migrations/', import.meta.url));
}

/** One advisory lock key for schema changes, so two `team init` never migrate at once. */
const MIGRATION_LOCK = 0x61747374_01;

interface AppliedRow {
  version: number;
  name: string;
  sha256: string;
}

async function appliedMigrations(client: pg.ClientBase): Promise<Map<number, AppliedRow> | null> {
  const exists = await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!exists.rows[0].present) return null;
  const rows = (await client.query('SELECT version, name, sha256 FROM schema_migrations')).rows as AppliedRow[];
  return new Map(rows.map((row) => [Number(row.version), { ...row, version: Number(row.version) }]));
}

function checkApplied(applied: Map<number, AppliedRow>, available: Migration[]): void {
  for (const row of applied.values()) {
    const migration = available.find((m) => m.version === row.version);
    if (!migration) throw new MigrationError(`the team ledger has migration ${row.name} that this version of Attest does not know`);
    if (migration.sha256 !== row.sha256) {
      throw new MigrationError(`migration ${row.name} was edited after it was applied to the team ledger (recorded sha256 ${row.sha256}, file has ${migration.sha256}); refusing`);
    }
  }
}

/** Applies the missing migrations, each in its own transaction; returns the names applied now. */
export async function applyPgMigrations(client: pg.ClientBase, dir = defaultPgMigrationsDir()): Promise<string[]> {
  const available = loadMigrations(dir);
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied = (await appliedMigrations(client)) ?? new Map<number, AppliedRow>();
    checkApplied(applied, available);
    const done: string[] = [];
    for (const migration of available) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES ($1, $2, $3, $4)', [
          migration.version,
          migration.name,
          migration.sha256,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

/** Whether the team ledger's schema is the one this version ships; reads only. A console refuses any other. */
export async function pgSchemaProblem(client: pg.ClientBase, dir = defaultPgMigrationsDir()): Promise<string | null> {
  const applied = await appliedMigrations(client);
  if (!applied) return 'this PostgreSQL database holds no team ledger: run "attest team init --pg URL" first';
  const available = loadMigrations(dir);
  try {
    checkApplied(applied, available);
  } catch (error) {
    return (error as Error).message;
  }
  const missing = available.filter((m) => !applied.has(m.version));
  if (missing.length > 0) return `the team ledger's schema is older than this version of Attest (missing ${missing.map((m) => m.name).join(', ')}): run "attest team init --pg URL"`;
  return null;
}
