// What a person reads when a database cannot be opened or written: one plain sentence naming the file, what is wrong
// and what to do — the same words in the CLI, `attest serve` and the desktop start (never a stack trace). SQLite's own
// error codes are the evidence; the file's first bytes (database-key.ts fileKind) tell an encrypted file from one that
// is not a database at all.
import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { databaseKeyFor, fileKind } from './database-key.ts';

export type OpenProblem =
  | 'encrypted_without_key'
  | 'wrong_key'
  | 'key_for_plain_file'
  | 'newer_version'
  | 'locked'
  | 'disk_full'
  | 'read_only'
  | 'corrupt'
  | 'not_a_database'
  | 'cannot_open';

/** A database that could not be opened or written, with the sentence to show; nothing was written to it. */
export class DatabaseOpenError extends Error {
  readonly path: string;
  readonly problem: OpenProblem;
  constructor(path: string, problem: OpenProblem, message: string) {
    super(message);
    this.name = 'DatabaseOpenError';
    this.path = path;
    this.problem = problem;
  }
}

export interface ProblemDetail {
  /** Newer version: the file's schema and the newest this version knows. */
  version?: number;
  latest?: number;
  /** SQLite's own words (corrupt files, unexpected failures). */
  sqlite?: string;
}

/** The sentence for `problem` on `path`. */
export function openProblemMessage(path: string, problem: OpenProblem, detail: ProblemDetail = {}): string {
  switch (problem) {
    case 'encrypted_without_key':
      return `${path} is encrypted and no key was given: pass its key file with --key-file FILE (or set ATTEST_KEY_FILE); the file was not changed`;
    case 'wrong_key':
      return `${path} is encrypted; the key given does not open it — use the key file it was encrypted with; the file was not changed`;
    case 'key_for_plain_file':
      return `${path} is not encrypted, but a key was given: open it without --key-file / ATTEST_KEY_FILE, or encrypt it first with "attest encrypt --db ${path} --key-file FILE"; the file was not changed`;
    case 'newer_version':
      return `${path} was written by a newer version of Attest (schema ${detail.version}; this version knows up to ${detail.latest}): open it with that version or a later one; the file was not changed`;
    case 'locked':
      return `${path} is locked by another program that holds it exclusively: close that program (or wait until it finishes) and try again; the file was not changed`;
    case 'disk_full':
      return `the disk holding ${path} is full: free some space on it and try again; the change was not written and the file is as it was`;
    case 'read_only':
      return `${path} cannot be written: the file or its folder is read-only — copy it to a folder you may write to, or check it read-only with "attest verify --db ${path}"; the file was not changed`;
    case 'corrupt':
      return `${path} is damaged${detail.sqlite ? ` (${detail.sqlite})` : ''}: restore it from a backup (check the copy with "attest verify --db FILE"); Attest did not write to it`;
    case 'not_a_database':
      return `${path} is not an Attest database (nor any SQLite database): choose the right file, or give a new file name to start a new ledger; the file was not changed`;
    case 'cannot_open':
      return `${path} cannot be opened${detail.sqlite ? ` (${detail.sqlite})` : ''}: check that the path exists and that you may read it; the file was not changed`;
  }
}

export function openProblem(path: string, problem: OpenProblem, detail: ProblemDetail = {}): DatabaseOpenError {
  return new DatabaseOpenError(path, problem, openProblemMessage(path, problem, detail));
}

/** SQLite's extended code ('SQLITE_READONLY_DIRECTORY') or undefined for errors that are not SQLite's. */
function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** Whether the file system holding `path` has (next to) no room left. */
function diskIsFull(path: string): boolean {
  try {
    const stats = statfsSync(dirname(path));
    return stats.bavail * stats.bsize < 64 * 1024;
  } catch {
    return false;
  }
}

/** Whether an existing file cannot be written, or its folder cannot (where SQLite keeps its -wal and -shm files). */
function cannotWriteBeside(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

/**
 * The plain error for an SQLite failure on `path` (at opening or at any later write), or null when `error` is not one
 * this module can name. `keyGiven`: whether the connection was opened with a key.
 */
export function explainSqliteFailure(path: string, error: unknown, keyGiven: boolean): DatabaseOpenError | null {
  if (error instanceof DatabaseOpenError) return error;
  const code = sqliteCode(error);
  if (!code) return null;
  const sqlite = (error as Error).message;
  if (code === 'SQLITE_NOTADB') {
    const kind = fileKind(path);
    if (kind === 'sqlite') return openProblem(path, keyGiven ? 'key_for_plain_file' : 'corrupt', { sqlite });
    if (kind === 'encrypted') return openProblem(path, keyGiven ? 'wrong_key' : 'encrypted_without_key');
    // Neither SQLite's header nor an encrypted one: with a key, a wrong key for a file encrypted by another tool
    // looks the same as a file that is no database — both are named.
    return keyGiven ? openProblem(path, 'wrong_key') : openProblem(path, 'not_a_database');
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return openProblem(path, 'locked');
  // SQLITE_FULL when a write finds no room; with no room at all SQLite already fails to size its shared-memory index
  // or its log (SQLITE_IOERR_SHMSIZE, _WRITE, _TRUNCATE…), which is told from other I/O errors by the free space left.
  if (code === 'SQLITE_FULL' || (code.startsWith('SQLITE_IOERR') && diskIsFull(path))) return openProblem(path, 'disk_full');
  if (code.startsWith('SQLITE_READONLY') || (code.startsWith('SQLITE_CANTOPEN') && cannotWriteBeside(path))) return openProblem(path, 'read_only');
  if (code.startsWith('SQLITE_CORRUPT')) return openProblem(path, 'corrupt', { sqlite });
  if (code.startsWith('SQLITE_CANTOPEN')) return openProblem(path, 'cannot_open', { sqlite });
  return null;
}

/**
 * The one sentence a person sees when opening (or writing) the database failed: a named problem as it is; any other
 * error by its message only — a stack trace is for the log, not for the person.
 */
export function startupFailureMessage(error: unknown, path?: string): string {
  if (path) {
    const explained = explainSqliteFailure(path, error, databaseKeyFor(path) !== null);
    if (explained) return explained.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
