import type { Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { describeBytes, MAX_LINE_BYTES } from '../files/input-limits.ts';

export interface NumberedLine {
  lineNumber: number;
  text: string;
  /** The file's last line when no newline ends it: if it does not parse, the file was cut short. */
  unterminated?: true;
}

/** A line longer than MAX_LINE_BYTES: the reader stops there instead of buffering the rest of it. */
export class LineTooLongError extends Error {
  readonly lineNumber: number;
  constructor(lineNumber: number) {
    super(`the line is longer than ${describeBytes(MAX_LINE_BYTES)} (the limit for one line)`);
    this.lineNumber = lineNumber;
  }
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
      // Characters, not bytes: a UTF-16 unit is at least one byte, so this never lets a longer line through.
      if (pending.length > MAX_LINE_BYTES) throw new LineTooLongError(lineNumber + 1);
    }
    pending += decoder.decode();
    if (pending.length > 0) yield { lineNumber: ++lineNumber, text: pending, unterminated: true };
  } finally {
    closeSync(fd);
  }
}

export function* splitLines(text: string): Generator<NumberedLine> {
  let lineNumber = 0;
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
    if (newline - start > MAX_LINE_BYTES) throw new LineTooLongError(lineNumber + 1);
    yield { lineNumber: ++lineNumber, text: text.slice(start, newline) };
    start = newline + 1;
  }
  if (text.length - start > MAX_LINE_BYTES) throw new LineTooLongError(lineNumber + 1);
  if (start < text.length) yield { lineNumber: ++lineNumber, text: text.slice(start), unterminated: true };
}
