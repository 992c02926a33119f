// A private database for work that needs room but must not hold it in the process (the deep check's rebuilt
// projections): a file in a new folder of the OS's temporary folder (mode 700, named after this process), removed
// when done; the folders of processes killed before they could remove theirs are removed by the next one.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateTempDir, removeAbandonedTempDirs } from '../files/private-temp.ts';
import { openDatabase, type Db } from './connection.ts';
import type { DatabaseKey } from './database-key.ts';

/** The purpose in the scratch folders' names: `attest-deep-<pid>-XXXXXX`. */
const SCRATCH_PURPOSE = 'deep';

export interface ScratchDatabase {
  db: Db;
  /** Closes the database and removes its folder. */
  remove(): void;
}

/**
 * `encrypted`: the file is encrypted with a random key that exists only in this process (for a copy of an encrypted
 * ledger: no ledger text reaches the disk in the clear). `cacheKiB`: its page cache, the most of it the process holds.
 */
export function openScratchDatabase(options: { encrypted: boolean; cacheKiB: number }): ScratchDatabase {
  // A killed check (the console closed by force, the machine stopped) leaves its scratch behind: a copy of the ledger
  // and its projections, encrypted when the ledger is, but not ours to keep.
  removeAbandonedTempDirs(SCRATCH_PURPOSE);
  let dir: string;
  try {
    dir = makePrivateTempDir(SCRATCH_PURPOSE);
  } catch {
    // No temporary folder to write in (a locked-down machine): the work still runs, in memory.
    const memory = openDatabase(':memory:');
    return { db: memory, remove: () => memory.close() };
  }
  try {
    const db = openDatabase(join(dir, 'scratch.db'), { key: options.encrypted ? (randomBytes(32) as DatabaseKey) : null });
    // Nothing here outlives the work: no write-ahead log (pages go straight to the file; the rollback journal of the few
    // pages an append changes stays in memory), no waiting for the disk. A plain scratch's sorts may spill to files as
    // well (SQLite's temporary files are never encrypted, so an encrypted scratch keeps them in memory).
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma(`cache_size = -${Math.floor(options.cacheKiB)}`);
    if (!options.encrypted) db.pragma('temp_store = FILE');
    return {
      db,
      remove: () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
