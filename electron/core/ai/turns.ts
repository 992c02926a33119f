// Exactly one AI reply per customer turn. A turn opens with the ticket's latest public customer message;
// its key is that message's sequence number, written "m<seq>" — the attempt key every run of the turn
// starts with ("m12", a console re-draft "m12:live2"). A turn gets at most one sent reply (and with it one
// status change); a newer draft replaces the waiting ones in review (they are marked superseded).
//
// Every check reads the ledger inside an IMMEDIATE write transaction: SQLite then lets one writer at a
// time in, so two consoles (two processes on the same file) cannot both pass the check and both send.
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { turnEventsOfTicket } from './turn-repository.ts';

export interface RunReviewState {
  seq: number;
  action: 'approve' | 'edit' | 'reject';
  /** Set when the run was replaced in review by a newer draft rather than reviewed by a person. */
  supersededBy: string | null;
}

/** One AI run as the ledger recorded it: its `ai.decision` event and its review, if any. */
export interface LedgerRun {
  runId: string;
  decisionSeq: number;
  attemptKey: string;
  /** Sequence number of the customer message whose turn the run answered. */
  turnSeq: number | null;
  action: string;
  draft: string;
  model: string;
  review: RunReviewState | null;
}

export interface TicketTurn {
  ticketId: string;
  /** The open turn: sequence number of the latest public customer message (null: the customer never wrote). */
  turnSeq: number | null;
  /** The first public reply (by anyone but the customer) after that message: the turn is answered. */
  answeredBy: number | null;
  runs: Map<string, LedgerRun>;
}

/** "m12:live2" -> "m12": the turn a run belongs to. */
export function turnKeyOf(attemptKey: string): string {
  return attemptKey.split(':')[0]!;
}

export function turnSeqOf(attemptKey: string): number | null {
  const match = /^m(\d+)$/.exec(turnKeyOf(attemptKey));
  return match ? Number(match[1]) : null;
}

/** The ticket's current turn and every AI run on it, from the ledger's events. */
export function readTicketTurn(db: Db, ticketId: string): TicketTurn {
  const turn: TicketTurn = { ticketId, turnSeq: null, answeredBy: null, runs: new Map() };
  for (const row of turnEventsOfTicket(db, ticketId)) {
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    if (row.type === 'message') {
      if (payload.public !== true) continue;
      const actor = JSON.parse(row.actor) as Actor;
      if (actor.kind === 'customer') {
        turn.turnSeq = row.seq;
        turn.answeredBy = null;
      } else if (turn.answeredBy === null) turn.answeredBy = row.seq;
    } else if (row.type === 'ai.decision') {
      const attemptKey = String(payload.attempt_key);
      turn.runs.set(String(payload.run_id), {
        runId: String(payload.run_id),
        decisionSeq: row.seq,
        attemptKey,
        turnSeq: turnSeqOf(attemptKey),
        action: String(payload.action),
        draft: String(payload.draft),
        model: (payload.model as { name: string }).name,
        review: null,
      });
    } else {
      const run = turn.runs.get(String(payload.run_id));
      // The first review decides; the ledger never holds a second one written by this module.
      if (run && !run.review) {
        run.review = { seq: row.seq, action: payload.action as RunReviewState['action'], supersededBy: typeof payload.superseded_by === 'string' ? payload.superseded_by : null };
      }
    }
  }
  return turn;
}

/** Runs still waiting for a person: drafts to review and hand-offs nobody answered yet. */
export function runsInReview(turn: TicketTurn): LedgerRun[] {
  return [...turn.runs.values()].filter((run) => !run.review && (run.action === 'await_review' || run.action === 'hand_off'));
}

/** Why a run's draft may no longer be sent, or null when its turn is still open and unanswered. */
export function whyTurnIsClosed(turn: TicketTurn, run: Pick<LedgerRun, 'runId' | 'turnSeq'>): string | null {
  if (run.turnSeq === null || turn.turnSeq === null) return `run ${run.runId} answers no customer message`;
  if (run.turnSeq !== turn.turnSeq) return `the customer wrote again (message #${turn.turnSeq}) after run ${run.runId} was drafted: draft a new reply`;
  if (turn.answeredBy !== null) return `the customer's message #${turn.turnSeq} was already answered (message #${turn.answeredBy}); nothing more is sent for it`;
  return null;
}

/** The `ai.review` lines that take the given runs out of review because `newRunId` replaces them. */
export function supersedeLines(ticketId: string, runs: readonly LedgerRun[], newRunId: string, at: string, actor: Actor): Record<string, unknown>[] {
  return runs.map((run) => ({
    ticket: ticketId, type: 'ai.review', at, actor, run_id: run.runId, action: 'reject', reason: `superseded by run ${newRunId}`, superseded_by: newRunId,
  }));
}

