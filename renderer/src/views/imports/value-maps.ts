// The console's value maps: one map per value-mapped field, kept as text targets while edited and turned into the
// mapping file's `values` (CSAT targets as scores) when the mapping is built.
import { VALUE_MAPPED_FIELDS, type CsvMapping, type ValueMappedField } from '../../../../shared/contracts/importers.ts';

export type ValueMaps = Record<ValueMappedField, Record<string, string>>;

export const VALUE_FIELD_LABELS: Record<ValueMappedField, string> = {
  status: 'Status',
  priority: 'Priority',
  csat: 'CSAT',
  channel: 'Channel',
  category: 'Category',
};

export const VALUE_FIELD_EXAMPLES: Record<ValueMappedField, string> = {
  status: 'Done=solved, Parked=on_hold',
  priority: 'Critical=urgent, Medium=normal',
  csat: 'Happy=5, Unhappy=1',
  channel: 'WWW=web',
  category: 'Pwd=password_reset',
};

export function emptyValueMaps(): ValueMaps {
  return Object.fromEntries(VALUE_MAPPED_FIELDS.map((field) => [field, {}])) as unknown as ValueMaps;
}

/** "a=b, c=d" → {a: b, c: d} (the first "=" splits; empty sides are dropped). */
export function parseValueMap(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const from = pair.slice(0, at).trim();
    const to = pair.slice(at + 1).trim();
    if (from !== '' && to !== '') map[from] = to;
  }
  return map;
}

export function formatValueMap(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([from, to]) => `${from}=${to}`)
    .join(', ');
}

/** The target the maps give a raw value (case- and space-insensitive, as the importer looks it up). */
export function mappedTarget(map: Record<string, string>, raw: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(map, raw)) return map[raw];
  const wanted = raw.trim().toLowerCase();
  for (const key of Object.keys(map)) if (key.trim().toLowerCase() === wanted) return map[key];
  return undefined;
}

/** The mapping file's `values`; undefined when no field has a map. CSAT targets that are not numbers stay text, for the core to refuse by name. */
export function valuesOfMaps(maps: ValueMaps): CsvMapping['values'] {
  const values: NonNullable<CsvMapping['values']> = {};
  for (const field of VALUE_MAPPED_FIELDS) {
    const map = Object.fromEntries(
      Object.entries(maps[field])
        .map(([from, to]) => [from, to.trim()])
        .filter(([, to]) => to !== ''),
    );
    if (Object.keys(map).length === 0) continue;
    if (field === 'csat') values.csat = Object.fromEntries(Object.entries(map).map(([from, to]) => [from, Number(to)]));
    else values[field] = map;
  }
  return Object.keys(values).length > 0 ? values : undefined;
}

export function mapsOfValues(values: CsvMapping['values']): ValueMaps {
  const maps = emptyValueMaps();
  for (const field of VALUE_MAPPED_FIELDS) {
    const map = values?.[field];
    if (map) maps[field] = Object.fromEntries(Object.entries(map).map(([from, to]) => [from, String(to)]));
  }
  return maps;
}
