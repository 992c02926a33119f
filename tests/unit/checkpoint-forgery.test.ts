// The attack a stored checkpoint alone cannot stop unless its signer is checked: rewrite an event, re-hash the whole
// chain, and re-sign the stored checkpoint over the rewritten history with a key of one's own.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { formatCheckpointText, parseCheckpointText } from '../../electron/core/checkpoints/checkpoint.ts';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { parseSignedNote, signNote } from '../../electron/core/checkpoints/signed-note.ts';
import { canonicalJson, eventHash } from '../../electron/core/ledger/hashing.ts';
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
    expect(verified.stdout).toMatch(/^BROKEN: checkpoint of size 18 \(attest\.local\/[0-9a-f]+\) does not match the ledger: it is not signed by this installation's key/m);
    const resigned = attest(home, 'checkpoint', '--db', path);
    expect(resigned.code).toBe(1);
    expect(resigned.stderr).toMatch(/refusing to sign: the stored checkpoint #19 is not signed by this installation's key/);
  });
});

/** A chained line continuing `previous` (an exported line), hashed with the app's own code as a forger would. */
function continuation(previous: { seq: number; hash: string; recordedAt: string }, fields: { ticket: string | null; type: string; at: string; actor: object; payload: Record<string, unknown> }): string {
  const recordedAt = new Date(Math.max(Date.parse(previous.recordedAt), Date.now() - 60_000)).toISOString();
  const seq = previous.seq + 1;
  const actor = canonicalJson(fields.actor);
  const payload = canonicalJson(fields.payload);
  const hash = eventHash({ seq, ticket: fields.ticket, type: fields.type, at: fields.at, recordedAt, actor, payload, prevHash: previous.hash });
  return JSON.stringify({ seq, ticket: fields.ticket, type: fields.type, at: fields.at, ...fields.payload, actor: fields.actor, recordedAt, prevHash: previous.hash, hash });
}

function lastLine(path: string): { seq: number; hash: string; recordedAt: string } {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  return JSON.parse(lines.at(-1)!) as { seq: number; hash: string; recordedAt: string };
}

describe('restoring an export that carries events only Attest writes', () => {
  it('needs its signed checkpoint covering every line, signed by a trusted key', { timeout: 60_000 }, () => {
    const home = tempDir();
    const elsewhere = tempDir();
    const dir = tempDir();
    const source = join(dir, 'source.db');
    const exported = join(dir, 'export.jsonl');
    expect(attest(home, 'import', '--db', source, SMALL_FIXTURE).code).toBe(0); // adds an import.file record
    expect(attest(home, 'export', '--db', source, '--out', exported).code).toBe(0);

    // The genuine export restores, on this installation, byte for byte.
    expect(attest(home, 'import', '--db', join(dir, 'restored.db'), exported).code).toBe(0);

    // One well-hashed line appended to it, the genuine note reused: the note covers 18 events (the import's session.started,
    // 15 lines, import.file, the export's session.started), not 19.
    const forged = join(dir, 'forged.jsonl');
    const extra = continuation(lastLine(exported), { ticket: 'T-1', type: 'csat', at: '2026-10-03T09:00:00.000Z', actor: { kind: 'customer', id: 'c-1' }, payload: { score: 1 } });
    writeFileSync(forged, readFileSync(exported, 'utf8') + extra + '\n');
    copyFileSync(`${exported}.checkpoint`, `${forged}.checkpoint`);
    const refused = attest(home, 'import', '--db', join(dir, 'forged.db'), forged);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/forged\.jsonl:19: checkpoint: .*covers 18 events, the file restores 19/);

    // Without its note the export is refused; on another installation only with the exporter's key.
    const bare = join(dir, 'bare.jsonl');
    copyFileSync(exported, bare);
    expect(attest(home, 'import', '--db', join(dir, 'bare.db'), bare).stderr).toMatch(/checkpoint: the file carries events only Attest writes \(session\.started, import\.file\); restoring it needs the export's signed checkpoint/);
    const foreign = attest(elsewhere, 'import', '--db', join(dir, 'foreign.db'), exported);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/export\.jsonl:18: checkpoint: .*give the exporting installation's public key with --key/);
    expect(attest(elsewhere, 'import', '--db', join(dir, 'foreign.db'), exported, '--key', join(home, 'installation-key.pub.pem')).code).toBe(0);
  });

  it('a chained continuation of a live ledger is recorded with who imported it', { timeout: 60_000 }, () => {
    const home = tempDir();
    const dir = tempDir();
    const path = join(dir, 'ledger.db');
    const exported = join(dir, 'export.jsonl');
    expect(attest(home, 'import', '--db', path, SMALL_FIXTURE).code).toBe(0);
    expect(attest(home, 'export', '--db', path, '--out', exported).code).toBe(0);
    // After the export (its session.started is #18) the ledger recorded its checkpoint (#19); the continuation follows that head.
    const head = JSON.parse(attest(home, 'prove', '--db', path, '--seq', '19', '--json').stdout) as { treeSize: number };
    expect(head.treeSize).toBe(19);
    const db = new Database(path, { readonly: true });
    const last = db.prepare('SELECT seq, hash, recorded_at AS recordedAt FROM events WHERE seq = 19').get() as { seq: number; hash: string; recordedAt: string };
    db.close();
    const file = join(dir, 'continuation.jsonl');
    writeFileSync(file, continuation(last, { ticket: null, type: 'category.mode', at: '2026-10-04T09:00:00.000Z', actor: { kind: 'human', id: 'auditor-jane' }, payload: { category: 'outage', mode: 'auto', reason: 'trust me' } }) + '\n');
    expect(attest(home, 'import', '--db', path, file).code).toBe(0);
    const after = new Database(path, { readonly: true });
    // The chained line is #20; the import's own record follows its session.started (#21), as #22.
    expect(after.prepare('SELECT type FROM events WHERE seq = 21').pluck().get()).toBe('session.started');
    const record = after.prepare("SELECT actor, payload FROM events WHERE seq = 22 AND type = 'import.file'").get() as { actor: string; payload: string } | undefined;
    after.close();
    expect(record).toBeDefined();
    expect(JSON.parse(record!.actor)).toMatchObject({ kind: 'human', id: expect.stringMatching(/^os:/) });
    expect(JSON.parse(record!.payload)).toMatchObject({ file: 'continuation.jsonl', format: 'jsonl', events: 1, firstSeq: 20, lastSeq: 20 });
  });
});
