// A binary search over a sorted list, for the orders the Outcomes tab keeps its lists in (natural-order.ts, and the
// scope's stored order in outcome-repository.ts).

/** The first position in `sorted` (in the order `compare` gives) whose item does not come before `item`. */
export function firstNotBefore<T>(sorted: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(sorted[middle]!, item) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
