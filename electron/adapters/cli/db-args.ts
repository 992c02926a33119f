import { existsSync } from 'node:fs';
import { openDatabase, openReadOnly, schemaState, type Db } from '../../core/db/connection.ts';
import { KeyFileError, keyFileOption, readKeyFile, useDatabaseKey } from '../../core/db/database-key.ts';
import { startupFailureMessage } from '../../core/db/startup-check.ts';
import { WriteGate, type WriteTurn } from '../../core/db/write-gate.ts';
import { beginWrite, waitingMessage, type WriteHolder, type WriteLock } from '../../core/db/write-lock.ts';
import { CliError } from './output.ts';

export function requireDb(flags: { db?: string }): string {
  if (!flags.db) throw new CliError('--db FILE is required', 2);
  return flags.db;
}

export function existingDb(flags: { db?: string }): string {
  const path = requireDb(flags);
  if (!existsSync(path)) throw new CliError(`${path}: no such database (create one with "attest demo --db ${path}" or "attest import")`);
  return path;
}

/** --key-file FILE, else $ATTEST_KEY_FILE (the key itself is never taken from the command line). */
export function keyFileFlag(flag: string | undefined): string | undefined {
  return keyFileOption(flag, process.env);
}

/**
 * Every connection this command opens to --db uses the key in --key-file / ATTEST_KEY_FILE (none given: a plain
 * file, as before). Called once, before the command runs.
 */
export function useKeyFileFor(values: { db?: unknown; 'key-file'?: unknown }): void {
  const keyFile = keyFileFlag(typeof values['key-file'] === 'string' ? values['key-file'] : undefined);
  if (!keyFile || typeof values.db !== 'string') return;
  try {
    useDatabaseKey(values.db, readKeyFile(keyFile));
  } catch (error) {
    if (error instanceof KeyFileError) throw new CliError(error.message, 2);
    throw error;
  }
}

/** The one line the CLI prints for a failure: SQLite's failures on --db in plain words (startup-check.ts). */
export function failureLine(error: unknown, db: string | undefined): string {
  return startupFailureMessage(error, db);
}

/**
 * For commands that only read (reports, explanations, lists): a read-only connection, so a look never changes the
 * file — no migration, no journal switch. A database of another schema version is named plainly instead.
 */
export function withDb<T>(path: string, work: (db: Db) => T): T {
  const db = openReadOnly(path);
  const schema = schemaState(db);
  if (schema.kind !== 'current') {
    db.close();
    if (schema.kind === 'not_attest') throw new CliError(`${path}: not an Attest ledger`);
    if (schema.kind === 'newer') throw new CliError(`${path}: written by a newer version of Attest (schema ${schema.version}; this version knows up to ${schema.latest})`);
    throw new CliError(`${path}: written by an older version of Attest (schema ${schema.version} of ${schema.latest}); a command that writes (e.g. "attest rebuild --db ${path}") upgrades it first — reports never change the file`);
  }
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Says on stderr, once per holder, that a write waits for another process. */
function sayWaiting(holder: WriteHolder | null, said: { last?: string }): void {
  const line = `attest: ${waitingMessage(holder)}\n`;
  if (line === said.last) return;
  said.last = line;
  process.stderr.write(line);
}

let processGate: WriteGate | null = null;
const gateSaid: { last?: string } = {};

/**
 * The command's write gate. A write that finds another process writing (the console importing, another CLI)
 * says so on stderr and waits — ATTEST_WRITE_WAIT_SECONDS, ten minutes by default — then fails with the
 * reason (exit 1) instead of "database is locked".
 */
export function cliWriteGate(): WriteGate {
  const said = gateSaid;
  processGate ??= new WriteGate({
    onStatus: (status) => {
      const waiting = status.waitingForProcess;
      if (waiting) sayWaiting(waiting.pid === null ? null : (waiting as WriteHolder), said);
      else said.last = undefined;
    },
  });
  return processGate;
}

/** One write of a command on an open database: its turn of the command's gate, in one transaction. */
export function cliWrite<T>(db: Db, what: string, work: () => T): Promise<T> {
  return cliWriteGate().write(db, what, work);
}

/** cliWrite's turns bound to one connection, for jobs that write in steps (`attest resolve`). */
export function cliWriteTurn(db: Db): WriteTurn {
  return cliWriteGate().turnOn(db);
}

/** Opens the write transaction of a long job on its own (an import), saying on stderr what it waits for. */
export function cliBeginWrite(db: Db, what: string): Promise<WriteLock> {
  const said: { last?: string } = {};
  return beginWrite(db, what, { onWait: (holder) => sayWaiting(holder, said) });
}

/** Opens the database, runs `work` as one write (see cliWriteGate), closes. */
export async function withWriteDb<T>(path: string, what: string, work: (db: Db) => T): Promise<T> {
  const db = openDatabase(path);
  try {
    return await cliWrite(db, what, () => work(db));
  } finally {
    db.close();
  }
}

export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new CliError(`${flag}: must be a non-negative integer, got "${value}"`, 2);
  return parsed;
}

