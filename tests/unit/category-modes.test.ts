import { describe, expect, it } from 'vitest';
import { categoryMode, listCategoryModes } from '../../electron/core/categories/category-modes.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { importJsonlFile, importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { openCore } from '../../electron/core/service.ts';
import { SMALL_FIXTURE, tempDb } from './helpers.ts';

const supervisor = { kind: 'human', id: 'sup-1' };

describe('category modes', () => {
  it('are ledger-wide events with who and why, projected to the current mode per category', () => {
    const { db } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    expect(categoryMode(db, 'password_reset')).toBe('off');
    const [first] = recordEvents(db, [{ type: 'category.mode', at: '2026-10-05T08:00:00Z', actor: supervisor, category: 'password_reset', mode: 'draft', reason: 'pilot' }]);
    recordEvents(db, [{ type: 'category.mode', at: '2026-10-06T08:00:00Z', actor: supervisor, category: 'password_reset', mode: 'auto', reason: 'drafts were good' }]);
    expect(first).toMatchObject({ added: true, ticket: null, type: 'category.mode', seq: 17 });
    expect(db.prepare('SELECT ticket_id FROM events WHERE seq = 17').pluck().get()).toBeNull();
    expect(categoryMode(db, 'password_reset')).toBe('auto');
    const row = listCategoryModes(db).find((r) => r.category === 'password_reset');
    expect(row).toMatchObject({ mode: 'auto', changedBy: 'sup-1', reason: 'drafts were good', seq: 18, tickets: 1 });
    expect(listCategoryModes(db).find((r) => r.category === 'outage')).toMatchObject({ mode: 'off', changedBy: null, tickets: 1 });
    expect(verifyLedger(db).intact).toBe(true);
    db.exec('DELETE FROM category_modes');
    rebuildAllProjections(db);
    expect(categoryMode(db, 'password_reset')).toBe('auto');
  });

  it('refuses a ledger-wide line that names a ticket, or one without a reason', () => {
    const { db } = tempDb();
    expect(() => importJsonlText(db, 'modes.jsonl', '{"type":"category.mode","ticket":"T-1","at":"2026-10-05T08:00:00Z","category":"x","mode":"auto","reason":"r"}\n')).toThrow(
      'modes.jsonl:1: ticket: must be absent: "category.mode" is a ledger-wide event',
    );
    expect(() => importJsonlText(db, 'modes.jsonl', '{"type":"category.mode","at":"2026-10-05T08:00:00Z","category":"x","mode":"auto","reason":""}\n')).toThrow(
      'modes.jsonl:1: reason: a reason is required',
    );
  });

  it('can be changed through the contract by a supervisor, not by an auditor, recording who did it', async () => {
    const { db, path } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    const auditor = openCore({ dbPath: path, role: 'auditor', user: 'aud-1' });
    expect(await auditor.invoke('categories.setMode', { category: 'outage', mode: 'auto', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    auditor.close();
    const core = openCore({ dbPath: path, role: 'supervisor', user: 'sup-9' });
    expect(await core.invoke('categories.setMode', { category: 'outage', mode: 'draft', reason: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const result = await core.invoke('categories.setMode', { category: 'outage', mode: 'draft', reason: 'try drafts first' });
    expect(result).toMatchObject({ ok: true, value: { category: 'outage', mode: 'draft', changedBy: 'sup-9' } });
    core.close();
    const actor = db.prepare("SELECT actor FROM events WHERE type = 'category.mode'").pluck().get();
    expect(JSON.parse(actor as string)).toEqual({ kind: 'human', id: 'sup-9' });
  });
});
