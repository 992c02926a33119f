// Builders for the import-trust tests: a real ledger with Attest-only events, its export, ways to tamper with
// that export, and an independent look at a database (not the app's own code) to prove it did not change.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import canonicalize from 'canonicalize';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { importContract } from '../../electron/core/outcomes/contract-import.ts';
import { openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { exportSigned, SMALL_FIXTURE } from './helpers.ts';
import { BUYER, contractJson } from './outcome-kit.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

export function attest(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export const IMPORTER = { kind: 'human', id: 'ops-1' } as const;
export const AUDITOR = { kind: 'human', id: 'aud-1' } as const;

export interface BuiltLedger {
  dir: string;
  /** The ledger's database file (closed); copy it with copyOf() before changing anything. */
  dbPath: string;
  exportPath: string;
  /** The export's lines, without the final newline. */
  lines: string[];
}

/**
 * A ledger made only through the app's own functions: the small fixture imported from a file, a contract,
 * an outcome verification and a dispute, so its export holds Attest-only types (import.file, outcome.*).
 */
export function buildLedger(): BuiltLedger {
  const dir = mkdtempSync(join(tmpdir(), 'attest-trust-'));
  const dbPath = join(dir, 'original.db');
  const exportPath = join(dir, 'export.jsonl');
  const db = openDatabase(dbPath);
  try {
    importJsonlFile(db, SMALL_FIXTURE, { importedBy: IMPORTER });
    importContract(db, 'contract.json', contractJson(), BUYER);
    runVerification(db);
    openDisputeOn(db, 'T-1', 'the customer says the reset link never arrived', AUDITOR);
    exportSigned(db, exportPath);
  } finally {
    db.close();
  }
  return { dir, dbPath, exportPath, lines: readFileSync(exportPath, 'utf8').trimEnd().split('\n') };
}

/** A copy of a closed database file in `dir`. */
export function copyOf(source: string, dir: string, name: string): string {
  const target = join(dir, name);
  copyFileSync(source, target);
  return target;
}

/** An empty database (schema only), closed. */
export function emptyDatabase(dir: string, name = 'empty.db'): string {
  const path = join(dir, name);
  openDatabase(path).close();
  return path;
}

/**
 * SHA-256 of every table's rows and of the schema (triggers included), read through a plain read-only
 * connection: equal digests mean the import left the database exactly as it was.
 */
export function databaseDigest(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const digests: Record<string, string> = {};
    const schema = db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").raw().all();
    digests['(schema)'] = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    for (const table of tables) {
      const rows = (db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][]).map((row) => JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('hex') : value))).sort();
      digests[table] = createHash('sha256').update(rows.join('\n')).digest('hex');
    }
    return digests;
  } finally {
    db.close();
  }
}

export function eventCount(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
}

export type Line = Record<string, unknown>;

const parse = (text: string): Line => JSON.parse(text) as Line;

/**
 * An exported line's hash as an auditor computes it without Attest: the `canonicalize` package (RFC 8785)
 * and node:crypto's SHA-256 over {actor, at, payload, prevHash, recordedAt, seq, ticket, type}.
 */
export function independentHash(line: Line): string {
  const { seq, ticket, type, at, actor, recordedAt, prevHash, hash: _ignored, ...payload } = line;
  const preimage = canonicalize({ actor, at, payload, prevHash, recordedAt, seq, ticket, type })!;
  return createHash('sha256').update(preimage).digest('hex');
}

/** The line with its hash recomputed over its (changed) content. */
export function rehashed(line: Line): Line {
  return { ...line, hash: independentHash(line) };
}

/** A changed copy of the line (index 0-based); the caller decides whether to re-hash. */
function edited(lines: readonly string[], index: number, change: (line: Line) => Line): Line {
  return change(parse(lines[index]!));
}

export const changeBody = (line: Line): Line => ({ ...line, body: `${String(line.body)} Also: your refund of 500 EUR was approved.` });
export const changePrice = (line: Line): Line => ({ ...line, price: '999.99' });

export const tamperings = {
  /** 1. A line's content changed, its old hash kept. */
  contentChangedHashKept(lines: readonly string[], index: number): string[] {
    const copy = [...lines];
    copy[index] = JSON.stringify(edited(lines, index, changeBody));
    return copy;
  },
  /** 2. A line's content changed and its hash recomputed (the next line still links to the old hash). */
  contentChangedRehashed(lines: readonly string[], index: number): string[] {
    const copy = [...lines];
    copy[index] = JSON.stringify(rehashed(edited(lines, index, changeBody)));
    return copy;
  },
  /** 3. A line linked to something else (its prevHash changed) and re-hashed. */
  linkBroken(lines: readonly string[], index: number): string[] {
    const copy = [...lines];
    const twoBefore = parse(lines[index - 2]!).hash as string;
    copy[index] = JSON.stringify(rehashed({ ...parse(lines[index]!), prevHash: twoBefore }));
    return copy;
  },
  /** 4. A line dropped. */
  dropped(lines: readonly string[], index: number): string[] {
    return lines.filter((_, i) => i !== index);
  },
  /** 5. Two neighbouring lines swapped. */
  swapped(lines: readonly string[], index: number): string[] {
    const copy = [...lines];
    [copy[index], copy[index + 1]] = [copy[index + 1]!, copy[index]!];
    return copy;
  },
  /** 6. A line edited and every line from it on re-hashed and re-linked: a self-consistent rewritten history. */
  rechained(lines: readonly string[], index: number, change: (line: Line) => Line = changeBody): string[] {
    const copy = lines.map(parse);
    copy[index] = change(copy[index]!);
    for (let i = index; i < copy.length; i++) {
      if (i > index) copy[i] = { ...copy[i]!, prevHash: copy[i - 1]!.hash };
      copy[i] = rehashed(copy[i]!);
    }
    return copy.map((line) => JSON.stringify(line));
  },
  /** 7./8. The export plus one correctly chained line that continues its head, recorded at `recordedAt`. */
  continuedAt(lines: readonly string[], recordedAt: string): string[] {
    const head = parse(lines[lines.length - 1]!);
    const at = new Date(Date.parse(recordedAt) - 60_000).toISOString();
    const next: Line = {
      seq: (head.seq as number) + 1,
      ticket: 'T-3',
      type: 'csat',
      at,
      score: 1,
      actor: { kind: 'customer', id: 'c-9' },
      recordedAt,
      prevHash: head.hash,
    };
    return [...lines, JSON.stringify(rehashed(next))];
  },
};

export function writeLines(dir: string, name: string, lines: readonly (string | Line)[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  return path;
}

export const sha256OfFile = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
