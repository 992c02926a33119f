import { create } from 'zustand';
import type { Facets, SessionInfo } from '../../../shared/contract.ts';
import { getApi } from '../api/index.ts';
import { reportError } from './errors.ts';

interface SessionState {
  session: SessionInfo | null;
  facets: Facets;
  loadSession(): Promise<void>;
  loadFacets(): Promise<void>;
}

export const useSession = create<SessionState>()((set) => ({
  session: null,
  facets: { categories: [], channels: [] },
  loadSession: async () => {
    const res = await getApi()['session.info']({});
    if (res.ok) set({ session: res.value });
    else reportError('Session', res.error);
  },
  loadFacets: async () => {
    const res = await getApi()['tickets.facets']({});
    if (res.ok) set({ facets: res.value });
    else reportError('Filter options', res.error);
  },
}));
