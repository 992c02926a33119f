// Outcome verification is a deliberate job a supervisor (or admin) starts: nothing in the console runs it when a
// view or a ticket opens. Until it has run, what the console shows for tickets without an outcome event is a dry
// evaluation (the core writes nothing for it). The job's progress arrives as `outcomes.progress` core events.
import { create } from 'zustand';
import type { ContractError } from '../../../../shared/contract.ts';
import type { VerificationProgress, VerificationReport } from '../../../../shared/contracts/outcomes.ts';
import { getApi } from '../../api/index.ts';
import { useChain } from '../../state/chain.ts';
import { callApi } from './useOutcomeCall.ts';

interface VerificationState {
  running: boolean;
  progress: VerificationProgress | null;
  /** The last run's report in this session (null before the first run). */
  report: VerificationReport | null;
  error: ContractError | null;
  run(): Promise<void>;
  /** Asks the running job to stop after its current batch (what it recorded stays). */
  cancel(): Promise<void>;
}

export const useVerification = create<VerificationState>((set, get) => ({
  running: false,
  progress: null,
  report: null,
  error: null,
  async run() {
    if (get().running) return;
    set({ running: true, progress: null, error: null });
    const unsubscribe = getApi().subscribe('outcomes.progress', (progress) => set({ progress }));
    try {
      const res = await callApi('outcomes.verify', {});
      if (res.ok) set({ report: res.value });
      else set({ error: res.error });
    } finally {
      unsubscribe();
      set({ running: false });
      // Statements, counters and ticket panels read again whatever the job wrote.
      useChain.getState().ledgerChanged();
    }
  },
  async cancel() {
    if (!get().running) return;
    const res = await callApi('outcomes.cancelVerify', {});
    if (!res.ok) set({ error: res.error });
  },
}));

/** "2026-11-29 20:15 UTC" */
export function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
