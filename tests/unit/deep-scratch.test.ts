// The deep check rebuilds every projection in a scratch database (electron/core/verification/deep-verify.ts
// openScratch): a file in a new folder of the OS's temporary folder instead of memory. These tests look at that file
// while the check runs (its stop question comes between phases and tables): for an encrypted ledger it holds no SQLite
// header and no ticket text; and the folder is gone when the check ends, passed or stopped, or, when its process was
// killed, once the next check starts.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import type { DatabaseKey } from '../../electron/core/db/database-key.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { VerificationStopped } from '../../electron/core/ledger/verify-range.ts';
import { deepProjectionFindings } from '../../electron/core/verification/deep-verify.ts';
import { tempDir } from './helpers.ts';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The ledgers a test opened, closed after it. */
const opened: Db[] = [];

function ledger(key: DatabaseKey | null): { db: Db; subjects: string[] } {
  const db = openDatabase(join(tempDir(), 'ledger.db'), { key });
  opened.push(db);
  writeDemoHistory(db, { tickets: 60, seed: 5, accounts: false });
  const subjects = db.prepare('SELECT DISTINCT subject FROM tickets WHERE length(subject) >= 12 LIMIT 20').pluck().all() as string[];
  return { db, subjects };
}

describe('the deep check’s scratch database', () => {
  // A temporary folder of this file's own, so no other test's scratch folder is looked at.
  let ownTmp: string;
  let previousTmp: string | undefined;
  beforeEach(() => {
    previousTmp = process.env.TMPDIR;
    ownTmp = mkdtempSync(join(tmpdir(), 'attest-deep-scratch-test-'));
    process.env.TMPDIR = ownTmp;
  });
  afterEach(() => {
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
    for (const db of opened.splice(0)) db.close();
    rmSync(ownTmp, { recursive: true, force: true });
  });

  const scratchFolders = (): string[] => readdirSync(ownTmp).filter((name) => name.startsWith('attest-deep-'));

  /** The deep check, with the bytes of its scratch file read at every pause; `stopAt`: the pause it is stopped at. */
  function deepWithLooks(db: Db, stopAt = Number.POSITIVE_INFINITY): { looks: Buffer[]; run: () => ReturnType<typeof deepProjectionFindings> } {
    const looks: Buffer[] = [];
    return {
      looks,
      run: () =>
        deepProjectionFindings(db, () => {
          for (const name of scratchFolders()) {
            const file = join(ownTmp, name, 'scratch.db');
            if (existsSync(file)) looks.push(readFileSync(file));
          }
          return looks.length >= stopAt;
        }),
    };
  }

  it('of an encrypted ledger is encrypted: no SQLite header, no ticket text; gone when the check ends', () => {
    const { db, subjects } = ledger(randomBytes(32) as DatabaseKey);
    expect(subjects.length).toBeGreaterThan(0);
    const { looks, run } = deepWithLooks(db);
    const report = run();
    expect(report.tablesCompared).toBeGreaterThan(10);
    expect(report.differences).toEqual([]);
    // Looked at between every phase and table, with the rebuilt projections in it.
    expect(looks.length).toBeGreaterThan(10);
    expect(Math.max(...looks.map((bytes) => bytes.length))).toBeGreaterThan(100_000);
    for (const bytes of looks) {
      expect(bytes.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)).toBe(false);
      for (const subject of subjects) expect(bytes.includes(subject), subject).toBe(false);
    }
    expect(scratchFolders()).toEqual([]);
  });

  it('of a plain ledger is a plain file (the ledger is plain on disk already), gone when the check ends', () => {
    const { db, subjects } = ledger(null);
    const { looks, run } = deepWithLooks(db);
    expect(run().differences).toEqual([]);
    const last = looks.at(-1)!;
    expect(last.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)).toBe(true);
    // The looks can see the scratch file's contents: the encrypted case above is not blind.
    expect(looks.some((bytes) => subjects.some((subject) => bytes.includes(subject)))).toBe(true);
    expect(scratchFolders()).toEqual([]);
  });

  it('left behind by a killed check is removed by the next one; a running check\'s folder is left alone', () => {
    // A process that has ended: its id names a folder nobody will remove but the next check.
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(ended.stdout);
    expect(Number.isInteger(deadPid) && deadPid > 0).toBe(true);
    const abandoned = join(ownTmp, `attest-deep-${deadPid}-Ab12Cd`);
    mkdirSync(abandoned, { mode: 0o700 });
    writeFileSync(join(abandoned, 'scratch.db'), 'rows of a killed check');
    // One of a process that still runs (this one's parent: the test runner) stays.
    const running = join(ownTmp, `attest-deep-${process.ppid}-Ef34Gh`);
    mkdirSync(running, { mode: 0o700 });
    const { db } = ledger(null);
    const seen: string[][] = [];
    deepProjectionFindings(db, () => {
      seen.push(scratchFolders());
      return false;
    });
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(running)).toBe(true);
    // While it ran, its own folder was named after this process.
    expect(seen[0]!.filter((name) => name.startsWith(`attest-deep-${process.pid}-`))).toHaveLength(1);
    expect(scratchFolders()).toEqual([`attest-deep-${process.ppid}-Ef34Gh`]);
  });

  it('is removed when the check is stopped part-way', () => {
    const { db } = ledger(null);
    const { looks, run } = deepWithLooks(db, 3);
    expect(run).toThrow(VerificationStopped);
    expect(looks).toHaveLength(3);
    expect(scratchFolders()).toEqual([]);
  });
});
