// SQL of the KPI exclusions: what the tickets an import flagged add to the KPI sums (so KPI code can take it
// out again), to the SLA engine's counts, and to a drill-down's list.
import type { ImportKpi } from '../../../shared/contracts/importers.ts';
import type { KpiGrouping } from '../../../shared/contracts/kpis.ts';
import type { SlaMetricKey } from '../../../shared/contracts/sla.ts';
import type { Db } from '../db/connection.ts';
import { addRow, emptySums, FACT_SUMS, filterSql, type GroupedSums, type KpiFilter, type RawSums } from './kpi-repository.ts';

/** Tickets with an import flag naming one of the import KPIs given as a JSON array (one parameter). */
const FLAGGED_TICKETS = `SELECT f.ticket_id FROM import_flags f, json_each(f.excludes) e WHERE e.value IN (SELECT value FROM json_each(?))`;

/** The KPI sums of the flagged tickets created in [fromTs, toTs), grouped like sumKpis. */
export function flaggedSums(db: Db, fromTs: string, toTs: string, filter: KpiFilter, importKpis: readonly ImportKpi[], by?: KpiGrouping): GroupedSums {
  const result: GroupedSums = { all: emptySums(), groups: new Map() };
  if (importKpis.length === 0) return result;
  const where = filterSql(filter);
  const rows = db
    .prepare(`SELECT ${by ?? "''"}, ${FACT_SUMS} FROM kpi_ticket_facts WHERE created_at >= ? AND created_at < ?${where.sql} AND ticket_id IN (${FLAGGED_TICKETS}) GROUP BY 1`)
    .raw()
    .all(fromTs, toTs, ...where.params, JSON.stringify(importKpis)) as unknown[][];
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
  const rows = db
    .prepare(
      `SELECT substr(created_at, 1, 10), ${FACT_SUMS} FROM kpi_ticket_facts WHERE created_at >= ? AND created_at < ?${where.sql} AND ticket_id IN (${FLAGGED_TICKETS}) GROUP BY 1`,
    )
    .raw()
    .all(fromTs, toTs, ...where.params, JSON.stringify(importKpis)) as unknown[][];
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
  return db
    .prepare(
      `SELECT category, total(outcome = 'achieved') AS achieved,
              total(outcome = 'breached' OR (outcome = 'open' AND deadline IS NOT NULL AND deadline <= ?)) AS breached
       FROM sla_outcomes WHERE metric = ? AND created_at >= ? AND created_at < ? AND ticket_id IN (${FLAGGED_TICKETS}) GROUP BY 1`,
    )
    .all(asOf, metric, fromTs, toTs, JSON.stringify(importKpis)) as { category: string; achieved: number; breached: number }[];
}

/** A drill-down condition leaving out the tickets flagged for these import KPIs. */
export function notFlaggedCondition(importKpis: readonly ImportKpi[]): { sql: string; params: unknown[] } {
  return { sql: `ticket_id NOT IN (${FLAGGED_TICKETS})`, params: [JSON.stringify(importKpis)] };
}
