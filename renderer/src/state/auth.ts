// Who uses the console: the sign-in state the core reports (auth.state), kept fresh by a slow poll so an idle
// console returns to the sign-in screen once the core has ended its session. The poll does not keep a session
// alive: auth.state is not an act of the person.
import { create } from 'zustand';
import type { AuthState } from '../../../shared/contracts/people.ts';
import type { Role } from '../../../shared/domain.ts';
import { getApi, onSignedOut } from '../api/index.ts';

export type AuthPhase = 'checking' | 'sign-in' | 'console' | 'unreachable';

interface AuthStore {
  phase: AuthPhase;
  auth: AuthState | null;
  /** Why the console is back at the sign-in screen (expired, locked…), or the core's refusal of a sign-in. */
  notice: string | null;
  /** The reason auth.state failed (no token, server gone). */
  problem: string | null;
  refresh(): Promise<void>;
  signIn(name: string, password: string): Promise<{ ok: true } | { ok: false; message: string }>;
  signOut(): Promise<void>;
  /** A call was answered `unauthenticated`: the session is gone. */
  lost(): void;
}

export const AUTH_POLL_MS = 30_000;

const phaseOf = (auth: AuthState): AuthPhase => (auth.mode === 'accounts' && !auth.person ? 'sign-in' : 'console');

export const useAuth = create<AuthStore>()((set, get) => ({
  phase: 'checking',
  auth: null,
  notice: null,
  problem: null,
  refresh: async () => {
    const res = await getApi()['auth.state']({});
    if (!res.ok) {
      set({ phase: 'unreachable', problem: res.error.message });
      return;
    }
    const wasSignedIn = get().phase === 'console' && get().auth?.mode === 'accounts';
    const phase = phaseOf(res.value);
    set({
      auth: res.value,
      phase,
      problem: null,
      notice: wasSignedIn && phase === 'sign-in' ? 'Your session ended (idle too long, or the computer was locked). Sign in again.' : get().notice,
    });
  },
  signIn: async (name, password) => {
    const res = await getApi()['auth.login']({ name, password });
    if (!res.ok) return { ok: false, message: res.error.message };
    set({ auth: res.value, phase: phaseOf(res.value), notice: null });
    return { ok: true };
  },
  signOut: async () => {
    const res = await getApi()['auth.logout']({});
    if (res.ok) set({ auth: res.value, phase: phaseOf(res.value), notice: null });
    else await get().refresh();
  },
  lost: () => {
    if (get().phase !== 'console') return;
    void get().refresh();
  },
}));

onSignedOut(() => useAuth.getState().lost());

/** The signed-in person's role; in single-user mode the role the console was opened with (from session.info). */
export function roleOf(auth: AuthState | null, singleUserRole: Role | null): Role | null {
  if (!auth) return null;
  if (auth.mode === 'accounts') return auth.person?.role ?? null;
  return singleUserRole;
}
