// Import-flagged tickets leave the KPIs their flags spoil (README, "Data-quality report"): an anomaly such as a
// resolution before creation makes that ticket's FCR, reopen or SLA facts meaningless, so they are taken out of
// those KPIs (numerator and denominator alike) and counted, unless the caller asks to include them. Which KPIs a
// flag spoils is one table, IMPORT_KPI_SPOILS (shared/contracts/importers.ts).
import {
  FLAG_SPOILABLE_KPIS,
  importKpisSpoiling,
  importKpisSpoilingSla,
  IMPORT_KPIS,
  type FlagSpoilableKpi,
} from '../../../shared/contracts/importers.ts';
import type { KpiDrill, KpiFlaggedTickets, KpiGrouping } from '../../../shared/contracts/kpis.ts';
import { SLA_METRICS } from '../../../shared/contracts/sla.ts';
import type { Db } from '../db/connection.ts';
import { flaggedSlaCounts, flaggedSums, flaggedSumsByDay, notFlaggedCondition } from './kpi-exclusion-repository.ts';
import type { GroupedSums, KpiFilter, RawSums } from './kpi-repository.ts';

/** The sums each spoilable KPI is computed from (SLA compliance comes from the SLA engine's counts instead). */
export const SPOILED_SUMS: Record<Exclude<FlagSpoilableKpi, 'slaCompliance'>, readonly (keyof RawSums)[]> = {
  // FCR = fcr / resolved; resolvedAi is part of "resolved" (human resolutions = resolved − resolvedAi).
  fcr: ['resolved', 'resolvedAi', 'fcr'],
  // Only agent-work time (first to last human action) is measured from the times a flag calls wrong; worklogs are not.
  aht: ['agentworkN', 'agentworkSum', 'agentworkSq'],
  csat: ['csatN', 'csatSum', 'csatSq', 'csatSat'],
  reopenRate: ['everSolved', 'reopened'],
};

/** Drill-downs whose tickets make a spoilable KPI (its numerator or denominator). */
const DRILL_KPI: Partial<Record<KpiDrill, FlagSpoilableKpi>> = {
  resolved: 'fcr',
  fcr: 'fcr',
  not_fcr: 'fcr',
  reopened: 'reopenRate',
  csat: 'csat',
  csat_dissatisfied: 'csat',
};

export interface SlaCounts {
  achieved: number;
  breached: number;
}

function subtract(target: RawSums, flagged: RawSums, keys: readonly (keyof RawSums)[]): void {
  for (const key of keys) target[key] -= flagged[key];
}

export class KpiExclusion {
  readonly included: boolean;
  private readonly db: Db;
  private readonly fromTs: string;
  private readonly toTs: string;
  private readonly filter: KpiFilter;

  constructor(db: Db, fromTs: string, toTs: string, filter: KpiFilter, includeFlagged: boolean) {
    this.db = db;
    this.fromTs = fromTs;
    this.toTs = toTs;
    this.filter = filter;
    this.included = includeFlagged;
  }

  /** How many tickets of the selection the flags spoil, overall and per KPI (counted whether or not left out). */
  summary(): KpiFlaggedTickets {
    const byKpi: KpiFlaggedTickets['byKpi'] = {};
    for (const kpi of FLAG_SPOILABLE_KPIS) {
      const tickets = flaggedSums(this.db, this.fromTs, this.toTs, this.filter, importKpisSpoiling(kpi)).all.tickets;
      if (tickets > 0) byKpi[kpi] = tickets;
    }
    const tickets = flaggedSums(this.db, this.fromTs, this.toTs, this.filter, IMPORT_KPIS).all.tickets;
    return { included: this.included, tickets, byKpi };
  }

  /** The sums without the flagged tickets' share of each KPI they spoil (unchanged when flagged tickets are included). */
  applyTo(sums: GroupedSums, by?: KpiGrouping): GroupedSums {
    if (this.included) return sums;
    const all = { ...sums.all };
    const groups = new Map([...sums.groups].map(([key, group]) => [key, { ...group }]));
    for (const [kpi, keys] of Object.entries(SPOILED_SUMS) as [keyof typeof SPOILED_SUMS, readonly (keyof RawSums)[]][]) {
      const flagged = flaggedSums(this.db, this.fromTs, this.toTs, this.filter, importKpisSpoiling(kpi), by);
      subtract(all, flagged.all, keys);
      for (const [key, group] of flagged.groups) {
        const target = groups.get(key);
        if (target) subtract(target, group, keys);
      }
    }
    return { all, groups };
  }

  /** Daily sums (trend series) without the flagged tickets' share, like applyTo. */
  applyToDays(days: Map<string, RawSums>, dayFromTs: string, dayToTs: string): Map<string, RawSums> {
    if (this.included) return days;
    const out = new Map([...days].map(([day, sums]) => [day, { ...sums }]));
    for (const [kpi, keys] of Object.entries(SPOILED_SUMS) as [keyof typeof SPOILED_SUMS, readonly (keyof RawSums)[]][]) {
      for (const [day, flagged] of flaggedSumsByDay(this.db, dayFromTs, dayToTs, this.filter, importKpisSpoiling(kpi))) {
        const target = out.get(day);
        if (target) subtract(target, flagged, keys);
      }
    }
    return out;
  }

  /**
   * SLA counts without the flagged tickets' outcomes of the metrics their flags spoil (a first-response flag
   * leaves the first-reply metric only). `categories`: the category filter; per-category groups as given.
   */
  applyToSla(sla: { all: SlaCounts; groups: Map<string, SlaCounts> }, categories: readonly string[], asOf = new Date().toISOString()): { all: SlaCounts; groups: Map<string, SlaCounts> } {
    if (this.included) return sla;
    const all = { ...sla.all };
    const groups = new Map([...sla.groups].map(([key, counts]) => [key, { ...counts }]));
    for (const metric of SLA_METRICS) {
      for (const row of flaggedSlaCounts(this.db, this.fromTs, this.toTs, metric, importKpisSpoilingSla(metric), asOf)) {
        if (categories.length > 0 && !categories.includes(row.category)) continue;
        all.achieved -= row.achieved;
        all.breached -= row.breached;
        const group = groups.get(row.category);
        if (group) {
          group.achieved -= row.achieved;
          group.breached -= row.breached;
        }
      }
    }
    return { all, groups };
  }

  /** The condition that leaves flagged tickets out of a drill-down whose KPI their flags spoil (null: none). */
  drillCondition(drill: KpiDrill): { sql: string; params: unknown[] } | undefined {
    const kpi = DRILL_KPI[drill];
    if (this.included || kpi === undefined) return undefined;
    return notFlaggedCondition(importKpisSpoiling(kpi));
  }
}
