// The console's URL fragment: what a link says is what it restores, and a link that says nonsense opens the
// default view (or drops only the nonsense) instead of failing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TICKET_SLA_STATES, TICKET_SORT_KEYS } from '../../shared/contract.ts';
import { PRIORITIES, RESOLVED_BY, TICKET_STATUSES } from '../../shared/domain.ts';
import { defaultRoute, hashToRoute, routeToHash, type Route } from '../../renderer/src/state/route.ts';

const VIEWS = ['queue', 'sla', 'ai', 'outcomes', 'audit', 'imports', 'kpis', 'people', 'access'];

describe('console route in the URL fragment', () => {
  it('reads a written link back: filters, search, order, ticket and highlighted events', () => {
    const hash = '#/queue?status=open&status=pending&priority=urgent&category=billing&sla=breached&resolved=ai&q=refund+late&sort=priority.asc&ticket=T-12&seq=40&seq=41';
    const route = hashToRoute(hash, VIEWS);
    expect(route).toEqual({
      view: 'queue',
      filter: { status: ['open', 'pending'], priority: ['urgent'], category: ['billing'], channel: [], resolvedBy: ['ai'], slaState: ['breached'], search: 'refund late' },
      sort: { by: 'priority', direction: 'asc' },
      ticket: 'T-12',
      highlight: [40, 41],
    } satisfies Route);
    expect(hashToRoute(routeToHash(route), VIEWS)).toEqual(route);
    expect(routeToHash(defaultRoute())).toBe('#/queue');
    expect(routeToHash({ ...defaultRoute(), view: 'sla' })).toBe('#/sla');
  });

  it('opens the default view for an unknown view or an unreadable fragment', () => {
    for (const hash of ['', '#', '#token=abc', '#/nowhere', '#/%E0%A4%A', '#//queue', 'garbage']) {
      expect(hashToRoute(hash, VIEWS), hash).toEqual(defaultRoute());
    }
    expect(hashToRoute('#/kpis?status=open', VIEWS).view).toBe('kpis');
  });

  it('drops only the values that are not valid (an unknown status, a bad order, a non-numeric seq)', () => {
    const route = hashToRoute('#/queue?status=open&status=exploded&sla=late&sort=priority.sideways&ticket=T-1&seq=abc&seq=7&seq=-3', VIEWS);
    expect(route.filter.status).toEqual(['open']);
    expect(route.filter.slaState).toEqual([]);
    expect(route.sort).toEqual(defaultRoute().sort);
    expect(route.highlight).toEqual([7]);
    expect(hashToRoute(`#/queue?q=${'x'.repeat(201)}`, VIEWS).filter.search).toBe('');
  });

  it('round-trips any valid queue state (property)', () => {
    const subset = <T extends string>(values: readonly T[]) => fc.subarray([...values]);
    const word = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() === s && s.length > 0);
    const routes = fc.record({
      view: fc.constant('queue'),
      filter: fc.record({
        status: subset(TICKET_STATUSES),
        priority: subset(PRIORITIES),
        category: fc.uniqueArray(word, { maxLength: 4 }),
        channel: fc.uniqueArray(word, { maxLength: 4 }),
        resolvedBy: subset(RESOLVED_BY),
        slaState: subset(TICKET_SLA_STATES),
        search: fc.oneof(fc.constant(''), word),
      }),
      sort: fc.record({ by: fc.constantFrom(...TICKET_SORT_KEYS), direction: fc.constantFrom('asc' as const, 'desc' as const) }),
      ticket: fc.option(word, { nil: null }),
      highlight: fc.array(fc.integer({ min: 1, max: 1e9 }), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(routes, (route) => {
        const expected = { ...route, highlight: route.ticket ? route.highlight : [] };
        expect(hashToRoute(routeToHash(route), VIEWS)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
