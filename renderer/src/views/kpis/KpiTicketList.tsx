// The tickets behind the figure that was clicked; each opens its ledger timeline with the evidence highlighted.
import { useNavigation } from '../../state/navigation.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useKpiState } from './kpi-state.ts';
import { useKpiCall } from './useKpiCall.ts';

export function KpiTicketList() {
  const { from, to, drill, openDrill, includeFlagged } = useKpiState();
  const page = useKpiCall('kpis.tickets', drill ? { from, to, category: drill.category, drill: drill.drill, actor: drill.actor, limit: 100, includeFlagged } : null);
  if (!drill) return null;
  return (
    <aside className="kpis-drill" data-testid="kpis-drill">
      <header>
        <strong>{drill.label}</strong>
        <span className="muted small"> — {page.value ? `${page.value.total.toLocaleString('en-US')} tickets` : 'loading…'}</span>
        <button type="button" className="link-button" onClick={() => openDrill(null)}>
          close
        </button>
      </header>
      {page.value && page.value.total === 0 ? <p className="empty">No tickets behind this figure.</p> : null}
      <ul>
        {(page.value?.rows ?? []).map((row) => (
          <li key={row.id}>
            <button
              type="button"
              className="kpis-drill-row"
              data-testid="kpis-drill-ticket"
              onClick={() => useNavigation.getState().openTicket(row.id, row.evidence)}
              title={`Open ${row.id}'s timeline (${row.evidence.length} evidence events highlighted)`}
            >
              <span className="mono">{row.id}</span>
              <span className="kpis-drill-subject">{row.subject}</span>
              <span className="muted small">
                {row.category} · {row.channel} · {row.actor} · {formatDateTime(row.createdAt)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {page.value && page.value.total > page.value.rows.length ? <p className="muted small">First {page.value.rows.length} shown (newest first).</p> : null}
    </aside>
  );
}
