// Ticket ids in the order people read them: "T-2" before "T-10". The Outcomes tab and a statement list every ticket
// of a period in this order: at a million tickets a sort of 100,000 ids, whose comparisons once split both ids with a
// regular expression each time (about 17 times an id), was a quarter of the attribution counter's request.
import { firstNotBefore } from './sorted-search.ts';

/** An id cut into runs of ASCII digits and runs of anything else, each digit run with its value. */
interface NaturalKey {
  id: string;
  runs: string[];
  /** The value of each digit run; NaN for the other runs. */
  values: number[];
}

const isAsciiDigit = (code: number): boolean => code >= 48 && code <= 57;

function naturalKey(id: string): NaturalKey {
  const runs: string[] = [];
  const values: number[] = [];
  for (let start = 0; start < id.length; ) {
    const digits = isAsciiDigit(id.charCodeAt(start));
    let end = start + 1;
    while (end < id.length && isAsciiDigit(id.charCodeAt(end)) === digits) end++;
    const run = id.slice(start, end);
    runs.push(run);
    values.push(digits ? Number(run) : Number.NaN);
    start = end;
  }
  return { id, runs, values };
}

function compareKeys(a: NaturalKey, b: NaturalKey): number {
  const shared = Math.min(a.runs.length, b.runs.length);
  for (let i = 0; i < shared; i++) {
    const x = a.runs[i]!;
    const y = b.runs[i]!;
    if (x === y) continue;
    const vx = a.values[i]!;
    const vy = b.values[i]!;
    // Two digit runs of different values compare as numbers; otherwise ("07" and "7", or a digit run and another
    // run) as text.
    if (!Number.isNaN(vx) && !Number.isNaN(vy) && vx !== vy) return vx - vy;
    return x < y ? -1 : 1;
  }
  return a.runs.length - b.runs.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** "T-2" before "T-10": digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  return compareKeys(naturalKey(a), naturalKey(b));
}

/**
 * A copy of `items` sorted by naturalCompare of their ids, then by `then`: each id is cut into its runs once, not at
 * every comparison. Stable, as Array.prototype.sort.
 */
export function inNaturalOrder<T>(items: readonly T[], idOf: (item: T) => string, then?: (a: T, b: T) => number): T[] {
  const keyed = items.map((item) => ({ item, key: naturalKey(idOf(item)) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key) || (then ? then(a.item, b.item) : 0));
  return keyed.map(({ item }) => item);
}

/**
 * The numbers of ids that are all one prefix without digits and a number written plainly ("T-1" … "T-1000000", as
 * Attest and its importers write ticket ids): null for any other list.
 */
function numbersAfterOnePrefix(ids: readonly string[]): { prefix: string; numbers: Float64Array } | null {
  const first = ids[0];
  if (first === undefined) return null;
  let cut = 0;
  while (cut < first.length && !isAsciiDigit(first.charCodeAt(cut))) cut++;
  if (cut === 0) return null;
  const prefix = first.slice(0, cut);
  const numbers = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!id.startsWith(prefix)) return null;
    const digits = id.slice(cut);
    // Only the number's own writing: no sign, no leading zero, no exponent, no digits past 2^53 — then the
    // number alone tells the ids apart and orders them as naturalCompare does.
    if (digits.length === 0 || digits.length > 15) return null;
    for (let k = 0; k < digits.length; k++) if (!isAsciiDigit(digits.charCodeAt(k))) return null;
    const value = Number(digits);
    if (String(value) !== digits) return null;
    numbers[i] = value;
  }
  return { prefix, numbers };
}

/**
 * Ids sorted by naturalCompare (a copy). Ids of one prefix and a plain number each are sorted as numbers, natively
 * (naturalCompare orders two of them by their numbers); any other list by inNaturalOrder.
 */
export function idsInNaturalOrder(ids: readonly string[]): string[] {
  const plain = numbersAfterOnePrefix(ids);
  if (!plain) return inNaturalOrder(ids, (id) => id);
  return Array.from(plain.numbers.sort(), (value) => plain.prefix + String(value));
}

