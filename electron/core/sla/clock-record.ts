// A computed clock as Attest records and shows it: instants as ISO text, the target in minutes, the elapsed time in whole
// milliseconds. One mapping for the projection's stored (running) clocks and for every clock a ticket's panel shows.
import type { SlaActorKind, SlaMetricKey } from '../../../shared/contracts/sla.ts';
import type { ComputedClock } from './clock-engine.ts';

/** A clock with its instants as ISO text, its target in minutes and its elapsed time in whole milliseconds. */
export interface ClockRecord {
  metric: SlaMetricKey;
  instance: number;
  policy_id: string;
  policy_version: number;
  calendar: string;
  business: number;
  target_minutes: number;
  state: 'running' | 'paused' | 'fulfilled';
  started_at: string;
  stopped_at: string | null;
  elapsed_ms: number;
  last_change_at: string;
  breach_at: string | null;
  breach_recorded: number;
  fulfilled_by: SlaActorKind;
}

/** An instant as the SLA tables and reports write it. */
export const isoInstant = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoInstant(ms));

/** The record of a computed clock, as the projection stores a running one and a ticket's panel shows every one. */
export function clockRecord(clock: ComputedClock): ClockRecord {
  const target = clock.target;
  return {
    metric: clock.metric,
    instance: clock.instance,
    policy_id: target.policyId,
    policy_version: target.policyVersion,
    calendar: target.calendarName,
    business: target.business ? 1 : 0,
    target_minutes: target.targetMs / 60_000,
    state: clock.state,
    started_at: isoInstant(clock.startedMs),
    stopped_at: isoOrNull(clock.stoppedMs),
    elapsed_ms: Math.round(clock.elapsedMs),
    last_change_at: isoInstant(clock.lastChangeMs),
    breach_at: isoOrNull(clock.breachMs),
    breach_recorded: clock.breachRecorded ? 1 : 0,
    fulfilled_by: clock.fulfilledBy,
  };
}
