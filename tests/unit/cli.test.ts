import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { operatingSystemUser } from '../../electron/core/people/operator.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

function attest(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('attest CLI', () => {
  it('imports, verifies, exports and rebuilds with --json printing exactly one JSON document', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const imported = attest('import', '--db', db, '--format', 'jsonl', SMALL_FIXTURE, '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ eventsAdded: 15, duplicatesSkipped: 0 });

    const verified = attest('verify', '--db', db, '--json');
    expect(verified.code).toBe(0);
    const status = JSON.parse(verified.stdout);
    // The 15 lines, the import.file record and, first, the import command's session.started.
    expect(status).toMatchObject({ intact: true, eventCount: 17 });

    const human = attest('verify', '--db', db);
    expect(human.stdout.trim().split('\n')).toEqual([`intact: 17 events, head ${status.headHash}`]);

    const out = join(dir, 'out.jsonl');
    const exported = attest('export', '--db', db, '--format', 'jsonl', '--out', out, '--json');
    // The export command writes (its checkpoint), so its own session.started is the 18th event, exported with the rest.
    expect(JSON.parse(exported.stdout)).toMatchObject({ events: 18, checkpointSeq: 19 });
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { seq: number; type: string; hash: string });
    expect(lines).toHaveLength(18);
    expect(lines[16]!.hash).toBe(status.headHash);
    expect(lines[17]).toMatchObject({ type: 'session.started', command: 'export' });

    const rebuilt = attest('rebuild', '--db', db, '--json');
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ tickets: 3, totalTickets: 3 });
  });

  it('exits 1 naming the first bad sequence number when the database was tampered with', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    attest('import', '--db', db, SMALL_FIXTURE);
    const raw = new Database(db);
    raw.exec('DROP TRIGGER events_no_update');
    raw.prepare("UPDATE events SET payload = json_set(payload, '$.score', 1) WHERE seq = 5").run();
    raw.close();
    const result = attest('verify', '--db', db);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^BROKEN at #5: content_changed/);
    const json = attest('verify', '--db', db, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ intact: false, firstBadSeq: 5, problem: 'content_changed' });
  });

  it('reports a bad line as PATH:LINE: field: reason on stderr, exit 1, database untouched', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    attest('import', '--db', db, SMALL_FIXTURE);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"ticket":"X-1","type":"csat","at":"2026-10-01T09:00:00Z","score":2}\n{"ticket":"X-1","type":"status","at":"2026-10-01T09:00:00Z","status":"done","by":{"kind":"human"}}\n');
    const result = attest('import', '--db', db, '--format', 'jsonl', bad, '--json');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^attest: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: status: `));
    expect(JSON.parse(attest('verify', '--db', db, '--json').stdout).eventCount).toBe(17);
  });

  it('rejects usage errors with exit 2 and a message on stderr', () => {
    expect(attest('verify').code).toBe(2);
    expect(attest('frobnicate', '--db', 'x.db').stderr).toMatch(/unknown command "frobnicate"/);
    expect(attest('import', '--db', join(tempDir(), 'a.db'), '--format', 'xml', SMALL_FIXTURE).stderr).toMatch(/unsupported format/);
    const missing = attest('verify', '--db', join(tempDir(), 'nope.db'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such database/);
  });
});

describe('attest categories', () => {
  it('lists modes and records a mode change with who and why (single-user mode: the operating-system user)', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    attest('import', '--db', db, SMALL_FIXTURE);
    expect(attest('categories', 'set', '--db', db, 'outage', 'draft').code).toBe(2);
    const set = attest('categories', 'set', '--db', db, 'outage', 'draft', '--reason', 'drafts first', '--user', 'sup-3', '--json');
    expect(set.code).toBe(0);
    // No accounts (single-user mode): the act is the operating-system user's, and --user is ignored with a note.
    expect(JSON.parse(set.stdout)).toMatchObject({ category: 'outage', mode: 'draft', changedBy: operatingSystemUser().id, reason: 'drafts first', seq: 19 }); // after the import's 17 events and this command's session.started
    expect(set.stderr).toMatch(/single-user mode.*--user.*ignored/);
    const list = JSON.parse(attest('categories', '--db', db, '--json').stdout) as { category: string; mode: string }[];
    expect(list.map((r) => [r.category, r.mode])).toEqual([['billing_question', 'off'], ['outage', 'draft'], ['password_reset', 'off']]);
    expect(attest('verify', '--db', db).code).toBe(0);
  });
});
