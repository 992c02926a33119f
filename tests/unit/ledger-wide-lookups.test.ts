// Lookups of ledger-wide events (settings, category modes, knowledge-base articles) go through the partial index of
// ledger-wide events (events_ledger_wide_by_type, 010_people.sql) and never scan the ledger: at 300,000 tickets each
// scan took about 830 ms (14.8 s with a cold cache) on the console's thread. Checked with SQLite's own query plans of
// the statements the functions prepare, and their answers against a plain query without the index's condition.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { latestAiSettingsPayload, latestRemoteHostAllowance } from '../../electron/core/ai/ai-repository.ts';
import { categoryModeEvents } from '../../electron/core/categories/category-repository.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { kbProjection } from '../../electron/core/kb/kb-repository.ts';
import { latestOrganizationSettings } from '../../electron/core/organization/organization-repository.ts';

/** The statements `work` prepares that read the events table. */
function eventStatements(work: () => unknown): string[] {
  const prepare = Database.prototype.prepare;
  const seen: string[] = [];
  const spy = vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, source: string) {
    if (/\bFROM events\b/.test(source)) seen.push(source);
    return prepare.call(this, source);
  });
  try {
    work();
  } finally {
    spy.mockRestore();
  }
  return seen;
}

function planOf(db: Db, sql: string): string[] {
  const parameters = (sql.match(/\?/g) ?? []).map(() => Number.MAX_SAFE_INTEGER);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[]).map((row) => row.detail);
}

describe('lookups of ledger-wide events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-ledger-wide-'));
  let db: Db;
  beforeAll(() => {
    db = openDatabase(join(dir, 'demo.db'));
    writeDemoHistory(db, { tickets: 300, seed: 5, accounts: false });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lookups: [string, () => unknown][] = [
    ['latestAiSettingsPayload', () => latestAiSettingsPayload(db)],
    ['latestRemoteHostAllowance', () => latestRemoteHostAllowance(db)],
    ['latestOrganizationSettings', () => latestOrganizationSettings(db)],
    ['categoryModeEvents', () => categoryModeEvents(db)],
    ['the knowledge base projection’s rebuild', () => db.transaction(() => kbProjection.rebuildAll(db))()],
  ];

  it.each(lookups)('%s reads the events through the index of ledger-wide events, never a scan of the ledger', (_name, lookup) => {
    const statements = eventStatements(lookup);
    expect(statements.length).toBeGreaterThan(0);
    for (const sql of statements) {
      const plan = planOf(db, sql);
      expect(plan.join(' | ')).toMatch(/USING (COVERING )?INDEX events_ledger_wide_by_type/);
      expect(plan.join(' | ')).not.toMatch(/SCAN events|INTEGER PRIMARY KEY/);
    }
  });

  it('finds what a plain query of every event of the type finds', () => {
    const latest = (type: string) => db.prepare('SELECT seq FROM events WHERE type = ? ORDER BY seq DESC LIMIT 1').pluck().get(type) ?? null;
    expect(latestOrganizationSettings(db)?.seq ?? null).toBe(latest('organization.settings'));
    expect(latestOrganizationSettings(db)).toBeDefined();
    expect(latestRemoteHostAllowance(db)?.seq ?? null).toBe(latest('ai.remote_host'));
    expect(latestAiSettingsPayload(db) ?? null).toBe(db.prepare("SELECT payload FROM events WHERE type = 'ai.settings' ORDER BY seq DESC LIMIT 1").pluck().get() ?? null);
    const modes = db.prepare("SELECT seq FROM events WHERE type = 'category.mode' ORDER BY seq").pluck().all();
    expect(modes.length).toBeGreaterThan(0);
    expect(categoryModeEvents(db).map((row) => row.seq)).toEqual(modes);
  });
});
