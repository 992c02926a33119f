import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './connection.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  sha256: string;
}

let migrationsDirOverride: string | undefined;

/** Bundled builds (Electron main) ship the .sql files beside the bundle and set their location here. */
export function setDefaultMigrationsDir(dir: string): void {
  migrationsDirOverride = dir;
}

export function defaultMigrationsDir(): string {
  return migrationsDirOverride ?? fileURLToPath(new URL('./migrations/', import.meta.url));
}

export function loadMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 3)),
        name: file,
        sql,
        sha256: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

export class MigrationError extends Error {}

export function applyMigrations(db: Db, dir: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = new Map(
    (db.prepare('SELECT version, name, sha256 FROM schema_migrations').all() as { version: number; name: string; sha256: string }[]).map(
      (row) => [row.version, row],
    ),
  );
  const available = loadMigrations(dir);
  for (const row of applied.values()) {
    const migration = available.find((m) => m.version === row.version);
    if (!migration) throw new MigrationError(`database has migration ${row.name} that this version of Attest does not know`);
    if (migration.sha256 !== row.sha256) {
      throw new MigrationError(
        `migration ${row.name} was edited after it was applied to this database (recorded sha256 ${row.sha256}, file has ${migration.sha256}); refusing to open`,
      );
    }
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)');
  for (const migration of available) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, migration.sha256, new Date().toISOString());
    })();
  }
}
