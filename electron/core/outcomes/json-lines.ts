// Finds the line on which a value sits in a JSON text, so that a validation error can name file, line and field.

/** Line (1-based) of the value at `path` (e.g. ["criteria", "minCsat"]), or of the nearest parent that exists. */
export function lineOfPath(text: string, path: readonly (string | number)[]): number {
  let pos = 0;
  let line = 1;
  let best = 1;

  const advance = (): void => {
    if (text[pos] === '\n') line++;
    pos++;
  };
  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) advance();
  };
  const readString = (): string => {
    const start = pos;
    advance();
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\') advance();
      advance();
    }
    advance();
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return '';
    }
  };
  // Walks one value; `depth` is how much of `path` leads here (-1 once off the path).
  const value = (depth: number): void => {
    skipSpace();
    if (depth >= 0) best = line;
    const c = text[pos];
    if (c === '{') {
      advance();
      for (;;) {
        skipSpace();
        if (text[pos] === '}' || pos >= text.length) return advance();
        const key = readString();
        skipSpace();
        advance(); // ':'
        value(depth >= 0 && depth < path.length && path[depth] === key ? depth + 1 : -1);
        skipSpace();
        if (text[pos] === ',') advance();
      }
    }
    if (c === '[') {
      advance();
      for (let index = 0; ; index++) {
        skipSpace();
        if (text[pos] === ']' || pos >= text.length) return advance();
        value(depth >= 0 && depth < path.length && path[depth] === index ? depth + 1 : -1);
        skipSpace();
        if (text[pos] === ',') advance();
      }
    }
    if (c === '"') {
      readString();
      return;
    }
    while (pos < text.length && !/[\s,\]}]/.test(text[pos]!)) advance();
  };
  // Only the deepest match along the path matters: stop updating `best` once off the path.
  const walk = (): void => value(0);
  try {
    walk();
  } catch {
    /* malformed text: the best line so far */
  }
  return best;
}
