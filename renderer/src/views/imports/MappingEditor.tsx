// The CSV mapping screen: the file's first rows, a column chosen (or guessed) for each fact, value maps for status,
// priority, CSAT, channel and category (typed, or chosen beside each value the check found), saved as MAP.json.
import { useEffect, useState } from 'react';
import { VALUE_MAPPED_FIELDS, type CsvMapping, type CsvMappingColumn, type CsvPreview, type ImportValueSurvey, type ValueMappedField } from '../../../../shared/contracts/importers.ts';
import { getApi } from '../../api/index.ts';
import { ValueSurveyView } from './ValueSurveyView.tsx';
import { emptyValueMaps, formatValueMap, mapsOfValues, parseValueMap, valuesOfMaps, VALUE_FIELD_EXAMPLES, VALUE_FIELD_LABELS, type ValueMaps } from './value-maps.ts';

export const MAPPED_FIELDS: { key: CsvMappingColumn; label: string }[] = [
  { key: 'id', label: 'Ticket id (required)' },
  { key: 'created', label: 'Created time' },
  { key: 'firstResponse', label: 'First response time' },
  { key: 'resolved', label: 'Resolved time' },
  { key: 'closed', label: 'Closed time' },
  { key: 'status', label: 'Status' },
  { key: 'priority', label: 'Priority' },
  { key: 'category', label: 'Category' },
  { key: 'channel', label: 'Channel' },
  { key: 'subject', label: 'Subject' },
  { key: 'body', label: 'Body' },
  { key: 'csat', label: 'CSAT' },
  { key: 'agent', label: 'Agent' },
  { key: 'requester', label: 'Requester' },
];

const PREVIEW_BYTES = 64 * 1024;
const STORAGE_KEY = 'attest.import.mapping';

interface Props {
  file: File;
  onChange(mapping: CsvMapping | null): void;
  /** Counts every value of the whole file under this mapping (uploads it first if needed); nothing is imported. */
  checkValues(mapping: CsvMapping): Promise<ImportValueSurvey>;
  /** No value check while an import runs. */
  busy: boolean;
}

