import type { ReactNode } from 'react';
import type { TicketRow } from '../../../shared/contract.ts';
import { formatTimestamp, humanize, RESOLVED_LABELS } from '../lib/format.ts';

export function TicketSummary({ ticket }: { ticket: TicketRow }) {
  return (
    <div className="summary" data-testid="ticket-summary">
      <h2 className="summary-subject" data-testid="ticket-subject">{ticket.subject}</h2>
      <dl className="fields">
        <Field label="ID" mono>{ticket.id}</Field>
        <Field label="Status"><span className={`pill status-${ticket.status}`}>{humanize(ticket.status)}</span></Field>
        <Field label="Priority"><span className={`prio prio-${ticket.priority}`}>{ticket.priority}</span></Field>
        <Field label="Category">{humanize(ticket.category)}</Field>
        <Field label="Channel">{humanize(ticket.channel)}</Field>
        <Field label="Requester" mono>{ticket.requester ?? '—'}</Field>
        <Field label="Resolved by"><span className={`resolved resolved-${ticket.resolvedBy}`}>{RESOLVED_LABELS[ticket.resolvedBy]}</span></Field>
        <Field label="Reopened">{ticket.reopenCount}×</Field>
        <Field label="Escalated">{ticket.escalated ? 'yes' : 'no'}</Field>
        <Field label="CSAT">{ticket.csat ?? '—'}</Field>
        <Field label="Created" mono>{formatTimestamp(ticket.createdAt)}</Field>
        <Field label="Updated" mono>{formatTimestamp(ticket.updatedAt)}</Field>
        <Field label="Events">{ticket.eventCount}</Field>
      </dl>
    </div>
  );
}

function Field({ label, mono, children }: { label: string; mono?: boolean; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined}>{children}</dd>
    </div>
  );
}
