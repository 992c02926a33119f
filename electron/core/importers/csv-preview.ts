// The first rows of a CSV (the console's mapping screen): parsed with csv-parse, tolerant of a cut-off end.
import type * as CsvParseSync from 'csv-parse/sync';
import { loadOnFirstUse } from '../load-on-first-use.ts';

/** csv-parse, loaded by the first preview (load-on-first-use.ts). */
const csvParseSync = loadOnFirstUse<typeof CsvParseSync>('csv-parse/sync');

export const PREVIEW_ROWS = 10;

export function previewCsv(text: string, delimiter = ','): { headers: string[]; rows: string[][] } {
  // The console sends the file's first bytes: drop the last line, which is probably cut.
  const lastNewline = text.lastIndexOf('\n');
  const complete = lastNewline === -1 ? text : text.slice(0, lastNewline + 1);
  let records: string[][];
  try {
    records = csvParseSync().parse(complete, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, relax_quotes: true, to_line: 200 }) as string[][];
  } catch {
    records = csvParseSync().parse(complete.split('\n').slice(0, 2).join('\n'), { bom: true, delimiter, relax_column_count: true, relax_quotes: true }) as string[][];
  }
  const [headers = [], ...rows] = records;
  return { headers: headers.map((h) => h.trim()), rows: rows.slice(0, PREVIEW_ROWS) };
}
