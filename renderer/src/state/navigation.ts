import { create } from 'zustand';
import { useSelection } from './selection.ts';

interface NavigationState {
  view: string;
  show(view: string): void;
  /** Opens a ticket's timeline from any view (a figure on a dashboard, a line on a statement…). */
  openTicket(id: string, highlightSeqs?: number[]): void;
  /** Ledger sequence numbers to highlight on the open ticket's timeline (the evidence behind a figure). */
  highlightSeqs: number[];
}

export const useNavigation = create<NavigationState>()((set) => ({
  view: 'queue',
  highlightSeqs: [],
  show: (view) => set({ view }),
  openTicket: (id, highlightSeqs = []) => {
    useSelection.getState().select(id);
    set({ view: 'queue', highlightSeqs });
  },
}));