export function MappingEditor({ file, onChange, checkValues, busy }: Props) {
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [columns, setColumns] = useState<Partial<Record<CsvMappingColumn, string>>>({});
  const [format, setFormat] = useState('');
  const [timezone, setTimezone] = useState('UTC');
  const [maps, setMaps] = useState<ValueMaps>(emptyValueMaps);
  // What each value-map field shows while typed (re-written when a value is mapped from the check's table).
  const [drafts, setDrafts] = useState<Record<ValueMappedField, string>>(() => draftsOf(emptyValueMaps()));
  const [idPrefix, setIdPrefix] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [survey, setSurvey] = useState<ImportValueSurvey | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setPreview(null);
    setError(null);
    setSurvey(null);
    setCheckError(null);
    void file
      .slice(0, PREVIEW_BYTES)
      .text()
      .then((text) => getApi()['imports.preview']({ text }))
      .then((result) => {
        if (!live) return;
        if (!result.ok) return setError(result.error.message);
        setPreview(result.value);
        const stored = readStored(result.value.headers);
        setColumns(stored?.columns ?? result.value.guess);
        if (stored?.timestamps?.format) setFormat(stored.timestamps.format);
        if (stored?.timestamps?.timezone) setTimezone(stored.timestamps.timezone);
        if (stored?.idPrefix) setIdPrefix(stored.idPrefix);
        const storedMaps = mapsOfValues(stored?.values);
        setMaps(storedMaps);
        setDrafts(draftsOf(storedMaps));
      });
    return () => {
      live = false;
    };
  }, [file]);

  const mapping = buildMapping(columns, format, timezone, maps, idPrefix);
  const mappingKey = JSON.stringify(mapping);
  useEffect(() => onChange(JSON.parse(mappingKey) as CsvMapping | null), [mappingKey, onChange]);

  if (error) return <p className="imp-error" data-testid="import-preview-error">{error}</p>;
  if (!preview) return <p className="imp-muted" data-testid="import-preview-loading">Reading the first rows…</p>;

  const typeMap = (field: ValueMappedField, text: string): void => {
    setDrafts({ ...drafts, [field]: text });
    setMaps({ ...maps, [field]: parseValueMap(text) });
  };
  const mapValue = (field: ValueMappedField, value: string, target: string | null): void => {
    const map = Object.fromEntries(Object.entries(maps[field]).filter(([from]) => from.trim().toLowerCase() !== value.trim().toLowerCase()));
    if (target !== null) map[value] = target;
    setMaps({ ...maps, [field]: map });
    setDrafts({ ...drafts, [field]: formatValueMap(map) });
  };
  const check = async (): Promise<void> => {
    if (!mapping) return;
    setChecking(true);
    setCheckError(null);
    try {
      setSurvey(await checkValues(mapping));
    } catch (thrown) {
      setCheckError((thrown as Error).message);
    } finally {
      setChecking(false);
    }
  };

  const save = (): void => {
    if (!mapping) return;
    localStorage.setItem(`${STORAGE_KEY}:${preview.headers.join('|')}`, JSON.stringify(mapping));
    const url = URL.createObjectURL(new Blob([JSON.stringify(mapping, null, 2)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${file.name.replace(/\.[^.]*$/, '')}-mapping.json`;
    link.click();
    URL.revokeObjectURL(url);
    setSaved(link.download);
  };

  return (
    <section className="imp-card" data-testid="import-mapping">
      <h3>Mapping</h3>
      <div className="imp-mapping-grid">
        {MAPPED_FIELDS.map(({ key, label }) => (
          <label key={key}>
            {label}
            <select value={columns[key] ?? ''} onChange={(e) => setColumns({ ...columns, [key]: e.target.value || undefined })} data-testid={`map-${key}`}>
              <option value="">— not in this file —</option>
              {preview.headers.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label>
          Time format (luxon, empty = ISO / common formats)
          <input value={format} placeholder="yyyy-MM-dd H:mm" onChange={(e) => setFormat(e.target.value)} data-testid="map-time-format" />
        </label>
        <label>
          Time zone
          <input value={timezone} onChange={(e) => setTimezone(e.target.value)} data-testid="map-timezone" />
        </label>
        <label>
          Ticket id prefix (keeps ids apart from other sources)
          <input value={idPrefix} placeholder="e.g. legacy-" maxLength={50} onChange={(e) => setIdPrefix(e.target.value)} data-testid="map-id-prefix" />
        </label>
      </div>
      <h4>Value maps</h4>
      <div className="imp-mapping-grid" data-testid="value-maps">
        {VALUE_MAPPED_FIELDS.map((field) => (
          <label key={field}>
            {VALUE_FIELD_LABELS[field]} values (e.g. {VALUE_FIELD_EXAMPLES[field]})
            <input value={drafts[field]} onChange={(e) => typeMap(field, e.target.value)} disabled={!columns[field]} data-testid={`map-${field}-values`} />
          </label>
        ))}
      </div>
      <div className="imp-actions">
        <button type="button" disabled={!mapping || checking || busy} onClick={() => void check()} data-testid="map-check-values">
          {survey ? 'Check the values again' : 'Check the values'}
        </button>
        <span className="imp-muted">Reads the whole file and counts every status, priority, CSAT, channel and category value under these maps. Nothing is imported.</span>
      </div>
      {checking ? (
        <p className="imp-muted" role="status" data-testid="value-survey-checking">
          Reading every row…
        </p>
      ) : null}
      {checkError ? (
        <p className="imp-error" role="alert" data-testid="value-survey-error">
          {checkError}
        </p>
      ) : null}
      {survey && !checking ? <ValueSurveyView survey={survey} maps={maps} onMap={mapValue} /> : null}
      <div className="imp-actions">
        <button type="button" disabled={!mapping} onClick={save} data-testid="map-save">
          Save mapping
        </button>
        {saved ? <span className="imp-muted" data-testid="map-saved">Saved as {saved} (and remembered for files with this header)</span> : null}
        {!mapping ? <span className="imp-error">Choose the ticket id column.</span> : null}
      </div>
      <div className="imp-preview">
        <table data-testid="import-preview">
          <thead>
            <tr>
              {preview.headers.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, i) => (
              <tr key={i}>
                {preview.headers.map((h, j) => (
                  <td key={h}>{row[j] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function draftsOf(maps: ValueMaps): Record<ValueMappedField, string> {
  return Object.fromEntries(VALUE_MAPPED_FIELDS.map((field) => [field, formatValueMap(maps[field])])) as Record<ValueMappedField, string>;
}

function buildMapping(columns: Partial<Record<CsvMappingColumn, string>>, format: string, timezone: string, maps: ValueMaps, idPrefix: string): CsvMapping | null {
  if (!columns.id) return null;
  const picked = Object.fromEntries(Object.entries(columns).filter(([, v]) => v)) as CsvMapping['columns'];
  const mapping: CsvMapping = { columns: picked, timestamps: { timezone: timezone.trim() || 'UTC', ...(format.trim() ? { format: format.trim() } : {}) } };
  // Maps of fields not mapped to a column are left out (they would map nothing).
  const values = valuesOfMaps(Object.fromEntries(VALUE_MAPPED_FIELDS.map((field) => [field, columns[field] ? maps[field] : {}])) as ValueMaps);
  if (values) mapping.values = values;
  if (idPrefix.trim()) mapping.idPrefix = idPrefix.trim();
  return mapping;
}

function readStored(headers: string[]): CsvMapping | null {
  try {
    const raw = localStorage.getItem(`${STORAGE_KEY}:${headers.join('|')}`);
    return raw ? (JSON.parse(raw) as CsvMapping) : null;
  } catch {
    return null;
  }
}
