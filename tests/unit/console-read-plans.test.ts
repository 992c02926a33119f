// Opening the Outcomes and Audit tabs reads the ledger by index (issue 15: at a million tickets a view open is an
// index lookup, never a pass over every event). Checked with SQLite's own query plans of the statements the reads
// prepare — an ordering of work, not a timing.
import { describe, expect, it } from 'vitest';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { statementPeriods } from '../../electron/core/outcomes/statement.ts';
import { listDisputes } from '../../electron/core/outcomes/disputes.ts';
import { auditNotes } from '../../electron/core/audit/audit-notes.ts';
import { storedCheckpoints } from '../../electron/core/audit/stored-checkpoints.ts';
import { tempDb } from './helpers.ts';
import { sqlPreparedBy } from './query-plan-kit.ts';

/** The SQL (and its parameter count) of every statement `read` prepares on `db`. */
function statementsOf(db: Db, read: () => unknown): { sql: string; params: number }[] {
  return sqlPreparedBy(db, read).map((sql) => ({ sql, params: (sql.match(/\?/g) ?? []).length }));
}

/**
 * Plan lines that walk the whole events table (by its rows, not by an index). A walk in seq order that stops after
 * a LIMIT (the head: ORDER BY seq DESC LIMIT 1) reads that many rows, not the table, and is not one.
 */
function fullEventScans(db: Db, sql: string, params: number): string[] {
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from({ length: params }, () => null)) as { detail: string }[];
  const stopsAtLimit = /\bLIMIT\s+\d+\s*$/i.test(sql.trim()) && !plan.some((row) => row.detail.startsWith('USE TEMP B-TREE'));
  if (stopsAtLimit) return [];
  const aliases = new Set(['events', ...[...sql.matchAll(/\bevents\s+(?:AS\s+)?([a-z])\b/gi)].map((m) => m[1]!)]);
  return plan.map((row) => row.detail).filter((detail) => {
    const scanned = /^SCAN (\w+)/.exec(detail)?.[1];
    return scanned !== undefined && aliases.has(scanned) && !/USING (COVERING )?INDEX/.test(detail);
  });
}

describe('the Outcomes and Audit tabs read by index', () => {
  it('statement periods, disputes, audit notes and stored checkpoints never scan every event', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 40, seed: 2, accounts: false });
    const reads: Record<string, () => unknown> = {
      'outcomes.periods': () => statementPeriods(db),
      'outcomes.disputes': () => listDisputes(db),
      'audit.notes': () => auditNotes(db),
      'audit.checkpoints': () => storedCheckpoints(db),
    };
    for (const [method, read] of Object.entries(reads)) {
      const statements = statementsOf(db, read);
      expect(statements.length, method).toBeGreaterThan(0);
      for (const { sql, params } of statements) expect(fullEventScans(db, sql, params), `${method}: ${sql}`).toEqual([]);
    }
  });
});
