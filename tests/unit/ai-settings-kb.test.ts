// The console's AI settings form and knowledge-base editor, through the contract as the console calls it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { openCore } from '../../electron/core/service.ts';
import { tempDb, tempDir } from './helpers.ts';

function kbWithReset(): { db: ReturnType<typeof tempDb>['db']; path: string } {
  const { db, path } = tempDb();
  const dir = tempDir();
  mkdirSync(join(dir, 'account'));
  writeFileSync(join(dir, 'account', 'reset.md'), '---\nid: reset\ntitle: Reset your password\ntags: [password]\ncategory: password_reset\n---\nUse Forgot password.\n');
  writeFileSync(join(dir, 'account', 'mfa.md'), '---\nid: mfa\ntitle: Two-factor login\n---\nUse the app.\n');
  importKnowledgeBase(db, dir);
  return { db, path };
}

const settings = { host: null, model: 'qwen2.5:7b', confidenceThreshold: 0.8, parallel: 3, redaction: { card: true, iban: false, email: true, phone: false }, reason: 'bigger model' };

describe('knowledge base through the contract', () => {
  it('lists articles and gets one with its body and version history', async () => {
    const { path } = kbWithReset();
    const core = openCore({ dbPath: path, role: 'auditor' });
    const list = await core.invoke('kb.list', {});
    expect(list).toMatchObject({ ok: true, value: [{ id: 'mfa', version: 1 }, { id: 'reset', version: 1, tags: ['password'], category: 'password_reset' }] });
    const one = await core.invoke('kb.get', { id: 'reset' });
    expect(one).toMatchObject({ ok: true, value: { id: 'reset', title: 'Reset your password', body: 'Use Forgot password.', versions: [{ version: 1, action: 'import', actor: 'system' }] } });
    expect(await core.invoke('kb.get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found', message: 'no article nope' } });
    core.close();
  });

  it('an edit by a supervisor records version 2 as a kb.article event by that user; old versions stay readable', async () => {
    const { db, path } = kbWithReset();
    const core = openCore({ dbPath: path, role: 'supervisor', user: 'sup-4' });
    const edited = await core.invoke('kb.edit', { id: 'reset', title: 'Reset your password', body: 'Open Settings → Security → Reset.', tags: ['password', 'login', 'password'], reason: 'the reset moved to Settings' });
    expect(edited).toMatchObject({
      ok: true,
      value: { id: 'reset', version: 2, body: 'Open Settings → Security → Reset.', tags: ['password', 'login'], category: 'password_reset', versions: [{ version: 1, action: 'import' }, { version: 2, action: 'edit', actor: 'sup-4' }] },
    });
    const event = db.prepare("SELECT actor, payload FROM events WHERE type = 'kb.article' ORDER BY seq DESC LIMIT 1").get() as { actor: string; payload: string };
    expect(JSON.parse(event.actor)).toEqual({ kind: 'human', id: 'sup-4' });
    expect(JSON.parse(event.payload)).toMatchObject({ article_id: 'reset', version: 2, action: 'edit', category: 'password_reset' });
    expect(await core.invoke('kb.article', { id: 'reset', version: 1 })).toMatchObject({ ok: true, value: { version: 1, body: 'Use Forgot password.' } });
    // Saving the same text again is not a new version.
    expect(await core.invoke('kb.edit', { id: 'reset', title: 'Reset your password', body: 'Open Settings → Security → Reset.', tags: ['password', 'login'], reason: 'again' })).toMatchObject({ ok: true, value: { version: 2 } });
    expect(db.prepare("SELECT count(*) FROM events WHERE type = 'kb.article'").pluck().get()).toBe(3);
    expect(verifyLedger(db).intact).toBe(true);
    core.close();
  });

  it('forbids edits by an auditor and refuses invalid input or unknown articles, writing nothing', async () => {
    const { db, path } = kbWithReset();
    const auditor = openCore({ dbPath: path, role: 'auditor' });
    expect(await auditor.invoke('kb.edit', { id: 'reset', title: 'x', body: 'y', tags: [], reason: 'r' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    auditor.close();
    const core = openCore({ dbPath: path, role: 'admin' });
    const empty = await core.invoke('kb.edit', { id: 'reset', title: '  ', body: 'y', tags: [], reason: 'r' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(empty)).toContain('an article needs a title');
    expect(await core.invoke('kb.edit', { id: 'reset', title: 'x', body: 'y', tags: [''], reason: 'r' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.invoke('kb.edit', { id: 'reset', title: 'x', body: 'y' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.invoke('kb.edit', { id: 'gone', title: 'x', body: 'y', tags: [], reason: 'r' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(db.prepare("SELECT count(*) FROM events WHERE type = 'kb.article'").pluck().get()).toBe(2);
    core.close();
  });
});

describe('AI settings through the contract', () => {
  it('a supervisor changes the settings as a ledger-wide ai.settings event; an auditor may read but not change them', async () => {
    const { db, path } = tempDb();
    const auditor = openCore({ dbPath: path, role: 'auditor' });
    expect(await auditor.invoke('ai.settings', {})).toMatchObject({ ok: true, value: { model: 'llama3.2:3b', host: null } });
    expect(await auditor.invoke('ai.configure', settings)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    auditor.close();
    const core = openCore({ dbPath: path, role: 'supervisor', user: 'sup-2' });
    expect(await core.invoke('ai.configure', { ...settings, confidenceThreshold: 1.5 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.invoke('ai.configure', { ...settings, host: 'not a url' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.invoke('ai.configure', { ...settings, reason: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.invoke('ai.configure', settings)).toMatchObject({ ok: true, value: { model: 'qwen2.5:7b', confidenceThreshold: 0.8, parallel: 3, redaction: { email: true, iban: false } } });
    core.close();
    const row = db.prepare("SELECT ticket_id, actor FROM events WHERE type = 'ai.settings'").get() as { ticket_id: string | null; actor: string };
    expect(row.ticket_id).toBeNull();
    expect(JSON.parse(row.actor)).toEqual({ kind: 'human', id: 'sup-2' });
    const reopened = openCore({ dbPath: path, role: 'auditor' });
    expect(await reopened.invoke('ai.settings', {})).toMatchObject({ ok: true, value: { model: 'qwen2.5:7b', parallel: 3 } });
    reopened.close();
  });
});
