import { TICKET_SLA_STATES } from '../../../shared/contract.ts';
import { PRIORITIES, RESOLVED_BY, TICKET_STATUSES } from '../../../shared/domain.ts';
import { humanize, RESOLVED_LABELS, SLA_STATE_LABELS } from '../lib/format.ts';
import { activeFilterCount, useFilters } from '../state/filters.ts';
import { useSession } from '../state/session.ts';
import { FilterGroup, type FilterOption } from './FilterGroup.tsx';

const toOptions = (values: readonly string[]): FilterOption[] => values.map((v) => ({ value: v, label: humanize(v) }));

const STATUS_OPTIONS = toOptions(TICKET_STATUSES);
const PRIORITY_OPTIONS = toOptions(PRIORITIES);
const RESOLVED_OPTIONS = RESOLVED_BY.map((v) => ({ value: v, label: RESOLVED_LABELS[v] }));
const SLA_OPTIONS = TICKET_SLA_STATES.map((v) => ({ value: v, label: SLA_STATE_LABELS[v] }));

export function FilterPanel() {
  const facets = useSession((s) => s.facets);
  const active = useFilters((s) => activeFilterCount(s.filter));
  const clear = useFilters((s) => s.clear);
  return (
    <aside className="filters" aria-label="Filters">
      <div className="pane-title">
        <h2 className="pane-heading">Filters</h2>
        <button type="button" className="link-button" onClick={clear} disabled={active === 0} data-testid="filters-clear">
          Clear{active > 0 ? ` (${active})` : ''}
        </button>
      </div>
      <div className="filters-scroll">
        <FilterGroup title="Status" filterKey="status" testIdPrefix="filter-status" options={STATUS_OPTIONS} />
        <FilterGroup title="SLA state" filterKey="slaState" testIdPrefix="filter-sla" options={SLA_OPTIONS} />
        <FilterGroup title="Resolved by" filterKey="resolvedBy" testIdPrefix="filter-resolved" options={RESOLVED_OPTIONS} />
        <FilterGroup title="Priority" filterKey="priority" testIdPrefix="filter-priority" options={PRIORITY_OPTIONS} />
        <FilterGroup title="Category" filterKey="category" testIdPrefix="filter-category" options={toOptions(facets.categories)} />
        <FilterGroup title="Channel" filterKey="channel" testIdPrefix="filter-channel" options={toOptions(facets.channels)} />
      </div>
    </aside>
  );
}
