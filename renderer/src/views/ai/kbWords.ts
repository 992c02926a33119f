// The words the knowledge-base panel uses for a version and for what became of an AI reply.
import type { KbCitingRun, KbVersionRow } from '../../../../shared/contracts/ai.ts';
import { formatDateTime, humanize } from '../../lib/format.ts';

export const NO_REASON = '(no reason recorded)';

/** "import by sup-1, 2026-11-30 09:50Z" */
export const versionMade = (v: KbVersionRow): string => `${v.action} by ${v.actor}, ${formatDateTime(v.at)}`;

export const versionReason = (v: KbVersionRow): string => v.reason ?? NO_REASON;

const REVIEWS: Record<string, string> = {
  approve: 'approved and sent',
  edit: 'edited, then sent',
  reject: 'rejected',
  superseded: 'replaced by a newer draft',
};

/** What became of an AI run's reply: sent, waiting for review (and the verdict), or handed to a person. */
export function runOutcome(run: KbCitingRun): string {
  if (run.review) return REVIEWS[run.review] ?? humanize(run.review);
  switch (run.action) {
    case 'send_solve':
      return 'sent, ticket solved';
    case 'send_pending':
      return 'sent, waiting for the customer';
    case 'await_review':
      return 'draft awaiting review';
    case 'hand_off':
      return `handed to a person${run.reason ? ` (${humanize(run.reason)})` : ''}`;
    default:
      return humanize(run.action);
  }
}
