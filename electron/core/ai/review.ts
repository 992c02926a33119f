// Human review of drafts: approve (send as written), edit (send the edited text, store the diff),
// reject (with a reason; nothing is sent). Each is an `ai.review` event by the reviewer.
import { InputError } from '../errors.ts';
import { createTwoFilesPatch } from 'diff';
import { inTransaction } from '../db/transaction.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { recordEvents } from '../derived/record-events.ts';
import { getRun } from './ai-repository.ts';
import { customerReply } from './pipeline.ts';

export class ReviewError extends InputError {}

export interface ReviewInput {
  runId: string;
  action: 'approve' | 'edit' | 'reject';
  body?: string;
  reason?: string;
  /** Status after sending: solved (default) or pending (waiting for the customer). */
  status?: 'solved' | 'pending';
}

export function reviewDraft(db: Db, input: ReviewInput, reviewer: Actor): { runId: string; action: string; seq: number } {
  return inTransaction(db, () => {
    const run = getRun(db, input.runId);
    if (!run) throw new ReviewError(`no AI run ${input.runId}`);
    if (run.review) throw new ReviewError(`run ${input.runId} was already reviewed (${run.review})`);
    if (run.action !== 'await_review' && run.action !== 'hand_off') throw new ReviewError(`run ${input.runId} was not waiting for review (${run.action})`);
    if (!run.draft && input.action !== 'reject' && !(input.action === 'edit' && input.body?.trim())) throw new ReviewError('this hand-off has no draft to approve; edit it with a reply or reject it');
    const at = new Date().toISOString();
    const lines: Record<string, unknown>[] = [];
    if (input.action === 'reject') {
      if (!input.reason?.trim()) throw new ReviewError('a rejection needs a reason');
      lines.push({ ticket: run.ticketId, type: 'ai.review', at, actor: reviewer, run_id: run.runId, action: 'reject', reason: input.reason.trim() });
    } else {
      const original = customerReply(run.draft || '');
      let body = original;
      let diff: string | undefined;
      if (input.action === 'edit') {
        if (!input.body?.trim()) throw new ReviewError('an edit needs the new text');
        body = input.body.trim();
        diff = createTwoFilesPatch(`${run.runId} (AI draft)`, `${run.runId} (sent)`, original + '\n', body + '\n', undefined, undefined, { context: 2 });
      }
      lines.push({
        ticket: run.ticketId, type: 'ai.review', at, actor: reviewer, run_id: run.runId, action: input.action,
        ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}), ...(diff ? { diff } : {}),
      });
      // Unchanged drafts are the AI's reply, approved by a person; edited ones are the reviewer's.
      const author: Actor = input.action === 'approve' ? { kind: 'ai', model: run.model } : reviewer;
      lines.push({ ticket: run.ticketId, type: 'message', at, author, public: true, body });
      lines.push({ ticket: run.ticketId, type: 'status', at, status: input.status ?? 'solved', by: author });
    }
    const recorded = recordEvents(db, lines);
    return { runId: run.runId, action: input.action, seq: recorded[0]!.seq };
  });
}
