import { create } from 'zustand';
import type { TicketFilter } from '../../../shared/contract.ts';

export type ListFilterKey = Exclude<keyof TicketFilter, 'search'>;

export const emptyFilter = (): TicketFilter => ({
  status: [],
  priority: [],
  category: [],
  channel: [],
  resolvedBy: [],
  search: '',
});

interface FilterState {
  filter: TicketFilter;
  toggle(key: ListFilterKey, value: string): void;
  setSearch(search: string): void;
  clear(): void;
}

export const useFilters = create<FilterState>()((set) => ({
  filter: emptyFilter(),
  toggle: (key, value) =>
    set((s) => {
      const current = s.filter[key] as string[];
      const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
      return { filter: { ...s.filter, [key]: next } };
    }),
  setSearch: (search) => set((s) => (s.filter.search === search ? s : { filter: { ...s.filter, search } })),
  clear: () => set({ filter: emptyFilter() }),
}));

export function activeFilterCount(filter: TicketFilter): number {
  return (
    filter.status.length +
    filter.priority.length +
    filter.category.length +
    filter.channel.length +
    filter.resolvedBy.length +
    (filter.search.trim() ? 1 : 0)
  );
}
