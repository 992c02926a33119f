// What an adversarial review of the people layer found, each pinned: a chained line cannot put an act in another
// person's name, signed acts cannot come from a file, the current password of a password change is a password check
// like any other, a second sign-in ends the first session, console exports are in the access log, and the browser's
// event stream closes with its session.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoContractPath } from '../../electron/core/outcomes/demo-contract.ts';
import type { Actor, Role } from '../../shared/domain.ts';
import { addAccount } from '../../electron/core/people/accounts.ts';
import { eventHash, canonicalActorJson, canonicalJson } from '../../electron/core/ledger/hashing.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { importJsonlText, ImportError } from '../../electron/core/interchange/jsonl-import.ts';
import { openCore } from '../../electron/core/service.ts';
import { startHttpBridge } from '../../electron/adapters/http/server.ts';
import { BrowserSession, staticDirIn, storedEvents } from './people-kit.ts';
import { tempDb } from './helpers.ts';

const INSTALLER: Actor = { kind: 'system', id: 'test-installer' };
const ADMIN = { name: 'admin', display: 'Dana Whitfield', role: 'admin' as Role, password: 'harbor-lantern-42' };
const MAYA = { name: 'mrivera', display: 'Maya Rivera', role: 'supervisor' as Role, password: 'copper-meadow-17' };
const TUNDE = { name: 'tokafor', display: 'Tunde Okafor', role: 'supervisor' as Role, password: 'silent-orchard-58' };
const actorOf = (p: { name: string; display: string }): Actor => ({ kind: 'human', id: `acct:${p.name}`, name: p.display });

function ledgerWithPeople() {
  const opened = tempDb();
  addAccount(opened.db, ADMIN, INSTALLER);
  addAccount(opened.db, MAYA, actorOf(ADMIN));
  addAccount(opened.db, TUNDE, actorOf(ADMIN));
  return opened;
}

/** A line that continues the ledger's head with a hash of its own making (what anyone who saw the head can do). */
function chainedLine(repository: LedgerRepository, event: { type: string; actor: Actor; payload: Record<string, unknown> }): string {
  const head = repository.lastEvent();
  const at = new Date().toISOString();
  const fields = { seq: head.seq + 1, ticket: null, type: event.type, at, recordedAt: at, actor: canonicalActorJson(event.actor), payload: canonicalJson(event.payload), prevHash: head.hash };
  return JSON.stringify({ seq: fields.seq, type: event.type, at, recordedAt: at, actor: event.actor, ...event.payload, prevHash: head.hash, hash: eventHash(fields) });
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return (error as Error).message;
  }
  throw new Error('the import was accepted');
}

describe('a file cannot carry acts in another name or acts that are signed', () => {
  it('a chained line that continues the head is judged as the importer’s own statement', () => {
    const { db } = ledgerWithPeople();
    const line = chainedLine(new LedgerRepository(db), { type: 'category.mode', actor: actorOf(MAYA), payload: { category: 'refund', mode: 'draft', reason: 'Maya approved this (she did not)' } });
    const before = new LedgerRepository(db).count();
    expect(refusal(() => importJsonlText(db, 'forged.jsonl', `${line}\n`, { importedBy: actorOf(TUNDE) }))).toMatch(/^forged\.jsonl:1: actor\.id: .*imported by acct:tokafor/);
    expect(new LedgerRepository(db).count()).toBe(before);
  });

  it('switching a category to auto and a contract version need a signature, which a file cannot carry', () => {
    const { db } = ledgerWithPeople();
    const at = new Date().toISOString();
    const auto = JSON.stringify({ type: 'category.mode', at, actor: actorOf(TUNDE), category: 'refund', mode: 'auto', reason: 'let it send' });
    expect(refusal(() => importJsonlText(db, 'auto.jsonl', `${auto}\n`, { importedBy: actorOf(TUNDE) }))).toMatch(/^auto\.jsonl:1: type: .*electronic signature/);
    const contract = JSON.parse(readFileSync(demoContractPath(), 'utf8')) as Record<string, unknown>;
    const version = JSON.stringify({ ...contract, type: 'contract.version', at, actor: actorOf(TUNDE) });
    expect(refusal(() => importJsonlText(db, 'contract.jsonl', `${version}\n`, { importedBy: actorOf(TUNDE) }))).toMatch(/^contract\.jsonl:1: type: .*electronic signature/);
    // The same person's unsigned act that needs no signature is taken.
    const draft = JSON.stringify({ type: 'category.mode', at, actor: actorOf(TUNDE), category: 'refund', mode: 'draft', reason: 'drafts first' });
    expect(importJsonlText(db, 'draft.jsonl', `${draft}\n`, { importedBy: actorOf(TUNDE) }).eventsAdded).toBe(1);
  });
});

