// The whole list of tickets behind an SLA figure (a metric's achieved, breached or running clocks) as CSV with
// human headers: every page of sla.tickets, read at one moment so a clock cannot change outcome between pages.
import type { SlaGrouping, SlaMetricKey, SlaTicketsExport } from '../../../shared/contracts/sla.ts';
import type { Db } from '../db/connection.ts';
import { csvRow } from '../files/csv-cell.ts';
import { slaTickets } from './sla-queries.ts';

const CHUNK = 500;
const HEADER = ['Ticket', 'Subject', 'Priority', 'Category', 'Created (UTC)', 'Metric', 'Outcome', 'Fulfilled by', 'Evidence events (ledger seq)'];

export function slaTicketsExport(
  db: Db,
  query: { from: string; to: string; metric: SlaMetricKey; outcome: 'achieved' | 'breached' | 'in_progress'; by?: SlaGrouping; group?: string },
  asOf = new Date().toISOString(),
): SlaTicketsExport {
  const lines = [csvRow(HEADER)];
  for (let offset = 0; ; offset += CHUNK) {
    const page = slaTickets(db, { ...query, offset, limit: CHUNK }, asOf);
    for (const row of page.rows) {
      lines.push(csvRow([row.ticket, row.subject, row.priority, row.category, row.createdAt, query.metric, row.outcome, row.actor, row.evidenceSeqs.join(' ')]));
    }
    if (page.rows.length < CHUNK) break;
  }
  const scope = [query.metric, query.outcome, query.from, query.to, query.by, query.group].filter(Boolean).join('_');
  return { fileName: `attest-sla_${scope.replace(/[^\w.-]+/g, '-')}.csv`, mimeType: 'text/csv', encoding: 'utf8', data: `${lines.join('\r\n')}\r\n` };
}
