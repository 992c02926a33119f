// SQL of the AI pipeline: which tickets wait for it, their conversation (the ticket's message events), and the
// `ai_runs` projection (one row per run: decision, draft, review) behind the review queue and the knowledge-gaps view.
import type { Db } from '../db/connection.ts';
import { eventsOfTypes, type DerivedProjection, type TicketEvents } from '../derived/derived-projection.ts';
import { TicketRepository } from '../tickets/ticket-repository.ts';

export interface Candidate {
  id: string;
  category: string;
  subject: string;
  mode: 'draft' | 'auto';
}

export interface ConversationMessage {
  seq: number;
  authorKind: string;
  public: boolean;
  body: string;
}

export interface RunRow {
  runId: string;
  ticketId: string;
  attemptKey: string;
  category: string;
  topic: string;
  model: string;
  action: string;
  reason: string | null;
  confidence: number;
  draft: string;
  citations: { id: string; version: number }[];
  decidedAt: string;
  decisionSeq: number;
  review: string | null;
  reviewReason: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
}

/** Open tickets in categories whose mode lets the AI work, oldest first. */
export function candidateTickets(db: Db, category?: string): Candidate[] {
  return db
    .prepare(
      `SELECT t.id, t.category, t.subject, m.mode FROM tickets t JOIN category_modes m ON m.category = t.category
       WHERE m.mode IN ('draft', 'auto') AND t.status IN ('new', 'open') AND t.escalated = 0 AND (? IS NULL OR t.category = ?)
       ORDER BY t.created_at, t.id`,
    )
    .all(category ?? null, category ?? null) as Candidate[];
}

/** One ticket, if it is still a candidate (open, not escalated, its category's AI mode draft or auto). */
export function candidateTicket(db: Db, id: string): Candidate | null {
  return (
    (db
      .prepare(
        `SELECT t.id, t.category, t.subject, m.mode FROM tickets t JOIN category_modes m ON m.category = t.category
         WHERE t.id = ? AND m.mode IN ('draft', 'auto') AND t.status IN ('new', 'open') AND t.escalated = 0`,
      )
      .get(id) as Candidate | undefined) ?? null
  );
}

export function ticketSummary(db: Db, id: string): { id: string; category: string; subject: string; status: string; escalated: number } | null {
  return (db.prepare('SELECT id, category, subject, status, escalated FROM tickets WHERE id = ?').get(id) as
    | { id: string; category: string; subject: string; status: string; escalated: number }
    | undefined) ?? null;
}

export function conversation(db: Db, ticketId: string): ConversationMessage[] {
  return new TicketRepository(db).messagesOf(ticketId).map((m) => ({ seq: m.seq, authorKind: m.authorKind, public: m.isPublic, body: m.body }));
}

export function runExists(db: Db, ticketId: string, attemptKey: string): boolean {
  // A console re-draft ("m12:live2") belongs to the same attempt as the automatic run ("m12").
  return db.prepare("SELECT 1 FROM ai_runs WHERE ticket_id = ? AND (attempt_key = ? OR attempt_key LIKE ? || ':%') LIMIT 1").pluck().get(ticketId, attemptKey, attemptKey) === 1;
}

export function knownCategories(db: Db): string[] {
  return db.prepare('SELECT DISTINCT category FROM tickets UNION SELECT category FROM category_modes ORDER BY 1').pluck().all() as string[];
}

