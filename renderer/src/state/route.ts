// Hash routing: the view, the queue's filters, search and order, and the selected ticket live in the URL fragment,
// e.g. `#/queue?status=open&q=refund&sla=breached&sort=priority.asc&ticket=T-1`. Back and Forward move through
// them, and a link copied from the address bar opens the console in the same state. The fragment never reaches a
// server. Anything the fragment says that is not valid (an unknown view, a status that does not exist) is dropped,
// never obeyed and never a crash: the rest of the link still applies, an unreadable link opens the default view.
import {
  DEFAULT_TICKET_SORT,
  TICKET_SORT_KEYS,
  ticketFilterSchema,
  type TicketFilter,
  type TicketSort,
  type TicketSortKey,
} from '../../../shared/contract.ts';
import { emptyFilter, useFilters } from './filters.ts';
import { useNavigation } from './navigation.ts';
import { useSelection } from './selection.ts';

export const DEFAULT_VIEW = 'queue';

export interface Route {
  view: string;
  /** The queue's state; only the queue's links carry it (other views keep whatever the queue had). */
  filter: TicketFilter;
  sort: TicketSort;
  ticket: string | null;
  /** Ledger seqs highlighted on the open ticket's timeline (the evidence behind a figure). */
  highlight: number[];
}

/** Query keys of the filter's lists, in the order a link writes them. */
const LIST_KEYS = {
  status: 'status',
  priority: 'priority',
  category: 'category',
  channel: 'channel',
  resolvedBy: 'resolved',
  slaState: 'sla',
} as const satisfies Record<Exclude<keyof TicketFilter, 'search'>, string>;

const MAX_HIGHLIGHTS = 100;

export function defaultRoute(): Route {
  return { view: DEFAULT_VIEW, filter: emptyFilter(), sort: DEFAULT_TICKET_SORT, ticket: null, highlight: [] };
}

/** The fragment for a route: `#/sla`, or `#/queue?…` with only what differs from an empty queue. */
export function routeToHash(route: Route): string {
  if (route.view !== DEFAULT_VIEW) return `#/${encodeURIComponent(route.view)}`;
  const query = new URLSearchParams();
  for (const [key, param] of Object.entries(LIST_KEYS) as Array<[keyof typeof LIST_KEYS, string]>) {
    for (const value of route.filter[key] ?? []) query.append(param, value);
  }
  if (route.filter.search) query.set('q', route.filter.search);
  if (route.sort.by !== DEFAULT_TICKET_SORT.by || route.sort.direction !== DEFAULT_TICKET_SORT.direction) {
    query.set('sort', `${route.sort.by}.${route.sort.direction}`);
  }
  if (route.ticket) query.set('ticket', route.ticket);
  if (route.ticket) for (const seq of route.highlight) query.append('seq', String(seq));
  const text = query.toString();
  return `#/${DEFAULT_VIEW}${text ? `?${text}` : ''}`;
}

/** The route a fragment names; `views` are the known view ids. Invalid parts are dropped (see the file comment). */
export function hashToRoute(hash: string, views: readonly string[]): Route {
  const route = defaultRoute();
  const match = /^#?\/([^?]*)(?:\?(.*))?$/s.exec(hash);
  if (!match) return route;
  let view: string;
  try {
    view = decodeURIComponent(match[1] ?? '');
  } catch {
    return route;
  }
  if (!views.includes(view)) return route;
  route.view = view;
  if (view !== DEFAULT_VIEW) return route;

  const query = new URLSearchParams(match[2] ?? '');
  // Each value is checked by the contract's own filter schema, alone, so one bad value drops only itself.
  const valid = (key: keyof typeof LIST_KEYS, value: string): boolean => ticketFilterSchema.safeParse({ [key]: [value] }).success;
  for (const [key, param] of Object.entries(LIST_KEYS) as Array<[keyof typeof LIST_KEYS, string]>) {
    const values = [...new Set(query.getAll(param))].filter((value) => valid(key, value));
    route.filter = { ...route.filter, [key]: values.slice(0, key === 'category' || key === 'channel' ? 100 : 10) };
  }
  const search = (query.get('q') ?? '').trim();
  if (ticketFilterSchema.safeParse({ search }).success) route.filter.search = search;

  const [by, direction] = (query.get('sort') ?? '').split('.');
  if ((TICKET_SORT_KEYS as readonly string[]).includes(by ?? '') && (direction === 'asc' || direction === 'desc')) {
    route.sort = { by: by as TicketSortKey, direction };
  }

  const ticket = query.get('ticket');
  if (ticket && ticket.length <= 200) route.ticket = ticket;
  if (route.ticket) {
    route.highlight = query
      .getAll('seq')
      .filter((seq) => /^[1-9]\d{0,14}$/.test(seq))
      .map(Number)
      .slice(0, MAX_HIGHLIGHTS);
  }
  return route;
}

