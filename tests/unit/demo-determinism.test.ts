// The demo is a fixed story: the same seed gives the same ledger, event for event, whatever is done to make it faster.
// The pinned values were computed by the generator as it stood before the issue-15 speed work; a change that alters
// them changes the demo's history and must say why.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { writeDemoHistory, type DemoReport } from '../../electron/core/demo-database.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import type { EventRow } from '../../electron/core/ledger/ledger-repository.ts';

/** The demo's own history: everything before the shipped knowledge base, which is imported at the wall-clock time. */
function historyEvents(db: Db): EventRow[] {
  const firstKb = (db.prepare("SELECT MIN(seq) AS seq FROM events WHERE type = 'kb.article'").get() as { seq: number | null }).seq;
  return db.prepare('SELECT * FROM events WHERE seq < ? ORDER BY seq').all(firstKb ?? Number.MAX_SAFE_INTEGER) as EventRow[];
}

/** Ledger bookkeeping, the knowledge base's full-text internals and migrations: not projections of the history. */
const NOT_PROJECTIONS = /^(events|ledger_.*|schema_migrations|team_replica|account_credentials|.*_(data|idx|docsize|config|content))$/;

/** Every projection table's rows, in a fixed order, as text (so a rebuilt table can be compared row for row). */
function projectionDump(db: Db): Record<string, string> {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((row) => row.name)
    .filter((name) => !NOT_PROJECTIONS.test(name));
  const dump: Record<string, string> = {};
  for (const table of tables) {
    const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => `"${c.name}"`);
    dump[table] = JSON.stringify(db.prepare(`SELECT ${columns.join(', ')} FROM "${table}" ORDER BY ${columns.join(', ')}`).raw().all());
  }
  return dump;
}

describe('demo determinism (300 tickets, seed 1)', () => {
  let singleUser: { db: Db; report: DemoReport };
  let withAccounts: { db: Db; report: DemoReport };
  let singleUserAhead: { db: Db; report: DemoReport };

  let dir: string;
  beforeAll(() => {
    // Not tempDir(): that one is removed after each test, and these ledgers serve every test of the file.
    dir = mkdtempSync(join(tmpdir(), 'attest-demo-determinism-'));
    const open = (name: string, options: { accounts: boolean; batchEvents?: number; aheadMinTickets?: number }): { db: Db; report: DemoReport } => {
      const db = openDatabase(join(dir, name));
      return { db, report: writeDemoHistory(db, { tickets: 300, seed: 1, ...options }) };
    };
    // Batches of 257 events: a dozen commits, go-live inside one of them; with the default batch the whole demo is
    // one batch. The ledger is the same either way.
    singleUser = open('single.db', { accounts: false, batchEvents: 257 });
    withAccounts = open('accounts.db', { accounts: true });
    // The generator run and its lines parsed ahead in a thread (parse-ahead.ts), as from 20,000 tickets on.
    singleUserAhead = open('ahead.db', { accounts: false, aheadMinTickets: 1 });
  });
  afterAll(() => {
    singleUser?.db.close();
    withAccounts?.db.close();
    singleUserAhead?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('single-user mode: the history ends at the pinned event and hash', () => {
    const history = historyEvents(singleUser.db);
    expect(history.length).toBe(3086);
    expect(history.at(-1)!.seq).toBe(3086);
    expect(history.at(-1)!.hash).toBe('d4b455fe573a2f7f069c9e54144b5fd1a66e19af15e62c858658fac9a258ee34');
    // After the history comes the shipped knowledge base, and nothing else.
    expect(singleUser.report.events).toBe(3086 + singleUser.report.kbArticles);
  });

  it('with the history parsed ahead in a thread: the same events, hash for hash, and the same projections', () => {
    const history = historyEvents(singleUserAhead.db);
    expect(history.at(-1)!.hash).toBe('d4b455fe573a2f7f069c9e54144b5fd1a66e19af15e62c858658fac9a258ee34');
    expect(history).toEqual(historyEvents(singleUser.db));
    // The knowledge base is imported after the history, at the wall-clock time: its tables differ from run to run.
    const withoutKb = (dump: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(dump).filter(([table]) => !table.startsWith('kb_')));
    expect(withoutKb(projectionDump(singleUserAhead.db))).toEqual(withoutKb(projectionDump(singleUser.db)));
  });

  it('with accounts: the same events, apart from the salted credentials and the hashes they feed', () => {
    // Password hashes are salted at random, so credential digests, and with them every chain hash and every signed
    // hash, differ per run; everything else is pinned, digested here independently of the ledger's own hashing.
    const digest = createHash('sha256');
    for (const event of historyEvents(withAccounts.db)) {
      const payload = JSON.parse(event.payload) as Record<string, unknown>;
      if (event.type === 'account.created') payload.credential = 'salted';
      if (event.type === 'signature') payload.signedHash = 'chained';
      digest.update(JSON.stringify([event.seq, event.ticket_id, event.type, event.at, event.recorded_at, event.actor, payload]) + '\n');
    }
    expect(digest.digest('hex')).toBe('865eced55cd89b14460638f0c540a598098963e04d68a9b95339581b21ab6cca');
  });

  it('the projections the demo leaves are exactly those a full rebuild of its ledger produces', () => {
    for (const { db } of [singleUser, withAccounts]) {
      const asWritten = projectionDump(db);
      expect(Object.keys(asWritten)).toEqual(expect.arrayContaining(['tickets', 'kpi_ticket_facts', 'sla_clocks', 'sla_outcomes', 'ticket_counts']));
      expect(JSON.parse(asWritten.tickets!).length).toBe(300);
      rebuildAllProjections(db);
      const rebuilt = projectionDump(db);
      for (const table of Object.keys(rebuilt)) expect(asWritten[table], table).toBe(rebuilt[table]);
    }
  });
});
