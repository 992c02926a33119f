// The ROI calculator's inputs, kept while the user switches tabs (and used by the ROI export).
import { create } from 'zustand';
import type { RoiInputKey, RoiInputs } from '../../../../shared/contracts/kpis.ts';

interface RoiState {
  inputs: RoiInputs | null;
  sources: Partial<Record<RoiInputKey, string>>;
  setInputs(inputs: RoiInputs, sources: Partial<Record<RoiInputKey, string>>): void;
  setInput(key: RoiInputKey, value: number | string | null): void;
}

export const useRoiInputs = create<RoiState>()((set) => ({
  inputs: null,
  sources: {},
  setInputs: (inputs, sources) => set({ inputs, sources }),
  setInput: (key, value) =>
    set((s) => (s.inputs ? { inputs: { ...s.inputs, [key]: value }, sources: { ...s.sources, [key]: 'edited' } } : s)),
}));
