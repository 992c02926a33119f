// The natural order of ticket ids, against the definition it replaced written out here (regular expressions, the ids
// cut again at every comparison): the fast paths must give exactly its order on every kind of id.
import { describe, expect, it } from 'vitest';
import {
  idsInNaturalOrder,
  inNaturalOrder,
  naturalCompare,
  naturalInsertionPoint,
  naturallySortedDiff,
  naturallySortedEdit,
  naturallySortedHas,
} from '../../electron/core/outcomes/natural-order.ts';
import { seededRandom } from '../support/seeded-random.ts';

function referenceCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y) && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

describe('natural order of ids', () => {
  const tricky = ['', 'T-', 'T-0', 'T-00', 'T-007', 'T-7', 'T-10', 'T-2', 'T-2a', 'T-2-1', 'T-2-10', 'T-2-9', '10', '9', 'a10b', 'a9b', 'a09b',
    'T-9007199254740993', 'T-9007199254740992', `T-${'9'.repeat(400)}`, `T-${'9'.repeat(401)}`, 'T-١٢', 'Z-1', 'T-1e3', 'T-+1', 'ticket 5', 'Ä-1', 'T-𝟘'];

  it('compares every pair of awkward ids as the definition does', () => {
    for (const a of tricky) for (const b of tricky) expect(sign(naturalCompare(a, b)), `${a} vs ${b}`).toBe(sign(referenceCompare(a, b)));
  });

  it('sorts mixed lists exactly as sorting with the definition', () => {
    const next = seededRandom(15);
    for (let round = 0; round < 50; round++) {
      const ids = Array.from({ length: 200 }, () => {
        const pick = next();
        if (pick < 0.5) return `T-${Math.floor(next() * 500)}`;
        if (pick < 0.7) return `T-${'0'.repeat(Math.floor(next() * 3))}${Math.floor(next() * 50)}`;
        if (pick < 0.85) return tricky[Math.floor(next() * tricky.length)]!;
        return `${String.fromCharCode(65 + Math.floor(next() * 3))}-${Math.floor(next() * 20)}-${Math.floor(next() * 20)}`;
      });
      expect(idsInNaturalOrder(ids)).toEqual([...ids].sort(referenceCompare));
    }
  });

  it('sorts ids of one prefix and plain numbers by number, keeping duplicates, and leaves its input alone', () => {
    const ids = ['T-10', 'T-2', 'T-1000000', 'T-2', 'T-1', 'T-999999'];
    const copy = [...ids];
    expect(idsInNaturalOrder(ids)).toEqual(['T-1', 'T-2', 'T-2', 'T-10', 'T-999999', 'T-1000000']);
    expect(ids).toEqual(copy);
    expect(idsInNaturalOrder([])).toEqual([]);
    // One id with a leading zero, or another prefix, and the list takes the general way — in the same order.
    for (const odd of ['T-02', 'U-3', 'T-3x', '7']) {
      const mixed = [...ids, odd];
      expect(idsInNaturalOrder(mixed)).toEqual([...mixed].sort(referenceCompare));
    }
  });

  it('orders items by their ids, then by the tie-break, stably', () => {
    const lines = [
      { ticket: 'T-10', seq: 2 },
      { ticket: 'T-9', seq: 7 },
      { ticket: 'T-10', seq: 1 },
      { ticket: 'T-9', seq: 3 },
    ];
    expect(inNaturalOrder(lines, (line) => line.ticket, (a, b) => a.seq - b.seq)).toEqual([
      { ticket: 'T-9', seq: 3 },
      { ticket: 'T-9', seq: 7 },
      { ticket: 'T-10', seq: 1 },
      { ticket: 'T-10', seq: 2 },
    ]);
    expect(inNaturalOrder(lines, (line) => line.ticket).map((line) => line.seq)).toEqual([7, 3, 2, 1]);
  });

  // The attribution counter edits its kept lists by the tickets that moved (attribution.ts): every edit must be the
  // list that filtering and sorting again with the definition gives, for lists of one prefix and plain numbers (the
  // comparison's fast path) and for mixed ones.
  it('edits, searches and compares sorted lists exactly as set operations sorted with the definition', () => {
    const next = seededRandom(29);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const plainId = (): string => `T-${Math.floor(next() * 3000)}`;
    const mixedId = (): string => (next() < 0.6 ? plainId() : next() < 0.5 ? pick(tricky) : `${pick(['T-0', 'U-', 'T-1-', 'T-'])}${Math.floor(next() * 40)}`);
    for (let round = 0; round < 300; round++) {
      const idOf = round % 2 === 0 ? plainId : mixedId;
      const sorted = [...new Set(Array.from({ length: Math.floor(next() * 400) }, idOf))].sort(referenceCompare);
      const remove = Array.from({ length: Math.floor(next() * 40) }, () => (next() < 0.6 && sorted.length > 0 ? pick(sorted) : idOf()));
      const insert = Array.from({ length: Math.floor(next() * 40) }, () => (next() < 0.3 && sorted.length > 0 ? pick(sorted) : idOf()));
      const removed = new Set(remove);
      const expected = [...new Set([...sorted.filter((id) => !removed.has(id)), ...insert])].sort(referenceCompare);
      const edited = naturallySortedEdit(sorted, remove, insert);
      expect(edited, `round ${round}`).toEqual(expected);
      if (expected.length === sorted.length && expected.every((id, i) => id === sorted[i])) expect(edited).toBe(sorted);
      const diff = naturallySortedDiff(sorted, expected);
      expect(diff.removed).toEqual(sorted.filter((id) => !expected.includes(id)));
      expect(diff.added).toEqual(expected.filter((id) => !sorted.includes(id)));
      for (const id of [...remove, ...insert]) {
        const at = naturalInsertionPoint(sorted, id);
        expect(at, `${id} in round ${round}`).toBe(sorted.filter((other) => referenceCompare(other, id) < 0).length);
        expect(naturallySortedHas(sorted, id)).toBe(sorted.includes(id));
      }
    }
  });
});
