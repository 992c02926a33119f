// The tickets behind one figure: each opens its timeline with the SLA events' ledger seqs highlighted.
import type { SlaGrouping, SlaMetricKey } from '../../../../shared/contracts/sla.ts';
import { formatCount } from '../../../../shared/format.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useNavigation } from '../../state/navigation.ts';
import { METRIC_LABELS, useSlaCall } from './useSlaCall.ts';

export interface DrillDown {
  metric: SlaMetricKey;
  outcome: 'achieved' | 'breached' | 'in_progress';
  by?: SlaGrouping;
  group?: string;
}

export function SlaTicketList({ from, to, drill, onClose }: { from: string; to: string; drill: DrillDown; onClose(): void }) {
  const { value, loading, error } = useSlaCall('sla.tickets', { from, to, ...drill, limit: 200 });
  const openTicket = useNavigation((s) => s.openTicket);
  return (
    <section className="sla-card sla-drill" data-testid="sla-drilldown">
      <header className="sla-card-head">
        <h3>
          {METRIC_LABELS[drill.metric]} · {drill.outcome.replace('_', ' ')}
          {drill.group !== undefined ? ` · ${drill.by} ${drill.group}` : ''}
          {value ? ` (${formatCount(value.total)} tickets${value.total > value.rows.length ? `, first ${formatCount(value.rows.length)}` : ''})` : ''}
        </h3>
        <button type="button" className="button" onClick={onClose} data-testid="sla-drilldown-close">
          Close
        </button>
      </header>
      {loading && !value ? <p className="sla-muted">Loading tickets…</p> : null}
      {error ? <p className="sla-error">{error.message}</p> : null}
      {value && value.rows.length === 0 ? <p className="sla-muted">No tickets.</p> : null}
      <ul className="sla-ticket-list">
        {value?.rows.map((row) => (
          <li key={row.ticket}>
            <button type="button" className="sla-link" data-testid="sla-drilldown-ticket" onClick={() => openTicket(row.ticket, row.evidenceSeqs)}>
              {row.ticket}
            </button>
            <span className="sla-subject">{row.subject}</span>
            <span className="sla-muted">
              {row.priority} · {row.category} · {row.actor} · {formatDateTime(row.createdAt)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
