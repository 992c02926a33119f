// The data-quality report of one import: counts, KPI exclusions, and the anomalies grouped by kind (most
// frequent first), each group opened on demand and paged, all of them exportable as CSV.
import { useState } from 'react';
import { anomalyLabel, IMPORT_KPI_SPOILS, type ImportAnomaly, type ImportFileReport, type ImportKpi } from '../../../../shared/contracts/importers.ts';
import { KPI_DEFINITIONS } from '../../../../shared/contracts/kpis.ts';
import { formatCount } from '../../../../shared/format.ts';
import { getApi } from '../../api/index.ts';
import { useNavigation } from '../../state/navigation.ts';
import { downloadFile } from '../../lib/download.ts';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';

/** Rows of a group shown per page. */
export const ANOMALY_PAGE = 50;
/** Groups this small start open; larger ones are opened on demand. */
const OPEN_UP_TO = 20;

interface AnomalyGroup {
  kind: ImportAnomaly['kind'];
  /** Every anomaly of the kind in the file (listed or not). */
  count: number;
  listed: ImportAnomaly[];
}

function groupsOf(report: ImportFileReport): AnomalyGroup[] {
  const listed = new Map<string, ImportAnomaly[]>();
  for (const a of report.anomalies) {
    const rows = listed.get(a.kind);
    if (rows) rows.push(a);
    else listed.set(a.kind, [a]);
  }
  return (Object.entries(report.anomalyCounts) as [ImportAnomaly['kind'], number][])
    .map(([kind, count]) => ({ kind, count, listed: listed.get(kind) ?? [] }))
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
}

/** The overview KPIs a group's flags leave its tickets out of (IMPORT_KPI_SPOILS), in the overview's words. */
function overviewKpis(excludes: readonly ImportKpi[]): string {
  const ids = new Set(excludes.flatMap((kpi) => IMPORT_KPI_SPOILS[kpi].kpis));
  return KPI_DEFINITIONS.filter((d) => ids.has(d.id))
    .map((d) => (d.id === 'aht' ? 'AHT (agent work)' : d.label))
    .join(', ');
}

export function ImportReportView({ report, runId }: { report: ImportFileReport; runId: string }) {
  const exclusions = Object.entries(report.kpiExclusions);
  const groups = groupsOf(report);
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  const [exportError, setExportError] = useState<string | null>(null);
  const exportPermission = useMayDo('imports.anomaliesCsv');

  const exportCsv = async (): Promise<void> => {
    setExportError(null);
    const res = await getApi()['imports.anomaliesCsv']({ runId });
    if (!res.ok) return setExportError(res.error.message);
    downloadFile(res.value.fileName, res.value.mimeType, 'utf8', res.value.data);
  };

  return (
    <section className="imp-card" data-testid="import-report" aria-labelledby="import-report-title">
      <h3 id="import-report-title">Data-quality report: {report.file}</h3>
      <dl className="imp-counts">
        <div><dt>Rows read</dt><dd data-testid="report-rows">{report.rows}</dd></div>
        <div><dt>Tickets imported</dt><dd data-testid="report-imported">{report.imported}</dd></div>
        <div><dt>Updated</dt><dd data-testid="report-updated">{report.updated}</dd></div>
        <div><dt>Duplicates skipped</dt><dd data-testid="report-duplicates">{report.duplicates}</dd></div>
        <div><dt>Skipped (no time)</dt><dd>{report.skipped}</dd></div>
        <div><dt>Partial history</dt><dd>{report.partialHistory}</dd></div>
        <div><dt>Events added</dt><dd data-testid="report-events">{report.events}</dd></div>
        <div><dt>Anomalies</dt><dd data-testid="report-anomaly-total">{formatCount(total)}</dd></div>
      </dl>
      <p className="imp-muted">
        SHA-256 <code data-testid="report-sha">{report.sha256}</code>
        {report.importSeq !== null ? ` · recorded as ledger event #${report.importSeq} (events #${report.firstSeq}–#${report.lastSeq})` : ' · nothing new: the ledger is unchanged'}
      </p>
      {exclusions.length > 0 ? (
        <p data-testid="report-exclusions">Excluded from KPIs: {exclusions.map(([kpi, n]) => `${kpi.replace(/_/g, ' ')} ${n} ticket${n === 1 ? '' : 's'}`).join(' · ')}</p>
      ) : null}
      {groups.length === 0 ? (
        <p className="imp-muted" data-testid="report-no-anomalies">No anomalies.</p>
      ) : (
        <>
          <div className="imp-actions">
            <button type="button" {...exportPermission.control} onClick={() => void exportCsv()} data-testid="report-export-csv">
              Export anomalies (CSV)
            </button>
            <RefusalNote permission={exportPermission} />
            {report.anomaliesOmitted > 0 ? (
              <span className="imp-muted">
                The first {formatCount(report.anomalies.length)} anomalies are listed and exported; {formatCount(report.anomaliesOmitted)} more are counted in their groups.
              </span>
            ) : null}
            {exportError ? <span className="imp-error" role="alert">{exportError}</span> : null}
          </div>
          <div className="imp-groups" data-testid="report-anomaly-groups">
            {groups.map((group) => (
              <AnomalyGroupView key={group.kind} group={group} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}

function AnomalyGroupView({ group }: { group: AnomalyGroup }) {
  const openTicket = useNavigation((s) => s.openTicket);
  const [open, setOpen] = useState(group.count <= OPEN_UP_TO);
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(group.listed.length / ANOMALY_PAGE));
  const rows = group.listed.slice(page * ANOMALY_PAGE, (page + 1) * ANOMALY_PAGE);
  const excludes = group.listed[0]?.excludes ?? [];
  const bodyId = `anomaly-group-${group.kind}`;
  return (
    <div className="imp-group" data-testid="anomaly-group" data-kind={group.kind}>
      <button type="button" className="imp-group-head" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)} data-testid="anomaly-group-toggle">
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {anomalyLabel(group.kind)} · <span data-testid="anomaly-group-count">{formatCount(group.count)}</span>
        {excludes.length > 0 ? <span className="imp-muted"> · left out of the KPIs {overviewKpis(excludes)}</span> : null}
      </button>
      {open ? (
        <div id={bodyId}>
          <table className="imp-anomalies" data-testid="report-anomalies">
            <caption className="imp-sr-only">{anomalyLabel(group.kind)}</caption>
            <thead>
              <tr><th scope="col">Line</th><th scope="col">Ticket</th><th scope="col">Detail</th><th scope="col">Excluded from</th></tr>
            </thead>
            <tbody>
              {rows.map((a, i) => (
                <tr key={`${a.row}-${i}`} data-testid="report-anomaly">
                  <td>{a.row}</td>
                  <td>{a.kind === 'no_time_known' ? a.ticket : <button type="button" className="imp-link" onClick={() => openTicket(a.ticket)}>{a.ticket}</button>}</td>
                  <td>{a.detail ?? ''}</td>
                  <td>{a.excludes.join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages > 1 ? (
            <div className="imp-actions" data-testid="anomaly-pager">
              <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)} data-testid="anomaly-prev">
                Previous
              </button>
              <span data-testid="anomaly-page">
                Rows {formatCount(page * ANOMALY_PAGE + 1)}–{formatCount(page * ANOMALY_PAGE + rows.length)} of {formatCount(group.listed.length)}
              </span>
              <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} data-testid="anomaly-next">
                Next
              </button>
            </div>
          ) : null}
          {group.count > group.listed.length ? (
            <p className="imp-muted">{formatCount(group.count - group.listed.length)} more of this kind are counted, not listed.</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
