import { create } from 'zustand';
import type { ContractError, ImportReport } from '../../../shared/contract.ts';
import type { ImportHistoryPage } from '../../../shared/contracts/importers.ts';
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

// ------------------------------------------------------------------------------------ helpdesk imports

export const IMPORT_HISTORY_PAGE = 20;

interface ImportHistoryState {
  page: ImportHistoryPage | null;
  offset: number;
  error: string | null;
  load(offset?: number): Promise<void>;
}

/** The ledger's past imports (import.file events), newest first, a page at a time. */
export const useImportHistory = create<ImportHistoryState>()((set, get) => ({
  page: null,
  offset: 0,
  error: null,
  load: async (offset = get().offset) => {
    const res = await getApi()['imports.history']({ offset, limit: IMPORT_HISTORY_PAGE });
    if (res.ok) set({ page: res.value, offset, error: null });
    else set({ error: res.error.message });
  },
}));

/** After an import added events: the filters learn new categories and channels, views refetch, the list grows. */
export function afterHelpdeskImport(): void {
  useChain.getState().ledgerChanged();
  void useChain.getState().refresh();
  void useSession.getState().loadFacets();
  void useImportHistory.getState().load(0);
}
