// The one encoder for every CSV cell Attest writes (KPI exports, outcome statements and their pack copies).
// RFC 4180 quoting, plus the OWASP defence against formula injection: a spreadsheet runs a cell that begins with
// = + - @ (or a tab or carriage return before one) as a formula, so such text gets a leading apostrophe, which
// spreadsheets show as text and do not evaluate. Numbers stay numbers: a cell that is exactly a decimal number
// (a count, an amount such as -12.50) is written as it is, so totals still add up; it cannot hold a formula.

export type CsvValue = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection guidance). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number (optional minus, digits, optional fraction or exponent): data, never a formula. */
const PLAIN_NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' && !Number.isFinite(value) ? '' : String(value);
  const neutralized = FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);
  if (neutralized) text = `'${text}`;
  return neutralized || NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record (without its line end). */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}
