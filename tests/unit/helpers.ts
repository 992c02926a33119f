import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { formatCheckpointText, ledgerOrigin } from '../../electron/core/checkpoints/checkpoint.ts';
import { signNote } from '../../electron/core/checkpoints/signed-note.ts';
import { MerkleTreeBuilder } from '../../electron/core/ledger/merkle.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { exportJsonl } from '../../electron/core/interchange/jsonl-export.ts';

export const SMALL_FIXTURE = fileURLToPath(new URL('../fixtures/small.jsonl', import.meta.url));

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

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

/** Runs raw SQL the way an attacker with the sqlite3 shell would: triggers dropped first. */
export function tamper(db: Db, sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
  db.prepare(sql).run(...params);
}

/**
 * Exports the ledger with, beside it, a signed checkpoint of the exported events — the note `attest export` writes,
 * which a restore of Attest-only events into an empty ledger needs — signed with the test run's installation key
 * but, unlike `attest export`, without recording it in the source ledger (tests compare that ledger as it was).
 */
export function exportSigned(db: Db, path: string): ReturnType<typeof exportJsonl> {
  const report = exportJsonl(db, path);
  const tree = new MerkleTreeBuilder();
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  for (const line of lines) tree.appendLeaf(Buffer.from((JSON.parse(line) as { hash: string }).hash, 'hex'));
  const ledgerId = db.prepare('SELECT ledger_id FROM ledger_identity').pluck().get() as string;
  const text = formatCheckpointText({ origin: ledgerOrigin(ledgerId), treeSize: lines.length, rootHash: tree.root() });
  writeFileSync(`${path}.checkpoint`, signNote(text, loadOrCreateInstallationKey()));
  return report;
}
