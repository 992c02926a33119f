// Bulk writes into tables with many secondary indexes: drop the indexes that only serve reads, write, then build them
// again. SQLite builds an index from a sorted pass over its table, writing each page once; keeping it up to date row
// by row instead inserts at a random place of every index for every row, and once an index is larger than the page
// cache each of those inserts reads and rewrites a page. That is the classic bulk-load order, and why the cost of an
// import's or a rebuild's projections per ticket grew with the ledger (issue 15).
import type { Db } from './connection.ts';

interface StoredIndex {
  name: string;
  sql: string | null;
  unique: number;
}

/**
 * Runs `work` with these indexes dropped and builds each again afterwards from its own stored CREATE statement, so
 * the schema is the same text as before (migrations, query plans and `INDEXED BY` see the index they were written
 * for). Must run inside the caller's transaction: if anything fails, its rollback undoes the drop with everything
 * else, and no other connection ever sees the ledger without them (WAL readers see the last commit).
 *
 * Only indexes that nothing in `work` reads may be named (a read would scan the table instead: slower, never
 * wrong). A UNIQUE index enforces a rule and is refused, as is a name the schema does not have (a wiring fault that
 * would otherwise go unnoticed). `report`, when given, gets the seconds spent building them again.
 */
export function withIndexesDeferred<T>(db: Db, names: readonly string[], work: () => T, report?: { buildSeconds: number }): T {
  if (!db.inTransaction) throw new Error('indexes may be dropped for a bulk write only inside its transaction');
  const wanted = [...new Set(names)];
  const stored = db
    .prepare(
      `SELECT m.name, m.sql, (SELECT "unique" FROM pragma_index_list(m.tbl_name) AS l WHERE l.name = m.name) AS "unique"
       FROM sqlite_master AS m WHERE m.type = 'index' AND m.name IN (SELECT value FROM json_each(?)) ORDER BY m.name`,
    )
    .all(JSON.stringify(wanted)) as StoredIndex[];
  const missing = wanted.filter((name) => !stored.some((index) => index.name === name));
  if (missing.length > 0) throw new Error(`indexes to defer that the schema does not have: ${missing.join(', ')}`);
  const refused = stored.filter((index) => index.unique !== 0 || index.sql === null);
  if (refused.length > 0) throw new Error(`indexes that enforce a constraint cannot be deferred: ${refused.map((index) => index.name).join(', ')}`);
  for (const index of stored) db.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
  const rebuild = () => {
    for (const index of stored) db.exec(index.sql!);
  };
  let result: T;
  try {
    result = work();
  } catch (failure) {
    // The caller's rollback restores them too; built again here so a caller that catches and goes on (it should
    // not) still never commits a schema without them.
    try {
      rebuild();
    } catch {
      // the first failure is the one to report
    }
    throw failure;
  }
  const started = performance.now();
  rebuild();
  if (report) report.buildSeconds += (performance.now() - started) / 1000;
  return result;
}
