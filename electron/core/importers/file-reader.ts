// Reads a file synchronously in bounded chunks (imports run inside one SQLite transaction, which is
// synchronous), hashing every byte on the way so the file's SHA-256 costs no second pass.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export class ChunkedFileReader {
  readonly path: string;
  readonly totalBytes: number;
  bytesRead = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly chunkSize: number;

  constructor(path: string, chunkSize = 1 << 20) {
    this.path = path;
    this.chunkSize = chunkSize;
    const fd = openSync(path, 'r');
    try {
      this.totalBytes = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  }

  *chunks(): Generator<Buffer> {
    const fd = openSync(this.path, 'r');
    try {
      for (;;) {
        // A fresh buffer per chunk: parsers may keep slices of the previous one.
        const size = Math.max(1, Math.min(this.chunkSize, this.totalBytes - this.bytesRead + 1));
        const buffer = Buffer.allocUnsafe(size);
        const read = readSync(fd, buffer, 0, size, null);
        if (read === 0) return;
        const chunk = buffer.subarray(0, read);
        this.hash.update(chunk);
        this.bytesRead += read;
        yield chunk;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Hex SHA-256 of every byte read so far (the whole file once chunks() is exhausted). */
  sha256(): string {
    return this.hash.copy().digest('hex');
  }
}

/** UTF-16/32 exports are refused up front with a clear reason rather than parsed as garbage. */
export function encodingProblem(firstChunk: Buffer): string | null {
  if (firstChunk.length >= 2 && ((firstChunk[0] === 0xff && firstChunk[1] === 0xfe) || (firstChunk[0] === 0xfe && firstChunk[1] === 0xff))) {
    return 'the file is UTF-16 encoded; save the export as UTF-8';
  }
  const probe = firstChunk.subarray(0, 4096);
  if (probe.includes(0)) return 'the file contains NUL bytes: it is binary or UTF-16/32 encoded, not UTF-8 text';
  return null;
}
