// The demo is built in a private file synced once when complete: its connection holds the file alone, keeps the
// rollback journal in memory instead of a write-ahead log while it appends, skips per-commit syncs, and sends its
// large sorts to temporary files only when the file is not encrypted (SQLite3MultipleCiphers does not encrypt them).
// Its last projections go through the log, and the finished file is in WAL mode, as every Attest ledger is.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { finishPrivateBuild, openDatabase, privateBuildThroughLog, tuneForPrivateBuild } from '../../electron/core/db/connection.ts';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { tempDir } from './helpers.ts';

const SYNCHRONOUS_OFF = 0;
const SYNCHRONOUS_FULL = 2;
const TEMP_STORE_FILE = 1;
const TEMP_STORE_MEMORY = 2;

/** The file format's read and write versions (header bytes 18 and 19, sqlite.org/fileformat.html §1.3.3): 2 = WAL. */
const headerVersions = (path: string): [number, number] => {
  const header = readFileSync(path).subarray(18, 20);
  return [header[0]!, header[1]!];
};

describe('tuneForPrivateBuild', () => {
  it('a plain file: no per-commit sync, temporary data on disk; an encrypted one keeps temporary data in memory', () => {
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
        expect(db.pragma('journal_mode', { simple: true })).toBe('memory');
        expect(db.pragma('locking_mode', { simple: true })).toBe('exclusive');
      } finally {
        db.close();
      }
    }
  });

  it('holds the file alone, still rolls a failed transaction back, and leaves a WAL file with every commit in it', () => {
    const path = join(tempDir(), 'build.db');
    const db = openDatabase(path);
    try {
      tuneForPrivateBuild(db, { encrypted: false });
      db.exec('CREATE TABLE probe (n INTEGER)');
      db.prepare('INSERT INTO probe VALUES (1)').run();
      // A failing transaction leaves nothing behind: the journal in memory still undoes it.
      const failing = db.transaction(() => {
        db.prepare('INSERT INTO probe VALUES (2)').run();
        throw new Error('planted failure');
      });
      expect(() => failing()).toThrow('planted failure');
      expect(db.prepare('SELECT group_concat(n) FROM probe').pluck().get()).toBe('1');
      // No write-ahead log beside the file while it is built: the commits went into the file itself.
      expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
      // Nobody else can read the file meanwhile (another connection is refused at once, not after a wait).
      const other = new Database(path, { readonly: true, timeout: 0 });
      try {
        expect(() => other.prepare('SELECT count(*) FROM probe').get()).toThrow(/locked|busy/i);
      } finally {
        other.close();
      }
      // Through the log from here on: a commit now lands in the -wal file, and a failed transaction still rolls back.
      privateBuildThroughLog(db);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.prepare('INSERT INTO probe VALUES (3)').run();
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
      expect(() => failing()).toThrow('planted failure');
      finishPrivateBuild(db);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    expect(headerVersions(path)).toEqual([2, 2]);
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
    const reader = new Database(path, { readonly: true });
    try {
      expect(reader.prepare('SELECT group_concat(n) FROM probe').pluck().get()).toBe('1,3');
      expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      reader.close();
    }
  });

  it('a demo built this way appends with the journal in memory, writes through the log from its last projections on and ends a WAL file with nothing beside it', () => {
    const dir = tempDir();
    const path = join(dir, 'demo.db');
    // Whether the build's write-ahead log exists: the build file is the hidden one beside the demo's name.
    const logBesideBuild = (): boolean => readdirSync(dir).some((name) => name.startsWith('.demo.db.demo-partial-') && name.endsWith('-wal'));
    // The log is created at the first commit through it: absent after every batch of events, present once the last
    // projections are committed (the next stage, the knowledge base, starts after them).
    const seen: { progress: boolean[]; afterProjections: boolean[] } = { progress: [], afterProjections: [] };
    createDemoDatabase(path, {
      tickets: 40,
      accounts: false,
      batchEvents: 50,
      onProgress: () => seen.progress.push(logBesideBuild()),
      onStage: (stage) => {
        if (stage.stage === 'knowledge base') seen.afterProjections.push(logBesideBuild());
      },
    });
    expect(seen.progress.length).toBeGreaterThan(2);
    expect(seen.progress.every((exists) => !exists)).toBe(true);
    expect(seen.afterProjections).toEqual([true]);
    expect(headerVersions(path)).toEqual([2, 2]);
    for (const suffix of ['-wal', '-journal']) expect(existsSync(`${path}${suffix}`) ? statSync(`${path}${suffix}`).size : 0).toBe(0);
  });
});
