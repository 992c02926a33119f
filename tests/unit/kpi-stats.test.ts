// Confidence intervals against published values.
import { describe, expect, it } from 'vitest';
import { nonInferiority } from '../../electron/core/kpis/board.ts';
import { mean, proportionDifference, welch, wilson } from '../../electron/core/kpis/stats.ts';

const sums = (xs: number[]) => ({ n: xs.length, sum: xs.reduce((a, b) => a + b, 0), sq: xs.reduce((a, b) => a + b * b, 0) });

describe('KPI statistics', () => {
  it('Wilson score intervals match the textbook values', () => {
    expect(wilson(0, 10)!.low).toBe(0);
    expect(wilson(0, 10)!.high).toBeCloseTo(0.2775, 4);
    expect(wilson(5, 10)!.low).toBeCloseTo(0.2366, 4);
    expect(wilson(5, 10)!.high).toBeCloseTo(0.7634, 4);
    expect(wilson(10, 10)!.high).toBeCloseTo(1, 12);
    expect(wilson(10, 10)!.low).toBeCloseTo(0.7225, 4);
    expect(wilson(0, 0)).toBeNull();
  });

  it('Newcombe hybrid score interval for a difference (Newcombe 1998, 56/70 − 48/80: 0.0524 to 0.3339)', () => {
    const d = proportionDifference({ k: 48, n: 80 }, { k: 56, n: 70 });
    expect(d.value).toBeCloseTo(0.2, 10);
    expect(d.ci!.low).toBeCloseTo(0.0524, 4);
    expect(d.ci!.high).toBeCloseTo(0.3339, 4);
  });

  it('Student t interval of a mean (1..10: 5.5 ± 2.262157 × 0.957427)', () => {
    const m = mean(sums([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(m.value).toBe(5.5);
    expect(m.ci!.low).toBeCloseTo(3.334149, 5);
    expect(m.ci!.high).toBeCloseTo(7.665851, 5);
    expect(mean(sums([4])).ci).toBeNull();
  });

  it('Welch interval: Welch-Satterthwaite df and t as in the textbook example (t = 2.46, df = 24.99)', () => {
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const w = welch(sums(a), sums(b));
    expect(w.df!).toBeCloseTo(24.99, 1);
    const half = (w.ci!.high - w.ci!.low) / 2;
    const se = half / 2.0597; // t(0.975, 24.99)
    expect(w.value! / se).toBeCloseTo(2.46, 1);
    expect(w.ci!.low).toBeGreaterThan(0);
  });

  it('non-inferiority verdicts use the interval of the difference', () => {
    expect(nonInferiority({ value: 0.01, n: 100, ci: { low: -0.01, high: 0.03 } }, 0.02, true, true)).toBe('pass');
    expect(nonInferiority({ value: -0.1, n: 100, ci: { low: -0.15, high: -0.05 } }, 0.02, true, true)).toBe('fail');
    expect(nonInferiority({ value: -0.01, n: 100, ci: { low: -0.06, high: 0.04 } }, 0.02, true, true)).toBe('inconclusive');
    expect(nonInferiority({ value: 0.0, n: 100, ci: { low: -0.01, high: 0.015 } }, 0.02, false, true)).toBe('pass');
    expect(nonInferiority({ value: 0.05, n: 100, ci: { low: 0.03, high: 0.07 } }, 0.02, false, true)).toBe('fail');
    expect(nonInferiority({ value: 0.0, n: 5, ci: { low: -0.01, high: 0.01 } }, 0.02, false, false)).toBe('insufficient_data');
  });
});
