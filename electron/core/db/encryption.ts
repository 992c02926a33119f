// `attest encrypt` and `attest rekey`: a database re-encrypted in place, atomically. The file is held exclusively, a
// private copy beside it is re-encrypted and checked, and only a copy whose check matches the original's replaces it
// (one rename). Any failure — a wrong key, a full disk, a check that differs — leaves the original exactly as it was
// and no copy behind.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openExclusive, rekeyFile } from './connection.ts';
import { fileKind, useDatabaseKey, type DatabaseKey } from './database-key.ts';
import { explainSqliteFailure, openProblem } from './startup-check.ts';

/** What must be the same before and after: the verdict of `attest verify` and the head it reports. */
export interface LedgerFingerprint {
  intact: boolean;
  eventCount: number;
  headHash: string;
  problems: string[];
}

export interface ReEncryptOptions {
  /** The file's key now; null: the file is plain (`attest encrypt`). */
  fromKey: DatabaseKey | null;
  toKey: DatabaseKey;
  /** Verifies the file at a path, opened read-only with the key named for it (useDatabaseKey). */
  fingerprint: (path: string) => Promise<LedgerFingerprint>;
}

export interface ReEncryptResult {
  before: LedgerFingerprint;
  after: LedgerFingerprint;
}

export class ReEncryptError extends Error {}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function sameFingerprint(a: LedgerFingerprint, b: LedgerFingerprint): boolean {
  return a.intact === b.intact && a.eventCount === b.eventCount && a.headHash === b.headHash && a.problems.join('\n') === b.problems.join('\n');
}

export async function reEncryptDatabase(path: string, options: ReEncryptOptions): Promise<ReEncryptResult> {
  const kind = fileKind(path);
  if (kind === 'missing') throw new ReEncryptError(`${path}: no such database`);
  if (options.fromKey === null && kind === 'encrypted') {
    throw new ReEncryptError(`${path} is already encrypted: change its key with "attest rekey --db ${path} --key-file OLD --new-key-file NEW"`);
  }
  if (options.fromKey !== null && kind === 'sqlite') throw openProblem(path, 'key_for_plain_file');
  if (kind === 'unknown' || kind === 'empty') throw openProblem(path, 'not_a_database');
  if (options.fromKey && options.fromKey.equals(options.toKey)) throw new ReEncryptError('the new key is the same as the old one; make a new one with "openssl rand -hex 32 > FILE"');

  // Held until the new file is in place: nobody writes to the original between the copy and the rename.
  const holder = openExclusive(path, { key: options.fromKey });
  const copy = join(dirname(path), `.${basename(path)}.rekey-${randomBytes(6).toString('hex')}`);
  const removeCopy = (suffixes = ['', '-wal', '-shm', '-journal']): void => {
    for (const suffix of suffixes) rmSync(copy + suffix, { force: true });
  };
  try {
    copyFileSync(path, copy);
    chmodSync(copy, statSync(path).mode & 0o777);
    // Both checks read the same snapshot (the copy), before and after its re-encryption.
    useDatabaseKey(copy, options.fromKey);
    const before = await options.fingerprint(copy);
    try {
      rekeyFile(copy, options.fromKey, options.toKey);
    } catch (error) {
      throw explainSqliteFailure(path, error, options.fromKey !== null) ?? error;
    }
    useDatabaseKey(copy, options.toKey);
    const after = await options.fingerprint(copy);
    useDatabaseKey(copy, null);
    if (!sameFingerprint(before, after)) {
      throw new ReEncryptError(
        `${path}: the re-encrypted copy does not verify the same as the original (before: ${before.eventCount} events, head ${before.headHash}; after: ${after.eventCount} events, head ${after.headHash}); the original was left as it was`,
      );
    }
    removeCopy(['-wal', '-shm', '-journal']);
    fsyncPath(copy);
    renameSync(copy, path);
    fsyncPath(dirname(path));
    // A shared-memory index a reader left beside the old file describes the old file's log: gone with it. (Nobody else
    // has it open: this connection holds the file exclusively and keeps its own index in memory.)
    rmSync(`${path}-shm`, { force: true });
    useDatabaseKey(path, options.toKey);
    return { before, after };
  } catch (error) {
    useDatabaseKey(copy, null);
    removeCopy();
    throw error;
  } finally {
    // Closing checkpoints nothing (the log was emptied) and removes the original's empty -wal by name: the new file
    // has none yet, and no one else could open it while this connection held the lock.
    holder.close();
  }
}
