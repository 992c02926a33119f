// The demo is built in a private file synced once when complete, so its connection skips per-commit syncs; its large
// sorts go to temporary files only when the file is not encrypted (SQLite3MultipleCiphers does not encrypt them).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, tuneForPrivateBuild } from '../../electron/core/db/connection.ts';
import { tempDir } from './helpers.ts';

const SYNCHRONOUS_OFF = 0;
const SYNCHRONOUS_FULL = 2;
const TEMP_STORE_FILE = 1;
const TEMP_STORE_MEMORY = 2;

describe('tuneForPrivateBuild', () => {
  it('a plain file: no per-commit sync, temporary data on disk; an encrypted one keeps temporary data in memory', () => {
    const dir = tempDir();
    for (const [name, encrypted, tempStore] of [['plain.db', false, TEMP_STORE_FILE], ['encrypted.db', true, TEMP_STORE_MEMORY]] as const) {
      const db = openDatabase(join(dir, name));
      try {
        // What every other connection keeps.
        expect(db.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_FULL);
        expect(db.pragma('temp_store', { simple: true })).toBe(TEMP_STORE_MEMORY);
        tuneForPrivateBuild(db, { encrypted });
        expect(db.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_OFF);
        expect(db.pragma('temp_store', { simple: true })).toBe(tempStore);
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        db.close();
      }
    }
  });
});
