// Limits every imported file is held to, and the checks that enforce them without recursion: a hostile file
// must be refused with its line and field, never exhaust memory or blow the stack of a recursive parser.

/** Largest text one field may hold (a ticket body, an article, a comment): 1 MB of UTF-8. */
export const MAX_FIELD_BYTES = 1024 * 1024;
/** Deepest nesting of JSON arrays and objects (and YAML flow collections) a file may use. */
export const MAX_NESTING_DEPTH = 64;
/**
 * Longest line of a JSONL file: a line holds one event, whose largest field is capped at MAX_FIELD_BYTES; the
 * rest is headroom for its other fields. Past it the reader stops buffering and refuses the file.
 */
export const MAX_LINE_BYTES = 4 * MAX_FIELD_BYTES;

export function describeBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MB` : `${bytes.toLocaleString('en-US')} bytes`;
}

/** Bytes of `text` in UTF-8, counted only when its length alone cannot decide (a UTF-16 unit is 1–3 bytes). */
export function exceedsFieldLimit(text: string): boolean {
  if (text.length > MAX_FIELD_BYTES) return true;
  if (text.length * 3 <= MAX_FIELD_BYTES) return false;
  return Buffer.byteLength(text, 'utf8') > MAX_FIELD_BYTES;
}

export const FIELD_TOO_LONG = `longer than ${describeBytes(MAX_FIELD_BYTES)} (the limit for one field)`;
export const NESTED_TOO_DEEP = `nested more than ${MAX_NESTING_DEPTH} levels deep (the limit for one file)`;

export interface NestingProblem {
  /** 1-based line (counted from `firstLine`) where the nesting passes the limit. */
  line: number;
  depth: number;
}

/**
 * Scans JSON text (or YAML flow collections) for brackets nested deeper than the limit, outside strings.
 * Linear and iterative, so it is safe to run before a parser that recurses per level.
 */
export function nestingProblem(text: string, firstLine = 1, quotes: readonly string[] = ['"']): NestingProblem | null {
  let depth = 0;
  let line = firstLine;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (quotes.includes(c)) quote = c;
    else if (c === '{' || c === '[') {
      if (++depth > MAX_NESTING_DEPTH) return { line, depth };
    } else if ((c === '}' || c === ']') && depth > 0) depth--;
  }
  return null;
}

/**
 * The first string (or key) in a parsed value longer than the field limit, with its path ("events.3.body").
 * Iterative: the value may be as deep as the nesting limit allows, but no recursion is needed to walk it.
 */
export function oversizedField(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (exceedsFieldLimit(current)) return path || '(value)';
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, path: path ? `${path}.${i}` : String(i) }));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        const child = path ? `${path}.${key}` : key;
        if (exceedsFieldLimit(key)) return child.slice(0, 60);
        stack.push({ value: item, path: child });
      }
    }
  }
  return null;
}

/** Largest knowledge-base file read at all (markup around a body of at most MAX_FIELD_BYTES). */
export const MAX_ARTICLE_FILE_BYTES = 4 * MAX_FIELD_BYTES;

/** Elements that never nest (void) or whose end tag may be left out (closed by the next sibling or parent). */
const FLAT_ELEMENTS = new Set(
  'area base br col embed hr img input link meta param source track wbr p li dt dd tr td th thead tbody tfoot option optgroup colgroup caption rb rt rp html head body'.split(' '),
);

/**
 * How deep an HTML text nests its elements, counted from its tags without building a tree: the line where the
 * depth passes the limit, or null. Elements that never hold others, or close implicitly, are not counted.
 */
export function htmlNestingProblem(html: string): NestingProblem | null {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>|<!--[\s\S]*?-->|\n/g;
  let depth = 0;
  let line = 1;
  for (let match = tag.exec(html); match !== null; match = tag.exec(html)) {
    if (match[0] === '\n') {
      line++;
      continue;
    }
    if (match[2] === undefined) {
      line += match[0].split('\n').length - 1;
      continue;
    }
    line += match[0].split('\n').length - 1;
    const name = match[2].toLowerCase();
    if (FLAT_ELEMENTS.has(name) || match[3] === '/') continue;
    if (match[1] === '/') depth = Math.max(0, depth - 1);
    else if (++depth > MAX_NESTING_DEPTH) return { line, depth };
  }
  return null;
}
