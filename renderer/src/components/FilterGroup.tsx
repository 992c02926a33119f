import type { ListFilterKey } from '../state/filters.ts';
import { useFilters } from '../state/filters.ts';

export interface FilterOption {
  value: string;
  label: string;
}

interface Props {
  title: string;
  filterKey: ListFilterKey;
  /** data-testid prefix, e.g. `filter-status` → `filter-status-open` */
  testIdPrefix: string;
  options: FilterOption[];
}

export function FilterGroup({ title, filterKey, testIdPrefix, options }: Props) {
  const selected = useFilters((s) => (s.filter[filterKey] ?? []) as string[]);
  const toggle = useFilters((s) => s.toggle);
  return (
    <fieldset className="filter-group">
      <legend>
        {title}
        {selected.length > 0 && (
          <span className="count-pill">
            <span aria-hidden="true">{selected.length}</span>
            <span className="visually-hidden">, {selected.length} selected</span>
          </span>
        )}
      </legend>
      {options.length === 0 && <div className="muted small">None in this ledger</div>}
      {options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="checkbox"
            data-testid={`${testIdPrefix}-${o.value}`}
            checked={selected.includes(o.value)}
            onChange={() => toggle(filterKey, o.value)}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
