// RowBatch (db/row-batch.ts): rows written several to a statement are the rows written one by one, in order —
// full batches, the remainder at flush, nothing before flush of a batch not yet full, and a row of the wrong width refused.
import { describe, expect, it } from 'vitest';
import { RowBatch } from '../../electron/core/db/row-batch.ts';
import { tempDb } from './helpers.ts';

describe('rows written several to a statement', () => {
  it('are the rows written one by one, in the same order, with every kind of value', () => {
    const { db } = tempDb();
    db.exec('CREATE TABLE one_by_one (n INTEGER, label TEXT, ratio REAL, missing TEXT); CREATE TABLE batched (n INTEGER, label TEXT, ratio REAL, missing TEXT)');
    const single = db.prepare('INSERT INTO one_by_one (n, label, ratio, missing) VALUES (?, ?, ?, ?)');
    const batch = new RowBatch(db, 'INSERT INTO batched (n, label, ratio, missing)', 4);
    // 32 rows to a statement: 100 rows are three full statements and 4 rows left for flush.
    for (let n = 0; n < 100; n++) {
      const row = [n, `row "${n}" ü`, n / 7, n % 3 === 0 ? null : 'x'];
      single.run(...row);
      batch.add(...row);
    }
    const rows = (table: string): unknown[] => db.prepare(`SELECT rowid, * FROM ${table} ORDER BY rowid`).raw().all();
    expect(rows('batched')).toHaveLength(96);
    batch.flush();
    expect(rows('batched')).toEqual(rows('one_by_one'));
    batch.flush();
    expect(rows('batched')).toHaveLength(100);
  });

  it('writes nothing of a batch not yet full until flush, and refuses a row of the wrong width', () => {
    const { db } = tempDb();
    db.exec('CREATE TABLE t (a, b)');
    const batch = new RowBatch(db, 'INSERT INTO t (a, b)', 2);
    batch.add(1, 2);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    expect(() => batch.add(1, 2, 3)).toThrow(/a row of 2 values was expected, not 3/);
    batch.flush();
    expect(db.prepare('SELECT a, b FROM t').raw().all()).toEqual([[1, 2]]);
  });
});
