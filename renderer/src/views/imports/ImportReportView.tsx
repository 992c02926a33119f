// The data-quality report of one import: counts, KPI exclusions, and every anomaly by row.
import type { ImportFileReport } from '../../../../shared/contracts/importers.ts';
import { useNavigation } from '../../state/navigation.ts';

export function ImportReportView({ report }: { report: ImportFileReport }) {
  const openTicket = useNavigation((s) => s.openTicket);
  const exclusions = Object.entries(report.kpiExclusions);
  return (
    <section className="imp-card" data-testid="import-report">
      <h3>Data-quality report: {report.file}</h3>
      <dl className="imp-counts">
        <div><dt>Rows read</dt><dd data-testid="report-rows">{report.rows}</dd></div>
        <div><dt>Tickets imported</dt><dd data-testid="report-imported">{report.imported}</dd></div>
        <div><dt>Updated</dt><dd data-testid="report-updated">{report.updated}</dd></div>
        <div><dt>Duplicates skipped</dt><dd data-testid="report-duplicates">{report.duplicates}</dd></div>
        <div><dt>Skipped (no time)</dt><dd>{report.skipped}</dd></div>
        <div><dt>Partial history</dt><dd>{report.partialHistory}</dd></div>
        <div><dt>Events added</dt><dd data-testid="report-events">{report.events}</dd></div>
      </dl>
      <p className="imp-muted">
        SHA-256 <code data-testid="report-sha">{report.sha256}</code>
        {report.importSeq !== null ? ` · recorded as ledger event #${report.importSeq} (events #${report.firstSeq}–#${report.lastSeq})` : ' · nothing new: the ledger is unchanged'}
      </p>
      {exclusions.length > 0 ? (
        <p data-testid="report-exclusions">Excluded from KPIs: {exclusions.map(([kpi, n]) => `${kpi.replace(/_/g, ' ')} ${n} ticket${n === 1 ? '' : 's'}`).join(' · ')}</p>
      ) : null}
      {report.anomalies.length === 0 ? (
        <p className="imp-muted" data-testid="report-no-anomalies">No anomalies.</p>
      ) : (
        <table className="imp-anomalies" data-testid="report-anomalies">
          <thead>
            <tr><th>Row</th><th>Ticket</th><th>Anomaly</th><th>Detail</th><th>Excluded from</th></tr>
          </thead>
          <tbody>
            {report.anomalies.map((a, i) => (
              <tr key={i} data-testid="report-anomaly">
                <td>{a.row}</td>
                <td>{a.kind === 'no_time_known' ? a.ticket : <button type="button" className="imp-link" onClick={() => openTicket(a.ticket)}>{a.ticket}</button>}</td>
                <td>{a.kind.replace(/_/g, ' ')}</td>
                <td>{a.detail ?? ''}</td>
                <td>{a.excludes.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.anomaliesOmitted > 0 ? <p className="imp-muted">… and {report.anomaliesOmitted} more anomalies (counted, not listed).</p> : null}
    </section>
  );
}
