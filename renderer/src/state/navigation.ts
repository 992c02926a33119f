import { create } from 'zustand';
import { useSelection } from './selection.ts';

interface NavigationState {
  view: string;
  show(view: string): void;
  /** Opens a ticket's timeline from any view (a figure on a dashboard, a line on a statement…). */
  openTicket(id: string, highlightSeqs?: number[]): void;
  /** Highlights events of the open ticket's timeline and brings the first into view and focus (a seq link in an event). */
  showEvidence(seqs: number[]): void;
  /** Ledger sequence numbers to highlight on the open ticket's timeline (the evidence behind a figure). */
  highlightSeqs: number[];
  /** Counts evidence links followed: the timeline brings the first evidence event into view and focus on each one, even when it is the same as before. */
  evidenceRequest: number;
}

export const useNavigation = create<NavigationState>()((set) => ({
  view: 'queue',
  highlightSeqs: [],
  evidenceRequest: 0,
  show: (view) => set({ view }),
  showEvidence: (highlightSeqs) => set((state) => ({ highlightSeqs, evidenceRequest: state.evidenceRequest + 1 })),
  openTicket: (id, highlightSeqs = []) => {
    useSelection.getState().select(id);
    set((state) => ({ view: 'queue', highlightSeqs, evidenceRequest: state.evidenceRequest + 1 }));
  },
}));
