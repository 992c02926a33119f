import type { Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

export interface NumberedLine {
  lineNumber: number;
  text: string;
}

/**
 * Reads a UTF-8 file line by line, synchronously and in bounded memory (imports run inside one transaction).
 * `digest`, when given, is fed the file's raw bytes as they are read (the import records the file's SHA-256).
 */
export function* readLinesSync(path: string, chunkSize = 1 << 20, digest?: Hash): Generator<NumberedLine> {
  const fd = openSync(path, 'r');
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const buffer = Buffer.allocUnsafe(chunkSize);
  let pending = '';
  let lineNumber = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkSize, null);
      if (read === 0) break;
      digest?.update(buffer.subarray(0, read));
      pending += decoder.decode(buffer.subarray(0, read), { stream: true });
      let start = 0;
      for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n', start)) {
        yield { lineNumber: ++lineNumber, text: pending.slice(start, newline) };
        start = newline + 1;
      }
      pending = pending.slice(start);
    }
    pending += decoder.decode();
    if (pending.length > 0) yield { lineNumber: ++lineNumber, text: pending };
  } finally {
    closeSync(fd);
  }
}

export function* splitLines(text: string): Generator<NumberedLine> {
  let lineNumber = 0;
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
    yield { lineNumber: ++lineNumber, text: text.slice(start, newline) };
    start = newline + 1;
  }
  if (start < text.length) yield { lineNumber: ++lineNumber, text: text.slice(start) };
}
