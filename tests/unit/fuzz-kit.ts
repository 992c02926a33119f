// Shared by the fuzz tests: how many cases to run, and a digest of every row of every table, so "the database
// is unchanged" is checked on the whole file, not on the few tables a test thinks of.
import { createHash } from 'node:crypto';
import type { Db } from '../../electron/core/db/connection.ts';

/**
 * Cases per property: the regular suite's count times ATTEST_FUZZ_RUNS (a multiplier, default 1). A soak run
 * sets e.g. ATTEST_FUZZ_RUNS=20 for twenty times as many cases.
 */
export function fuzzRuns(regular: number): number {
  const factor = Number(process.env.ATTEST_FUZZ_RUNS ?? '1');
  return Math.max(1, Math.round(regular * (Number.isFinite(factor) && factor > 0 ? factor : 1)));
}

/** Fixed seed in the regular suite (a failure reproduces); ATTEST_FUZZ_SEED explores others. */
export const FUZZ_SEED = Number(process.env.ATTEST_FUZZ_SEED ?? '20261130');

/** Cases run per test file, printed at its end (the issue's count of fuzz cases). */
export class CaseCounter {
  private readonly counts = new Map<string, number>();
  add(name: string, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }
  total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  report(title: string): string {
    return `${title}: ${this.total()} fuzz cases (${[...this.counts].map(([name, n]) => `${name} ${n}`).join(', ')})`;
  }
}

/** A prepared SELECT without parameters. */
type Statement = { all(): unknown[] };
/** Each connection's per-table SELECTs, prepared once (the schema does not change during a test). */
const selects = new WeakMap<Db, { table: string; select: Statement }[]>();

function tableSelects(db: Db): { table: string; select: Statement }[] {
  let list = selects.get(db);
  if (!list) {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    list = tables.map((table) => ({ table, select: db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).raw() as unknown as Statement }));
    selects.set(db, list);
  }
  return list;
}

/** SHA-256 over every row of every table (sorted, so the digest ignores row order but nothing else). */
export function databaseDigest(db: Db): string {
  const hash = createHash('sha256');
  for (const { table, select } of tableSelects(db)) {
    const rows = select.all() as unknown[][];
    const encoded = rows.map((row) => JSON.stringify(row, (_key, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? String(v) : v))).sort();
    hash.update(`${table}\n${encoded.join('\n')}\n`);
  }
  return hash.digest('hex');
}

/**
 * databaseDigest for one connection, recomputed only when that connection changed rows since the last digest
 * (SQLite's total_changes() counts every row written, even in a transaction later rolled back), so the
 * common case — a file refused before any write — costs no rehash; a refusal after writes is still rehashed.
 */
export class DigestTracker {
  private changes = -1;
  private value = '';
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }
  digest(): string {
    const changes = this.db.prepare('SELECT total_changes()').pluck().get() as number;
    if (changes !== this.changes) {
      this.value = databaseDigest(this.db);
      this.changes = this.db.prepare('SELECT total_changes()').pluck().get() as number;
    }
    return this.value;
  }
}
