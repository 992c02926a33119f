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

// The view, the queue's filters and the selected ticket are also in the URL (state/route.ts keeps them in step):
// these stores stay the one source of truth, the address bar follows them and Back / Forward restore them.
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

// Highlights belong to the ticket they were opened with: selecting another ticket drops them (so they are never
// carried into that ticket's link).
let highlightedTicket: string | null = null;
useNavigation.subscribe((state, previous) => {
  if (state.highlightSeqs !== previous.highlightSeqs) highlightedTicket = useSelection.getState().selectedId;
});
useSelection.subscribe(({ selectedId }) => {
  if (selectedId !== highlightedTicket && useNavigation.getState().highlightSeqs.length > 0) {
    highlightedTicket = null;
    useNavigation.setState({ highlightSeqs: [] });
  }
});
