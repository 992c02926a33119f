// Signing in: the password checked against its scrypt hash, every attempt in the access log (a ledger event, as
// tamper-evident as the tickets), and five failures in a row lock the account for fifteen minutes. The lockout is
// read back from those events, so it holds across restarts and processes.
import type { Person } from '../../../shared/contracts/people.ts';
import type { Db } from '../db/connection.ts';
import { recordEvents } from '../derived/record-events.ts';
import { actorOfPerson, peopleState, personOf, type AccountState } from './accounts.ts';
import { decoyHash, verifyPassword } from './passwords.ts';
import { PeopleRepository } from './people-repository.ts';
import type { WriteTurn } from '../db/write-gate.ts';

export const MAX_FAILURES = 5;
export const LOCKOUT_MINUTES = 15;

export type Via = 'electron' | 'browser' | 'cli';

export type SignInResult = { ok: true; person: Person } | { ok: false; message: string };

const SYSTEM = { kind: 'system', id: 'attest' } as const;

/** The end of the lockout in force at `now`, or null; and how many failures in a row precede `now`. */
export function lockoutOf(db: Db, account: string, now: string): { lockedUntil: string | null; failures: number } {
  let failures = 0;
  for (const event of new PeopleRepository(db).recentSignInEvents(account, MAX_FAILURES + 1)) {
    if (event.type === 'access.lockout') {
      const until = event.payload.until as string;
      return { lockedUntil: until > now ? until : null, failures };
    }
    if (event.type !== 'access.loginFailed') break;
    if (event.payload.reason === 'password') failures += 1;
  }
  return { lockedUntil: null, failures };
}

/**
 * Checks a name and password and records the attempt. `write` runs the recording as one write of the caller's
 * gate. The same message answers an unknown name and a wrong password, so names cannot be probed.
 */
export async function signIn(db: Db, name: string, password: string, via: Via, write: WriteTurn, now = () => new Date().toISOString()): Promise<SignInResult> {
  const wrong = 'wrong name or password';
  for (let attempt = 1; ; attempt++) {
    const stored = peopleState(db).accounts.has(name) ? new PeopleRepository(db).passwordHash(name) : null;
    // scrypt runs outside the write turn (it takes a while); the turn then makes sure the hash it checked is still the
    // account's — another process or a team console may have changed the password meanwhile — else checks again.
    const matches = await verifyPassword(password, stored ?? decoyHash());
    const result = await write(`sign-in of ${name}`, (): SignInResult | typeof STALE => {
      const account = peopleState(db).accounts.get(name);
      const current = account ? new PeopleRepository(db).passwordHash(name) : null;
      if (current !== stored && attempt < MAX_STALE_CHECKS) return STALE;
      return judgeSignIn(db, { name, via, account, stored: current, matches: matches && current === stored, now, wrong });
    });
    if (result !== STALE) return result;
  }
}

/** The sign-in decided on a password hash that is no longer the account's: check again. */
const STALE = Symbol('stale password hash');
const MAX_STALE_CHECKS = 3;

interface SignInAttempt {
  name: string;
  via: Via;
  account: AccountState | undefined;
  stored: string | null;
  matches: boolean;
  now: () => string;
  wrong: string;
}

/** Records one sign-in attempt, inside the caller's write turn, and says whether the person is in. */
function judgeSignIn(db: Db, { name, via, account, stored, matches, now, wrong }: SignInAttempt): SignInResult {
  const at = now();
  const failed = (reason: 'unknown' | 'password' | 'disabled' | 'locked', message: string): SignInResult => {
    recordEvents(db, [{ type: 'access.loginFailed', at, actor: SYSTEM, name: name.slice(0, 100), ...(account ? { account: account.account } : {}), reason, via }], at);
    return { ok: false, message };
  };
  if (!account || !stored) return failed('unknown', wrong);
  if (!account.enabled) return failed('disabled', `the account "${name}" is disabled; an admin can enable it`);
  const { lockedUntil, failures } = lockoutOf(db, account.account, at);
  if (lockedUntil) return failed('locked', `the account "${name}" is locked after ${MAX_FAILURES} failed sign-ins until ${lockedUntil}`);
  if (!matches) {
    const locked = recordPasswordFailure(db, account.account, via, at, failures);
    return { ok: false, message: locked ? `wrong name or password; the account is now locked for ${LOCKOUT_MINUTES} minutes after ${MAX_FAILURES} failures` : wrong };
  }
  const person = personOf(account);
  recordEvents(db, [{ type: 'access.login', at, actor: actorOfPerson(person), account: account.account, via }], at);
  return { ok: true, person };
}

/**
 * Records a wrong password for an account (a sign-in or a signature) in the access log, and the lockout when it
 * is the fifth failure in a row. Runs inside the caller's write turn. Returns whether the account is now locked.
 */
export function recordPasswordFailure(db: Db, account: string, via: Via, at: string, failuresBefore: number): boolean {
  recordEvents(db, [{ type: 'access.loginFailed', at, actor: SYSTEM, name: account, account, reason: 'password', via }], at);
  if (failuresBefore + 1 < MAX_FAILURES) return false;
  const until = new Date(Date.parse(at) + LOCKOUT_MINUTES * 60_000).toISOString();
  recordEvents(db, [{ type: 'access.lockout', at, actor: SYSTEM, account, until, failures: failuresBefore + 1 }], at);
  return true;
}

/** Checks a signed-in person's password again (a signature, a password change) without recording a sign-in. */
export async function confirmPassword(db: Db, person: Person, password: string): Promise<boolean> {
  const stored = new PeopleRepository(db).passwordHash(person.account);
  return verifyPassword(password, stored ?? decoyHash());
}
