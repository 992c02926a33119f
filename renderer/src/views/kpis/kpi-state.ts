// The KPI views' shared filter: period, categories, baseline, and which figure's tickets are open.
import { create } from 'zustand';
import type { DrillKpi } from '../../../../shared/contracts/kpis.ts';

export type KpiTab = 'overview' | 'board' | 'roi';

/** The figure whose tickets are open: a KPI over the view's selection, or over a narrower period (a chart's week). */
export interface Drill {
  kpi: DrillKpi;
  /** What was clicked, as the list's heading says it ("First-contact resolution", "password_reset: pilot FCR"). */
  label: string;
  category: string[];
  actor?: 'ai' | 'human' | 'none';
  /** A week clicked on a trend chart: its days within the view's period (YYYY-MM-DD, both included). */
  from?: string;
  to?: string;
  /** Whether import-flagged tickets count, when the figure decides it itself (the board never counts them); else the overview's toggle. */
  includeFlagged?: boolean;
}

interface KpiState {
  tab: KpiTab;
  from: string;
  to: string;
  category: string[];
  baselineSeq: number | null;
  drill: Drill | null;
  /** Count import-flagged tickets in the KPIs their flags spoil (default: leave them out, README "Data-quality report"). */
  includeFlagged: boolean;
  setTab(tab: KpiTab): void;
  setPeriod(from: string, to: string): void;
  setCategory(category: string[]): void;
  setBaseline(seq: number | null): void;
  openDrill(drill: Drill | null): void;
  setIncludeFlagged(includeFlagged: boolean): void;
}

export const useKpiState = create<KpiState>()((set) => ({
  tab: 'overview',
  from: '',
  to: '',
  category: [],
  baselineSeq: null,
  drill: null,
  includeFlagged: false,
  setTab: (tab) => set({ tab }),
  setPeriod: (from, to) => set({ from, to, drill: null }),
  setCategory: (category) => set({ category, drill: null }),
  setBaseline: (baselineSeq) => set({ baselineSeq }),
  openDrill: (drill) => set({ drill }),
  setIncludeFlagged: (includeFlagged) => set({ includeFlagged, drill: null }),
}));

export const isDay = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value);