/**
 * Where the plain number of an id starts ("T-" and "1042" in "T-1042": a prefix without digits, then digits written as
 * the number's own writing, no leading zero, at most 15), or -1 for any other id.
 */
function plainNumberStart(id: string): number {
  let cut = 0;
  while (cut < id.length && !isAsciiDigit(id.charCodeAt(cut))) cut++;
  const digits = id.length - cut;
  if (cut === 0 || digits === 0 || digits > 15 || (digits > 1 && id.charCodeAt(cut) === 48)) return -1;
  for (let k = cut + 1; k < id.length; k++) if (!isAsciiDigit(id.charCodeAt(k))) return -1;
  return cut;
}

/**
 * naturalCompare without cutting either id into runs when both are one prefix and a plain number: then the prefixes
 * are equal and the numbers compare by their length first, their digits next (as naturalCompare's numbers do).
 */
function compareIds(a: string, b: string): number {
  const cut = plainNumberStart(a);
  if (cut > 0 && cut === plainNumberStart(b) && a.startsWith(b.slice(0, cut))) {
    return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  }
  return naturalCompare(a, b);
}

/** The first position in `sorted` (ids in natural order) whose id does not come before `id`. */
export const naturalInsertionPoint = (sorted: readonly string[], id: string): number => firstNotBefore(sorted, id, compareIds);

/** Whether `sorted` (ids in natural order, each once) holds `id`: a binary search. */
export function naturallySortedHas(sorted: readonly string[], id: string): boolean {
  return sorted[naturalInsertionPoint(sorted, id)] === id;
}

/**
 * `sorted` (ids in natural order, each once) without the ids of `remove` and with those of `insert`, still in natural
 * order and each once: a few binary searches and one copy, where filtering and sorting again went through every id.
 * An id in both lists is kept. The very list when nothing changes.
 */
export function naturallySortedEdit(sorted: readonly string[], remove: Iterable<string>, insert: readonly string[]): readonly string[] {
  const removedAt: number[] = [];
  for (const id of new Set(remove)) {
    const at = naturalInsertionPoint(sorted, id);
    if (sorted[at] === id) removedAt.push(at);
  }
  const inserted = idsInNaturalOrder([...new Set(insert)]);
  if (removedAt.length === 0 && inserted.every((id) => naturallySortedHas(sorted, id))) return sorted;
  removedAt.sort((a, b) => a - b);
  // The kept runs between the edits are copied as slices (natively), then joined once.
  const pieces: (readonly string[])[] = [];
  let from = 0;
  let nextRemoved = 0;
  // Copies sorted[from, to) less the removed positions (removedAt[nextRemoved] is the first of them at or after from).
  const copyUpTo = (to: number): void => {
    while (from < to) {
      const end = Math.min(to, removedAt[nextRemoved] ?? to);
      if (end > from) pieces.push(sorted.slice(from, end));
      from = end;
      if (from < to) {
        from++;
        nextRemoved++;
      }
    }
  };
  for (const id of inserted) {
    const at = naturalInsertionPoint(sorted, id);
    copyUpTo(at);
    if (sorted[at] !== id) pieces.push([id]);
    // Already there: kept (copied with the rest) unless removed, then in its place.
    else if (removedAt[nextRemoved] === at) {
      pieces.push([id]);
      from = at + 1;
      nextRemoved++;
    }
  }
  copyUpTo(sorted.length);
  return ([] as string[]).concat(...pieces);
}

/** The ids of `before` not in `after` and those of `after` not in `before`: both in natural order, each id once. */
export function naturallySortedDiff(before: readonly string[], after: readonly string[]): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    const a = before[i]!;
    const b = after[j]!;
    if (a === b) {
      i++;
      j++;
    } else if (compareIds(a, b) < 0) {
      removed.push(a);
      i++;
    } else {
      added.push(b);
      j++;
    }
  }
  for (; i < before.length; i++) removed.push(before[i]!);
  for (; j < after.length; j++) added.push(after[j]!);
  return { removed, added };
}
