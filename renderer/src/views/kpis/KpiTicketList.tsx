// The tickets behind the figure that was clicked: its whole denominator, page by page, each ticket marked whether it
// counts in the numerator and why (or why not), the tickets import flags leave out listed apart, and the whole list
// as CSV. Each ticket opens its ledger timeline with the deciding events highlighted.
import { useEffect, useRef, useState } from 'react';
import { DRILL_KPIS, KPI_FRACTIONS, type DrillKpi, type DrillShow, type KpiDrillPage } from '../../../../shared/contracts/kpis.ts';
import { formatCount, formatPercent } from '../../../../shared/format.ts';
import { downloadFile } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useNavigation } from '../../state/navigation.ts';
import { useKpiState, type Drill } from './kpi-state.ts';
import { callApi, useKpiCall } from './useKpiCall.ts';

export const DRILL_PAGE_SIZE = 50;

const SHOW_LABELS: Record<DrillShow, string> = { all: 'All', counted: 'In the numerator', not_counted: 'Not in the numerator', excluded: 'Excluded (import flags)' };

function showCount(page: KpiDrillPage, show: DrillShow): number {
  if (show === 'all') return page.denominator;
  if (show === 'counted') return page.numerator;
  if (show === 'not_counted') return page.denominator - page.numerator;
  return page.excluded;
}

export function KpiTicketList() {
  const drill = useKpiState((s) => s.drill);
  if (!drill) return null;
  // A new figure starts on its first page with every ticket shown.
  return <DrillPanel key={JSON.stringify(drill)} drill={drill} />;
}

