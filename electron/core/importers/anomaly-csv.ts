// An import's anomalies as CSV, grouped by kind (most frequent first) and by line within a kind: what a person
// fixing the export, or an auditor reading the data-quality report, files away. Cells go through the one CSV
// encoder (formula injection neutralised).
import { anomalyLabel, type ImportDownload, type ImportFileReport } from '../../../shared/contracts/importers.ts';
import { csvRow } from '../files/csv-cell.ts';

const HEADERS = ['Line', 'Ticket', 'Anomaly', 'Detail', 'Left out of KPIs', 'Kind code'];

export function anomaliesCsv(report: ImportFileReport): ImportDownload {
  const counts = report.anomalyCounts as Record<string, number>;
  const ordered = [...report.anomalies].sort((a, b) => (counts[b.kind] ?? 0) - (counts[a.kind] ?? 0) || a.kind.localeCompare(b.kind) || a.row - b.row);
  const lines = [csvRow(HEADERS)];
  for (const a of ordered) lines.push(csvRow([a.row, a.ticket, anomalyLabel(a.kind), a.detail ?? '', a.excludes.join('; '), a.kind]));
  const base = report.file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return { fileName: `${base}-anomalies.csv`, mimeType: 'text/csv', data: `${lines.join('\r\n')}\r\n` };
}
