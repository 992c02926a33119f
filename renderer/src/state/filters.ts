import { create } from 'zustand';
import { DEFAULT_TICKET_SORT, type TicketFilter, type TicketSort, type TicketSortKey } from '../../../shared/contract.ts';

export type ListFilterKey = Exclude<keyof TicketFilter, 'search'>;

export const emptyFilter = (): TicketFilter => ({
  status: [],
  priority: [],
  category: [],
  channel: [],
  resolvedBy: [],
  slaState: [],
  search: '',
});

interface FilterState {
  filter: TicketFilter;
  /** The queue's order (server-side): a column and a direction. */
  sort: TicketSort;
  toggle(key: ListFilterKey, value: string): void;
  setSearch(search: string): void;
  /** A click on a column header: that column ascending, or the other direction if it already sorts by it. */
  sortBy(by: TicketSortKey): void;
  /** Replace filter and sort at once (a link or Back/Forward restoring a queue). */
  restore(filter: TicketFilter, sort: TicketSort): void;
  clear(): void;
}

export const useFilters = create<FilterState>()((set) => ({
  filter: emptyFilter(),
  sort: DEFAULT_TICKET_SORT,
  toggle: (key, value) =>
    set((s) => {
      const current = (s.filter[key] ?? []) as string[];
      const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
      return { filter: { ...s.filter, [key]: next } };
    }),
  setSearch: (search) => set((s) => (s.filter.search === search ? s : { filter: { ...s.filter, search } })),
  sortBy: (by) =>
    set((s) => ({
      sort: s.sort.by === by ? { by, direction: s.sort.direction === 'asc' ? 'desc' : 'asc' } : { by, direction: by === 'created' || by === 'updated' ? 'desc' : 'asc' },
    })),
  restore: (filter, sort) => set({ filter, sort }),
  // Clearing the filters keeps the order the reader chose.
  clear: () => set({ filter: emptyFilter() }),
}));

export function activeFilterCount(filter: TicketFilter): number {
  return (
    filter.status.length +
    filter.priority.length +
    filter.category.length +
    filter.channel.length +
    filter.resolvedBy.length +
    (filter.slaState?.length ?? 0) +
    (filter.search.trim() ? 1 : 0)
  );
}
