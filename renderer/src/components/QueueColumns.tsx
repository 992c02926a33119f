// The queue's header row: a column header per column, each sortable one a button that sorts the whole queue on the
// server (every page follows the order) and says its state with aria-sort.
import type { TicketSortKey } from '../../../shared/contract.ts';
import { userTimeZone } from '../lib/format.ts';
import { useFilters } from '../state/filters.ts';

interface Column {
  label: string;
  /** Tooltip / longer name. */
  title?: string;
  sort?: TicketSortKey;
}

/** In the order of TicketRowView's cells. */
function columns(): Column[] {
  return [
    { label: 'ID', sort: 'id' },
    { label: 'Subject', sort: 'subject' },
    { label: 'Status', sort: 'status', title: 'Status (sorts new → closed)' },
    { label: 'Priority', sort: 'priority', title: 'Priority (sorts low → urgent)' },
    { label: 'SLA', sort: 'sla', title: 'SLA state as of now (sorts breached → in progress → achieved → no SLA)' },
    { label: 'Category', sort: 'category' },
    { label: 'Channel', sort: 'channel' },
    { label: 'Resolved', sort: 'resolvedBy', title: 'Resolved by' },
    { label: `Created (${userTimeZone()})`, sort: 'created', title: `Created, on your clock (${userTimeZone()})` },
    { label: 'Outcome', title: 'Reopens · escalated · CSAT' },
  ];
}

export function QueueColumns() {
  const sort = useFilters((s) => s.sort);
  const sortBy = useFilters((s) => s.sortBy);
  return (
    <div role="rowgroup">
      <div className="qgrid queue-head" role="row" aria-rowindex={1}>
        {columns().map((column) => {
          const sorted = column.sort !== undefined && sort.by === column.sort;
          const ariaSort = sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : column.sort ? 'none' : undefined;
          return (
            <span key={column.label} role="columnheader" aria-sort={ariaSort} title={column.title} data-testid={column.sort ? `sort-header-${column.sort}` : undefined}>
              {column.sort ? (
                <button type="button" className="sort-button" onClick={() => sortBy(column.sort!)} data-testid={`sort-${column.sort}`}>
                  {column.label}
                  <span className="sort-mark" aria-hidden="true">{sorted ? (sort.direction === 'asc' ? '▲' : '▼') : ''}</span>
                </button>
              ) : (
                column.label
              )}
            </span>
          );
        })}
      </div>
    </div>
  );
}
