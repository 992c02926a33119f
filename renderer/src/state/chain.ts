import { create } from 'zustand';
import type { ChainMonitorStatus, ChainStatus } from '../../../shared/contract.ts';
import { getApi } from '../api/index.ts';
import { reportError } from './errors.ts';

interface ChainState {
  /** What the core's chain monitor has re-read and checked since the database was opened. */
  monitor: ChainMonitorStatus | null;
  /** Its latest verdict (null until the first full check finished). */
  status: ChainStatus | null;
  verifying: boolean;
  /** Bumped whenever the ledger changed (push event or our own import): views refetch. */
  ledgerVersion: number;
  refresh(): Promise<void>;
  verify(): Promise<void>;
  /** A status pushed by the core (progress of a check, its verdict). */
  received(monitor: ChainMonitorStatus): void;
  ledgerChanged(): void;
}

/** While a check runs the monitor pushes its progress; a push sent before the event stream connected is never
 * seen, so an unsettled status is also re-read every few seconds until it settles. */
const SETTLE_POLL_MS = 2000;
let settlePoll: ReturnType<typeof setTimeout> | null = null;
const unsettled = (monitor: ChainMonitorStatus): boolean => monitor.state === 'verifying' || monitor.deep?.state === 'running';

export const useChain = create<ChainState>()((set, get) => ({
  monitor: null,
  status: null,
  verifying: false,
  ledgerVersion: 0,
  refresh: async () => {
    const res = await getApi()['ledger.status']({});
    if (res.ok) get().received(res.value);
    else reportError('Chain status', res.error);
  },
  verify: async () => {
    if (get().verifying) return;
    set({ verifying: true });
    try {
      const res = await getApi()['ledger.verify']({});
      if (res.ok) get().received(res.value);
      else reportError('Verify chain', res.error);
    } finally {
      set({ verifying: false });
    }
  },
  received: (monitor) => {
    set({ monitor, status: monitor.status });
    if (unsettled(monitor) && settlePoll === null) {
      settlePoll = setTimeout(() => {
        settlePoll = null;
        void get().refresh();
      }, SETTLE_POLL_MS);
    }
  },
  ledgerChanged: () => set((s) => ({ ledgerVersion: s.ledgerVersion + 1 })),
}));
