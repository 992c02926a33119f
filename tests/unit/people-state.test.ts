// peopleState keeps the account events a connection has read and then reads only the ledger-wide events appended
// since (accounts.ts). What it answers must stay what a fold of every account event gives: after another
// connection's commits, after a rolled-back append of this connection, after the schema changed under it.
import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../shared/domain.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { addAccount, changeRole, foldPeople, peopleState, setEnabled, setIdleMinutes } from '../../electron/core/people/accounts.ts';
import { PeopleRepository } from '../../electron/core/people/people-repository.ts';
import { tempDb } from './helpers.ts';

const INSTALLER: Actor = { kind: 'system', id: 'test-installer' };
const ADMIN = { name: 'admin', display: 'Dana Whitfield', role: 'admin' as Role, password: 'harbor-lantern-42' };
const SUPERVISOR = { name: 'mrivera', display: 'Maya Rivera', role: 'supervisor' as Role, password: 'copper-meadow-17' };
const AUDITOR = { name: 'jlindqvist', display: 'Johanna Lindqvist', role: 'auditor' as Role, password: 'amber-glacier-93' };
const adminActor: Actor = { kind: 'human', id: 'acct:admin', name: ADMIN.display };

/** What every account event of the file, read afresh through a connection of its own, folds to. */
function foldedAfresh(path: string): ReturnType<typeof foldPeople> {
  const fresh = openDatabase(path);
  try {
    return foldPeople(new PeopleRepository(fresh).accountEvents());
  } finally {
    fresh.close();
  }
}

function secondConnection(path: string): Db {
  return openDatabase(path);
}

describe('peopleState of a connection that has looked before', () => {
  it("sees the accounts another connection created, changed and disabled since, as a fresh fold of the file does", () => {
    const { db, path } = tempDb();
    addAccount(db, ADMIN, INSTALLER);
    expect([...peopleState(db).accounts.keys()]).toEqual(['admin']);

    const other = secondConnection(path);
    try {
      addAccount(other, SUPERVISOR, adminActor);
      addAccount(other, AUDITOR, adminActor);
      expect([...peopleState(db).accounts.keys()]).toEqual(['admin', 'mrivera', 'jlindqvist']);
      changeRole(other, 'jlindqvist', 'supervisor', adminActor);
      setEnabled(other, 'mrivera', false, adminActor);
      setIdleMinutes(other, 30, adminActor);
    } finally {
      other.close();
    }
    const state = peopleState(db);
    expect(state.accounts.get('jlindqvist')?.role).toBe('supervisor');
    expect(state.accounts.get('mrivera')?.enabled).toBe(false);
    expect(state.idleMinutes).toBe(30);
    expect(state).toEqual(foldedAfresh(path));
  });

  it('forgets an account whose append was rolled back, even when other events later take the same sequence numbers', () => {
    const { db, path } = tempDb();
    addAccount(db, ADMIN, INSTALLER);
    const rolledBack = db.transaction(() => {
      addAccount(db, SUPERVISOR, adminActor);
      // Looked at inside the transaction: the account is there until the rollback.
      expect(peopleState(db).accounts.has('mrivera')).toBe(true);
      throw new Error('roll back');
    });
    expect(() => rolledBack()).toThrow('roll back');

    // Before this connection looks again, another one's events take the rolled-back ones' places (the same seq,
    // other hashes).
    const other = secondConnection(path);
    try {
      addAccount(other, AUDITOR, adminActor);
    } finally {
      other.close();
    }
    const state = peopleState(db);
    expect([...state.accounts.keys()]).toEqual(['admin', 'jlindqvist']);
    expect(state).toEqual(foldedAfresh(path));
  });

  it('reads every account event again when the schema changed under it (an edit in place needs the triggers gone)', () => {
    const { db, path } = tempDb();
    addAccount(db, ADMIN, INSTALLER);
    addAccount(db, SUPERVISOR, adminActor);
    expect(peopleState(db).accounts.get('mrivera')?.display).toBe('Maya Rivera');

    const other = secondConnection(path);
    try {
      const triggers = other.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'").pluck().all() as string[];
      for (const trigger of triggers) other.exec(`DROP TRIGGER "${trigger}"`);
      other
        .prepare("UPDATE events SET payload = json_set(payload, '$.display', 'Edited In Place') WHERE type = 'account.created' AND json_extract(payload, '$.account') = 'mrivera'")
        .run();
    } finally {
      other.close();
    }
    expect(peopleState(db).accounts.get('mrivera')?.display).toBe('Edited In Place');
    expect(peopleState(db)).toEqual(foldedAfresh(path));
  });
});
