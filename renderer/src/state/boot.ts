import { create } from 'zustand';

export type BootPart = 'session' | 'facets' | 'chain' | 'queue';

interface BootState {
  done: Record<BootPart, boolean>;
  markDone(part: BootPart): void;
}

/** Tracks the initial load; the root gets data-app-state="loaded" once every part has settled. */
export const useBoot = create<BootState>()((set) => ({
  done: { session: false, facets: false, chain: false, queue: false },
  markDone: (part) => set((s) => (s.done[part] ? s : { done: { ...s.done, [part]: true } })),
}));

export const selectLoaded = (s: BootState): boolean => Object.values(s.done).every(Boolean);
