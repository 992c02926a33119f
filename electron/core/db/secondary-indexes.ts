// A full rebuild of a projection writes every row of its tables anew. Keeping each secondary index in step row by
// row inserts into as many b-trees at random pages; building an index once from the finished table sorts its keys
// and writes its pages in order. Measured on `attest rebuild` of a 100,000-ticket demo (issue 15): the ticket tables
// 13.3–14.0 s with their indexes kept, 8.5–8.6 s with them dropped, and 3.2 s to build every projection's indexes
// again afterwards.
import type { Db } from './connection.ts';

/**
 * Runs `work` with the secondary indexes of `tables` dropped, and creates them again, from the very statements that
 * created them, when it returns. Keys declared with the table (PRIMARY KEY, UNIQUE) stay. Only inside the caller's
 * transaction: if `work` throws, rolling that transaction back restores the indexes with everything else, so no
 * reader ever sees a table without them.
 */
export function withoutSecondaryIndexes<T>(db: Db, tables: readonly string[], work: () => T): T {
  if (!db.inTransaction) throw new Error('withoutSecondaryIndexes runs inside a transaction, which restores the indexes if the work fails');
  if (tables.length === 0) return work();
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY name")
    .all(JSON.stringify(tables)) as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
  const result = work();
  for (const index of indexes) db.exec(index.sql);
  return result;
}
