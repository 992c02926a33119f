// All SQL of the SLA engine's write side: policy versions, clocks, metric events, outcomes and the rollup.
import { preparedOnce } from '../db/statement-cache.ts';
import type { Actor } from '../../../shared/domain.ts';
import { SLA_METRICS } from '../../../shared/contracts/sla.ts';
import type { Db } from '../db/connection.ts';
import { RowBatch } from '../db/row-batch.ts';
import { groupedByTicket } from '../derived/derived-projection.ts';
import type { EventRow } from '../ledger/ledger-repository.ts';
import { CLOCK_EVENT_TYPES, type ClockOutcome, type ComputedClock } from './clock-engine.ts';
import { clockRecord } from './clock-record.ts';
import type { PolicyVersion, TicketTraits } from './policy-set.ts';
import { policyFileSchema } from './policy-schema.ts';

// Most instants repeat (a created event starts four clocks): formatting each once is a measurable saving.
const isoCache = new Map<number, string>();
function iso(ms: number): string {
  let text = isoCache.get(ms);
  if (text === undefined) {
    if (isoCache.size > 100_000) isoCache.clear();
    text = new Date(ms).toISOString();
    isoCache.set(ms, text);
  }
  return text;
}

export function rebuildPolicyVersions(db: Db): void {
  db.prepare('DELETE FROM sla_policy_versions').run();
  const rows = db
    .prepare("SELECT seq, at, actor, payload FROM events WHERE ticket_id IS NULL AND type = 'sla.policy' ORDER BY seq")
    .all() as { seq: number; at: string; actor: string; payload: string }[];
  const insert = db.prepare(
    'INSERT INTO sla_policy_versions (seq, version, effective_from, recorded_at, recorded_by, policy_file) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const row of rows) {
    const file = policyFileSchema.parse(JSON.parse(row.payload));
    const actor = JSON.parse(row.actor) as Actor;
    insert.run(row.seq, file.version, new Date(file.effectiveFrom).toISOString(), row.at, actor.id ?? actor.model ?? actor.kind, row.payload);
  }
}

export function loadPolicyVersions(db: Db): PolicyVersion[] {
  const rows = db.prepare('SELECT seq, policy_file FROM sla_policy_versions ORDER BY seq').all() as { seq: number; policy_file: string }[];
  return rows.map((row) => ({ seq: row.seq, file: policyFileSchema.parse(JSON.parse(row.policy_file)) }));
}

/**
 * The policy versions the ledger had recorded by `asOfIso` (`sla.policy` events with `at` <= as-of), read from
 * the events themselves, not the projection: what an evaluation as of that instant may know.
 */
export function policyVersionsRecordedBy(db: Db, asOfIso: string): PolicyVersion[] {
  const rows = db
    .prepare("SELECT seq, payload FROM events WHERE ticket_id IS NULL AND type = 'sla.policy' AND at <= ? ORDER BY seq")
    .all(asOfIso) as { seq: number; payload: string }[];
  return rows.map((row) => ({ seq: row.seq, file: policyFileSchema.parse(JSON.parse(row.payload)) }));
}

/** The latest `at` of the ledger's `sla.policy` events (null when there are none): from then on, every version counts. */
export function lastPolicyAt(db: Db): string | null {
  return db.prepare("SELECT max(at) FROM events WHERE ticket_id IS NULL AND type = 'sla.policy'").pluck().get() as string | null;
}

/** Whether any `sla.policy` event was ever recorded (read from the ledger, not the projection). */
export function hasSlaPolicy(db: Db): boolean {
  return (db.prepare("SELECT 1 FROM events WHERE ticket_id IS NULL AND type = 'sla.policy' LIMIT 1").pluck().get() as number | undefined) !== undefined;
}

export function latestPolicyVersion(db: Db): { version: number; effectiveFrom: string } | null {
  const row = db.prepare('SELECT version, effective_from AS effectiveFrom FROM sla_policy_versions ORDER BY version DESC LIMIT 1').get();
  return (row as { version: number; effectiveFrom: string } | undefined) ?? null;
}

/** A stored event as the clock engine reads it (engine-events.ts): the clock types only. */
export type ClockEventRow = Pick<EventRow, 'seq' | 'at' | 'type' | 'payload'>;

/**
 * The events the clocks depend on, per ticket (in ledger order): for a read of a few tickets (a panel, a drill-down's
 * evidence). A refresh hands the SLA projection the events it has already read for its chunk instead.
 */
export function clockEventRowsOfTickets(db: Db, ids: readonly string[]): Map<string, ClockEventRow[]> {
  const rows = preparedOnce(
    db,
    `SELECT ticket_id, seq, at, type, payload FROM events
     WHERE ticket_id IN (SELECT value FROM json_each(?)) AND type IN (${CLOCK_EVENT_TYPES.map((type) => `'${type}'`).join(', ')})
     ORDER BY ticket_id, seq`,
  ).all(JSON.stringify(ids)) as (ClockEventRow & { ticket_id: string })[];
  return groupedByTicket(rows);
}

