// A KPI's drill-down: its denominator ticket by ticket, each marked whether it is in the numerator and why, paged
// and exported whole.
import {
  KPI_FRACTIONS,
  type AhtSource,
  type DrillKpi,
  type DrillShow,
  type KpiDrill,
  type KpiDrillPage,
  type KpiDrillRow,
  type KpiExport,
  type KpiTicketPage,
} from '../../../shared/contracts/kpis.ts';
import type { Db } from '../db/connection.ts';
import { csvRow } from '../files/csv-cell.ts';
import { explainDrill } from './drill-why.ts';
import { KpiExclusion } from './kpi-exclusions.ts';
import { drillTickets, fractionCounts, fractionDrillPage, ticketFactEvents, type FractionDrillQuery, type FractionDrillRow } from './kpi-repository.ts';
import { ahtSourceOf, resolvePeriod } from './kpi-report.ts';
import { ticketFacts } from './ticket-facts.ts';

export function kpiTickets(
  db: Db,
  query: { from: string; to: string; category: readonly string[]; channel?: string; actor?: string; drill: KpiDrill; offset: number; limit: number; includeFlagged?: boolean },
): KpiTicketPage {
  const period = resolvePeriod(query.from, query.to);
  const filter = { categories: query.category, channel: query.channel, actor: query.actor };
  // The same tickets as the figure: flagged tickets its KPI leaves out are not listed either.
  const exclude = new KpiExclusion(db, period.fromTs, period.toTs, filter, query.includeFlagged === true).drillCondition(query.drill);
  const page = drillTickets(db, period.fromTs, period.toTs, filter, query.drill, query.offset, query.limit, exclude);
  const events = ticketFactEvents(db, page.rows.map((row) => row.id));
  return {
    total: page.total,
    rows: page.rows.map((row) => ({ ...row, evidence: ticketFacts(row.id, events.get(row.id) ?? [])?.evidence[query.drill] ?? [] })),
  };
}

// ---------------------------------------------------------------------------------------------- numerator and denominator

export interface DrillSelection {
  from: string;
  to: string;
  category: readonly string[];
  channel?: string;
  actor?: string;
  kpi: DrillKpi;
}

interface ResolvedDrill {
  fraction: FractionDrillQuery;
  numerator: number;
  denominator: number;
  ahtSource: AhtSource | null;
}

/** The selection's population and member predicates; AHT's member follows the selection's source as the figure does. */
function resolveDrill(db: Db, selection: DrillSelection): ResolvedDrill {
  const period = resolvePeriod(selection.from, selection.to);
  const filter = { categories: selection.category, channel: selection.channel, actor: selection.actor };
  const { population } = KPI_FRACTIONS[selection.kpi];
  let member = KPI_FRACTIONS[selection.kpi].member;
  let ahtSource: AhtSource | null = null;
  if (selection.kpi === 'aht') {
    const worklogN = fractionCounts(db, { fromTs: period.fromTs, toTs: period.toTs, filter, population, member: 'worklogN' }).numerator;
    const agentworkN = fractionCounts(db, { fromTs: period.fromTs, toTs: period.toTs, filter, population, member: 'agentworkN' }).numerator;
    ahtSource = ahtSourceOf({ worklogN, agentworkN });
    if (ahtSource === 'agent_work') member = 'agentworkN';
  }
  const fraction: FractionDrillQuery = { fromTs: period.fromTs, toTs: period.toTs, filter, population, member, show: 'all' };
  return { fraction, ahtSource, ...fractionCounts(db, fraction) };
}

/** Rows of the fact table, explained from the same facts (recomputed from the tickets' events, as the projection does). */
function explainRows(db: Db, kpi: DrillKpi, ahtSource: AhtSource | null, rows: readonly FractionDrillRow[]): KpiDrillRow[] {
  const events = ticketFactEvents(db, rows.map((row) => row.id));
  return rows.map(({ member, ...row }) => {
    const ticketEvents = events.get(row.id) ?? [];
    const computed = ticketFacts(row.id, ticketEvents);
    const counts = member === 1;
    const explained = computed ? explainDrill(kpi, counts, computed.facts, computed.trace, ticketEvents, ahtSource) : { why: 'no created event', evidence: [] };
    return { ...row, counts, excluded: false, ...explained };
  });
}

/** A page of a KPI's denominator, each ticket marked whether it is in the numerator and why (or why not). */
export function kpiDrill(db: Db, query: DrillSelection & { show: DrillShow; offset: number; limit: number }): KpiDrillPage {
  const drill = resolveDrill(db, query);
  const fraction = KPI_FRACTIONS[query.kpi];
  const head = {
    kpi: query.kpi,
    label: fraction.label,
    memberLabel: fraction.memberLabel,
    populationLabel: fraction.populationLabel,
    numerator: drill.numerator,
    denominator: drill.denominator,
    excluded: 0,
    ahtSource: drill.ahtSource,
    show: query.show,
    offset: query.offset,
  };
  if (query.show === 'excluded') return { ...head, total: 0, rows: [] };
  const page = fractionDrillPage(db, { ...drill.fraction, show: query.show }, query.offset, query.limit);
  return { ...head, total: page.total, rows: explainRows(db, query.kpi, drill.ahtSource, page.rows) };
}

const EXPORT_CHUNK = 2000;
const CSV_HEADER = ['Ticket', 'Subject', 'Category', 'Channel', 'Created (UTC)', 'Actor', 'In numerator', 'Excluded', 'Why', 'Evidence events (ledger seq)'];

/** The whole denominator (and the excluded tickets) of a KPI as CSV with human headers; a read, nothing recorded. */
export function kpiDrillExport(db: Db, selection: DrillSelection): KpiExport {
  const drill = resolveDrill(db, selection);
  const lines = [csvRow(CSV_HEADER)];
  for (let offset = 0; ; offset += EXPORT_CHUNK) {
    const page = fractionDrillPage(db, drill.fraction, offset, EXPORT_CHUNK);
    for (const row of explainRows(db, selection.kpi, drill.ahtSource, page.rows)) {
      lines.push(csvRow([row.id, row.subject, row.category, row.channel, row.createdAt, row.actor, row.counts ? 'yes' : 'no', row.excluded ? 'yes' : 'no', row.why, row.evidence.join(' ')]));
    }
    if (page.rows.length < EXPORT_CHUNK) break;
  }
  const scope = [selection.kpi, selection.from, selection.to, ...selection.category, selection.channel, selection.actor].filter(Boolean).join('_');
  return { fileName: `attest-drill_${scope.replace(/[^\w.-]+/g, '-')}.csv`, mimeType: 'text/csv', encoding: 'utf8', data: `${lines.join('\r\n')}\r\n` };
}