describe('sessions and password checks', () => {
  it('a wrong current password of a password change is logged and counts towards the lockout; a locked account cannot change it', async () => {
    const { db, path } = ledgerWithPeople();
    db.close();
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      let session: string | null = null;
      expect((await core.invoke('auth.login', { name: MAYA.name, password: MAYA.password }, { onSession: (t) => (session = t) })).ok).toBe(true);
      for (let i = 0; i < 5; i++) {
        const guess = await core.invoke('users.setPassword', { name: MAYA.name, currentPassword: `guess-number-${i}-xx`, password: 'a-brand-new-passphrase' }, { session });
        expect(guess).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      const failures = storedEvents(path).filter((e) => e.type === 'access.loginFailed');
      expect(failures).toHaveLength(5);
      expect(storedEvents(path).filter((e) => e.type === 'access.lockout')).toHaveLength(1);
      const right = await core.invoke('users.setPassword', { name: MAYA.name, currentPassword: MAYA.password, password: 'a-brand-new-passphrase' }, { session });
      expect(right).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('locked') } });
      expect(storedEvents(path).filter((e) => e.type === 'account.passwordChanged')).toHaveLength(0);
    } finally {
      core.close();
    }
  });

  it('signing in again ends the session held before (recorded as a sign-out)', async () => {
    const { db, path } = ledgerWithPeople();
    db.close();
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      let session: string | null = null;
      const onSession = (t: string | null) => (session = t);
      await core.invoke('auth.login', { name: MAYA.name, password: MAYA.password }, { onSession });
      const first = session;
      await core.invoke('auth.login', { name: TUNDE.name, password: TUNDE.password }, { session: first, onSession });
      expect(session).not.toBe(first);
      expect(await core.invoke('tickets.list', {}, { session: first })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      expect(await core.invoke('session.info', {}, { session })).toMatchObject({ ok: true, value: { person: { account: TUNDE.name } } });
      expect(storedEvents(path).filter((e) => e.type === 'access.logout').map((e) => JSON.parse(e.payload).account)).toEqual([MAYA.name]);
    } finally {
      core.close();
    }
  });

  it('a console export is in the access log; the event stream closes when its session ends', async () => {
    const { db, path, dir } = ledgerWithPeople();
    db.close();
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    const bridge = await startHttpBridge({ core, staticDir: staticDirIn(dir) });
    try {
      const browser = new BrowserSession(bridge);
      expect((await browser.call('auth.login', { name: MAYA.name, password: MAYA.password })).ok).toBe(true);
      const exported = await browser.call('kpis.export', { view: 'overview', format: 'csv', from: '2026-01-01', to: '2026-01-31' });
      expect(exported.ok).toBe(true);
      expect(storedEvents(path).filter((e) => e.type === 'access.export').map((e) => JSON.parse(e.payload))).toMatchObject([{ account: MAYA.name, via: 'browser', what: 'KPI export' }]);

      // The stream is open while the session lives; after sign-out the next core event closes it.
      const stream = await fetch(`http://127.0.0.1:${bridge.port}/api/events?token=${encodeURIComponent(bridge.token)}`, { headers: { Cookie: browser.cookie! } });
      expect(stream.status).toBe(200);
      const reader = stream.body!.getReader();
      await reader.read();
      await browser.call('auth.logout', {});
      let closed = false;
      for (let i = 0; i < 50 && !closed; i++) {
        const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
        if (next && next.done) closed = true;
      }
      expect(closed).toBe(true);
    } finally {
      await bridge.close();
      core.close();
    }
  });
});
