// A side-by-side comparison of two versions of an article, line by line (the `diff` package's line diff), with the
// words that changed marked inside each changed line. Plain data: the console draws it, tests read it.
import { diffLines, diffWordsWithSpace } from 'diff';

export interface DiffSegment {
  text: string;
  /** true: this part differs from the other side. */
  changed: boolean;
}

export interface SideBySideRow {
  kind: 'same' | 'changed' | 'removed' | 'added';
  /** Line number in the older version (1-based), null where the row has no line there. */
  leftLine: number | null;
  rightLine: number | null;
  left: DiffSegment[] | null;
  right: DiffSegment[] | null;
}

export interface SideBySide {
  rows: SideBySideRow[];
  /** Lines only in the older version, only in the newer, and lines changed in place. */
  removed: number;
  added: number;
  changed: number;
}

const splitLines = (text: string): string[] => {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
};

/** Below this share of unchanged characters, marking words is noise: the whole line is marked as changed. */
const MIN_SHARED_FOR_WORD_MARKS = 0.5;

const visibleLength = (text: string): number => text.replace(/\s+/g, '').length;

function wordSegments(before: string, after: string): { left: DiffSegment[]; right: DiffSegment[] } {
  const left: DiffSegment[] = [];
  const right: DiffSegment[] = [];
  let shared = 0;
  for (const part of diffWordsWithSpace(before, after)) {
    if (!part.added && !part.removed) shared += visibleLength(part.value);
    if (!part.added) left.push({ text: part.value, changed: Boolean(part.removed) });
    if (!part.removed) right.push({ text: part.value, changed: Boolean(part.added) });
  }
  if (shared < MIN_SHARED_FOR_WORD_MARKS * Math.max(visibleLength(before), visibleLength(after))) {
    return { left: [{ text: before, changed: true }], right: [{ text: after, changed: true }] };
  }
  return { left, right };
}

/** Compares `before` (left) with `after` (right): removed lines facing added ones are paired as changed lines. */
export function sideBySide(before: string, after: string): SideBySide {
  const rows: SideBySideRow[] = [];
  let leftLine = 0;
  let rightLine = 0;
  let pendingRemoved: string[] = [];
  const result: SideBySide = { rows, removed: 0, added: 0, changed: 0 };
  const flushRemoved = (added: string[]): void => {
    const paired = Math.min(pendingRemoved.length, added.length);
    for (let i = 0; i < paired; i++) {
      const { left, right } = wordSegments(pendingRemoved[i]!, added[i]!);
      rows.push({ kind: 'changed', leftLine: ++leftLine, rightLine: ++rightLine, left, right });
      result.changed++;
    }
    for (const text of pendingRemoved.slice(paired)) {
      rows.push({ kind: 'removed', leftLine: ++leftLine, rightLine: null, left: [{ text, changed: true }], right: null });
      result.removed++;
    }
    for (const text of added.slice(paired)) {
      rows.push({ kind: 'added', leftLine: null, rightLine: ++rightLine, left: null, right: [{ text, changed: true }] });
      result.added++;
    }
    pendingRemoved = [];
  };
  for (const part of diffLines(before.endsWith('\n') ? before : `${before}\n`, after.endsWith('\n') ? after : `${after}\n`)) {
    const lines = splitLines(part.value);
    if (part.removed) {
      pendingRemoved.push(...lines);
    } else if (part.added) {
      flushRemoved(lines);
    } else {
      flushRemoved([]);
      for (const text of lines) rows.push({ kind: 'same', leftLine: ++leftLine, rightLine: ++rightLine, left: [{ text, changed: false }], right: [{ text, changed: false }] });
    }
  }
  flushRemoved([]);
  return result;
}