const ID_LIST = 'SELECT value FROM json_each(?)';

/** An outcome group as both rollups read it: these five, then its own keys (if any), then its counts. */
type GroupedOutcome = [day: string, metric: string, priority: string, category: string, actor: string, ...rest: (string | number)[]];

/**
 * The rollup rows of these groups, summed by key and signed: each group counts toward its row of every dimension
 * ('all' under the key '', then priority, category and actor). A row is [dim, day, metric, key, ...the group's
 * `keys` columns after the five, ...its counts].
 */
function rowsPerDimension(groups: readonly GroupedOutcome[], keys: number, sign: 1 | -1): (string | number)[][] {
  const rows = new Map<string, (string | number)[]>();
  for (const group of groups) {
    const [day, metric, priority, category, actor, ...rest] = group;
    const ownKeys = rest.slice(0, keys);
    const counts = rest.slice(keys) as number[];
    for (const [dim, key] of [['all', ''], ['priority', priority], ['category', category], ['actor', actor]] as [string, string][]) {
      const id = JSON.stringify([dim, day, metric, key, ...ownKeys]);
      const row = rows.get(id);
      if (row) counts.forEach((n, i) => (row[4 + keys + i] = (row[4 + keys + i] as number) + sign * n));
      else rows.set(id, [dim, day, metric, key, ...ownKeys, ...counts.map((n) => sign * n)]);
    }
  }
  return [...rows.values()];
}

/**
 * Adds (sign 1) or removes (sign -1) the outcomes of these tickets to/from the rollups: the final ones to sla_rollup,
 * the open ones to sla_open_rollup (025_sla_open_rollup.sql). The outcomes are read and grouped once, by day, metric
 * and every dimension together; each group then counts toward its row of each dimension. Four grouped reads of the
 * same outcomes, one per dimension, took most of a refresh's rollup time (2.1 s of an import of 100,000 tickets).
 * Only the rows just lowered can have come to nothing: those are deleted by key, not the whole rollup scanned.
 */
export function adjustRollup(db: Db, idsJson: string, sign: 1 | -1): void {
  adjustFinalRollup(db, idsJson, sign);
  adjustOpenRollup(db, idsJson, sign);
}

function adjustFinalRollup(db: Db, idsJson: string, sign: 1 | -1): void {
  const groups = preparedOnce(
    db,
    `SELECT substr(created_at, 1, 10), metric, priority, category, actor, sum(outcome = 'achieved'), sum(outcome = 'breached')
     FROM sla_outcomes WHERE ticket_id IN (${ID_LIST}) AND outcome <> 'open'
     GROUP BY 1, 2, 3, 4, 5`,
    'raw',
  ).all(idsJson) as GroupedOutcome[];
  if (groups.length === 0) return;
  const json = JSON.stringify(rowsPerDimension(groups, 0, sign));
  preparedOnce(
    db,
    `INSERT INTO sla_rollup (dim, day, metric, key, achieved, breached)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?) WHERE true
     ON CONFLICT (dim, day, metric, key) DO UPDATE SET achieved = achieved + excluded.achieved, breached = breached + excluded.breached`,
  ).run(json);
  if (sign === -1) {
    preparedOnce(
      db,
      `DELETE FROM sla_rollup WHERE achieved = 0 AND breached = 0
       AND (dim, day, metric, key) IN (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?))`,
    ).run(json);
  }
}

function adjustOpenRollup(db: Db, idsJson: string, sign: 1 | -1): void {
  const groups = preparedOnce(
    db,
    `SELECT substr(created_at, 1, 10), metric, priority, category, actor, coalesce(substr(deadline, 1, 10), ''), count(*)
     FROM sla_outcomes WHERE ticket_id IN (${ID_LIST}) AND outcome = 'open'
     GROUP BY 1, 2, 3, 4, 5, 6`,
    'raw',
  ).all(idsJson) as GroupedOutcome[];
  if (groups.length === 0) return;
  // The deadline's day is a key of its own.
  const json = JSON.stringify(rowsPerDimension(groups, 1, sign));
  preparedOnce(
    db,
    `INSERT INTO sla_open_rollup (dim, day, metric, key, deadline_day, open)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?) WHERE true
     ON CONFLICT (dim, day, metric, key, deadline_day) DO UPDATE SET open = open + excluded.open`,
  ).run(json);
  if (sign === -1) {
    preparedOnce(
      db,
      `DELETE FROM sla_open_rollup WHERE open = 0
       AND (dim, day, metric, key, deadline_day) IN (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?))`,
    ).run(json);
  }
}

