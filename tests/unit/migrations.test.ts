import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { defaultMigrationsDir, loadMigrations } from '../../electron/core/db/migrate.ts';
import { tempDir } from './helpers.ts';

function copyMigrations(to: string): void {
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(defaultMigrationsDir())) copyFileSync(join(defaultMigrationsDir(), file), join(to, file));
}

describe('migrations', () => {
  it('applies every numbered migration once, recording its content hash, with STRICT tables and WAL', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'a.db'));
    const applied = db.prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(loadMigrations(defaultMigrationsDir()).map((m) => ({ version: m.version, name: m.name, sha256: m.sha256 })));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'tickets', 'sla_outcomes')").all() as { sql: string }[];
    expect(tables).toHaveLength(3);
    for (const table of tables) expect(table.sql).toMatch(/\bSTRICT\b/);
    db.close();
    const again = openDatabase(join(dir, 'a.db'));
    expect(again.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(applied.length);
    again.close();
  });

  it('refuses to open a database whose applied migration was edited afterwards', () => {
    const dir = tempDir();
    const migrations = join(dir, 'migrations');
    copyMigrations(migrations);
    openDatabase(join(dir, 'a.db'), { migrationsDir: migrations }).close();
    writeFileSync(join(migrations, '001_ledger.sql'), '-- edited\n', { flag: 'a' });
    expect(() => openDatabase(join(dir, 'a.db'), { migrationsDir: migrations })).toThrow(/001_ledger\.sql was edited after it was applied/);
  });

  it('rolls a failing migration back completely', () => {
    const dir = tempDir();
    const migrations = join(dir, 'migrations');
    copyMigrations(migrations);
    writeFileSync(join(migrations, '999_broken.sql'), 'CREATE TABLE half_done (x INTEGER) STRICT;\nTHIS IS NOT SQL;\n');
    expect(() => openDatabase(join(dir, 'b.db'), { migrationsDir: migrations })).toThrow();
    const db = openDatabase(join(dir, 'b.db'), { skipMigrations: true });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBeLessThan(999);
    db.close();
  });
});