/** The route the console's stores describe now. */
export function currentRoute(): Route {
  const { view, highlightSeqs } = useNavigation.getState();
  const { filter, sort } = useFilters.getState();
  const ticket = useSelection.getState().selectedId;
  return { view, filter, sort, ticket, highlight: ticket ? highlightSeqs : [] };
}

/** Puts a route into the stores (a link opened, Back or Forward). */
function applyRoute(route: Route): void {
  if (route.view !== DEFAULT_VIEW) {
    useNavigation.setState({ view: route.view });
    return;
  }
  useFilters.getState().restore(route.filter, route.sort);
  // The ticket first, then its highlights (selecting a ticket drops the highlights of another).
  useSelection.getState().select(route.ticket);
  useNavigation.setState({ view: route.view, highlightSeqs: route.highlight });
}

let replaceNextChange = false;

/**
 * The next state change replaces the current history entry instead of adding one: for moves that would flood
 * Back with entries (arrowing through the queue row by row).
 */
export function replaceNextHistoryEntry(): void {
  replaceNextChange = true;
}

/** Two routes that differ only in a refined search (typing on): one history entry, not one per pause in typing. */
function isSearchRefinement(before: Route, after: Route): boolean {
  if (before.view !== DEFAULT_VIEW || after.view !== DEFAULT_VIEW) return false;
  if (!before.filter.search || !after.filter.search) return false;
  const withoutSearch = (route: Route) => routeToHash({ ...route, filter: { ...route.filter, search: '' } });
  return withoutSearch(before) === withoutSearch(after);
}

/**
 * Keeps the stores and the address bar in step from now on: the current fragment is applied first (a link pasted
 * or reloaded), each change of view, filter, order or ticket then becomes a history entry, and Back / Forward (or
 * an edited fragment) are applied back. Returns the function that stops it.
 */
export function startHashRouting(views: readonly string[]): () => void {
  let applying = false;
  let scheduled = false;
  let shown = hashToRoute(window.location.hash, views);

  const apply = () => {
    const route = hashToRoute(window.location.hash, views);
    applying = true;
    try {
      applyRoute(route);
    } finally {
      applying = false;
    }
    shown = currentRoute();
    // Say the link back in its canonical form (invalid parts gone), without a new entry.
    const canonical = routeToHash(shown);
    if (canonical !== window.location.hash) window.history.replaceState(window.history.state, '', canonical);
  };

  const write = () => {
    scheduled = false;
    const next = currentRoute();
    const hash = routeToHash(next);
    const replace = replaceNextChange || isSearchRefinement(shown, next);
    replaceNextChange = false;
    shown = next;
    if (hash === window.location.hash) return;
    if (replace) window.history.replaceState(window.history.state, '', hash);
    else window.history.pushState(window.history.state, '', hash);
  };

  // One action may touch several stores (openTicket selects, then shows the queue): one entry for all of it.
  const changed = () => {
    if (applying || scheduled) return;
    scheduled = true;
    queueMicrotask(write);
  };

  apply();
  const unsubscribe = [useNavigation.subscribe(changed), useFilters.subscribe(changed), useSelection.subscribe(changed)];
  window.addEventListener('popstate', apply);
  window.addEventListener('hashchange', apply);
  return () => {
    for (const stop of unsubscribe) stop();
    window.removeEventListener('popstate', apply);
    window.removeEventListener('hashchange', apply);
  };
}
