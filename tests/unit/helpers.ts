import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { formatCheckpointText, ledgerOrigin } from '../../electron/core/checkpoints/checkpoint.ts';
import { signNote } from '../../electron/core/checkpoints/signed-note.ts';
import { MerkleTreeBuilder } from '../../electron/core/ledger/merkle.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { exportJsonl } from '../../electron/core/interchange/jsonl-export.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { eventHash } from '../../electron/core/ledger/hashing.ts';

export const SMALL_FIXTURE = fileURLToPath(new URL('../fixtures/small.jsonl', import.meta.url));

/**
 * A day (YYYY-MM-DD) safely after the moment the test runs, in any time zone: 1 July of next year. A version of a
 * contract or policy recorded now may only take effect after now, so a fixed date would one day stop being valid.
 */
export const A_FUTURE_DAY = `${new Date().getUTCFullYear() + 1}-07-01`;

const cleanups: (() => void)[] = [];
/**
 * Closes and removes what tempDir and tempDb made during the test. setup-attest-home.ts runs it after every test of
 * every file: a hook registered here would be registered once per test process, and files share processes
 * (vitest.config.ts, isolate: false) — every file after the first left its folders in the temp folder.
 */
export function cleanUpAfterTest(): void {
  while (cleanups.length) cleanups.pop()!();
}

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attest-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A real SQLite file in a temporary directory, closed and removed after the test. */
export function tempDb(): { db: Db; path: string; dir: string } {
  const dir = tempDir();
  const path = join(dir, 'attest.db');
  const db = openDatabase(path);
  cleanups.unshift(() => db.open && db.close());
  return { db, path, dir };
}

/** The schema as SQLite stores it: every table, index and trigger with its CREATE text. */
export function schemaOf(db: Db): unknown[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').raw().all();
}

/** Runs raw SQL the way an attacker with the sqlite3 shell would: triggers dropped first. */
export function tamper(db: Db, sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
  db.prepare(sql).run(...params);
}

/**
 * The full-chain rewrite a careful attacker makes: `sql` changes event #seq (triggers dropped), then every hash and
 * link from it on is recomputed with the app's own eventHash, the recorded head follows, and the UPDATE/DELETE
 * triggers are put back — so the chain and its protections look intact again.
 */
export function rewriteChainFrom(path: string, seq: number, sql: string): void {
  const raw = new Database(path);
  try {
    tamper(raw as unknown as Db, sql, seq);
    const rows = raw.prepare('SELECT seq, ticket_id, type, at, recorded_at, actor, payload FROM events WHERE seq >= ? ORDER BY seq').all(seq) as {
      seq: number; ticket_id: string | null; type: string; at: string; recorded_at: string; actor: string; payload: string;
    }[];
    let prevHash = raw.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(seq - 1) as string;
    const update = raw.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?');
    for (const row of rows) {
      const hash = eventHash({ seq: row.seq, ticket: row.ticket_id, type: row.type, at: row.at, recordedAt: row.recorded_at, actor: row.actor, payload: row.payload, prevHash });
      update.run(prevHash, hash, row.seq);
      prevHash = hash;
    }
    raw.prepare('UPDATE ledger_head SET hash = ? WHERE id = 1').run(prevHash);
    raw.exec(`CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
              CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;`);
  } finally {
    raw.close();
  }
}

/**
 * Exports the ledger with, beside it, a signed checkpoint of the exported events — the note `attest export` writes,
 * which a restore of Attest-only events into an empty ledger needs — signed with the test run's installation key
 * but, unlike `attest export`, without recording it in the source ledger (tests compare that ledger as it was).
 */
export function exportSigned(db: Db, path: string): ReturnType<typeof exportJsonl> {
  const report = exportJsonl(db, path);
  signCheckpointBeside(path, db.prepare('SELECT ledger_id FROM ledger_identity').pluck().get() as string);
  return report;
}

/** Writes PATH.checkpoint, as an export does: a checkpoint of every line of the JSONL at `path`, signed by this installation. */
export function signCheckpointBeside(path: string, ledgerId: string): void {
  const tree = new MerkleTreeBuilder();
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  for (const line of lines) tree.appendLeaf(Buffer.from((JSON.parse(line) as { hash: string }).hash, 'hex'));
  const text = formatCheckpointText({ origin: ledgerOrigin(ledgerId), treeSize: lines.length, rootHash: tree.root() });
  writeFileSync(`${path}.checkpoint`, signNote(text, loadOrCreateInstallationKey()));
}

/** A ledger file holding the small fixture (closed), and a console folder for the HTTP bridge to serve. */
export function smallLedgerWithConsole(): { path: string; staticDir: string } {
  const { db, path } = tempDb();
  importJsonlFile(db, SMALL_FIXTURE);
  db.close();
  const staticDir = join(tempDir(), 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Attest</title>');
  return { path, staticDir };
}
