// Human review of drafts: approve (send as written), edit (send the edited text, store the diff),
// reject (with a reason; nothing is sent). Each is an `ai.review` event by the reviewer.
import { createTwoFilesPatch } from 'diff';
import { InputError, NotFoundError } from '../errors.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import { recordEvents } from '../derived/record-events.ts';
import { getRun } from './ai-repository.ts';
import { aiReplyFields } from './disclosure.ts';
import { customerReply, customerText } from './pipeline.ts';
import { loadOrganizationSettings, replyClosing } from '../organization/organization-settings.ts';
import { readTicketTurn, whyTurnIsClosed } from './turns.ts';

/** A review that cannot be honoured: already reviewed, superseded, the turn answered… (→ `invalid_input`). */
export class ReviewError extends InputError {}

export interface ReviewInput {
  runId: string;
  action: 'approve' | 'edit' | 'reject';
  body?: string;
  reason?: string;
  /** Status after sending: solved (default) or pending (waiting for the customer). */
  status?: 'solved' | 'pending';
}

/**
 * Records a review. Whether the run may still be reviewed, and whether its turn may still get a reply, is
 * read from the ledger inside an immediate transaction (db/transaction.ts inWriteTransaction): approving twice, approving a superseded
 * draft, or two consoles approving at once sends the customer one reply, and the others get a ReviewError.
 */
export function reviewDraft(db: Db, input: ReviewInput, reviewer: Actor): { runId: string; action: string; seq: number } {
  return inWriteTransaction(db, () => {
    // The projection says which ticket the run belongs to; everything decided below comes from the ledger.
    const ticketId = getRun(db, input.runId)?.ticketId;
    const turn = ticketId ? readTicketTurn(db, ticketId) : null;
    const run = turn?.runs.get(input.runId);
    if (!turn || !run) throw new NotFoundError(`no AI run ${input.runId}`);
    if (run.review?.supersededBy) throw new ReviewError(`run ${input.runId} was superseded by run ${run.review.supersededBy}: review that draft instead`);
    if (run.review) throw new ReviewError(`run ${input.runId} was already reviewed (${run.review.action})`);
    if (run.action !== 'await_review' && run.action !== 'hand_off') throw new ReviewError(`run ${input.runId} was not waiting for review (${run.action})`);
    // Rejecting sends nothing, so a stale draft may always be rejected; anything that sends needs its turn open.
    const closed = input.action === 'reject' ? null : whyTurnIsClosed(turn, run);
    if (closed) throw new ReviewError(`not sent: ${closed}`);
    if (!run.draft && input.action !== 'reject' && !(input.action === 'edit' && input.body?.trim())) throw new ReviewError('this hand-off has no draft to approve; edit it with a reply or reject it');
    const at = new Date().toISOString();
    const lines: Record<string, unknown>[] = [];
    if (input.action === 'reject') {
      if (!input.reason?.trim()) throw new ReviewError('a rejection needs a reason');
      lines.push({ ticket: turn.ticketId, type: 'ai.review', at, actor: reviewer, run_id: run.runId, action: 'reject', reason: input.reason.trim() });
    } else {
      // The organization's signature and disclosure as they stand when the reply is sent.
      const closing = replyClosing(loadOrganizationSettings(db));
      const original = customerReply(run.draft || '', closing);
      let body = original;
      let diff: string | undefined;
      if (input.action === 'edit') {
        if (!input.body?.trim()) throw new ReviewError('an edit needs the new text');
        body = input.body.trim();
        diff = createTwoFilesPatch(`${run.runId} (AI draft)`, `${run.runId} (sent)`, original + '\n', body + '\n', undefined, undefined, { context: 2 });
      }
      lines.push({
        ticket: turn.ticketId, type: 'ai.review', at, actor: reviewer, run_id: run.runId, action: input.action,
        ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}), ...(diff ? { diff } : {}),
      });
      // Unchanged drafts are the AI's reply, approved by a person, and carry the AI disclosure; edited ones are the
      // reviewer's own message (the diff above records what they changed).
      const author: Actor = input.action === 'approve' ? { kind: 'ai', model: run.model } : reviewer;
      const message = input.action === 'approve' ? aiReplyFields(author, customerText(run.draft), closing) : { author, public: true, body };
      lines.push({ ticket: turn.ticketId, type: 'message', at, ...message });
      lines.push({ ticket: turn.ticketId, type: 'status', at, status: input.status ?? 'solved', by: author });
    }
    const recorded = recordEvents(db, lines);
    return { runId: run.runId, action: input.action, seq: recorded[0]!.seq };
  });
}
