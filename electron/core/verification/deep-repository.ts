// SQL of the deep verification: copying the ledger into a private in-memory database and comparing its rebuilt
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
    const rows = (sql: string): unknown[][] => this.db.prepare(`${sql} LIMIT ${sample}`).raw().all() as unknown[][];
    const missing = `${own} EXCEPT ${copy}`;
    const extra = `${copy} EXCEPT ${own}`;
    return { missingFromFile: count(missing), notFromLedger: count(extra), samples: { missingFromFile: rows(missing), notFromLedger: rows(extra) } };
  }
}
