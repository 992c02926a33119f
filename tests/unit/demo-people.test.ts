// The demo's history names people: its accounts for every act of someone using Attest, the source helpdesk's
// agents by their printed names, and no placeholder like "local-supervisor" anywhere.
import { describe, expect, it } from 'vitest';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { DEMO_ACCOUNTS } from '../../electron/core/people/demo-accounts.ts';
import { verifyPassword } from '../../electron/core/people/passwords.ts';
import { eventTypeSpec } from '../../electron/core/ledger/event-registry.ts';
import type { Actor } from '../../shared/domain.ts';
import { tempDb } from './helpers.ts';

describe('the demo ledger names a person for every human event', () => {
  it('every human actor has a printed name; every person act names a demo account; no local-* placeholder', async () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 120, seed: 4 });
    const rows = db.prepare('SELECT seq, type, actor FROM events ORDER BY seq').all() as { seq: number; type: string; actor: string }[];
    const accounts = new Map(DEMO_ACCOUNTS.map((a) => [`acct:${a.account}`, a.display]));
    let personActs = 0;
    for (const row of rows) {
      const actor = JSON.parse(row.actor) as Actor;
      expect(row.actor, `#${row.seq}`).not.toContain('local-');
      if (actor.kind === 'human') expect(actor.name, `#${row.seq} ${row.type} ${row.actor}`).toBeTruthy();
      if (eventTypeSpec(row.type)?.actedBy === 'person' && row.type !== 'account.created') {
        personActs++;
        expect(accounts.get(actor.id ?? ''), `#${row.seq} ${row.type}`).toBe(actor.name);
      }
    }
    expect(personActs).toBeGreaterThan(0);
    // The published passwords are the ones stored (the sign-in screen of a demo lists them).
    const stored = db.prepare('SELECT account, password FROM account_credentials ORDER BY account').all() as { account: string; password: string }[];
    expect(stored.map((row) => row.account).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.account).sort());
    for (const demo of DEMO_ACCOUNTS) expect(await verifyPassword(demo.password, stored.find((row) => row.account === demo.account)!.password)).toBe(true);
  });
});
