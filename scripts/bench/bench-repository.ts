// The benchmark's own SQL: the plain-INSERT baseline and the few counts and samples the bench prints.
import type { Db } from '../../electron/core/db/connection.ts';

/**
 * The ingest baseline: a prepared INSERT into the events table of the same schema, nothing else — no validation,
 * no canonical JSON, no hashing, no chain, no duplicate check and no projections (hash and prev_hash left empty).
 */
export function plainEventInserter(db: Db): (seq: number, ticket: unknown, type: unknown, at: unknown, recordedAt: string, actor: string, payload: string) => void {
  const insert = db.prepare('INSERT INTO events (seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  return (seq, ticket, type, at, recordedAt, actor, payload) => void insert.run(seq, ticket, type, at, recordedAt, actor, payload, '', '');
}

export const eventCount = (db: Db): number => db.prepare('SELECT count(*) FROM events').pluck().get() as number;

/** Ticket ids in random order (SQLite's random(): a sample, not a seeded list). */
export const randomTicketIds = (db: Db, limit: number): string[] => db.prepare('SELECT id FROM tickets ORDER BY random() LIMIT ?').pluck().all(limit) as string[];

export const kpiFactCount = (db: Db): number => db.prepare('SELECT count(*) FROM kpi_ticket_facts').pluck().get() as number;

export const lastEventAt = (db: Db): string | null => db.prepare('SELECT max(at) FROM events').pluck().get() as string | null;

export const ticketEventCount = (db: Db): number => db.prepare('SELECT count(*) FROM events WHERE ticket_id IS NOT NULL').pluck().get() as number;

/** The SLA outcomes the projection recorded: one per ticket and metric that applies to it. */
export const slaOutcomeCount = (db: Db): number => db.prepare('SELECT count(*) FROM sla_outcomes').pluck().get() as number;

/** The SLA projection's rows: its outcomes, and the running clocks it stores (the others are computed on read). */
export const slaCounts = (db: Db): { outcomes: number; runningClocks: number } => ({
  outcomes: slaOutcomeCount(db),
  runningClocks: db.prepare('SELECT count(*) FROM sla_clocks').pluck().get() as number,
});

export const ticketCreationSpan = (db: Db): [string, string] => db.prepare('SELECT min(created_at), max(created_at) FROM tickets').raw().get() as [string, string];
