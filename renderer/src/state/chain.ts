import { create } from 'zustand';
import type { ChainStatus } from '../../../shared/contract.ts';
import { getApi } from '../api/index.ts';
import { reportError } from './errors.ts';

interface ChainState {
  status: ChainStatus | null;
  verifying: boolean;
  /** Bumped whenever the ledger changed (push event or our own import): views refetch. */
  ledgerVersion: number;
  refresh(): Promise<void>;
  verify(): Promise<void>;
  ledgerChanged(): void;
}

export const useChain = create<ChainState>()((set, get) => ({
  status: null,
  verifying: false,
  ledgerVersion: 0,
  refresh: async () => {
    const res = await getApi()['ledger.status']({});
    if (res.ok) set({ status: res.value });
    else reportError('Chain status', res.error);
  },
  verify: async () => {
    if (get().verifying) return;
    set({ verifying: true });
    try {
      const res = await getApi()['ledger.verify']({});
      if (res.ok) set({ status: res.value });
      else reportError('Verify chain', res.error);
    } finally {
      set({ verifying: false });
    }
  },
  ledgerChanged: () => set((s) => ({ ledgerVersion: s.ledgerVersion + 1 })),
}));
