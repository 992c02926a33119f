// withIndexesDeferred (db/deferred-indexes.ts): the indexes a bulk write drops are the projections' read-only ones,
// each comes back with the CREATE text its migration wrote, and a failure never leaves a schema without them.
// Checked against SQLite's own schema table and integrity check on real files.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { withIndexesDeferred } from '../../electron/core/db/deferred-indexes.ts';
import { projectionQueryIndexes } from '../../electron/core/derived/refresh.ts';
import { registerFeatures } from '../../electron/core/features.ts';
import { schemaOf, tempDb } from './helpers.ts';

const indexNames = (db: Db): string[] =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[];

describe('the read-only indexes of the projections', () => {
  it('exist in the migrated schema, none of them UNIQUE, and none of them on the ledger itself', () => {
    registerFeatures();
    const { db } = tempDb();
    const names = projectionQueryIndexes();
    expect(new Set(names).size).toBe(names.length);
    const rows = db
      .prepare(
        `SELECT m.name, m.tbl_name AS "table", l."unique" FROM sqlite_master AS m JOIN pragma_index_list(m.tbl_name) AS l ON l.name = m.name
         WHERE m.type = 'index' AND m.name IN (SELECT value FROM json_each(?)) ORDER BY m.name`,
      )
      .all(JSON.stringify(names)) as { name: string; table: string; unique: number }[];
    expect(rows.map((row) => row.name)).toEqual([...names].sort());
    for (const row of rows) {
      expect(row.unique, row.name).toBe(0);
      expect(['events', 'ledger_head', 'schema_migrations'], row.name).not.toContain(row.table);
    }
  });

  it('are gone while the work runs and back, with the text the migrations wrote, when it is done', () => {
    registerFeatures();
    const { db } = tempDb();
    const schema = schemaOf(db);
    const names = projectionQueryIndexes();
    let during: string[] = [];
    const result = db.transaction(() => withIndexesDeferred(db, names, () => ((during = indexNames(db)), 42)))();
    expect(result).toBe(42);
    expect(during.filter((name) => names.includes(name))).toEqual([]);
    expect(during.length).toBe(indexNames(db).length - names.length);
    expect(schemaOf(db)).toEqual(schema);
  });
});

describe('withIndexesDeferred', () => {
  it('refuses to run outside a transaction, an index the schema lacks, and a UNIQUE index', () => {
    const { db } = tempDb();
    db.exec('CREATE TABLE t (a INTEGER, b INTEGER); CREATE UNIQUE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b);');
    const schema = schemaOf(db);
    expect(() => withIndexesDeferred(db, ['t_b'], () => 0)).toThrow(/inside its transaction/);
    expect(() => db.transaction(() => withIndexesDeferred(db, ['t_b', 'no_such_index'], () => 0))()).toThrow(/does not have: no_such_index/);
    expect(() => db.transaction(() => withIndexesDeferred(db, ['t_a'], () => 0))()).toThrow(/enforce a constraint cannot be deferred: t_a/);
    expect(schemaOf(db)).toEqual(schema);
  });

  it('after a failure the indexes are there, whether the transaction rolls back or the failure is caught inside it', () => {
    const { db } = tempDb();
    db.exec('CREATE TABLE t (a INTEGER, b INTEGER); CREATE INDEX t_b ON t (b);');
    const schema = schemaOf(db);
    const failing = () =>
      withIndexesDeferred(db, ['t_b'], () => {
        db.prepare('INSERT INTO t VALUES (1, 2)').run();
        throw new Error('the work failed');
      });
    expect(() => db.transaction(failing)()).toThrow('the work failed');
    expect(schemaOf(db)).toEqual(schema);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    db.transaction(() => {
      expect(failing).toThrow('the work failed');
    })();
    expect(schemaOf(db)).toEqual(schema);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The row written while the index was away is in it: the index answers for it.
    expect(db.prepare('SELECT a FROM t INDEXED BY t_b WHERE b = 2').pluck().all()).toEqual([1]);
  });
});
