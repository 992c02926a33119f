// Accounts are ledger events (created, role changed, disabled, enabled, password changed — never the hash); this
// module folds them into who exists now and writes the changes. The hashes live in account_credentials.
import type { AccountRow, Person } from '../../../shared/contracts/people.ts';
import { ACCOUNT_ACTOR_PREFIX, type Actor, type Role } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import { recordEvents } from '../derived/record-events.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { credentialDigest, hashPassword, requireAcceptablePassword } from './passwords.ts';
import { PeopleRepository, type PeopleEvent } from './people-repository.ts';

export const DEFAULT_IDLE_MINUTES = 15;

export interface AccountState {
  account: string;
  display: string;
  role: Role;
  enabled: boolean;
  createdAt: string;
  createdBy: string;
}

export interface PeopleState {
  /** The ledger has left single-user mode. */
  required: boolean;
  accounts: Map<string, AccountState>;
  idleMinutes: number;
}

/** Folds account events (in ledger order) into the accounts as they stand after the last one. */
export function foldPeople(events: readonly PeopleEvent[]): PeopleState {
  const state: PeopleState = { required: false, accounts: new Map(), idleMinutes: DEFAULT_IDLE_MINUTES };
  for (const event of events) {
    const payload = event.payload;
    const account = state.accounts.get(payload.account as string);
    switch (event.type) {
      case 'accounts.required':
        state.required = true;
        break;
      case 'account.created':
        state.accounts.set(payload.account as string, {
          account: payload.account as string,
          display: payload.display as string,
          role: payload.role as Role,
          enabled: true,
          createdAt: event.at,
          createdBy: event.actor.name ?? event.actor.id ?? event.actor.kind,
        });
        break;
      case 'account.roleChanged':
        if (account) account.role = payload.role as Role;
        break;
      case 'account.disabled':
        if (account) account.enabled = false;
        break;
      case 'account.enabled':
        if (account) account.enabled = true;
        break;
      case 'people.idleMinutes':
        state.idleMinutes = payload.minutes as number;
        break;
    }
  }
  return state;
}

/**
 * The account events this connection has read, up to event #coveredSeq (whose stored hash was coveredHash), under the
 * schema cookie it read them with.
 */
interface AccountEventsSeen {
  events: PeopleEvent[];
  coveredSeq: number;
  coveredHash: string | null;
  schemaVersion: number;
}

const accountEventsSeen = new WeakMap<Db, AccountEventsSeen>();

/**
 * Every account event in ledger order, read once per connection and then only the ledger-wide events appended since.
 * Every call of the core asks who its caller is (peopleState); at a million tickets, under the background work's
 * reads and writes, reading the ledger-wide events each time took up to 38 ms of the console's thread per call
 * (a CPU profile of the 1M console run: 5.1 s in all).
 * The events already read are kept only while the file can only have grown since: the same schema cookie (no trigger
 * dropped, no migration) and the same hash at the last event read (a rolled-back append, a restored or rewritten
 * ledger changes or removes it) — otherwise every account event is read again. The ledger-tree cache follows the
 * same rule (checkpoints/ledger-tree.ts).
 */
function accountEventsNow(db: Db): PeopleEvent[] {
  const ledger = new LedgerRepository(db);
  const schemaVersion = ledger.schemaVersion();
  const head = ledger.lastEvent();
  let seen = accountEventsSeen.get(db);
  const stillGrown = seen && seen.schemaVersion === schemaVersion && seen.coveredSeq <= head.seq && ledger.eventHash(seen.coveredSeq) === seen.coveredHash;
  if (!seen || !stillGrown) {
    seen = { events: [], coveredSeq: 0, coveredHash: null, schemaVersion };
    accountEventsSeen.set(db, seen);
  }
  if (head.seq > seen.coveredSeq) {
    seen.events.push(...new PeopleRepository(db).accountEventsBetween(seen.coveredSeq, head.seq));
    seen.coveredSeq = head.seq;
    seen.coveredHash = head.hash;
  }
  return seen.events;
}

export function peopleState(db: Db): PeopleState {
  return foldPeople(accountEventsNow(db));
}

export function personOf(account: AccountState): Person {
  return { account: account.account, id: `${ACCOUNT_ACTOR_PREFIX}${account.account}`, display: account.display, role: account.role };
}

/** How the ledger names a person with an account on every event they cause. */
export function actorOfPerson(person: Person): Actor {
  return { kind: 'human', id: person.id, name: person.display };
}

export function accountRow(db: Db, account: AccountState, lockedUntil: string | null): AccountRow {
  return { ...personOf(account), enabled: account.enabled, createdAt: account.createdAt, createdBy: account.createdBy, lockedUntil, lastLoginAt: new PeopleRepository(db).lastLogin(account.account) };
}

