// The tickets behind one figure, every one of them page by page, and the whole list as CSV: each opens its timeline
// with the SLA events' ledger seqs highlighted.
import { useState } from 'react';
import type { SlaGrouping, SlaMetricKey } from '../../../../shared/contracts/sla.ts';
import { formatCount } from '../../../../shared/format.ts';
import { downloadFile } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useNavigation } from '../../state/navigation.ts';
import { callApi, METRIC_LABELS, useSlaCall } from './useSlaCall.ts';

export interface DrillDown {
  metric: SlaMetricKey;
  outcome: 'achieved' | 'breached' | 'in_progress';
  by?: SlaGrouping;
  group?: string;
}

export const SLA_PAGE_SIZE = 100;

export function SlaTicketList({ from, to, drill, onClose }: { from: string; to: string; drill: DrillDown; onClose(): void }) {
  // A new figure starts on its first page.
  return <SlaTicketPages key={JSON.stringify([from, to, drill])} from={from} to={to} drill={drill} onClose={onClose} />;
}

function SlaTicketPages({ from, to, drill, onClose }: { from: string; to: string; drill: DrillDown; onClose(): void }) {
  const [offset, setOffset] = useState(0);
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const { value: page, loading, error } = useSlaCall('sla.tickets', { from, to, ...drill, offset, limit: SLA_PAGE_SIZE });
  const openTicket = useNavigation((s) => s.openTicket);
  const last = page ? Math.min(offset + page.rows.length, page.total) : 0;
  const exportCsv = async (): Promise<void> => {
    setExporting(true);
    const result = await callApi('sla.ticketsExport', { from, to, ...drill });
    setExporting(false);
    if (!result.ok) return setExportError(result.error.message);
    setExportError(null);
    downloadFile(result.value.fileName, result.value.mimeType, result.value.encoding, result.value.data);
  };
  return (
    <section className="sla-card sla-drill" data-testid="sla-drilldown" aria-busy={loading}>
      <header className="sla-card-head">
        <h3>
          {METRIC_LABELS[drill.metric]} · {drill.outcome.replace('_', ' ')}
          {drill.group !== undefined ? ` · ${drill.by} ${drill.group}` : ''}
          {page ? ` (${formatCount(page.total)} tickets)` : ''}
        </h3>
        <button type="button" className="button" data-testid="sla-drilldown-export" disabled={exporting || !page || page.total === 0} onClick={() => void exportCsv()}>
          Export CSV
        </button>
        <button type="button" className="button" onClick={onClose} data-testid="sla-drilldown-close">
          Close
        </button>
      </header>
      {exportError ? <p className="sla-error">{exportError}</p> : null}
      {loading ? <p className="sla-muted">Loading tickets…</p> : null}
      {error ? <p className="sla-error">{error.message}</p> : null}
      {page && page.rows.length === 0 ? <p className="sla-muted">No tickets.</p> : null}
      {/* While another page loads, the previous one is not shown under the new page's numbers. */}
      <ul className="sla-ticket-list" hidden={loading}>
        {page?.rows.map((row) => (
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
      {page && page.total > SLA_PAGE_SIZE ? (
        <nav className="sla-drill-pager" aria-label="Pages of tickets">
          <button type="button" className="button" data-testid="sla-drilldown-prev" disabled={offset === 0 || loading} onClick={() => setOffset(Math.max(0, offset - SLA_PAGE_SIZE))}>
            Previous
          </button>
          <span data-testid="sla-drilldown-range" aria-live="polite">
            {loading ? '…' : `${formatCount(offset + 1)}–${formatCount(last)} of ${formatCount(page.total)}`}
          </span>
          <button type="button" className="button" data-testid="sla-drilldown-next" disabled={last >= page.total || loading} onClick={() => setOffset(offset + SLA_PAGE_SIZE)}>
            Next
          </button>
        </nav>
      ) : null}
    </section>
  );
}
