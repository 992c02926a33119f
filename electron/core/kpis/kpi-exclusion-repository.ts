// SQL of the KPI exclusions: what the tickets an import flagged add to the KPI sums (so KPI code can take it
// out again), to the SLA engine's counts, and to a drill-down's list.
import type { ImportKpi } from '../../../shared/contracts/importers.ts';
import type { KpiGrouping } from '../../../shared/contracts/kpis.ts';
import type { SlaMetricKey } from '../../../shared/contracts/sla.ts';
import type { Db } from '../db/connection.ts';
import { addRow, emptySums, FACT_SUMS, filterSql, type GroupedSums, type KpiFilter, type RawSums } from './kpi-repository.ts';

/**
 * Tickets with an import flag naming one of these import KPIs. `excludes` is the JSON array the importer wrote
 * from a fixed vocabulary (IMPORT_KPIS), so looking for the quoted name is exact — and far cheaper than json_each
 * over every flag, which KPI reports would otherwise pay a dozen times.
 */
function flaggedTickets(importKpis: readonly ImportKpi[]): { sql: string; params: string[] } {
  return {
    sql: `SELECT ticket_id FROM import_flags WHERE ${importKpis.length === 0 ? '0' : importKpis.map(() => 'instr(excludes, ?) > 0').join(' OR ')}`,
    params: importKpis.map((kpi) => JSON.stringify(kpi)),
  };
}

/**
 * Whether a ticket created in [fromTs, toTs) — by the KPI facts, or by the SLA outcomes — carries an import flag
 * that excludes it from anything. Most ledgers have no such flag, and most periods none of the flagged tickets
 * (an import brings its own years): every exclusion query is then skipped. The flags drive the search (CROSS JOIN
 * keeps them outer), one key lookup each, so asking costs what the flags number, never what the period holds.
 */
export function flaggedTicketCreatedIn(db: Db, projection: 'kpi' | 'sla', fromTs: string, toTs: string): boolean {
  const table = projection === 'kpi' ? 'kpi_ticket_facts' : 'sla_outcomes';
  return (
    db
      .prepare<[string, string], number>(
        `SELECT EXISTS (SELECT 1 FROM import_flags f CROSS JOIN ${table} p ON p.ticket_id = f.ticket_id
                        WHERE f.excludes <> '[]' AND p.created_at >= ? AND p.created_at < ?)`,
      )
      .pluck()
      .get(fromTs, toTs) === 1
  );
}

/** The KPI sums of the flagged tickets created in [fromTs, toTs), grouped like sumKpis. */
export function flaggedSums(db: Db, fromTs: string, toTs: string, filter: KpiFilter, importKpis: readonly ImportKpi[], by?: KpiGrouping): GroupedSums {
  // Flags spoil counts and times, never money: the flagged share carries no currency.
  const result: GroupedSums = { all: emptySums(), groups: new Map(), currencies: new Set(), groupCurrencies: new Map() };
  if (importKpis.length === 0) return result;
  const where = filterSql(filter);
  const flagged = flaggedTickets(importKpis);
  const rows = db
    .prepare(`SELECT ${by ?? "''"}, ${FACT_SUMS} FROM kpi_ticket_facts WHERE created_at >= ? AND created_at < ?${where.sql} AND ticket_id IN (${flagged.sql}) GROUP BY 1`)
    .raw()
    .all(fromTs, toTs, ...where.params, ...flagged.params) as unknown[][];
  for (const row of rows) {
    addRow(result.all, row, 1);
    if (by) {
      const sums = emptySums();
      addRow(sums, row, 1);
      result.groups.set(String(row[0]), sums);
    }
  }
  return result;
}

/** The same per UTC creation day (for the trend series). */
export function flaggedSumsByDay(db: Db, fromTs: string, toTs: string, filter: KpiFilter, importKpis: readonly ImportKpi[]): Map<string, RawSums> {
  const out = new Map<string, RawSums>();
  if (importKpis.length === 0) return out;
  const where = filterSql(filter);
  const flagged = flaggedTickets(importKpis);
  const rows = db
    .prepare(
      `SELECT substr(created_at, 1, 10), ${FACT_SUMS} FROM kpi_ticket_facts WHERE created_at >= ? AND created_at < ?${where.sql} AND ticket_id IN (${flagged.sql}) GROUP BY 1`,
    )
    .raw()
    .all(fromTs, toTs, ...where.params, ...flagged.params) as unknown[][];
  for (const row of rows) {
    const sums = emptySums();
    addRow(sums, row, 1);
    out.set(String(row[0]), sums);
  }
  return out;
}

/**
 * One SLA metric's achieved and breached counts of the flagged tickets created in [fromTs, toTs), per category;
 * counted the way slaCompliance counts (a running clock is breached once its deadline is before asOf).
 */
export function flaggedSlaCounts(
  db: Db,
  fromTs: string,
  toTs: string,
  metric: SlaMetricKey,
  importKpis: readonly ImportKpi[],
  asOf: string,
): { category: string; achieved: number; breached: number }[] {
  if (importKpis.length === 0) return [];
  const flagged = flaggedTickets(importKpis);
  return db
    .prepare(
      `SELECT category, total(outcome = 'achieved') AS achieved,
              total(outcome = 'breached' OR (outcome = 'open' AND deadline IS NOT NULL AND deadline <= ?)) AS breached
       FROM sla_outcomes WHERE metric = ? AND created_at >= ? AND created_at < ? AND ticket_id IN (${flagged.sql}) GROUP BY 1`,
    )
    .all(asOf, metric, fromTs, toTs, ...flagged.params) as { category: string; achieved: number; breached: number }[];
}

/**
 * Flagged tickets created in [fromTs, toTs) (of these categories, if any) with an achieved or breached outcome
 * (a running clock past its deadline by asOf counts as breached) on an SLA metric their flags spoil.
 */
export function flaggedSlaTickets(
  db: Db,
  fromTs: string,
  toTs: string,
  categories: readonly string[],
  spoiled: readonly { metric: SlaMetricKey; importKpis: readonly ImportKpi[] }[],
  asOf: string,
): number {
  const parts = spoiled.filter((s) => s.importKpis.length > 0);
  if (parts.length === 0) return 0;
  const which = parts.map((p) => `(metric = ? AND ticket_id IN (${flaggedTickets(p.importKpis).sql}))`).join(' OR ');
  const categorySql = categories.length > 0 ? ' AND category IN (SELECT value FROM json_each(?))' : '';
  return db
    .prepare<unknown[], number>(
      `SELECT count(DISTINCT ticket_id) FROM sla_outcomes
       WHERE created_at >= ? AND created_at < ?${categorySql}
         AND (outcome IN ('achieved', 'breached') OR (outcome = 'open' AND deadline IS NOT NULL AND deadline <= ?))
         AND (${which})`,
    )
    .pluck()
    .get(fromTs, toTs, ...(categories.length > 0 ? [JSON.stringify(categories)] : []), asOf, ...parts.flatMap((p) => [p.metric, ...flaggedTickets(p.importKpis).params])) ?? 0;
}

/** A drill-down condition leaving out the tickets flagged for these import KPIs. */
export function notFlaggedCondition(importKpis: readonly ImportKpi[]): { sql: string; params: unknown[] } {
  const flagged = flaggedTickets(importKpis);
  return { sql: `ticket_id NOT IN (${flagged.sql})`, params: flagged.params };
}
