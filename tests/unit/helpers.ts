import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';

export const SMALL_FIXTURE = fileURLToPath(new URL('../fixtures/small.jsonl', import.meta.url));

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attest-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A real SQLite file in a temporary directory, closed and removed after the test. */
export function tempDb(): { db: Db; path: string; dir: string } {
  const dir = tempDir();
  const path = join(dir, 'attest.db');
  const db = openDatabase(path);
  cleanups.unshift(() => db.open && db.close());
  return { db, path, dir };
}

/** Runs raw SQL the way an attacker with the sqlite3 shell would: triggers dropped first. */
export function tamper(db: Db, sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
  db.prepare(sql).run(...params);
}
