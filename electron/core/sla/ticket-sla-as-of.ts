// One ticket's SLA outcome per metric as of an instant: the same clock engine the SLA projection runs, over the
// ticket's events known by then and the policy versions recorded by then. Pure: no SQL, no wall clock.
import type { SlaMetricKey, SlaOutcome } from '../../../shared/contracts/sla.ts';
import { computeTicketClocks, metricOutcome, type ComputedClock, type EngineEvent } from './clock-engine.ts';
import type { PolicySet, TicketTraits } from './policy-set.ts';

/** A ledger event with its payload parsed. */
export interface TicketFact {
  seq: number;
  at: string;
  type: string;
  payload: Record<string, unknown>;
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const kindOf = (value: unknown): string => text((value as { kind?: unknown } | undefined)?.kind) ?? 'system';

/** What the engine reads of an event (the same fields sla-repository extracts in SQL); null for other types. */
export function engineEventOf(fact: TicketFact): EngineEvent | null {
  const p = fact.payload;
  switch (fact.type) {
    case 'created': {
      const traits: TicketTraits = {
        priority: String(p.priority),
        category: String(p.category),
        channel: String(p.channel),
        organization: text(p.organization),
        tier: text((p.attributes as Record<string, unknown> | undefined)?.tier),
      };
      return { seq: fact.seq, at: fact.at, type: 'created', actorKind: 'system', isPublic: false, status: null, traits };
    }
    case 'message':
      return { seq: fact.seq, at: fact.at, type: 'message', actorKind: kindOf(p.author), isPublic: p.public === true, status: null, traits: null };
    case 'status':
      return { seq: fact.seq, at: fact.at, type: 'status', actorKind: kindOf(p.by), isPublic: false, status: String(p.status), traits: null };
    default:
      return null;
  }
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
    const event = engineEventOf(fact);
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
