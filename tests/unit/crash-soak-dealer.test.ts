// The crash soak's choice of where to aim each kill (tests/support/crash-soak/soak-harness.ts): every kind gets its
// exact share of each 40 kills, in an order that the seed replays and another seed changes.
import { describe, expect, it } from 'vitest';
import { KILL_KINDS, killKindDealer } from '../support/crash-soak/soak-harness.ts';
import { seededRandom } from '../support/seeded-random.ts';

const deal = (seed: number, n: number): string[] => {
  const next = killKindDealer(seededRandom(seed));
  return Array.from({ length: n }, () => next());
};

describe('the crash soak deals kill kinds from a shuffled deck', () => {
  it('gives every kind its share of each 40 kills exactly: start-up 4, each step 9', () => {
    for (const seed of [1, 7, 114359974, 2032768235]) {
      const kinds = deal(seed, 200);
      for (let block = 0; block < 200; block += 40) {
        const counts = Object.fromEntries(KILL_KINDS.map((kind) => [kind, kinds.slice(block, block + 40).filter((k) => k === kind).length]));
        expect(counts, `seed ${seed}, kills ${block + 1}–${block + 40}`).toEqual({ open: 4, import: 9, ai: 9, 'verify-outcomes': 9, checkpoint: 9 });
      }
    }
  });

  it('replays the same order from the same seed, and shuffles differently from another seed and in each deck', () => {
    expect(deal(7, 120)).toEqual(deal(7, 120));
    expect(deal(7, 40)).not.toEqual(deal(8, 40));
    const kinds = deal(7, 80);
    expect(kinds.slice(0, 40)).not.toEqual(kinds.slice(40, 80));
  });
});
