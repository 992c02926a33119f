// Ticket detail section: the ticket's SLA clocks and the events that started, paused and stopped them.
import { SLA_METRICS } from '../../../../shared/contracts/sla.ts';
import { formatBudgetUse } from '../../../../shared/format.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useNavigation } from '../../state/navigation.ts';
import { METRIC_LABELS, useSlaCall } from './useSlaCall.ts';
import './sla.css';

export function SlaTicketPanel({ ticketId }: { ticketId: string; ledgerVersion: number }) {
  const { value, loading, error } = useSlaCall('sla.ticket', { id: ticketId });
  const openTicket = useNavigation((s) => s.openTicket);
  if (loading && !value) return <section className="sla-panel" data-testid="sla-panel"><p className="sla-muted">Loading SLA clocks…</p></section>;
  if (error) return <section className="sla-panel" data-testid="sla-panel"><p className="sla-error">{error.message}</p></section>;
  if (!value) return null;
  const metrics = SLA_METRICS.filter((m) => value.metrics[m].clocks.length > 0);
  return (
    <section className="sla-panel" data-testid="sla-panel">
      <h4>SLA clocks</h4>
      {metrics.length === 0 ? <p className="sla-muted" data-testid="sla-panel-empty">No SLA policy applies to this ticket.</p> : null}
      {metrics.map((metric) => (
        <div key={metric} className="sla-panel-metric" data-testid={`sla-panel-${metric}`}>
          <div className={`sla-outcome is-${value.metrics[metric].outcome}`}>
            {METRIC_LABELS[metric]}: <strong>{value.metrics[metric].outcome.replace('_', ' ')}</strong>
          </div>
          {value.metrics[metric].clocks.map((c) => (
            <div key={c.instance} className="sla-clock">
              <div className="sla-muted">
                {value.metrics[metric].clocks.length > 1 ? `#${c.instance} ` : ''}
                {c.status} · {formatBudgetUse(c.elapsedMinutes, c.targetMinutes, c.business ? 'business' : 'calendar')}
                {c.business ? ` (${c.calendar} calendar)` : ''} · policy {c.policyId} v{c.policyVersion}
                {c.breachAt ? ` · breach ${formatDateTime(c.breachAt)}` : ''}
              </div>
              <ol className="sla-clock-events">
                {c.events.map((e, i) => (
                  <li key={i} className={`sla-event is-${e.kind}`}>
                    <span className="sla-event-kind">{e.kind}</span> {formatDateTime(e.at)} ·{' '}
                    {e.seq !== null ? (
                      <button type="button" className="sla-link" onClick={() => openTicket(ticketId, [e.seq!])} data-testid="sla-panel-seq">
                        #{e.seq}
                      </button>
                    ) : null}{' '}
                    {e.cause}
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}
