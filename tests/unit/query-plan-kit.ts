// SQLite's own query plans of the statements Attest prepares: tests that hold a read to an index check the ordering of
// work SQLite chose, not a timing (timings are never asserted).
import type { Db } from '../../electron/core/db/connection.ts';

/** Every SQL text `run` prepares on `db`, in order. */
export function sqlPreparedBy(db: Db, run: () => unknown): string[] {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  (db as { prepare: Db['prepare'] }).prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as Db['prepare'];
  try {
    run();
  } finally {
    (db as { prepare: Db['prepare'] }).prepare = prepare;
  }
  return seen;
}

/** The statement of `seen` that matches `pattern`; throws naming them all when none does. */
export function statementMatching(seen: readonly string[], pattern: RegExp): string {
  const sql = seen.find((text) => pattern.test(text));
  if (!sql) throw new Error(`no statement matching ${pattern} among: ${seen.join(' | ')}`);
  return sql;
}

/** EXPLAIN QUERY PLAN of `sql`, its parameters (positional and named) bound to null: one line per step. */
export function planOf(db: Db, sql: string): string[] {
  const positional: unknown[] = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
  const named = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))];
  const params = named.length ? [...positional, Object.fromEntries(named.map((name) => [name, null]))] : positional;
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail);
}
