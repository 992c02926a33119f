// Knowledge-base versions as an auditor reads them: every new version says why it was made (on every path that
// appends one), two versions side by side, and which AI replies cited which version.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlFile, importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { sideBySide } from '../../electron/core/kb/kb-diff.ts';
import { editArticle, importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { parseEventLine } from '../../electron/core/ledger/event-lines.ts';
import { canonicalActorJson, eventHash } from '../../electron/core/ledger/hashing.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { openCore } from '../../electron/core/service.ts';
import { exportSigned, rewriteChainFrom, SMALL_FIXTURE, tempDb, tempDir } from './helpers.ts';

const BIN = new URL('../../bin/attest.js', import.meta.url).pathname;
const attest = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ATTEST_HOME: tempDir() } });

const SUPERVISOR = { kind: 'human', id: 'sup-1' } as const;

function kbDir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const RESET_V1 = '---\nid: reset\ntitle: Reset your password\n---\nOpen the sign-in page.\nChoose Forgot password.\nFollow the email link.\n';

function withReset(): { db: Db; path: string; dir: string } {
  const { db, path } = tempDb();
  const dir = kbDir({ 'account/reset.md': RESET_V1 });
  importKnowledgeBase(db, dir, SUPERVISOR);
  return { db, path, dir };
}

const kbEvents = (db: Db): { seq: number; actor: string; payload: Record<string, unknown> }[] =>
  (db.prepare("SELECT seq, actor, payload FROM events WHERE type = 'kb.article' ORDER BY seq").all() as { seq: number; actor: string; payload: string }[]).map((row) => ({
    ...row,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  }));

const eventCount = (db: Db): number => db.prepare('SELECT count(*) FROM events').pluck().get() as number;