function requireAccount(state: PeopleState, name: string): AccountState {
  const account = state.accounts.get(name);
  if (!account) throw new NotFoundError(`no account named "${name}"`);
  return account;
}

const enabledAdmins = (state: PeopleState): AccountState[] => [...state.accounts.values()].filter((a) => a.enabled && a.role === 'admin');

function record(db: Db, lines: Record<string, unknown>[], at: string): void {
  recordEvents(db, lines.map((line) => ({ at, ...line })), at);
}

export interface NewAccount {
  name: string;
  display: string;
  role: Role;
  password: string;
}

/**
 * Creates an account. The first one ends single-user mode for good (an `accounts.required` event after it) and
 * must be an admin, or nobody could manage the others.
 */
export function addAccount(db: Db, input: NewAccount, by: Actor, at = new Date().toISOString()): AccountState {
  return inWriteTransaction(db, () => {
    const state = peopleState(db);
    if (state.accounts.has(input.name)) throw new InputError(`an account named "${input.name}" already exists`);
    const first = !state.required;
    if (first && input.role !== 'admin') throw new InputError('the first account must be an admin (it ends single-user mode; someone must be able to manage accounts)');
    requireAcceptablePassword(input.password, { account: input.name, display: input.display });
    const stored = hashPassword(input.password);
    record(db, [{ type: 'account.created', actor: by, account: input.name, display: input.display, role: input.role, credential: credentialDigest(stored) }], at);
    if (first) record(db, [{ type: 'accounts.required', actor: { kind: 'system', id: 'attest' }, firstAccount: input.name }], at);
    new PeopleRepository(db).setPasswordHash(input.name, stored, at);
    return requireAccount(peopleState(db), input.name);
  });
}

export function changeRole(db: Db, name: string, role: Role, by: Actor, at = new Date().toISOString()): AccountState {
  return inWriteTransaction(db, () => {
    const state = peopleState(db);
    const account = requireAccount(state, name);
    if (account.role === role) return account;
    if (account.role === 'admin' && account.enabled && enabledAdmins(state).length === 1) throw new InputError(`"${name}" is the last enabled admin: make another admin first`);
    record(db, [{ type: 'account.roleChanged', actor: by, account: name, role, previous: account.role }], at);
    return requireAccount(peopleState(db), name);
  });
}

export function setEnabled(db: Db, name: string, enabled: boolean, by: Actor, at = new Date().toISOString()): AccountState {
  return inWriteTransaction(db, () => {
    const state = peopleState(db);
    const account = requireAccount(state, name);
    if (account.enabled === enabled) return account;
    if (!enabled && account.role === 'admin' && enabledAdmins(state).length === 1) throw new InputError(`"${name}" is the last enabled admin: make another admin first`);
    record(db, [{ type: enabled ? 'account.enabled' : 'account.disabled', actor: by, account: name }], at);
    return requireAccount(peopleState(db), name);
  });
}

export function setPassword(db: Db, name: string, password: string, by: Actor, at = new Date().toISOString()): AccountState {
  return inWriteTransaction(db, () => {
    const account = requireAccount(peopleState(db), name);
    requireAcceptablePassword(password, { account: name, display: account.display });
    const reset = by.id !== `${ACCOUNT_ACTOR_PREFIX}${name}`;
    const stored = hashPassword(password);
    record(db, [{ type: 'account.passwordChanged', actor: by, account: name, reset, credential: credentialDigest(stored) }], at);
    new PeopleRepository(db).setPasswordHash(name, stored, at);
    return account;
  });
}

export function setIdleMinutes(db: Db, minutes: number, by: Actor, at = new Date().toISOString()): void {
  record(db, [{ type: 'people.idleMinutes', actor: by, minutes }], at);
}

/** The account events that set a password, each with the `credential` digest of the hash it set. */
export const PASSWORD_EVENT_TYPES: ReadonlySet<string> = new Set(['account.created', 'account.passwordChanged']);

/**
 * For each account, the `credential` digest of the last event that set its password (account.created or
 * account.passwordChanged), or null when that event predates credential digests. A password hash is taken from
 * outside the ledger (a team server's table) only when it matches.
 */
export function credentialBindings(db: Db): Map<string, string | null> {
  const bindings = new Map<string, string | null>();
  for (const event of new PeopleRepository(db).accountEvents()) {
    if (!PASSWORD_EVENT_TYPES.has(event.type)) continue;
    bindings.set(event.payload.account as string, typeof event.payload.credential === 'string' ? event.payload.credential : null);
  }
  return bindings;
}
