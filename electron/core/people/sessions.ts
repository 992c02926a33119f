// Signed-in sessions of one core: an unguessable token per sign-in, held by the adapter (an HttpOnly cookie in
// browser mode, the window in Electron), ended by sign-out, by the idle time an admin sets, or by a locked screen.
import { randomBytes } from 'node:crypto';
import type { Person } from '../../../shared/contracts/people.ts';
import type { Via } from './authentication.ts';

export interface Session {
  token: string;
  account: string;
  via: Via;
  startedAt: number;
  lastActiveAt: number;
  /** The settings this session has viewed (the access log records the first view of each per session). */
  settingsViewed: Set<string>;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  private readonly clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  open(person: Person, via: Via): Session {
    const now = this.clock();
    const session: Session = { token: randomBytes(32).toString('base64url'), account: person.account, via, startedAt: now, lastActiveAt: now, settingsViewed: new Set() };
    this.sessions.set(session.token, session);
    return session;
  }

  get(token: string | null | undefined): Session | null {
    return token ? (this.sessions.get(token) ?? null) : null;
  }

  /** Sessions idle longer than `idleMinutes`; they are removed, the caller records their expiry. */
  takeExpired(idleMinutes: number): Session[] {
    const limit = this.clock() - idleMinutes * 60_000;
    const expired = [...this.sessions.values()].filter((session) => session.lastActiveAt <= limit);
    for (const session of expired) this.sessions.delete(session.token);
    return expired;
  }

  touch(session: Session): void {
    session.lastActiveAt = this.clock();
  }

  end(token: string): Session | null {
    const session = this.sessions.get(token) ?? null;
    this.sessions.delete(token);
    return session;
  }

  /** The tokens of every live session. */
  tokens(): string[] {
    return [...this.sessions.keys()];
  }
}