function DrillPanel({ drill }: { drill: Drill }) {
  const { from: viewFrom, to: viewTo, openDrill, includeFlagged: overviewIncludesFlagged } = useKpiState();
  const includeFlagged = drill.includeFlagged ?? overviewIncludesFlagged;
  const from = drill.from ?? viewFrom;
  const to = drill.to ?? viewTo;
  const [show, setShow] = useState<DrillShow>('all');
  const [offset, setOffset] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const selection = { from, to, category: drill.category, kpi: drill.kpi, includeFlagged, ...(drill.actor ? { actor: drill.actor } : {}) };
  const page = useKpiCall('kpis.drill', { ...selection, show, offset, limit: DRILL_PAGE_SIZE });
  // Only the page asked for: a previous page's rows are never shown under the new choice while it loads.
  const p = page.value && page.value.show === show && page.value.offset === offset ? page.value : null;

  // Opening a figure's tickets takes the reader there (the list may be below the charts).
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'nearest' });
    heading.current?.focus({ preventScroll: true });
  }, []);

  const choose = (next: DrillShow): void => {
    setShow(next);
    setOffset(0);
  };
  const exportCsv = async (): Promise<void> => {
    setExporting(true);
    const result = await callApi('kpis.drillExport', selection);
    setExporting(false);
    if (!result.ok) return setExportError(result.error.message);
    setExportError(null);
    downloadFile(result.value.fileName, result.value.mimeType, result.value.encoding, result.value.data);
  };
  const switchKpi = (kpi: DrillKpi): void => openDrill({ ...drill, kpi, label: drill.from ? `${KPI_FRACTIONS[kpi].label}, week of ${drill.from}` : KPI_FRACTIONS[kpi].label });

  const last = p ? Math.min(p.offset + p.rows.length, p.total) : 0;
  return (
    <section className="kpis-drill" data-testid="kpis-drill" aria-labelledby="kpis-drill-heading" aria-busy={page.loading || p === null}>
      <header className="kpis-drill-head">
        <h3 id="kpis-drill-heading" ref={heading} tabIndex={-1} data-testid="kpis-drill-heading">
          {drill.label}
        </h3>
        <span className="muted small" data-testid="kpis-drill-period">
          tickets created {from} – {to}
          {drill.category.length ? ` · ${drill.category.join(', ')}` : ''}
        </span>
        <label className="small">
          Figure{' '}
          <select data-testid="kpis-drill-kpi" value={drill.kpi} onChange={(e) => switchKpi(e.target.value as DrillKpi)}>
            {DRILL_KPIS.map((kpi) => (
              <option key={kpi} value={kpi}>
                {KPI_FRACTIONS[kpi].label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button-small" data-testid="kpis-drill-export" disabled={exporting} onClick={() => void exportCsv()}>
          Export CSV (all {p ? formatCount(p.denominator + p.excluded) : ''} tickets)
        </button>
        <button type="button" className="link-button" data-testid="kpis-drill-close" onClick={() => openDrill(null)}>
          Close
        </button>
      </header>
      {exportError ? <p className="kpis-error">{exportError}</p> : null}
      {page.error ? <p className="kpis-error">{page.error.message}</p> : null}
      {p ? (
        <>
          <p className="kpis-drill-fraction" data-testid="kpis-drill-fraction">
            <strong data-testid="kpis-drill-numerator">{formatCount(p.numerator)}</strong> of{' '}
            <strong data-testid="kpis-drill-denominator">{formatCount(p.denominator)}</strong> {p.populationLabel} {p.kpi === 'tickets' ? '' : `${p.memberLabel}`}
            {p.kpi === 'tickets' || p.kpi === 'verified' ? '' : ` (${formatPercent(p.denominator > 0 ? p.numerator / p.denominator : null)})`}
            {p.kpi === 'aht' && p.ahtSource === 'agent_work' ? ' — no worklogs in this selection: agent work time (first to last human action) is used' : ''}
            {p.excluded > 0 ? (
              <span data-testid="kpis-drill-excluded">
                {' '}
                — {formatCount(p.excluded)} more {p.excluded === 1 ? 'ticket' : 'tickets'} flagged on import left out, as the figure leaves {p.excluded === 1 ? 'it' : 'them'} out
              </span>
            ) : null}
            {includeFlagged ? ' — import-flagged tickets counted, as the figure counts them' : ''}
          </p>
          <div className="kpis-drill-show" role="group" aria-label="Which tickets to list">
            {(['all', 'counted', 'not_counted', 'excluded'] as const)
              .filter((option) => option !== 'excluded' || p.excluded > 0)
              .map((option) => (
                <button
                  key={option}
                  type="button"
                  className={show === option ? 'kpis-tab active' : 'kpis-tab'}
                  aria-pressed={show === option}
                  data-testid={`kpis-drill-show-${option}`}
                  onClick={() => choose(option)}
                >
                  {SHOW_LABELS[option]} ({formatCount(showCount(p, option))})
                </button>
              ))}
          </div>
          {p.total === 0 ? (
            <p className="empty">No tickets here.</p>
          ) : (
            <table className="kpis-table kpis-drill-table" data-testid="kpis-drill-table">
              <caption className="visually-hidden">
                {drill.label}: {SHOW_LABELS[show]}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Counts?</th>
                  <th scope="col">Ticket</th>
                  <th scope="col">Created</th>
                  <th scope="col">Category · channel · actor</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {p.rows.map((row) => (
                  <tr key={row.id} data-testid="kpis-drill-row" data-ticket={row.id} data-counts={row.counts ? 'yes' : 'no'} data-excluded={row.excluded ? 'yes' : 'no'}>
                    <td className={row.counts ? 'kpis-drill-in' : 'kpis-drill-out'}>{row.excluded ? 'excluded' : row.counts ? '✓ counts' : '✗ does not count'}</td>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        data-testid="kpis-drill-ticket"
                        onClick={() => useNavigation.getState().openTicket(row.id, row.evidence)}
                        title={`Open ${row.id}'s timeline (${row.evidence.length} deciding events highlighted)`}
                      >
                        <span className="mono">{row.id}</span>
                      </button>
                      <div className="kpis-drill-subject">{row.subject}</div>
                    </td>
                    <td className="nowrap">{formatDateTime(row.createdAt)}</td>
                    <td>
                      {row.category} · {row.channel} · {row.actor}
                    </td>
                    <td data-testid="kpis-drill-why">{row.why}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {p.total > 0 ? (
            <nav className="kpis-drill-pager" aria-label="Pages of tickets">
              <button type="button" className="button button-small" data-testid="kpis-drill-prev" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - DRILL_PAGE_SIZE))}>
                Previous
              </button>
              <span data-testid="kpis-drill-range" aria-live="polite">
                {formatCount(p.offset + 1)}–{formatCount(last)} of {formatCount(p.total)} (counted first, then newest first)
              </span>
              <button type="button" className="button button-small" data-testid="kpis-drill-next" disabled={last >= p.total} onClick={() => setOffset(offset + DRILL_PAGE_SIZE)}>
                Next
              </button>
            </nav>
          ) : null}
        </>
      ) : page.error ? null : (
        <p className="muted small">Loading tickets…</p>
      )}
    </section>
  );
}
