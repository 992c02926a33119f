// Accounts, sign-in and the access log in the console. Sessions belong to the core (see service.ts); these
// handlers open and end them through `people`.
import type { AccessLogRow, AccountRow, AuthState, Person } from '../../../shared/contracts/people.ts';
import { ACCESS_EVENT_TYPES } from '../../../shared/contracts/people.ts';
import { accountRow, addAccount, changeRole, peopleState, setEnabled, setIdleMinutes, setPassword, type AccountState } from '../people/accounts.ts';
import { lockoutOf, signIn } from '../people/authentication.ts';
import { confirmPasswordAgain } from '../people/signatures.ts';
import { PeopleRepository } from '../people/people-repository.ts';
import { ForbiddenError, InputError, NotFoundError } from '../errors.ts';
import { emitLedgerChanged } from './ledger-changed.ts';
import type { Caller, CoreContext, FeatureHandlers } from './context.ts';

type PeopleMethod =
  | 'auth.state'
  | 'auth.login'
  | 'auth.logout'
  | 'users.list'
  | 'users.add'
  | 'users.setRole'
  | 'users.disable'
  | 'users.enable'
  | 'users.setPassword'
  | 'access.log'
  | 'people.setIdleMinutes';

/** What the core's session keeping offers these handlers. */
export interface PeopleSessions {
  /** The state as the caller sees it (their person, the mode, the demo accounts of a demo). */
  state(caller: Caller): Promise<AuthState>;
  /** Opens a session for a person who just signed in; the adapter is told the token. */
  open(caller: Caller, person: Person): Promise<void>;
  /** Ends the caller's session (sign-out), recording it (and telling the console the ledger moved). */
  end(caller: Caller): Promise<void>;
}

export function peopleHandlers(ctx: CoreContext, sessions: PeopleSessions): FeatureHandlers<PeopleMethod> {
  const row = (account: AccountState): AccountRow => accountRow(ctx.db, account, lockoutOf(ctx.db, account.account, new Date().toISOString()).lockedUntil);
  const changed = <T>(value: T): T => {
    emitLedgerChanged(ctx);
    return value;
  };
  return {
    handlers: {
      'auth.state': (_input, caller) => sessions.state(caller),
      'auth.login': async (input, caller) => {
        if (!peopleState(ctx.db).required) throw new InputError('this ledger has no accounts yet (single-user mode): create the first admin account instead of signing in');
        const result = await signIn(ctx.db, input.name, input.password, caller.via, ctx.writes.turnOn(ctx.db));
        emitLedgerChanged(ctx);
        if (!result.ok) throw new SignInRefused(result.message);
        await sessions.open(caller, result.person);
        return sessions.state({ ...caller, person: result.person, role: result.person.role });
      },
      'auth.logout': async (_input, caller) => {
        await sessions.end(caller);
        return sessions.state({ ...caller, person: null, session: null });
      },
      'users.list': () => [...peopleState(ctx.db).accounts.values()].map(row),
      'users.add': (input, caller) => changed(row(addAccount(ctx.db, input, caller.actor))),
      'users.setRole': (input, caller) => changed(row(changeRole(ctx.db, input.name, input.role, caller.actor))),
      'users.disable': (input, caller) => changed(row(setEnabled(ctx.db, input.name, false, caller.actor))),
      'users.enable': (input, caller) => changed(row(setEnabled(ctx.db, input.name, true, caller.actor))),
      'users.setPassword': async (input, caller) => {
        const own = caller.person?.account === input.name;
        if (caller.person && !own && caller.role !== 'admin') throw new ForbiddenError(`only an admin may reset another person's password`);
        if (own) {
          if (!input.currentPassword) throw new InputError('give your current password to change it');
          // The current password is a password check like a sign-in: refused while locked, and a wrong one is in
          // the access log and counts towards the lockout (else an open console could guess it without limit).
          await confirmPasswordAgain(ctx.db, caller, input.currentPassword, ctx.writes.turnOn(ctx.db), 'the password was not changed');
        }
        const account = await ctx.writes.write(ctx.db, 'password change', () => setPassword(ctx.db, input.name, input.password, caller.actor));
        return changed(row(account));
      },
      'access.log': (input) => {
        const types = input.types.length ? input.types : ACCESS_EVENT_TYPES;
        const page = new PeopleRepository(ctx.db).accessEvents({ ...input, types });
        const accounts = peopleState(ctx.db).accounts;
        const rows = page.rows.map((event): AccessLogRow => {
          const account = (event.payload.account as string | undefined) ?? null;
          return {
            seq: event.seq,
            type: event.type as AccessLogRow['type'],
            at: event.at,
            account,
            display: (account && accounts.get(account)?.display) ?? null,
            via: (event.payload.via as string | undefined) ?? null,
            detail: accessDetail(event.type, event.payload),
          };
        });
        return { total: page.total, rows };
      },
      'people.setIdleMinutes': async (input, caller) => {
        // Its own write turn: a turn runs synchronous work only, and the answer (the state) is read asynchronously.
        await ctx.writes.write(ctx.db, 'session setting', () => setIdleMinutes(ctx.db, input.minutes, caller.actor));
        emitLedgerChanged(ctx);
        return sessions.state(caller);
      },
    },
  };
}

function accessDetail(type: string, payload: Record<string, unknown>): string {
  switch (type) {
    case 'access.loginFailed':
      return `sign-in as "${String(payload.name)}" refused (${String(payload.reason)})`;
    case 'access.lockout':
      return `locked after ${String(payload.failures)} failures until ${String(payload.until)}`;
    case 'access.expired':
      return `session ended after ${String(payload.idleMinutes)} idle minutes`;
    case 'access.logout':
      return payload.reason === 'locked' ? 'session ended: the screen was locked' : 'signed out';
    case 'access.export':
    case 'access.pack':
      return `${String(payload.what)}${payload.file ? ` → ${String(payload.file)}` : ''} (head #${String(payload.headSeq)})`;
    case 'access.settingsViewed':
      return `viewed ${String(payload.settings)}`;
    default:
      return 'signed in';
  }
}

/** A refused sign-in: `forbidden` with the plain reason. */
export class SignInRefused extends Error {}
export { NotFoundError };
