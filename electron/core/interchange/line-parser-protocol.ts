// What the JSONL line parser thread (line-parser-worker.ts) and the importing thread (line-parser-thread.ts) share.

/** Lines per message, at most. */
export const BATCH_LINES = 2000;
/** Characters of canonical payload per message, at most: a file of long lines sends fewer lines at a time. */
export const BATCH_PAYLOAD_CHARS = 4 * 2 ** 20;

/** One message: a batch of parsed lines (JSON of ParsedLine[]), and after the last one how the file ended. */
export interface ParserMessage {
  lines: string;
  end?: { linesRead: number; digest: string };
  failed?: { file: string; line: number; field: string; reason: string } | { message: string };
}
