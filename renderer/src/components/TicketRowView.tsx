import { memo } from 'react';
import type { TicketRow } from '../../../shared/contract.ts';
import { formatDateTime, humanize, RESOLVED_LABELS, SLA_STATE_LABELS } from '../lib/format.ts';
import { OutcomeCell } from './OutcomeCell.tsx';

interface Props {
  index: number;
  top: number;
  row: TicketRow | undefined;
  selected: boolean;
  onSelect(id: string): void;
}

export const TicketRowView = memo(function TicketRowView({ index, top, row, selected, onSelect }: Props) {
  const style = { transform: `translateY(${top}px)` };
  if (!row) {
    return (
      <div className="qgrid qrow qrow-placeholder" style={style} role="row" aria-rowindex={index + 2} data-testid="ticket-row-placeholder">
        <span className="skeleton" role="gridcell" aria-label="Loading ticket" />
      </div>
    );
  }
  return (
    <div
      className={`qgrid qrow ${selected ? 'is-selected' : ''} ${index % 2 ? 'is-odd' : ''}`}
      style={style}
      role="row"
      // Row 1 is the header row.
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid="ticket-row"
      data-ticket-id={row.id}
      data-status={row.status}
      data-priority={row.priority}
      data-category={row.category}
      data-channel={row.channel}
      data-resolved-by={row.resolvedBy}
      data-sla-state={row.slaState}
      onClick={() => onSelect(row.id)}
    >
      <span role="gridcell" className="mono cell-id" data-col="id">{row.id}</span>
      <span role="gridcell" className="cell-subject" data-col="subject" title={row.subject}>{row.subject}</span>
      <span role="gridcell" data-col="status"><span className={`pill status-${row.status}`}>{humanize(row.status)}</span></span>
      <span role="gridcell" data-col="priority" className={`prio prio-${row.priority}`}>{row.priority}</span>
      <span role="gridcell" data-col="sla"><span className={`pill sla-${row.slaState}`}>{SLA_STATE_LABELS[row.slaState]}</span></span>
      <span role="gridcell" data-col="category" title={row.category}>{humanize(row.category)}</span>
      <span role="gridcell" data-col="channel">{humanize(row.channel)}</span>
      <span role="gridcell" data-col="resolved-by" className={`resolved resolved-${row.resolvedBy}`}>{RESOLVED_LABELS[row.resolvedBy]}</span>
      <span role="gridcell" data-col="created" className="mono muted" title={`${formatDateTime(row.createdAt)} (${row.createdAt})`}>
        {formatDateTime(row.createdAt, { zone: false })}
      </span>
      <OutcomeCell row={row} />
    </div>
  );
});
