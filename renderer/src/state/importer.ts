import { create } from 'zustand';
import type { ContractError, ImportReport } from '../../../shared/contract.ts';
import { getApi } from '../api/index.ts';
import { describeThrown } from '../api/errors.ts';
import { useChain } from './chain.ts';
import { useSession } from './session.ts';

export type ImportOutcome =
  | { kind: 'report'; report: ImportReport }
  | { kind: 'error'; fileName: string; error: ContractError };

interface ImportState {
  busyFile: string | null;
  outcome: ImportOutcome | null;
  importFile(file: File): Promise<void>;
  dismiss(): void;
}

export const useImporter = create<ImportState>()((set, get) => ({
  busyFile: null,
  outcome: null,
  importFile: async (file) => {
    if (get().busyFile) return;
    set({ busyFile: file.name, outcome: null });
    try {
      let text: string;
      try {
        text = await file.text();
      } catch (err) {
        set({ outcome: { kind: 'error', fileName: file.name, error: { code: 'import_failed', message: `Cannot read ${file.name}: ${describeThrown(err)}` } } });
        return;
      }
      const res = await getApi()['import.jsonl']({ fileName: file.name, text });
      if (!res.ok) {
        set({ outcome: { kind: 'error', fileName: file.name, error: res.error } });
        return;
      }
      set({ outcome: { kind: 'report', report: res.value } });
      useChain.getState().ledgerChanged();
      void useChain.getState().refresh();
      void useSession.getState().loadFacets();
    } finally {
      set({ busyFile: null });
    }
  },
  dismiss: () => set({ outcome: null }),
}));
