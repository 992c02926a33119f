// Rows of one table written several to an INSERT statement. A projection writes millions of small rows (an SLA clock,
// an outcome, a message) in one transaction; one statement per row pays SQLite's statement start and better-sqlite3's
// call into native code for every row, which a statement of ROWS_PER_STATEMENT rows pays once for all of them.
// The rows are the same, in the same order: only the number of statements changes.
import type { Db, Statement } from './connection.ts';
import { preparedOnce } from './statement-cache.ts';

/** Rows per statement: SQLite's limit of bound values (32,766) leaves room for rows of up to a thousand columns. */
const ROWS_PER_STATEMENT = 32;

export class RowBatch {
  private readonly db: Db;
  private readonly insertInto: string;
  private readonly columns: number;
  private readonly pending: unknown[] = [];
  /** Prepared at the first row: a repository made for reading never pays for them. */
  private statements: { oneRow: Statement; fullBatch: Statement } | undefined;

  /** `insertInto`: the statement up to VALUES, e.g. "INSERT INTO t (a, b)"; `columns`: how many values a row has. */
  constructor(db: Db, insertInto: string, columns: number) {
    this.db = db;
    this.insertInto = insertInto;
    this.columns = columns;
  }

  private prepared(): { oneRow: Statement; fullBatch: Statement } {
    if (!this.statements) {
      const row = `(${Array.from({ length: this.columns }, () => '?').join(', ')})`;
      this.statements = {
        oneRow: preparedOnce(this.db, `${this.insertInto} VALUES ${row}`),
        fullBatch: preparedOnce(this.db, `${this.insertInto} VALUES ${Array.from({ length: ROWS_PER_STATEMENT }, () => row).join(', ')}`),
      };
    }
    return this.statements;
  }

  /** Queues one row; it is written once the batch is full or at flush(), which must come before the table is read. */
  add(...values: unknown[]): void {
    if (values.length !== this.columns) throw new RangeError(`a row of ${this.columns} values was expected, not ${values.length}`);
    for (const value of values) this.pending.push(value);
    if (this.pending.length === this.columns * ROWS_PER_STATEMENT) {
      this.prepared().fullBatch.run(this.pending);
      this.pending.length = 0;
    }
  }

  /** Writes the queued rows. */
  flush(): void {
    if (this.pending.length === 0) return;
    const { oneRow } = this.prepared();
    for (let start = 0; start < this.pending.length; start += this.columns) oneRow.run(this.pending.slice(start, start + this.columns));
    this.pending.length = 0;
  }
}
