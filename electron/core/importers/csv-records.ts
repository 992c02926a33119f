// Streams CSV records out of a file with csv-parse, fed synchronously chunk by chunk.
import type * as CsvParse from 'csv-parse';
import type { CsvError } from 'csv-parse';
import { loadOnFirstUse } from '../load-on-first-use.ts';
import { encodingProblem, type ChunkedFileReader } from './file-reader.ts';
import { FieldError } from './import-types.ts';

export interface CsvRecord {
  /** Line where the record starts (1 = header). */
  line: number;
  fields: string[];
  /** Whether a line break follows the record (only the file's last record may lack one). */
  ended?: boolean;
}

/** csv-parse's synchronous core, which its stream `Parser` drives in `_transform`; not in its typings. */
interface ParserCore {
  parse(chunk: Buffer | undefined, end: boolean, push: (record: unknown) => void, close: () => void): CsvError | undefined;
  info: { lines: number };
}

/** csv-parse, loaded by the first CSV read (load-on-first-use.ts). */
const csvParse = loadOnFirstUse<typeof CsvParse>('csv-parse');

/** Largest single record; beyond it the file is refused (a runaway quote would otherwise swallow the file). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export function* readCsvRecords(reader: ChunkedFileReader, delimiter = ','): Generator<CsvRecord> {
  const parser = new (csvParse().Parser)({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: MAX_RECORD_BYTES,
    info: true,
    raw: true,
  });
  const core = (parser as unknown as { api: ParserCore }).api;
  const out: CsvRecord[] = [];
  const push = (value: unknown): void => {
    const { record, info, raw } = value as { record: string[]; info: { lines: number }; raw: string };
    out.push({ line: info.lines - innerNewlines(raw), fields: record, ended: raw.endsWith('\n') || raw.endsWith('\r') });
  };
  let first = true;
  let headerFields = -1;
  /** A row with fewer fields than the header was cut short (a truncated file, a lost quote): never imported short. */
  const checked = function* (records: CsvRecord[]): Generator<CsvRecord> {
    for (const record of records) {
      if (headerFields < 0) headerFields = record.fields.length;
      else if (record.fields.length < headerFields) {
        throw new FieldError(
          record.line,
          '(csv)',
          `the row has ${record.fields.length} of the header's ${headerFields} fields (cut short: a truncated file or a line break outside quotes)`,
        );
      }
      yield record;
    }
  };
  const feed = (chunk: Buffer | undefined, end: boolean): void => {
    const error = core.parse(chunk, end, push, () => {});
    if (error) throw new FieldError(Number((error as unknown as { lines?: number }).lines ?? core.info.lines), '(csv)', csvReason(error));
  };
  for (const chunk of reader.chunks()) {
    if (first) {
      const problem = encodingProblem(chunk);
      if (problem) throw new FieldError(1, '(file)', problem);
      first = false;
    }
    feed(chunk, false);
    yield* checked(out.splice(0));
  }
  feed(undefined, true);
  const last = out.at(-1);
  yield* checked(out.splice(0));
  // A field cut short still looks like a field: only the missing line break shows that the last row is incomplete.
  if (last && !last.ended && headerFields >= 0 && last.line > 1) {
    throw new FieldError(last.line, '(csv)', 'the file ends in the middle of this row, without a line break (truncated?); if the row is complete, end the file with a line break');
  }
}

/** info.lines is where a record ends; its raw text (with any skipped blank lines before it) says where it starts. */
function innerNewlines(raw: string): number {
  let start = 0;
  while (raw[start] === '\n' || raw[start] === '\r') start++;
  let end = raw.length;
  if (raw[end - 1] === '\n') end--;
  let count = 0;
  for (let i = raw.indexOf('\n', start); i !== -1 && i < end; i = raw.indexOf('\n', i + 1)) count++;
  return count;
}

function csvReason(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (truncated file or stray quote)';
    case 'CSV_MAX_RECORD_SIZE':
      return `a record is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MB (probably an unclosed quote)`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text follows a closing quote (a quote inside a field must be doubled: "")';
    default:
      return error.message.replace(/^Invalid (Record|Opening|Closing)?/, (m) => m);
  }
}
