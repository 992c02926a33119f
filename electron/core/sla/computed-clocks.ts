// Every clock of some tickets, computed by the clock engine from their events and the recorded policy versions: what
// the SLA projection derives each ticket's outcomes from, and what one ticket's SLA panel and one metric's evidence
// show. The projection stores only the running clocks (026_sla_clocks_running_only.sql), the one read across
// tickets (the live board, by deadline); a stopped or paused clock is only ever read with its ticket, so it is
// computed again when asked — the same engine over the same events, so the same clock — instead of being written for
// every ticket by every rebuild, import and demo. No SQL here: the events and policies come from the repository.
import type { SlaClockEvent, SlaMetricKey } from '../../../shared/contracts/sla.ts';
import type { Db } from '../db/connection.ts';
import { byCodeUnit } from '../derived/derived-projection.ts';
import { clockRecord, isoInstant, type ClockRecord } from './clock-record.ts';
import { computeTicketClocks, type ComputedClock, type EngineEvent } from './clock-engine.ts';
import { engineEventsOf } from './engine-events.ts';
import { PolicySet } from './policy-set.ts';
import { clockEventRowsOfTickets, loadPolicyVersions, type ClockEventRow } from './sla-repository.ts';

/** A ticket's clocks, with the created event that gave it its traits (and its creation time). */
export interface TicketClocks {
  ticketId: string;
  created: EngineEvent & { traits: NonNullable<EngineEvent['traits']> };
  clocks: ComputedClock[];
  /** The events the engine read: how many, for the projection's count. */
  events: number;
}

/**
 * The clocks of each of these tickets that has a created event and at least one clock, in id order. `events`, when
 * given, holds these tickets' events already read (a refresh's chunk: every type, the engine takes its own); else they
 * are read here. A ticket without a created event (only its later events imported) has no clocks.
 */
export function* clocksOfTickets(
  db: Db,
  ids: readonly string[],
  policies: PolicySet,
  events?: ReadonlyMap<string, readonly ClockEventRow[]>,
): Generator<TicketClocks> {
  const stored = events ?? clockEventRowsOfTickets(db, ids);
  for (const ticketId of [...ids].sort(byCodeUnit)) {
    const rows = stored.get(ticketId);
    if (!rows) continue;
    const ticketEvents = engineEventsOf(rows);
    const created = ticketEvents.find((e) => e.type === 'created');
    if (!created?.traits) continue;
    const clocks = computeTicketClocks(ticketEvents, policies);
    if (clocks.length > 0) yield { ticketId, created: created as TicketClocks['created'], clocks, events: ticketEvents.length };
  }
}

/** The policy versions the projection reads: the ones `sla_policy_versions` holds. */
export const projectedPolicies = (db: Db): PolicySet => new PolicySet(loadPolicyVersions(db));

/** One ticket's clocks, each with the metric events that started, paused, stopped or breached it; by metric, then instance. */
export function ticketClockRecords(db: Db, ticketId: string): (ClockRecord & { events: SlaClockEvent[] })[] {
  const policies = projectedPolicies(db);
  if (policies.empty) return [];
  const records: (ClockRecord & { events: SlaClockEvent[] })[] = [];
  for (const { clocks } of clocksOfTickets(db, [ticketId], policies)) {
    for (const clock of clocks) {
      records.push({ ...clockRecord(clock), events: clock.events.map((e) => ({ kind: e.kind, at: isoInstant(e.atMs), seq: e.seq, cause: e.cause })) });
    }
  }
  return records.sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.instance - b.instance));
}

/** Per ticket, the ledger seqs behind its metric events for one metric, ascending and each once (empty when none). */
export function evidenceSeqsOfTickets(db: Db, ticketIds: readonly string[], metric: SlaMetricKey): Map<string, number[]> {
  const evidence = new Map<string, number[]>(ticketIds.map((id) => [id, []]));
  const policies = projectedPolicies(db);
  if (policies.empty || ticketIds.length === 0) return evidence;
  for (const { ticketId, clocks } of clocksOfTickets(db, ticketIds, policies)) {
    const seqs = new Set<number>();
    for (const clock of clocks) {
      if (clock.metric !== metric) continue;
      for (const event of clock.events) if (event.seq !== null) seqs.add(event.seq);
    }
    evidence.set(ticketId, [...seqs].sort((a, b) => a - b));
  }
  return evidence;
}
