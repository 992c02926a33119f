// Loads the ticket queue page by page as the virtual list asks for rows, so a million-ticket ledger
// costs only the pages on screen. Pages are cached by index and evicted when far from the viewport.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TicketFilter, TicketRow, TicketSort } from '../../../shared/contract.ts';
import { getApi } from '../api/index.ts';
import { reportError } from '../state/errors.ts';

export const PAGE_SIZE = 200;
const MAX_CACHED_PAGES = 60;
const FETCH_DELAY_MS = 40;

interface Cache {
  generation: number;
  filter: TicketFilter;
  sort: TicketSort;
  pages: Map<number, TicketRow[]>;
  /** Rows from before a ledger change, shown until their page is refetched (no flicker). */
  stale: Map<number, TicketRow[]>;
  pending: Set<number>;
  failed: Set<number>;
  wanted: [number, number];
  timer: ReturnType<typeof setTimeout> | null;
}

export interface PagedTickets {
  total: number | null;
  /** Changes whenever rows arrive; use it as an effect/memo dependency. */
  version: number;
  rowAt(index: number): TicketRow | undefined;
  ensureRange(first: number, last: number): void;
}

export function usePagedTickets(filter: TicketFilter, sort: TicketSort, ledgerVersion: number, onFirstPage: () => void): PagedTickets {
  const cache = useRef<Cache>({
    generation: 0,
    filter,
    sort,
    pages: new Map(),
    stale: new Map(),
    pending: new Set(),
    failed: new Set(),
    wanted: [0, 0],
    timer: null,
  });
  const [total, setTotal] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const onFirstPageRef = useRef(onFirstPage);
  onFirstPageRef.current = onFirstPage;

  const fetchPage = useCallback((page: number) => {
    const c = cache.current;
    if (c.pages.has(page) || c.pending.has(page) || c.failed.has(page)) return;
    c.pending.add(page);
    const generation = c.generation;
    void getApi()
      ['tickets.list']({ filter: c.filter, sort: c.sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
      .then((res) => {
        if (generation !== c.generation) return; // filter, order or ledger changed meanwhile
        c.pending.delete(page);
        if (res.ok) {
          c.pages.set(page, res.value.rows);
          c.stale.delete(page);
          evictFarPages(c);
          setTotal(res.value.total);
        } else {
          c.failed.add(page);
          reportError('Ticket queue', res.error);
          setTotal((t) => t ?? 0);
        }
        setVersion((v) => v + 1);
        onFirstPageRef.current();
      });
  }, []);

  // The filter and the order together name the list: either changing is a new list.
  const filterKey = JSON.stringify({ filter, sort });
  const lastFilterKey = useRef<string | null>(null);

  useEffect(() => {
    const c = cache.current;
    const filterChanged = lastFilterKey.current !== filterKey;
    lastFilterKey.current = filterKey;
    c.generation += 1;
    ({ filter: c.filter, sort: c.sort } = JSON.parse(filterKey) as { filter: TicketFilter; sort: TicketSort });
    if (filterChanged) {
      c.stale = new Map();
      c.wanted = [0, 0];
      setTotal(null);
    } else {
      for (const [page, rows] of c.pages) c.stale.set(page, rows);
    }
    c.pages = new Map();
    c.pending = new Set();
    c.failed = new Set();
    if (c.timer) clearTimeout(c.timer);
    c.timer = null;
    fetchPage(0);
    for (const page of pagesIn(c.wanted)) fetchPage(page);
    setVersion((v) => v + 1);
  }, [filterKey, ledgerVersion, fetchPage]);

  useEffect(
    () => () => {
      const c = cache.current;
      if (c.timer) clearTimeout(c.timer);
    },
    [],
  );

  const ensureRange = useCallback(
    (first: number, last: number) => {
      const c = cache.current;
      c.wanted = [first, last];
      if (c.timer) return;
      // Coalesce the burst of range changes a fast scroll produces; fetch only what is still wanted.
      c.timer = setTimeout(() => {
        c.timer = null;
        for (const page of pagesIn(c.wanted)) fetchPage(page);
      }, FETCH_DELAY_MS);
    },
    [fetchPage],
  );

  const rowAt = useCallback((index: number): TicketRow | undefined => {
    const c = cache.current;
    const page = Math.floor(index / PAGE_SIZE);
    const rows = c.pages.get(page) ?? c.stale.get(page);
    return rows?.[index - page * PAGE_SIZE];
  }, []);

  return { total, version, rowAt, ensureRange };
}

function pagesIn([first, last]: [number, number]): number[] {
  const out: number[] = [];
  for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) out.push(p);
  return out;
}

function evictFarPages(c: Cache): void {
  if (c.pages.size <= MAX_CACHED_PAGES) return;
  const centre = Math.floor((c.wanted[0] + c.wanted[1]) / 2 / PAGE_SIZE);
  const byDistance = [...c.pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
  for (const page of byDistance.slice(0, c.pages.size - MAX_CACHED_PAGES)) c.pages.delete(page);
  c.stale.clear();
}
