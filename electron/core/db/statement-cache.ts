// Statements prepared once per connection, for SQL fixed in the code. Repositories are made again for every write (the
// write gate, the chain monitor, a replica's apply and the projections' refresh each build their own), and preparing
// their statements every time was the largest self time in a team writer's CPU profile: 4.0 s of 37 s busy at 5,000
// events per writer, 1.6 s with this (issue 15). A cached statement is shared: its mode is set here, once, and nobody
// may change it (no .pluck(), .raw() or .bind() on what this returns), and it is never iterated (an iteration would
// make it busy for every other holder) — prepare those with db.prepare as before. Lint refuses both (eslint.config.js).
import type { Db, Statement } from './connection.ts';

/** How a cached statement returns rows: objects, arrays of values, or the first column alone. */
export type StatementMode = 'objects' | 'raw' | 'pluck';

const caches = new WeakMap<Db, Map<string, Statement>>();

/** The statement for `sql` on this connection, prepared at the first call and reused after. */
export function preparedOnce(db: Db, sql: string, mode: StatementMode = 'objects'): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const key = `${mode}\u0000${sql}`;
  let statement = cache.get(key);
  if (!statement) {
    statement = db.prepare(sql);
    if (mode === 'raw') statement.raw();
    else if (mode === 'pluck') statement.pluck();
    cache.set(key, statement);
  }
  return statement;
}
