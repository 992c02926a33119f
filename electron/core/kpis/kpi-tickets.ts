// A KPI's drill-down: its denominator ticket by ticket, each marked whether it is in the numerator and why, paged
// and exported whole.
import { importKpisSpoiling, type FlagSpoilableKpi } from '../../../shared/contracts/importers.ts';
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
  type TicketCountKey,
} from '../../../shared/contracts/kpis.ts';
import type { Db } from '../db/connection.ts';
import { csvRow } from '../files/csv-cell.ts';
import { explainDrill } from './drill-why.ts';
import { flagsOfTicket } from '../importers/import-repository.ts';
import { notFlaggedCondition } from './kpi-exclusion-repository.ts';
import { KpiExclusion, SPOILED_SUMS } from './kpi-exclusions.ts';
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
  /** Count import-flagged tickets in the KPIs their flags spoil, as the report does when asked (default: leave them out). */
  includeFlagged?: boolean;
}

interface ResolvedDrill {
  fraction: FractionDrillQuery;
  numerator: number;
  denominator: number;
  excluded: number;
  ahtSource: AhtSource | null;
  /** The overview KPIs whose exclusion of flagged tickets this drill follows (empty: flags leave no ticket out). */
  spoiledBy: FlagSpoilableKpi[];
}

/**
 * The KPIs whose flagged tickets leave this drill's list: those the report takes flagged tickets' sums out of
 * (SPOILED_SUMS) where those sums include the drill's denominator — e.g. FCR (resolved), or AHT only when it is
 * agent-work time. One definition with the report, so the drill's counts stay the report's.
 */
function spoilingKpis(population: TicketCountKey, member: TicketCountKey): FlagSpoilableKpi[] {
  return (Object.entries(SPOILED_SUMS) as [FlagSpoilableKpi, readonly string[]][]).filter(([, sums]) => sums.includes(population) || sums.includes(member)).map(([kpi]) => kpi);
}

/** The condition that keeps the tickets no flag spoils these KPIs for (undefined: nothing to leave out). */
function keepCondition(kpis: readonly FlagSpoilableKpi[], includeFlagged: boolean): FractionDrillQuery['keep'] {
  if (includeFlagged || kpis.length === 0) return undefined;
  return notFlaggedCondition([...new Set(kpis.flatMap((kpi) => importKpisSpoiling(kpi)))]);
}

/** The selection's population and member predicates; AHT's member follows the selection's source as the figure does. */
function resolveDrill(db: Db, selection: DrillSelection): ResolvedDrill {
  const period = resolvePeriod(selection.from, selection.to);
  const filter = { categories: selection.category, channel: selection.channel, actor: selection.actor };
  const includeFlagged = selection.includeFlagged === true;
  const base = { fromTs: period.fromTs, toTs: period.toTs, filter };
  const { population } = KPI_FRACTIONS[selection.kpi];
  let member = KPI_FRACTIONS[selection.kpi].member;
  let ahtSource: AhtSource | null = null;
  if (selection.kpi === 'aht') {
    // As kpiValues decides it, after flagged tickets left the sums they spoil.
    const count = (key: TicketCountKey): number => fractionCounts(db, { ...base, population, member: key, keep: keepCondition(spoilingKpis(population, key), includeFlagged) }).numerator;
    ahtSource = ahtSourceOf({ worklogN: count('worklogN'), agentworkN: count('agentworkN') });
    if (ahtSource === 'agent_work') member = 'agentworkN';
  }
  const spoiledBy = spoilingKpis(population, member);
  const fraction: FractionDrillQuery = { ...base, population, member, keep: keepCondition(spoiledBy, includeFlagged), show: 'all' };
  return { fraction, ahtSource, spoiledBy, ...fractionCounts(db, fraction) };
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

/** Excluded rows: the import flags that take the ticket out of this KPI, with their kind, detail and event. */
function explainExcluded(db: Db, spoiledBy: readonly FlagSpoilableKpi[], rows: readonly FractionDrillRow[]): KpiDrillRow[] {
  const spoiling = new Set(spoiledBy.flatMap((kpi) => importKpisSpoiling(kpi)));
  return rows.map(({ member: _member, ...row }) => {
    const flags = flagsOfTicket(db, row.id).filter((flag) => flag.excludes.some((importKpi) => spoiling.has(importKpi)));
    const why = `excluded: flagged on import — ${flags.map((flag) => `${flag.kind}${flag.detail ? ` (${flag.detail})` : ''} #${flag.seq}`).join('; ')}`;
    return { ...row, counts: false, excluded: true, why, evidence: flags.map((flag) => flag.seq) };
  });
}

/** A page of a KPI's denominator, each ticket marked whether it is in the numerator and why (or why not); or of the tickets import flags leave out. */
export function kpiDrill(db: Db, query: DrillSelection & { show: DrillShow; offset: number; limit: number }): KpiDrillPage {
  const drill = resolveDrill(db, query);
  const fraction = KPI_FRACTIONS[query.kpi];
  const page = fractionDrillPage(db, { ...drill.fraction, show: query.show }, query.offset, query.limit);
  return {
    kpi: query.kpi,
    label: fraction.label,
    memberLabel: fraction.memberLabel,
    populationLabel: fraction.populationLabel,
    numerator: drill.numerator,
    denominator: drill.denominator,
    excluded: drill.excluded,
    ahtSource: drill.ahtSource,
    show: query.show,
    offset: query.offset,
    total: page.total,
    rows: query.show === 'excluded' ? explainExcluded(db, drill.spoiledBy, page.rows) : explainRows(db, query.kpi, drill.ahtSource, page.rows),
  };
}

const EXPORT_CHUNK = 2000;
const CSV_HEADER = ['Ticket', 'Subject', 'Category', 'Channel', 'Created (UTC)', 'Actor', 'In numerator', 'Excluded', 'Why', 'Evidence events (ledger seq)'];

/** The whole denominator (and the excluded tickets) of a KPI as CSV with human headers; a read, nothing recorded. */
export function kpiDrillExport(db: Db, selection: DrillSelection): KpiExport {
  const drill = resolveDrill(db, selection);
  const lines = [csvRow(CSV_HEADER)];
  // The denominator first (numerator's tickets first), then the tickets import flags leave out.
  for (const show of ['all', 'excluded'] as const) {
    if (show === 'excluded' && drill.excluded === 0) break;
    for (let offset = 0; ; offset += EXPORT_CHUNK) {
      const page = fractionDrillPage(db, { ...drill.fraction, show }, offset, EXPORT_CHUNK);
      const rows = show === 'excluded' ? explainExcluded(db, drill.spoiledBy, page.rows) : explainRows(db, selection.kpi, drill.ahtSource, page.rows);
      for (const row of rows) {
        lines.push(csvRow([row.id, row.subject, row.category, row.channel, row.createdAt, row.actor, row.counts ? 'yes' : 'no', row.excluded ? 'yes' : 'no', row.why, row.evidence.join(' ')]));
      }
      if (page.rows.length < EXPORT_CHUNK) break;
    }
  }
  const scope = [selection.kpi, selection.from, selection.to, ...selection.category, selection.channel, selection.actor, selection.includeFlagged ? 'flagged-included' : ''].filter(Boolean).join('_');
  return { fileName: `attest-drill_${scope.replace(/[^\w.-]+/g, '-')}.csv`, mimeType: 'text/csv', encoding: 'utf8', data: `${lines.join('\r\n')}\r\n` };
}
