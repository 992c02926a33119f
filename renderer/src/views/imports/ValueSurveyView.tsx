// Every value of the file's status, priority, CSAT, channel and category columns with its row count and what it
// becomes — counted by the core before anything is imported — and a control to map each one.
import { VALUE_MAPPED_FIELDS, type ImportValueSurvey, type SurveyedValue, type ValueMappedField } from '../../../../shared/contracts/importers.ts';
import { PRIORITIES, TICKET_STATUSES } from '../../../../shared/domain.ts';
import { formatCount } from '../../../../shared/format.ts';
import { mappedTarget, VALUE_FIELD_LABELS, type ValueMaps } from './value-maps.ts';

const CHOICES: Partial<Record<ValueMappedField, readonly string[]>> = {
  status: TICKET_STATUSES,
  priority: PRIORITIES,
  csat: ['1', '2', '3', '4', '5'],
};

const STATE_WORDS: Record<SurveyedValue['state'], string> = {
  mapped: 'mapped',
  recognized: 'recognized',
  unmapped: 'not understood',
  kept: 'kept as written',
};

interface Props {
  survey: ImportValueSurvey;
  maps: ValueMaps;
  /** Set (or with null clear) the target of one value. */
  onMap(field: ValueMappedField, value: string, target: string | null): void;
}

/** Rows still unmapped under the maps as edited now (the survey counted them under the maps it was run with). */
function stillUnmapped(values: readonly SurveyedValue[], map: Record<string, string>): { rows: number; values: number } {
  let rows = 0;
  let count = 0;
  for (const v of values) {
    if (v.state === 'unmapped' && mappedTarget(map, v.value) === undefined) {
      rows += v.count;
      count++;
    }
  }
  return { rows, values: count };
}

export function ValueSurveyView({ survey, maps, onMap }: Props) {
  const fields = VALUE_MAPPED_FIELDS.filter((field) => survey.fields[field] !== undefined);
  return (
    <div className="imp-survey" data-testid="value-survey">
      <p className="imp-muted">
        {formatCount(survey.rows)} rows of {survey.file} read; nothing was imported. Values the importer does not understand become anomalies on
        every row that holds them — map them here.
      </p>
      {fields.length === 0 ? <p className="imp-muted">No status, priority, CSAT, channel or category column is mapped.</p> : null}
      {fields.map((field) => {
        const result = survey.fields[field]!;
        const open = stillUnmapped(result.values, maps[field]);
        return (
          <section key={field} className="imp-survey-field" data-testid="value-field" data-field={field}>
            <h4>
              {VALUE_FIELD_LABELS[field]} <span className="imp-muted">(column “{result.column}”, {formatCount(result.rows)} rows with a value)</span>
            </h4>
            <p className={open.rows > 0 ? 'imp-warning' : 'imp-muted'} data-testid="value-field-unmapped">
              {open.rows > 0
                ? `${formatCount(open.values)} value${open.values === 1 ? '' : 's'} not understood on ${formatCount(open.rows)} row${open.rows === 1 ? '' : 's'}: each becomes an anomaly unless mapped`
                : 'Every value is understood'}
            </p>
            <table className="imp-anomalies">
              <caption className="imp-sr-only">Values of {VALUE_FIELD_LABELS[field]}</caption>
              <thead>
                <tr>
                  <th scope="col">Value in the file</th>
                  <th scope="col">Rows</th>
                  <th scope="col">As checked</th>
                  <th scope="col">Becomes</th>
                </tr>
              </thead>
              <tbody>
                {result.values.map((v) => (
                  <ValueRow key={v.value} field={field} value={v} target={mappedTarget(maps[field], v.value) ?? null} onMap={onMap} />
                ))}
              </tbody>
            </table>
            {result.distinctOmitted > 0 ? (
              <p className="imp-muted">… and {formatCount(result.distinctOmitted)} more distinct values (counted in the rows, not listed).</p>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}

function ValueRow({ field, value, target, onMap }: { field: ValueMappedField; value: SurveyedValue; target: string | null; onMap: Props['onMap'] }) {
  const choices = CHOICES[field];
  const label = `${VALUE_FIELD_LABELS[field]} value “${value.value}” becomes`;
  const fallback = value.state === 'unmapped' ? `not understood (${value.becomes === null ? 'not recorded' : `recorded as ${value.becomes}`}, flagged)` : `as checked: ${String(value.becomes)}`;
  return (
    <tr data-testid="value-row" data-field={field} data-value={value.value} data-state={value.state}>
      <td>
        <code>{value.value}</code>
      </td>
      <td data-testid="value-count">{formatCount(value.count)}</td>
      <td>
        <span className={`imp-state imp-state-${value.state}`}>{STATE_WORDS[value.state]}</span>
        {value.known === false ? <span className="imp-muted"> · new to the ledger</span> : null}
      </td>
      <td>
        {choices ? (
          <select aria-label={label} value={target ?? ''} onChange={(e) => onMap(field, value.value, e.target.value || null)} data-testid="value-target">
            <option value="">{fallback}</option>
            {choices.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        ) : (
          <input aria-label={label} value={target ?? ''} placeholder={String(value.becomes ?? '')} onChange={(e) => onMap(field, value.value, e.target.value === '' ? null : e.target.value)} data-testid="value-target" />
        )}
      </td>
    </tr>
  );
}
