// Import-flagged tickets leave the KPIs their flags spoil (README, "Data-quality report"): an anomaly such as a
// resolution before creation makes that ticket's FCR, reopen or SLA facts meaningless, so they are taken out of
// those KPIs (numerator and denominator alike) and counted, unless the caller asks to include them. Which KPIs a
// flag spoils is one table, IMPORT_KPI_SPOILS (shared/contracts/importers.ts).
import {
  importKpisSpoiling,
  importKpisSpoilingSla,
  IMPORT_KPIS,
  type FlagSpoilableKpi,
  type ImportKpi,
} from '../../../shared/contracts/importers.ts';
import type { KpiDrill, KpiFlaggedTickets, KpiGrouping } from '../../../shared/contracts/kpis.ts';
import { SLA_METRICS } from '../../../shared/contracts/sla.ts';
import type { Db } from '../db/connection.ts';
import { hasSlaPolicy } from '../sla/sla-repository.ts';
import { flaggedSlaCounts, flaggedSlaTickets, flaggedSums, flaggedSumsByDay, flaggedTicketCreatedIn, notFlaggedCondition } from './kpi-exclusion-repository.ts';
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
  /** False when no ticket of the period (by its KPI facts) has an excluding import flag: nothing to take out, no query to run. */
  private readonly flags: boolean;
  /** The same by the tickets' SLA outcomes, asked only where SLA counts are (undefined until then). */
  private slaFlagsKnown: boolean | undefined;
  /** The flagged sums already read (the report's summary and its figures ask for the same ones). */
  private readonly cache = new Map<string, GroupedSums>();

  constructor(db: Db, fromTs: string, toTs: string, filter: KpiFilter, includeFlagged: boolean) {
    this.db = db;
    this.fromTs = fromTs;
    this.toTs = toTs;
    this.filter = filter;
    this.included = includeFlagged;
    this.flags = flaggedTicketCreatedIn(db, 'kpi', fromTs, toTs);
  }

  /**
   * How many flagged tickets of the selection there are, and per KPI how many of them that KPI would count but
   * leaves out (or counts, when included): FCR its resolved tickets, reopen rate its ever-solved ones, CSAT its
   * rated ones, AHT those with agent-work time, SLA compliance those with an achieved or breached outcome on a
   * metric their flags spoil (only where the KPI report uses the SLA engine: a policy, no channel or actor filter).
   */
  summary(asOf = new Date().toISOString()): KpiFlaggedTickets {
    const sla = this.filter.channel === undefined && this.filter.actor === undefined && hasSlaPolicy(this.db) && this.slaFlags();
    if (!this.flags && !sla) return { included: this.included, tickets: 0, byKpi: {} };
    const byKpi: KpiFlaggedTickets['byKpi'] = {};
    for (const [kpi, keys] of Object.entries(SPOILED_SUMS) as [keyof typeof SPOILED_SUMS, readonly (keyof RawSums)[]][]) {
      // The first sum of each KPI's columns counts its tickets (resolved, agentworkN, csatN, everSolved).
      const tickets = this.flaggedSums(importKpisSpoiling(kpi)).all[keys[0]!];
      if (tickets > 0) byKpi[kpi] = tickets;
    }
    if (sla) {
      const slaTickets = flaggedSlaTickets(this.db, this.fromTs, this.toTs, this.filter.categories, SLA_METRICS.map((metric) => ({ metric, importKpis: importKpisSpoilingSla(metric) })), asOf);
      if (slaTickets > 0) byKpi.slaCompliance = slaTickets;
    }
    const tickets = this.flaggedSums(IMPORT_KPIS).all.tickets;
    return { included: this.included, tickets, byKpi };
  }

  private slaFlags(): boolean {
    return (this.slaFlagsKnown ??= flaggedTicketCreatedIn(this.db, 'sla', this.fromTs, this.toTs));
  }

  private flaggedSums(importKpis: readonly ImportKpi[], by?: KpiGrouping): GroupedSums {
    const key = `${importKpis.join(',')}|${by ?? ''}`;
    let sums = this.cache.get(key);
    if (!sums) this.cache.set(key, (sums = flaggedSums(this.db, this.fromTs, this.toTs, this.filter, importKpis, by)));
    return sums;
  }

  /** The sums without the flagged tickets' share of each KPI they spoil (unchanged when flagged tickets are included). */
  applyTo(sums: GroupedSums, by?: KpiGrouping): GroupedSums {
    if (this.included || !this.flags) return sums;
    const all = { ...sums.all };
    const groups = new Map([...sums.groups].map(([key, group]) => [key, { ...group }]));
    for (const [kpi, keys] of Object.entries(SPOILED_SUMS) as [keyof typeof SPOILED_SUMS, readonly (keyof RawSums)[]][]) {
      const flagged = this.flaggedSums(importKpisSpoiling(kpi), by);
      subtract(all, flagged.all, keys);
      for (const [key, group] of flagged.groups) {
        const target = groups.get(key);
        if (target) subtract(target, group, keys);
      }
    }
    return { ...sums, all, groups };
  }

  /** Daily sums (trend series) without the flagged tickets' share, like applyTo. */
  applyToDays(days: Map<string, RawSums>, dayFromTs: string, dayToTs: string): Map<string, RawSums> {
    if (this.included || !this.flags) return days;
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
    if (this.included || !this.slaFlags()) return sla;
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
    if (this.included || !this.flags || kpi === undefined) return undefined;
    return notFlaggedCondition(importKpisSpoiling(kpi));
  }
}
