import { existsSync } from 'node:fs';
import { openDatabase, type Db } from '../../core/db/connection.ts';
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

export function withDb<T>(path: string, work: (db: Db) => T): T {
  const db = openDatabase(path);
  try {
    return work(db);
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

