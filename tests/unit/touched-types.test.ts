// The types appended to each touched ticket (derived/refresh.ts noteAppended): tickets that got the same types share
// one set, which nobody can change — an import of a million tickets keeps a few hundred sets, not a million.
import { describe, expect, it } from 'vitest';
import { noteAppended } from '../../electron/core/derived/refresh.ts';

describe('the types noted per touched ticket', () => {
  it('are exactly the types appended to each ticket, in any order and with repeats', () => {
    const touched = new Map<string, ReadonlySet<string>>();
    for (const [ticket, type] of [
      ['T-1', 'ticket.created'],
      ['T-2', 'message.added'],
      ['T-1', 'message.added'],
      ['T-2', 'ticket.created'],
      ['T-1', 'message.added'],
      ['T-3', 'ticket.created'],
      ['T-1', 'ticket.status'],
    ] as const) {
      noteAppended(touched, ticket, type);
    }
    expect(Object.fromEntries([...touched].map(([ticket, types]) => [ticket, [...types].sort()]))).toEqual({
      'T-1': ['message.added', 'ticket.created', 'ticket.status'],
      'T-2': ['message.added', 'ticket.created'],
      'T-3': ['ticket.created'],
    });
  });

  it('share one set between tickets that got the same types, whatever the order they came in', () => {
    const touched = new Map<string, ReadonlySet<string>>();
    for (let n = 0; n < 1000; n++) {
      noteAppended(touched, `A-${n}`, 'ticket.created');
      noteAppended(touched, `A-${n}`, 'message.added');
    }
    // The same two types from another start: the set reached by this path is another object with the same members.
    noteAppended(touched, 'B-1', 'message.added');
    noteAppended(touched, 'B-1', 'ticket.created');
    const distinct = new Set(touched.values());
    expect(distinct.size).toBeLessThanOrEqual(2);
    expect(new Set([...touched.values()].map((types) => [...types].sort().join()))).toEqual(new Set(['message.added,ticket.created']));
  });

  it('refuse to be changed: one ticket cannot change what another shares', () => {
    const touched = new Map<string, ReadonlySet<string>>();
    noteAppended(touched, 'T-1', 'ticket.created');
    noteAppended(touched, 'T-2', 'ticket.created');
    const shared = touched.get('T-1') as Set<string>;
    expect(touched.get('T-2')).toBe(shared);
    expect(() => shared.add('message.added')).toThrow(/cannot be changed/);
    expect(() => shared.delete('ticket.created')).toThrow(/cannot be changed/);
    expect(() => shared.clear()).toThrow(/cannot be changed/);
    expect([...touched.get('T-2')!]).toEqual(['ticket.created']);
  });
});
