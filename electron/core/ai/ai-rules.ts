// The rule book of AI reviews: a review answers one AI run of the same ticket, once. It runs in the ledger's append
// path, so a restored export or a retried click obeys it as the console's review path does.
import type { AppendingEvent } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';
import type { LedgerReader } from '../ledger/ledger-reader.ts';

export function aiReviewRule(event: AppendingEvent, ledger: LedgerReader): void {
  const runId = event.payload.run_id;
  const history = ledger.ofTicket(event.ticket!);
  if (!history.some((e) => e.type === 'ai.decision' && e.payload.run_id === runId)) {
    throw new LineError('run_id', `no AI decision of run ${String(runId)} on ticket ${event.ticket}: a review answers a run the AI recorded`);
  }
  const earlier = history.find((e) => e.type === 'ai.review' && e.payload.run_id === runId);
  if (earlier) throw new LineError('run_id', `run ${String(runId)} was already reviewed (#${earlier.seq}, ${String(earlier.payload.action)})`);
}
