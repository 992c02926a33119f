// SQL of the deep verification: copying the ledger into a private scratch database and comparing its rebuilt
// projections with the file's.
import { VerificationRepository } from './verification-repository.ts';

/**
 * Tables that are the ledger itself (or bookkeeping), not projections of it. account_credentials holds the
 * password hashes, kept beside the ledger on purpose (a hash is never in an event), so no rebuild can derive it;
 * team_replica marks a replica of a team ledger.
 */
export const LEDGER_TABLES: ReadonlySet<string> = new Set(['events', 'ledger_head', 'schema_migrations', 'ledger_identity', 'account_credentials', 'team_replica']);

const COPY_PREFIX = 'file_copy_';
/** Rows copied between two looks at the caller's stop flag. */
const STOP_CHECK_ROWS = 10_000;
const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The deep comparison's SQL, on top of what every verification reads (hasTable…). */
export class DeepRepository extends VerificationRepository {
  /** Ordinary and virtual tables (FTS content included), without FTS shadow tables and internal ones. */
  projectionTables(): string[] {
    const rows = this.db.prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main'").all() as { name: string; type: string }[];
    return rows
      .filter((row) => (row.type === 'table' || row.type === 'virtual') && !row.name.startsWith('sqlite_') && !row.name.startsWith(COPY_PREFIX))
      .map((row) => row.name)
      .sort();
  }

  rowCount(table: string): number {
    return this.db.prepare(`SELECT count(*) FROM ${quote(table)}`).pluck().get() as number;
  }

  private columns(table: string): string[] {
    return (this.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
  }

  /** Positions (in `columns(table)` order) of the columns declared REAL. */
  private realColumnIndexes(table: string): number[] {
    const types = this.db.prepare(`SELECT upper(type) FROM pragma_table_info(?)`).pluck().all(table) as string[];
    return types.flatMap((type, index) => (type === 'REAL' ? [index] : []));
  }

  /**
   * Copies the events and the recorded head of `source` (in its snapshot) into this empty database. `stopCheck` is
   * called every STOP_CHECK_ROWS rows (it throws to stop; the copy's transaction then rolls back).
   */
  copyLedgerFrom(source: DeepRepository, stopCheck: () => void = () => undefined): void {
    const columns = 'seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash';
    const insert = this.db.prepare(`INSERT INTO events (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      let copied = 0;
      for (const row of source.db.prepare(`SELECT ${columns} FROM events ORDER BY seq`).raw().iterate() as IterableIterator<unknown[]>) {
        insert.run(row);
        if (++copied % STOP_CHECK_ROWS === 0) stopCheck();
      }
      const head = source.db.prepare('SELECT id, seq, hash FROM ledger_head').raw().all() as unknown[][];
      for (const row of head) this.db.prepare('INSERT INTO ledger_head (id, seq, hash) VALUES (?, ?, ?)').run(row);
    })();
  }

  /** Copies `source`'s rows of `table` into a plain table beside this database's own; returns the row count. */
  copyTableFrom(source: DeepRepository, table: string, stopCheck: () => void = () => undefined): number {
    const columns = this.columns(table);
    const list = columns.map(quote).join(', ');
    const copy = quote(COPY_PREFIX + table);
    this.db.exec(`DROP TABLE IF EXISTS ${copy}; CREATE TABLE ${copy} AS SELECT ${list} FROM ${quote(table)} WHERE 0`);
    const insert = this.db.prepare(`INSERT INTO ${copy} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
    let rows = 0;
    this.db.transaction(() => {
      for (const row of source.db.prepare(`SELECT ${list} FROM ${quote(table)}`).raw().iterate() as IterableIterator<unknown[]>) {
        insert.run(row);
        if (++rows % STOP_CHECK_ROWS === 0) stopCheck();
      }
    })();
    return rows;
  }

  compareWithCopy(table: string, sample: number): { missingFromFile: number; notFromLedger: number; samples: { missingFromFile: unknown[][]; notFromLedger: unknown[][] } } {
    const list = this.columns(table).map(quote).join(', ');
    const own = `SELECT ${list} FROM ${quote(table)}`;
    const copy = `SELECT ${list} FROM ${quote(COPY_PREFIX + table)}`;
    const count = (sql: string): number => this.db.prepare(`SELECT count(*) FROM (${sql})`).pluck().get() as number;
    const rows = (sql: string, limit: number): unknown[][] => this.db.prepare(`${sql} LIMIT ${limit}`).raw().all() as unknown[][];
    const missing = `${own} EXCEPT ${copy}`;
    const extra = `${copy} EXCEPT ${own}`;
    const missingCount = count(missing);
    const extraCount = count(extra);
    const reals = this.realColumnIndexes(table);
    if (reals.length > 0 && missingCount > 0 && extraCount > 0 && missingCount <= MAX_ROUNDING_CANDIDATES && extraCount <= MAX_ROUNDING_CANDIDATES) {
      const [ownLeft, copyLeft] = withoutRoundingDifferences(rows(missing, missingCount), rows(extra, extraCount), reals);
      return { missingFromFile: ownLeft.length, notFromLedger: copyLeft.length, samples: { missingFromFile: ownLeft.slice(0, sample), notFromLedger: copyLeft.slice(0, sample) } };
    }
    return { missingFromFile: missingCount, notFromLedger: extraCount, samples: { missingFromFile: rows(missing, sample), notFromLedger: rows(extra, sample) } };
  }
}

/**
 * A REAL column of a projection holds a sum of floating-point values (minutes of work in the KPI rollup), and such a
 * sum depends on the order of its additions: an import adds a chunk's sum to the day's row, a rebuild sums the whole
 * day at once, and the two may differ in the last bits (at 100,000 demo tickets, 332 of the rollup's rows did). Rows
 * that differ only there are the same row: equal in every other column, and in each REAL column within
 * REAL_TOLERANCE of each other (relative, or absolute near zero) — far below any figure the console shows, far above
 * what the order of additions can leave. Anything else still counts as a difference.
 */
const REAL_TOLERANCE = 1e-9;
/** Beyond this many differing rows on a side the difference is not one of rounding: the rows are counted as they are. */
const MAX_ROUNDING_CANDIDATES = 100_000;

function sameWithinRounding(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  return Math.abs(a - b) <= REAL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b), 1);
}

/** The rows of each side left once pairs that differ only by rounding in the REAL columns are taken out. */
function withoutRoundingDifferences(own: unknown[][], copy: unknown[][], reals: readonly number[]): [unknown[][], unknown[][]] {
  const realSet = new Set(reals);
  const exactPart = (row: unknown[]): string => JSON.stringify(row.filter((_, index) => !realSet.has(index)));
  const copyByExactPart = new Map<string, unknown[][]>();
  for (const row of copy) {
    const key = exactPart(row);
    const list = copyByExactPart.get(key);
    if (list) list.push(row);
    else copyByExactPart.set(key, [row]);
  }
  const ownLeft: unknown[][] = [];
  const matched = new Set<unknown[]>();
  for (const row of own) {
    const partner = copyByExactPart.get(exactPart(row))?.find((candidate) => !matched.has(candidate) && reals.every((index) => sameWithinRounding(row[index], candidate[index])));
    if (partner) matched.add(partner);
    else ownLeft.push(row);
  }
  return [ownLeft, copy.filter((row) => !matched.has(row))];
}
