// The attack a stored checkpoint alone cannot stop unless its signer is checked: rewrite an event, re-hash the whole
// chain, and re-sign the stored checkpoint over the rewritten history with a key of one's own.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { formatCheckpointText, parseCheckpointText } from '../../electron/core/checkpoints/checkpoint.ts';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { parseSignedNote, signNote } from '../../electron/core/checkpoints/signed-note.ts';
import { eventHash } from '../../electron/core/ledger/hashing.ts';
import { MerkleTreeBuilder } from '../../electron/core/ledger/merkle.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

function attest(home: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ATTEST_HOME: home } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

type Row = { seq: number; ticket_id: string | null; type: string; at: string; recorded_at: string; actor: string; payload: string; hash: string };

/** The forger's tools (the app's own hashing, tree and signing code: whoever forges may use them too). */
function rewriteAndResign(path: string, attackerHome: string): void {
  const db = new Database(path);
  db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
  db.prepare("UPDATE events SET payload = json_set(payload, '$.body', 'I never asked for a refund.') WHERE seq = 2").run();
  const rows = db.prepare('SELECT seq, ticket_id, type, at, recorded_at, actor, payload, hash FROM events ORDER BY seq').all() as Row[];
  const attacker = loadOrCreateInstallationKey({ dir: attackerHome });
  const tree = new MerkleTreeBuilder();
  let prevHash = '0'.repeat(64);
  const update = db.prepare('UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of rows) {
    let payload = row.payload;
    if (row.type === 'checkpoint') {
      const stored = JSON.parse(payload) as { origin: string; treeSize: number; note: string };
      const body = parseCheckpointText(parseSignedNote(stored.note).text);
      expect(tree.size).toBe(body.treeSize);
      const rootHash = tree.root();
      const note = signNote(formatCheckpointText({ origin: body.origin, treeSize: body.treeSize, rootHash }), attacker);
      payload = JSON.stringify({ key: attacker.verifierKey, note, origin: body.origin, rootHash: rootHash.toString('base64'), treeSize: body.treeSize });
    }
    const hash = eventHash({ seq: row.seq, ticket: row.ticket_id, type: row.type, at: row.at, recordedAt: row.recorded_at, actor: row.actor, payload, prevHash });
    update.run(payload, prevHash, hash, row.seq);
    tree.appendLeaf(Buffer.from(hash, 'hex'));
    prevHash = hash;
  }
  db.prepare('UPDATE ledger_head SET hash = ? WHERE id = 1').run(prevHash);
  db.exec(`CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
           CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;`);
  db.close();
}

describe('a stored checkpoint re-signed by another key', () => {
  it('is named by verify on the installation that signed the original, which also refuses to countersign it', { timeout: 60_000 }, () => {
    const home = tempDir();
    const attackerHome = tempDir();
    const dir = tempDir();
    const path = join(dir, 'ledger.db');
    expect(attest(home, 'import', '--db', path, SMALL_FIXTURE).code).toBe(0);
    expect(attest(home, 'checkpoint', '--db', path).code).toBe(0);
    expect(attest(home, 'verify', '--db', path).code).toBe(0);

    rewriteAndResign(path, attackerHome);
    // The forgery is self-consistent: with the forger's own key it "verifies" — which is why the key matters.
    expect(attest(attackerHome, 'verify', '--db', path).code).toBe(0);

    const verified = attest(home, 'verify', '--db', path);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/^BROKEN: checkpoint of size 16 \(attest\.local\/[0-9a-f]+\) does not match the ledger: it is not signed by this installation's key/m);
    const resigned = attest(home, 'checkpoint', '--db', path);
    expect(resigned.code).toBe(1);
    expect(resigned.stderr).toMatch(/refusing to sign: the stored checkpoint #17 is not signed by this installation's key/);
  });
});
