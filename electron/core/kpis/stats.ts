// 95% confidence intervals for the pilot-vs-baseline board.
import jStat from 'jstat';
import type { Estimate, Interval } from '../../../shared/contracts/kpis.ts';

const Z95 = 1.959963984540054;

/** Wilson score interval for k successes out of n. */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

export function proportion(k: number, n: number): Estimate {
  return { value: n > 0 ? k / n : null, n, ci: wilson(k, n) };
}

/**
 * Difference of two proportions (b − a) with Newcombe's hybrid score interval (method 10), built from the
 * two Wilson intervals.
 */
export function proportionDifference(a: { k: number; n: number }, b: { k: number; n: number }): Estimate {
  const wa = wilson(a.k, a.n);
  const wb = wilson(b.k, b.n);
  if (!wa || !wb) return { value: null, n: Math.min(a.n, b.n), ci: null };
  const pa = a.k / a.n;
  const pb = b.k / b.n;
  const d = pb - pa;
  const low = d - Math.sqrt((pb - wb.low) ** 2 + (wa.high - pa) ** 2);
  const high = d + Math.sqrt((wb.high - pb) ** 2 + (pa - wa.low) ** 2);
  return { value: d, n: Math.min(a.n, b.n), ci: { low, high } };
}

export interface MeanSums {
  n: number;
  sum: number;
  /** Sum of squares. */
  sq: number;
}

function variance(s: MeanSums): number {
  // Sample variance from sums; clamp rounding noise below zero.
  return Math.max(0, (s.sq - (s.sum * s.sum) / s.n) / (s.n - 1));
}

/** Mean with the Student t interval (needs n >= 2 for an interval). */
export function mean(s: MeanSums): Estimate {
  if (s.n <= 0) return { value: null, n: 0, ci: null };
  const m = s.sum / s.n;
  if (s.n < 2) return { value: m, n: s.n, ci: null };
  const half = jStat.studentt.inv(0.975, s.n - 1) * Math.sqrt(variance(s) / s.n);
  return { value: m, n: s.n, ci: { low: m - half, high: m + half } };
}

/** Welch–Satterthwaite degrees of freedom and the t interval of mean(b) − mean(a). */
export function welch(a: MeanSums, b: MeanSums): Estimate & { df: number | null } {
  if (a.n < 2 || b.n < 2) {
    const value = a.n > 0 && b.n > 0 ? b.sum / b.n - a.sum / a.n : null;
    return { value, n: Math.min(a.n, b.n), ci: null, df: null };
  }
  const va = variance(a) / a.n;
  const vb = variance(b) / b.n;
  const d = b.sum / b.n - a.sum / a.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { value: d, n: Math.min(a.n, b.n), ci: { low: d, high: d }, df: null };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const half = jStat.studentt.inv(0.975, df) * se;
  return { value: d, n: Math.min(a.n, b.n), ci: { low: d - half, high: d + half }, df };
}