/** Every ticket id in id order, `size` at a time, without loading them all. */
export function* ticketIdChunks(db: Db, size: number): Generator<string[]> {
  const nextIds = db.prepare('SELECT id FROM tickets WHERE id > ? ORDER BY id LIMIT ?').pluck();
  let after = '';
  for (;;) {
    const ids = nextIds.all(after, size) as string[];
    if (ids.length === 0) return;
    yield ids;
    after = ids[ids.length - 1]!;
  }
}

/**
 * Brings sla_untargeted (028_sla_untargeted.sql) up to date for these tickets: those listed in the queue without a
 * row of sla_ticket_states.
 */
export function markUntargeted(db: Db, idsJson: string): void {
  preparedOnce(db, `DELETE FROM sla_untargeted WHERE ticket_id IN (${ID_LIST})`).run(idsJson);
  preparedOnce(
    db,
    `INSERT INTO sla_untargeted (ticket_id) SELECT j.value FROM json_each(?) j
     WHERE EXISTS (SELECT 1 FROM tickets t WHERE t.id = j.value) AND NOT EXISTS (SELECT 1 FROM sla_ticket_states s WHERE s.ticket_id = j.value)`,
  ).run(idsJson);
}

/** sla_untargeted for every ticket, from nothing. */
export function rebuildUntargeted(db: Db): void {
  clearUntargeted(db);
  db.prepare('INSERT INTO sla_untargeted (ticket_id) SELECT id FROM tickets WHERE NOT EXISTS (SELECT 1 FROM sla_ticket_states s WHERE s.ticket_id = tickets.id)').run();
}

export function clearUntargeted(db: Db): void {
  db.prepare('DELETE FROM sla_untargeted').run();
}

export function deleteTicketsSla(db: Db, idsJson: string): void {
  for (const table of ['sla_clocks', 'sla_outcomes', 'sla_ticket_states']) db.prepare(`DELETE FROM ${table} WHERE ticket_id IN (${ID_LIST})`).run(idsJson);
}

export function clearSla(db: Db): void {
  for (const table of ['sla_clocks', 'sla_outcomes', 'sla_ticket_states', 'sla_rollup', 'sla_open_rollup']) db.prepare(`DELETE FROM ${table}`).run();
}

export interface TicketSlaRows {
  ticketId: string;
  createdAt: string;
  traits: TicketTraits;
  clocks: ComputedClock[];
  outcomes: Map<string, ClockOutcome>;
}

export class SlaWriter {
  private readonly clocks;
  private readonly outcomes;
  private readonly states;

  constructor(db: Db) {
    this.clocks = new RowBatch(
      db,
      `INSERT INTO sla_clocks (ticket_id, metric, instance, policy_id, policy_version, calendar, business, target_minutes, state, started_at,
         stopped_at, elapsed_ms, last_change_at, breach_at, breach_recorded, fulfilled_by)`,
      16,
    );
    this.outcomes = new RowBatch(db, 'INSERT INTO sla_outcomes (ticket_id, metric, created_at, priority, category, actor, outcome, deadline)', 8);
    this.states = new RowBatch(db, 'INSERT INTO sla_ticket_states (ticket_id, breached, open_metrics, open_deadline)', 4);
  }

  /** Writes the rows saved so far: call before the SLA tables are read again (the rollup) and before commit. */
  flush(): void {
    this.clocks.flush();
    this.outcomes.flush();
    this.states.flush();
  }

  /** Queues a ticket's rows (see flush). */
  save(rows: TicketSlaRows): void {
    const id = rows.ticketId;
    // Only the running clocks are stored (026_sla_clocks_running_only.sql); computed-clocks.ts computes the others when
    // their ticket is read.
    for (const clock of rows.clocks) {
      if (clock.state !== 'running') continue;
      const c = clockRecord(clock);
      this.clocks.add(
        id, c.metric, c.instance, c.policy_id, c.policy_version, c.calendar, c.business, c.target_minutes, c.state, c.started_at,
        c.stopped_at, c.elapsed_ms, c.last_change_at, c.breach_at, c.breach_recorded, c.fulfilled_by,
      );
    }
    // The ticket's state facts (016_sla_ticket_states.sql): a final breach, the open metrics, their earliest deadline.
    let breached = 0;
    let openMetrics = 0;
    let openDeadlineMs: number | null = null;
    for (const metric of SLA_METRICS) {
      const o = rows.outcomes.get(metric);
      if (!o) continue;
      this.outcomes.add(id, metric, rows.createdAt, rows.traits.priority, rows.traits.category, o.actor, o.outcome, o.deadlineMs === null ? null : iso(o.deadlineMs));
      if (o.outcome === 'breached') breached = 1;
      if (o.outcome !== 'open') continue;
      openMetrics++;
      if (o.deadlineMs !== null && (openDeadlineMs === null || o.deadlineMs < openDeadlineMs)) openDeadlineMs = o.deadlineMs;
    }
    if (rows.outcomes.size > 0) this.states.add(id, breached, openMetrics, openDeadlineMs === null ? null : iso(openDeadlineMs));
  }
}
