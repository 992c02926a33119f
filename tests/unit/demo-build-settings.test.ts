// The demo is built in a private file synced once when complete, so its connection skips per-commit syncs and keeps a
// rollback journal instead of the write-ahead log (nobody else reads the file meanwhile); its large sorts go to
// temporary files only when the file is not encrypted (SQLite3MultipleCiphers does not encrypt them). The finished
// file is in write-ahead-log mode like every Attest file.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishPrivateBuild, openDatabase, tuneForPrivateBuild } from '../../electron/core/db/connection.ts';
import type { DatabaseKey } from '../../electron/core/db/database-key.ts';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { tempDir } from './helpers.ts';

const SYNCHRONOUS_OFF = 0;
const SYNCHRONOUS_FULL = 2;
const TEMP_STORE_FILE = 1;
const TEMP_STORE_MEMORY = 2;
/** Bytes 18 and 19 of a database file's header (https://sqlite.org/fileformat2.html#file_format_version_numbers): 2 for WAL. */
const fileFormatVersions = (path: string): [number, number] => {
  const header = readFileSync(path).subarray(0, 20);
  return [header[18]!, header[19]!];
};

describe('tuneForPrivateBuild', () => {
  it('a plain file: no per-commit sync, a rollback journal, temporary data on disk; an encrypted one keeps temporary data in memory', () => {
    const dir = tempDir();
    for (const [name, encrypted, tempStore] of [['plain.db', false, TEMP_STORE_FILE], ['encrypted.db', true, TEMP_STORE_MEMORY]] as const) {
      const db = openDatabase(join(dir, name));
      try {
        // What every other connection keeps.
        expect(db.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_FULL);
        expect(db.pragma('temp_store', { simple: true })).toBe(TEMP_STORE_MEMORY);
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        tuneForPrivateBuild(db, { encrypted });
        expect(db.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_OFF);
        expect(db.pragma('temp_store', { simple: true })).toBe(tempStore);
        expect(db.pragma('journal_mode', { simple: true })).toBe('truncate');
        finishPrivateBuild(db);
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        db.close();
      }
    }
  });

  it("the journal holds an encrypted file's pages encrypted, and a plain file's as they are", () => {
    const dir = tempDir();
    const marker = `marker-${randomBytes(12).toString('hex')}`;
    for (const [name, key] of [['plain.db', null], ['encrypted.db', randomBytes(32) as DatabaseKey]] as const) {
      const path = join(dir, name);
      const db = openDatabase(path, { key });
      try {
        tuneForPrivateBuild(db, { encrypted: key !== null });
        db.exec('CREATE TABLE notes (body TEXT NOT NULL)');
        db.prepare('INSERT INTO notes (body) VALUES (?)').run(marker);
        // Changing a page the file holds puts the page, as it was, into the journal until the commit.
        db.transaction(() => {
          db.prepare('UPDATE notes SET body = ?').run('changed');
          const journal = readFileSync(`${path}-journal`);
          expect(journal.length).toBeGreaterThan(0);
          expect(journal.includes(marker), name).toBe(key === null);
        })();
        finishPrivateBuild(db);
      } finally {
        db.close();
      }
    }
  });

  it('the finished demo is one file in write-ahead-log mode, nothing beside it', () => {
    const dir = tempDir();
    const path = join(dir, 'demo.db');
    createDemoDatabase(path, { tickets: 40 });
    expect(fileFormatVersions(path)).toEqual([2, 2]);
    expect(readdirSync(dir)).toEqual(['demo.db']);
    expect(existsSync(`${path}-journal`)).toBe(false);
  });
});
