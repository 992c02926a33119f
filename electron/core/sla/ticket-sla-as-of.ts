// One ticket's SLA outcome per metric as of an instant: the same clock engine the SLA projection runs, over the
// ticket's events known by then and the policy versions recorded by then. Pure: no SQL, no wall clock.
import type { SlaMetricKey, SlaOutcome } from '../../../shared/contracts/sla.ts';
import { computeTicketClocks, metricOutcome, type ComputedClock, type EngineEvent } from './clock-engine.ts';
import { engineEventOf } from './engine-events.ts';
import type { PolicySet } from './policy-set.ts';

/** A ledger event with its payload parsed. */
export interface TicketFact {
  seq: number;
  at: string;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * The ticket's SLA outcomes as of `asOfMs`. `facts` must be ordered by occurrence (at, then seq); facts after
 * `asOfMs` are ignored. A metric with no clock is not_applicable; a clock still open is breached once its
 * deadline is at or before `asOfMs`, otherwise in_progress (as ticketSlaOutcome does with the wall clock).
 */
export function ticketSlaAsOf(facts: readonly TicketFact[], policies: PolicySet, asOfMs: number): (metric: SlaMetricKey) => SlaOutcome {
  const events: EngineEvent[] = [];
  for (const fact of facts) {
    if (Date.parse(fact.at) > asOfMs) continue;
    const event = engineEventOf(fact, fact.payload);
    if (event) events.push(event);
  }
  const byMetric = new Map<SlaMetricKey, ComputedClock[]>();
  if (!policies.empty && events.some((e) => e.type === 'created')) {
    for (const clock of computeTicketClocks(events, policies)) byMetric.set(clock.metric, [...(byMetric.get(clock.metric) ?? []), clock]);
  }
  return (metric) => {
    const clocks = byMetric.get(metric);
    if (!clocks) return 'not_applicable';
    const { outcome, deadlineMs } = metricOutcome(clocks);
    if (outcome !== 'open') return outcome;
    return deadlineMs !== null && deadlineMs <= asOfMs ? 'breached' : 'in_progress';
  };
}
