// Before a CSV import runs: every value of its status, priority, CSAT, channel and category columns, counted, with
// what the mapping makes of each — so "Happy/Unhappy" can be mapped instead of becoming thousands of anomalies. A
// read: it opens no transaction and writes nothing. The same functions as the import decide each value's fate.
import {
  VALUE_MAPPED_FIELDS,
  type CsvMapping,
  type FieldValueSurvey,
  type ImportValueSurvey,
  type SurveyedValue,
  type ValueMappedField,
  type ValueState,
} from '../../../shared/contracts/importers.ts';
import type { Db } from '../db/connection.ts';
import { ImportError } from '../interchange/jsonl-import.ts';
import { MappedRows } from './csv-mapping.ts';
import { readCsvRecords } from './csv-records.ts';
import { categoryOf, channelOf, csatOf, lookup, priorityOf, statusOf } from './field-values.ts';
import { ChunkedFileReader } from './file-reader.ts';
import { knownTicketValues } from './import-repository.ts';
import { FieldError } from './import-types.ts';

/** Distinct values listed per field; more are counted in distinctOmitted (memory stays bounded). */
export const MAX_SURVEYED_VALUES = 500;
/** Rows between two yields of the survey's steps (the console's driver lets other calls in between). */
const ROWS_PER_STEP = 2_000;

/** What the mapping makes of one raw value of a field: the same calls the import makes (csv-mapping.ts). */
export function valueFate(field: ValueMappedField, raw: string, values: CsvMapping['values'] = {}): { state: ValueState; becomes: string | number | null } {
  switch (field) {
    case 'status': {
      const { status } = statusOf(raw, values.status);
      if (status === null) return { state: 'unmapped', becomes: 'open' };
      return { state: lookup(values.status, raw) !== undefined ? 'mapped' : 'recognized', becomes: status };
    }
    case 'priority': {
      const { priority, unknown } = priorityOf(raw, values.priority);
      if (unknown !== null) return { state: 'unmapped', becomes: priority };
      return { state: lookup(values.priority, raw) !== undefined ? 'mapped' : 'recognized', becomes: priority };
    }
    case 'csat': {
      const { score } = csatOf(raw, values.csat);
      if (score === null) return { state: 'unmapped', becomes: null };
      const viaMap = Object.keys(values.csat ?? {}).some((key) => key.trim().toLowerCase() === raw.trim().toLowerCase());
      return { state: viaMap ? 'mapped' : 'recognized', becomes: score };
    }
    case 'channel':
      return { state: lookup(values.channel, raw) !== undefined ? 'mapped' : 'kept', becomes: channelOf(raw, values.channel) };
    case 'category':
      return { state: lookup(values.category, raw) !== undefined ? 'mapped' : 'kept', becomes: categoryOf(raw, values.category) };
  }
}

interface Tally {
  column: string;
  counts: Map<string, number>;
  omitted: Map<string, number> | null;
  distinctOmitted: number;
  /** Rows of values beyond the listed ones that are unmapped (so unmappedRows covers every row). */
  unmappedOmittedRows: number;
  rows: number;
}

/** The survey as steps (a step per ROWS_PER_STEP rows) so a driver can yield between them. */
export function* surveySteps(db: Db, path: string, name: string, mapping: CsvMapping): Generator<number, ImportValueSurvey> {
  const tallies = new Map<ValueMappedField, Tally>();
  let rows = 0;
  let line = 1;
  try {
    const records = readCsvRecords(new ChunkedFileReader(path), mapping.delimiter ?? ',');
    const header = records.next();
    if (header.done) throw new FieldError(1, '(file)', 'the file is empty (expected a header row)');
    const mapped = new MappedRows(header.value, mapping);
    for (const field of VALUE_MAPPED_FIELDS) {
      if (mapped.has(field)) tallies.set(field, { column: mapping.columns[field]!, counts: new Map(), omitted: null, distinctOmitted: 0, unmappedOmittedRows: 0, rows: 0 });
    }
    for (const record of records) {
      line = record.line;
      rows++;
      for (const [field, tally] of tallies) {
        const value = mapped.field(record, field);
        if (value === null) continue;
        tally.rows++;
        const seen = tally.counts.get(value);
        if (seen !== undefined) tally.counts.set(value, seen + 1);
        else if (tally.counts.size < MAX_SURVEYED_VALUES) tally.counts.set(value, 1);
        else {
          tally.distinctOmitted += countOmitted(tally, value);
          if (valueFate(field, value, mapping.values).state === 'unmapped') tally.unmappedOmittedRows++;
        }
      }
      if (rows % ROWS_PER_STEP === 0) yield rows;
    }
  } catch (error) {
    if (error instanceof FieldError) throw new ImportError(name, error.line || line, error.field, error.reason);
    throw error;
  }
  const known = { category: new Set(knownTicketValues(db, 'category')), channel: new Set(knownTicketValues(db, 'channel')) };
  const fields: ImportValueSurvey['fields'] = {};
  for (const [field, tally] of tallies) fields[field] = fieldSurvey(field, tally, mapping, known);
  return { file: name, rows, fields };
}

/** Beyond the listed values only new distinct values are counted; rows of values already omitted add nothing. */
function countOmitted(tally: Tally, value: string): number {
  // Distinct omitted values are counted exactly up to a bound; beyond it every row counts as a new value (an upper bound).
  tally.omitted ??= new Map();
  if (tally.omitted.has(value)) return 0;
  if (tally.omitted.size < 100_000) tally.omitted.set(value, 1);
  return 1;
}

function fieldSurvey(field: ValueMappedField, tally: Tally, mapping: CsvMapping, known: { category: Set<string>; channel: Set<string> }): FieldValueSurvey {
  const values: SurveyedValue[] = [...tally.counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([value, count]) => {
      const fate = valueFate(field, value, mapping.values);
      const row: SurveyedValue = { value, count, ...fate };
      if (field === 'category' || field === 'channel') row.known = known[field].has(String(fate.becomes));
      return row;
    });
  const unmappedRows = values.filter((v) => v.state === 'unmapped').reduce((sum, v) => sum + v.count, tally.unmappedOmittedRows);
  return { column: tally.column, values, distinctOmitted: tally.distinctOmitted, rows: tally.rows, unmappedRows };
}

/** The whole survey on this thread (tests, CLI). */
export function surveyValues(db: Db, path: string, name: string, mapping: CsvMapping): ImportValueSurvey {
  const steps = surveySteps(db, path, name, mapping);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same, yielding to the event loop between steps (the console). */
export async function surveyValuesAsync(db: Db, path: string, name: string, mapping: CsvMapping): Promise<ImportValueSurvey> {
  const steps = surveySteps(db, path, name, mapping);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
