// The SLA engine as a projection of the ledger: `sla.policy` events -> policy versions; each ticket's events ->
// its clocks (the running ones stored: computed-clocks.ts) and outcomes; the outcomes -> the daily rollups.
// Incremental per ticket, in chunks.
import type { SlaMetricKey } from '../../../shared/contracts/sla.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import type { Db } from '../db/connection.ts';
import type { DerivedProjection, TicketEvents } from '../derived/derived-projection.ts';
import { CLOCK_EVENT_TYPES, metricOutcome, type ClockOutcome, type ComputedClock } from './clock-engine.ts';
import { clocksOfTickets, projectedPolicies } from './computed-clocks.ts';
import type { PolicySet } from './policy-set.ts';
import {
  adjustRollup,
  clearSla,
  deleteTicketsSla,
  rebuildPolicyVersions,
  SlaWriter,
  ticketIdChunks,
} from './sla-repository.ts';

const CHUNK = 2000;

/** `events`: these tickets' events when the caller has read them already (else they are read here). */
function computeChunk(db: Db, ids: readonly string[], policies: PolicySet, writer: SlaWriter, events?: TicketEvents): number {
  let read = 0;
  for (const { ticketId, created, clocks, events: count } of clocksOfTickets(db, ids, policies, events)) {
    read += count;
    const byMetric = new Map<SlaMetricKey, ComputedClock[]>();
    for (const clock of clocks) {
      const list = byMetric.get(clock.metric);
      if (list) list.push(clock);
      else byMetric.set(clock.metric, [clock]);
    }
    const outcomes = new Map<string, ClockOutcome>();
    for (const [metric, list] of byMetric) outcomes.set(metric, metricOutcome(list));
    writer.save({ ticketId, createdAt: created.at, traits: created.traits, clocks, outcomes });
  }
  // The rollup that follows reads the chunk's outcomes.
  writer.flush();
  return read;
}

/**
 * Recomputes the SLA of these tickets (their events changed). Joins the caller's transaction. `ticketEvents`: every
 * event of exactly these tickets, when the caller has read them (a refresh's chunk).
 */
export function refreshTicketsSla(db: Db, ticketIds: readonly string[], ticketEvents?: TicketEvents): number {
  const policies = projectedPolicies(db);
  const writer = new SlaWriter(db);
  let events = 0;
  inWriteTransaction(db, () => {
    for (let start = 0; start < ticketIds.length; start += CHUNK) {
      const chunk = ticketIds.slice(start, start + CHUNK);
      const idsJson = JSON.stringify(chunk);
      adjustRollup(db, idsJson, -1);
      deleteTicketsSla(db, idsJson);
      if (policies.empty) continue;
      events += computeChunk(db, chunk, policies, writer, ticketEvents);
      adjustRollup(db, idsJson, 1);
    }
  });
  return events;
}

/** Recomputes every ticket's SLA; returns the number of events of the tickets that have clocks. */
export function rebuildSla(db: Db): number {
  let events = 0;
  inWriteTransaction(db, () => {
    rebuildPolicyVersions(db);
    clearSla(db);
    const policies = projectedPolicies(db);
    if (policies.empty) return;
    const writer = new SlaWriter(db);
    // The rollup is summed a chunk at a time, as a refresh sums it: one GROUP BY over every outcome of a large
    // ledger sorts four rows per outcome, and with temp_store = MEMORY SQLite's sorter never spills to disk —
    // at a million tickets that alone held gigabytes. Integer counts: the sums are the same in any order.
    for (const ids of ticketIdChunks(db, CHUNK)) {
      events += computeChunk(db, ids, policies, writer);
      adjustRollup(db, JSON.stringify(ids), 1);
    }
  });
  return events;
}

export const slaProjection: DerivedProjection = {
  name: 'sla',
  ledgerEventTypes: ['sla.policy'],
  ticketEventTypes: CLOCK_EVENT_TYPES,
  // The board's and the queue's reads (running clocks by breach time, open outcomes by creation and by deadline,
  // tickets breached or open); the projection writes and deletes every row by its ticket, the key of each table. Not
  // sla_outcomes_by_created: an index is built by sorting all its entries in memory (temp_store = MEMORY), and its
  // 5.3 M entries at a million tickets took a rebuild's peak memory from 632 to 1,209 MiB above the connection's start
  // (measured building the indexes alone): over the 1.5 GB a rebuild may take (issue 15). It is kept up to date row
  // by row.
  queryIndexes: ['sla_clocks_running', 'sla_outcomes_open', 'sla_outcomes_open_by_deadline', 'sla_ticket_states_breached', 'sla_ticket_states_open'],
  refreshTickets: (db, ids, events) => void refreshTicketsSla(db, ids, events),
  rebuildAll: (db) => void rebuildSla(db),
  reset: (db) => {
    rebuildPolicyVersions(db);
    clearSla(db);
  },
};