interface RunRecord {
  run_id: string;
  ticket_id: string;
  attempt_key: string;
  category: string;
  topic: string;
  model: string;
  action: string;
  reason: string | null;
  confidence: number;
  draft: string;
  citations: string;
  decided_at: string;
  decision_seq: number;
  review: string | null;
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

const toRun = (r: RunRecord): RunRow => ({
  runId: r.run_id,
  ticketId: r.ticket_id,
  attemptKey: r.attempt_key,
  category: r.category,
  topic: r.topic,
  model: r.model,
  action: r.action,
  reason: r.reason,
  confidence: r.confidence,
  draft: r.draft,
  citations: JSON.parse(r.citations) as { id: string; version: number }[],
  decidedAt: r.decided_at,
  decisionSeq: r.decision_seq,
  review: r.review,
  reviewReason: r.review_reason,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
});

export function getRun(db: Db, runId: string): RunRow | null {
  const row = db.prepare('SELECT * FROM ai_runs WHERE run_id = ?').get(runId) as RunRecord | undefined;
  return row ? toRun(row) : null;
}

export function runsAwaitingReview(db: Db, limit: number): RunRow[] {
  return (db.prepare("SELECT * FROM ai_runs WHERE action = 'await_review' AND review IS NULL ORDER BY decision_seq LIMIT ?").all(limit) as RunRecord[]).map(toRun);
}

export function recentHandOffs(db: Db, limit: number): RunRow[] {
  return (db.prepare("SELECT * FROM ai_runs WHERE action = 'hand_off' ORDER BY decision_seq DESC LIMIT ?").all(limit) as RunRecord[]).map(toRun);
}

/** Runs that show the knowledge base falling short: rejected or edited drafts, missing_knowledge hand-offs. */
export function gapRuns(db: Db): RunRow[] {
  return (
    db.prepare("SELECT * FROM ai_runs WHERE review IN ('reject', 'edit') OR (action = 'hand_off' AND reason = 'missing_knowledge') ORDER BY decision_seq DESC").all() as RunRecord[]
  ).map(toRun);
}

export function runCounts(db: Db): { action: string; reason: string | null; review: string | null; n: number }[] {
  return db.prepare('SELECT action, reason, review, count(*) AS n FROM ai_runs GROUP BY 1, 2, 3').all() as { action: string; reason: string | null; review: string | null; n: number }[];
}

export function aiEventsOfTicket(db: Db, ticketId: string): { seq: number; type: string; at: string; actor: string; payload: string }[] {
  return db
    .prepare("SELECT seq, type, at, actor, payload FROM events WHERE ticket_id = ? AND (type LIKE 'ai.%' OR type IN ('message', 'status', 'escalated')) ORDER BY seq")
    .all(ticketId) as { seq: number; type: string; at: string; actor: string; payload: string }[];
}

/** The events an AI run is made of: its decision, and a person's review of it. */
const RUN_TYPES = ['ai.decision', 'ai.review'] as const;
const RUN_TYPE_SET: ReadonlySet<string> = new Set(RUN_TYPES);
const RUN_EVENT_TYPES = `(${RUN_TYPES.map((type) => `'${type}'`).join(', ')})`;
/** The `review` of a run that a newer draft replaced in review. */
export const SUPERSEDED = 'superseded';
const CHUNK = 500;
/** Run events read per statement when rebuilding. */
const REBUILD_PAGE = 5000;

function applyRunEvents(db: Db, rows: { seq: number; ticket_id: string; type: string; at: string; actor: string; payload: string }[]): void {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO ai_runs (run_id, ticket_id, attempt_key, category, topic, model, action, reason, confidence, draft, citations, decided_at, decision_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const review = db.prepare('UPDATE ai_runs SET review = ?, review_reason = ?, reviewed_by = ?, reviewed_at = ?, review_seq = ? WHERE run_id = ?');
  for (const row of rows) {
    const p = JSON.parse(row.payload) as Record<string, unknown>;
    if (row.type === 'ai.decision') {
      insert.run(p.run_id, row.ticket_id, p.attempt_key, p.category, p.topic, (p.model as { name: string }).name, p.action, (p.reason as string | undefined) ?? null, p.confidence, p.draft, JSON.stringify(p.citations), row.at, row.seq);
    } else {
      const actor = JSON.parse(row.actor) as { id?: string; kind: string };
      // A draft replaced by a newer one of the same ticket is no verdict on it: kept apart from rejects (knowledge gaps).
      const verdict = typeof p.superseded_by === 'string' ? SUPERSEDED : p.action;
      review.run(verdict, (p.reason as string | undefined) ?? null, actor.id ?? actor.kind, row.at, row.seq, p.run_id);
    }
  }
}

export const aiRunsProjection: DerivedProjection = {
  name: 'ai_runs',
  // A ticket's runs are its run events alone: one that got none keeps the rows it had.
  ticketEventTypes: RUN_TYPES,
  refreshTickets(db: Db, ticketIds: readonly string[], events?: TicketEvents): void {
    for (let start = 0; start < ticketIds.length; start += CHUNK) {
      const chunk = ticketIds.slice(start, start + CHUNK);
      const marks = chunk.map(() => '?').join(',');
      const rows = (
        events
          ? eventsOfTypes(events, chunk, RUN_TYPE_SET)
          : db.prepare(`SELECT seq, ticket_id, type, at, actor, payload FROM events WHERE ticket_id IN (${marks}) AND type IN ${RUN_EVENT_TYPES} ORDER BY seq`).all(...chunk)
      ) as { seq: number; ticket_id: string; type: string; at: string; actor: string; payload: string }[];
      if (rows.length === 0) continue;
      db.prepare(`DELETE FROM ai_runs WHERE ticket_id IN (${marks})`).run(...chunk);
      applyRunEvents(db, rows);
    }
  },
  rebuildAll(db: Db): void {
    db.prepare('DELETE FROM ai_runs').run();
    // In seq order (a review updates the decision before it), a page at a time: the run events of a large ledger
    // (drafts included) never sit in memory all at once.
    const page = db.prepare(`SELECT seq, ticket_id, type, at, actor, payload FROM events WHERE seq > ? AND type IN ${RUN_EVENT_TYPES} ORDER BY seq LIMIT ?`);
    for (let after = 0; ; ) {
      const rows = page.all(after, REBUILD_PAGE) as { seq: number; ticket_id: string; type: string; at: string; actor: string; payload: string }[];
      if (rows.length === 0) break;
      applyRunEvents(db, rows);
      after = rows[rows.length - 1]!.seq;
    }
  },
};

export function eventPayload(db: Db, seq: number): Record<string, unknown> | null {
  const payload = db.prepare('SELECT payload FROM events WHERE seq = ?').pluck().get(seq) as string | undefined;
  return payload ? (JSON.parse(payload) as Record<string, unknown>) : null;
}

export function articleTitle(db: Db, id: string, version: number): string {
  return (db.prepare('SELECT title FROM kb_article_versions WHERE id = ? AND version = ?').pluck().get(id, version) as string | undefined) ?? id;
}

/** Customer messages of the turn a run answered: public customer messages up to its attempt's message seq. */
export function customerTurnBefore(db: Db, ticketId: string, lastSeq: number): string {
  const publicUpTo = conversation(db, ticketId).filter((m) => m.public && m.seq <= lastSeq);
  const turn: string[] = [];
  // The customer's messages since the last public message of anyone else, at most the last 20 public messages back.
  for (const m of publicUpTo.slice(-20).reverse()) {
    if (m.authorKind !== 'customer') break;
    turn.unshift(m.body);
  }
  return turn.join('\n\n');
}

export function subjectOf(db: Db, ticketId: string): string {
  return (db.prepare('SELECT subject FROM tickets WHERE id = ?').pluck().get(ticketId) as string | undefined) ?? '';
}

/** The payload of the latest `ai.settings` event, if any (ledger-wide). */
export function latestAiSettingsPayload(db: Db): string | undefined {
  // Ledger-wide: `ticket_id IS NULL` lets SQLite use events_ledger_wide_by_type (010_people.sql) instead of scanning
  // the ledger backwards from its head (830 ms at 300,000 tickets when the latest one is at the start).
  return db.prepare("SELECT payload FROM events WHERE type = 'ai.settings' AND ticket_id IS NULL ORDER BY seq DESC LIMIT 1").pluck().get() as string | undefined;
}

/** The latest `ai.remote_host` event (an admin's allowance of a model server on another machine), if any. */
export function latestRemoteHostAllowance(db: Db): { payload: string; actor: string; at: string; seq: number } | undefined {
  // Ledger-wide, found through events_ledger_wide_by_type (see latestAiSettingsPayload).
  return db.prepare("SELECT payload, actor, at, seq FROM events WHERE type = 'ai.remote_host' AND ticket_id IS NULL ORDER BY seq DESC LIMIT 1").get() as
    | { payload: string; actor: string; at: string; seq: number }
    | undefined;
}
