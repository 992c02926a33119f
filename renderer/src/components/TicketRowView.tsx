import { memo } from 'react';
import type { TicketRow } from '../../../shared/contract.ts';
import { formatDateTime, humanize, RESOLVED_LABELS } from '../lib/format.ts';
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
      <div className="qgrid qrow qrow-placeholder" style={style} role="row" aria-rowindex={index + 1} data-testid="ticket-row-placeholder">
        <span className="skeleton" />
      </div>
    );
  }
  return (
    <div
      className={`qgrid qrow ${selected ? 'is-selected' : ''} ${index % 2 ? 'is-odd' : ''}`}
      style={style}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-testid="ticket-row"
      data-ticket-id={row.id}
      data-status={row.status}
      data-priority={row.priority}
      data-category={row.category}
      data-channel={row.channel}
      data-resolved-by={row.resolvedBy}
      onClick={() => onSelect(row.id)}
    >
      <span className="mono cell-id" data-col="id">{row.id}</span>
      <span className="cell-subject" data-col="subject" title={row.subject}>{row.subject}</span>
      <span data-col="status"><span className={`pill status-${row.status}`}>{humanize(row.status)}</span></span>
      <span data-col="priority" className={`prio prio-${row.priority}`}>{row.priority}</span>
      <span data-col="category" title={row.category}>{humanize(row.category)}</span>
      <span data-col="channel">{humanize(row.channel)}</span>
      <span data-col="resolved-by" className={`resolved resolved-${row.resolvedBy}`}>{RESOLVED_LABELS[row.resolvedBy]}</span>
      <span data-col="created" className="mono muted" title={row.createdAt}>{formatDateTime(row.createdAt)}</span>
      <OutcomeCell row={row} />
    </div>
  );
});