describe('a reason for every new version', () => {
  it('an import records the file and its SHA-256 as the reason, or the reason given followed by them', () => {
    const { db, dir } = withReset();
    const sha = createHash('sha256').update(readFileSync(join(dir, 'account/reset.md'))).digest('hex');
    expect(kbEvents(db)[0]!.payload.reason).toBe(`imported from account/reset.md (sha256 ${sha})`);
    writeFileSync(join(dir, 'account/reset.md'), RESET_V1.replace('Follow the email link.', 'Follow the link in the email within 24 hours.'));
    const sha2 = createHash('sha256').update(readFileSync(join(dir, 'account/reset.md'))).digest('hex');
    importKnowledgeBase(db, dir, SUPERVISOR, { reason: '  links now expire after a day  ' });
    expect(kbEvents(db)[1]!.payload).toMatchObject({ version: 2, action: 'import', reason: `links now expire after a day (imported from account/reset.md (sha256 ${sha2}))` });
  });

  it('attest kb import --reason records the reason given; an empty one is a usage error', () => {
    const { db, path } = tempDb();
    db.close();
    const dir = kbDir({ 'reset.md': RESET_V1 });
    const empty = attest(['kb', 'import', '--db', path, dir, '--reason', ' ']);
    expect([empty.status, empty.stderr]).toEqual([2, expect.stringContaining('--reason: must not be empty')]);
    const done = attest(['kb', 'import', '--db', path, dir, '--reason', 'vendor handbook 2026-11', '--json']);
    expect(done.status).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ added: 1 });
    const check = openDatabase(path);
    expect(kbEvents(check)[0]!.payload.reason).toMatch(/^vendor handbook 2026-11 \(imported from reset\.md \(sha256 [0-9a-f]{64}\)\)$/);
    check.close();
  });

  it('an edit through the contract needs a reason; it is recorded and shown with the version', async () => {
    const { db, path } = withReset();
    db.close();
    const core = openCore({ dbPath: path, role: 'supervisor', user: 'sup-4' });
    const change = { id: 'reset', title: 'Reset your password', body: 'Open Settings, then Security, then Reset.', tags: [] };
    expect(await core.invoke('kb.edit', change as never)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.invoke('kb.edit', { ...change, reason: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid_input', details: [expect.stringContaining('say why the article changes')] } });
    const saved = await core.invoke('kb.edit', { ...change, reason: 'the settings page moved' });
    expect(saved).toMatchObject({ ok: true, value: { version: 2, versions: [{ version: 1, action: 'import' }, { version: 2, action: 'edit', actor: 'sup-4', reason: 'the settings page moved', cited: 0 }] } });
    core.close();
    const check = openDatabase(path);
    expect(kbEvents(check).map((e) => e.payload.reason)).toEqual([expect.stringMatching(/^imported from account\/reset\.md \(sha256 [0-9a-f]{64}\)$/), 'the settings page moved']);
    check.close();
  });

  it('the ledger refuses a new version without a reason whoever appends it (core, JSONL import) and records nothing', () => {
    const { db } = withReset();
    const before = eventCount(db);
    expect(() => editArticle(db, 'reset', { title: 'Reset', body: 'Changed.', tags: [], reason: ' ' }, SUPERVISOR)).toThrow('reason: is required');
    const line = {
      type: 'kb.article', at: '2026-10-01T10:00:00Z', actor: SUPERVISOR, article_id: 'reset', version: 2, action: 'edit', title: 'Reset', body: 'Changed by a file.',
      tags: [], source: 'account/reset.md', content_hash: 'ab'.repeat(32),
    };
    const text = `${JSON.stringify({ ...line, article_id: 'other', reason: 'fine' })}\n${JSON.stringify(line)}\n`;
    expect(() => importJsonlText(db, 'kb-edits.jsonl', text)).toThrow('kb-edits.jsonl:2: reason: is required');
    expect(() => recordEvents(db, [{ ...line, reason: '' }])).toThrow('reason: is required');
    expect(eventCount(db)).toBe(before);
    importJsonlText(db, 'kb-edits.jsonl', `${JSON.stringify({ ...line, reason: 'typo fixed by the vendor' })}\n`);
    expect(kbEvents(db).at(-1)!.payload).toMatchObject({ version: 2, reason: 'typo fixed by the vendor' });
  });

  it('a chained line that continues a ledger with events is a new statement: a version without a reason is refused', () => {
    const { db } = withReset();
    const head = db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    const now = new Date().toISOString();
    // Anyone can continue a head they have seen: the line below hashes correctly onto it, as an export would.
    const fields = {
      seq: head.seq + 1, ticket: null, type: 'kb.article', at: now, recordedAt: now, prevHash: head.hash, actor: SUPERVISOR,
      article_id: 'reset', version: 2, action: 'edit', title: 'Reset', body: 'Forged, no reason.', tags: [], source: 'account/reset.md', content_hash: 'ab'.repeat(32),
    };
    const parsed = parseEventLine({ ...fields, hash: '0'.repeat(64) });
    const hash = eventHash({ seq: fields.seq, ticket: null, type: fields.type, at: parsed.at, recordedAt: now, actor: canonicalActorJson(parsed.actor), payload: parsed.payload, prevHash: head.hash });
    const before = eventCount(db);
    expect(() => importJsonlText(db, 'continued.jsonl', `${JSON.stringify({ ...fields, hash })}\n`)).toThrow('continued.jsonl:1: reason: is required');
    expect(eventCount(db)).toBe(before);
  });

  it('versions recorded before reasons existed stay valid, replay from an export, and show no reason', async () => {
    const { db, path } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    importKnowledgeBase(db, kbDir({ 'account/reset.md': RESET_V1 }), SUPERVISOR);
    const seq = kbEvents(db)[0]!.seq;
    db.close();
    // The ledger as an older Attest wrote it: the same event without a reason, the chain intact over it.
    rewriteChainFrom(path, seq, "UPDATE events SET payload = json_remove(payload, '$.reason') WHERE seq = ?");
    const old = openDatabase(path);
    expect(kbEvents(old)[0]!.payload).not.toHaveProperty('reason');
    expect(verifyLedger(old).intact).toBe(true);
    const file = join(tempDir(), 'old.jsonl');
    exportSigned(old, file);
    old.close();
    const { db: restored, path: restoredPath } = tempDb();
    importJsonlFile(restored, file);
    expect(kbEvents(restored)[0]!.payload).not.toHaveProperty('reason');
    restored.close();
    const core = openCore({ dbPath: restoredPath, role: 'auditor' });
    expect(await core.invoke('kb.get', { id: 'reset' })).toMatchObject({ ok: true, value: { versions: [{ version: 1, reason: null }] } });
    core.close();
  });
});

describe('two versions side by side', () => {
  it('pairs changed lines, marks the changed words, and says who, when and why for both sides', async () => {
    const { db, path } = withReset();
    editArticle(db, 'reset', { title: 'Reset your password', body: 'Open the sign-in page.\nChoose Forgot password.\nFollow the link in the email.\nCall us if it fails.', tags: [], reason: 'clearer link step' }, SUPERVISOR);
    editArticle(db, 'reset', { title: 'Resetting a password', body: 'Choose Forgot password.\nFollow the link in the email.\nCall us if it fails.', tags: [], reason: 'sign-in page step is obvious' }, { kind: 'human', id: 'sup-2' });
    db.close();
    const core = openCore({ dbPath: path, role: 'auditor' });
    // Asked newer-first, shown older on the left.
    const diff = await core.invoke('kb.diff', { id: 'reset', from: 2, to: 1 });
    if (!diff.ok) throw new Error(diff.error.message);
    const v = diff.value;
    expect(v.from).toMatchObject({ version: 1, action: 'import', actor: 'sup-1' });
    expect(v.to).toMatchObject({ version: 2, action: 'edit', actor: 'sup-1', reason: 'clearer link step' });
    const plain = (segments: { text: string }[] | null): string | null => segments && segments.map((s) => s.text).join('');
    expect(v.rows.map((r) => [r.kind, r.leftLine, r.rightLine, plain(r.left), plain(r.right)])).toEqual([
      ['same', 1, 1, '# Reset your password', '# Reset your password'],
      ['same', 2, 2, '', ''],
      ['same', 3, 3, 'Open the sign-in page.', 'Open the sign-in page.'],
      ['same', 4, 4, 'Choose Forgot password.', 'Choose Forgot password.'],
      ['changed', 5, 5, 'Follow the email link.', 'Follow the link in the email.'],
      ['added', null, 6, null, 'Call us if it fails.'],
    ]);
    expect([v.changed, v.added, v.removed]).toEqual([1, 1, 0]);
    const changed = v.rows[4]!;
    // What is marked unchanged reads the same on both sides; the rest is marked on each side, and "Follow the" is not.
    const kept = (segments: { text: string; changed: boolean }[]): string => segments.filter((s) => !s.changed).map((s) => s.text).join('');
    expect(kept(changed.left!)).toBe(kept(changed.right!));
    expect(kept(changed.left!).startsWith('Follow the ')).toBe(true);
    expect(changed.left!.some((s) => s.changed) && changed.right!.some((s) => s.changed)).toBe(true);

    const across = await core.invoke('kb.diff', { id: 'reset', from: 1, to: 3 });
    if (!across.ok) throw new Error(across.error.message);
    expect(across.value.to).toMatchObject({ version: 3, actor: 'sup-2', reason: 'sign-in page step is obvious' });
    expect(across.value.rows[0]).toMatchObject({ kind: 'changed', left: expect.anything(), right: expect.anything() });
    expect(across.value.rows.filter((r) => r.kind === 'removed').map((r) => plain(r.left))).toEqual(['Open the sign-in page.']);
    // A line changed through and through is marked whole, not word by word.
    const rewritten = sideBySide('Open the sign-in page and choose Forgot password.', 'Call support on weekdays between nine and five.').rows[0]!;
    expect([rewritten.kind, rewritten.left, rewritten.right]).toEqual([
      'changed',
      [{ text: 'Open the sign-in page and choose Forgot password.', changed: true }],
      [{ text: 'Call support on weekdays between nine and five.', changed: true }],
    ]);
    const itself = await core.invoke('kb.diff', { id: 'reset', from: 3, to: 3 });
    expect(itself.ok && itself.value.rows.every((r) => r.kind === 'same') && [itself.value.changed, itself.value.added, itself.value.removed]).toEqual([0, 0, 0]);
    expect(await core.invoke('kb.diff', { id: 'reset', from: 1, to: 9 })).toMatchObject({ ok: false, error: { code: 'not_found', message: 'article reset has no version 9' } });
    core.close();
  });
});

describe('which AI replies cited which version', () => {
  it('lists the runs per version, newest first and paged, with what became of each; counts per version', async () => {
    const { db, path } = withReset();
    importJsonlFile(db, SMALL_FIXTURE);
    editArticle(db, 'reset', { title: 'Reset your password', body: 'Version two.', tags: [], reason: 'rewritten' }, SUPERVISOR);
    const decision = (ticket: string, runId: string, action: string, citations: { id: string; version: number }[]) => ({
      ticket, type: 'ai.decision', at: new Date().toISOString(), run_id: runId, attempt_key: `m-${runId}`, model: { name: 'llama3.2:3b', digest: 'sha256:0' },
      mode: 'draft', action, confidence: 0.9, threshold: 0.75, topic: 'password', category: 'password_reset', note: 'test', draft: 'Use the link.', citations,
      ...(action === 'hand_off' ? { reason: 'low_confidence' } : {}),
    });
    recordEvents(db, [
      decision('T-1', 'run-a', 'await_review', [{ id: 'reset', version: 1 }]),
      decision('T-2', 'run-b', 'hand_off', [{ id: 'reset', version: 1 }, { id: 'other-article', version: 1 }]),
      decision('T-3', 'run-c', 'send_solve', [{ id: 'reset', version: 2 }]),
      // An article whose id contains "reset" is not "reset".
      decision('T-3', 'run-d', 'send_solve', [{ id: 'reset-pin', version: 1 }]),
    ]);
    db.close();
    const core = openCore({ dbPath: path, role: 'auditor' });
    expect(await core.invoke('kb.get', { id: 'reset' })).toMatchObject({ ok: true, value: { versions: [{ version: 1, cited: 2 }, { version: 2, cited: 1 }] } });
    const v1 = await core.invoke('kb.citations', { id: 'reset', version: 1 });
    expect(v1).toMatchObject({ ok: true, value: { total: 2, offset: 0, runs: [{ runId: 'run-b', ticketId: 'T-2', action: 'hand_off', reason: 'low_confidence' }, { runId: 'run-a', ticketId: 'T-1', action: 'await_review', review: null }] } });
    expect(await core.invoke('kb.citations', { id: 'reset', version: 1, limit: 1, offset: 1 })).toMatchObject({ ok: true, value: { total: 2, offset: 1, runs: [{ runId: 'run-a' }] } });
    const v2 = await core.invoke('kb.citations', { id: 'reset', version: 2 });
    expect(v2).toMatchObject({ ok: true, value: { total: 1, runs: [{ runId: 'run-c', ticketId: 'T-3', version: 2, action: 'send_solve' }] } });
    expect(await core.invoke('kb.citations', { id: 'reset', version: 7 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    core.close();
  });
});
