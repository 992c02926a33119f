import { describe, expect, it } from 'vitest';
import { FingerprintFilter } from '../../electron/core/ledger/fingerprint-filter.ts';

describe('fingerprint filter', () => {
  it('never forgets an added fingerprint, across growth, and rarely claims an unseen one', () => {
    const filter = new FingerprintFilter();
    const added = Array.from({ length: 200_000 }, (_, i) => `T-${i}\u0000message\u00002026-10-01T09:00:${String(i % 60).padStart(2, '0')}.000Z\u000024:${i % 997}`);
    for (const text of added) filter.add(text);
    for (const text of added) expect(filter.mightContain(text)).toBe(true);
    let falsePositives = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mightContain(`X-${i}\u0000status\u0000other`)) falsePositives++;
    expect(falsePositives / 100_000).toBeLessThan(0.03);
  });
});
