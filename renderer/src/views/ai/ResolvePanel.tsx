import { useEffect, useState } from 'react';
import type { AiProgress } from '../../../../shared/contracts/ai.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { useAiData } from './useAiData.ts';
import { formatDateTime } from '../../lib/format.ts';

export function ResolvePanel() {
  const { data, error } = useAiData(() => getApi()['ai.status'](), []);
  const [progress, setProgress] = useState<AiProgress | null>(null);
  useEffect(() => getApi().subscribe('ai.progress', setProgress), []);
  const shown = progress ?? data?.progress ?? null;
  const resolve = useMayDo('ai.resolve');
  const cancelRun = useMayDo('ai.cancel');
  const start = () => void getApi()['ai.resolve']({}).then((r) => r.ok && setProgress(r.value));
  const cancel = () => void getApi()['ai.cancel']({});
  return (
    <section className="ai-card" data-testid="ai-resolve">
      <h3>Resolution queue</h3>
      {error && <p className="ai-error">{error}</p>}
      {data && (
        <p data-testid="ai-eligible">
          {data.eligible} ticket(s) wait for the AI
          {data.eligibleByCategory.length > 0 && ` (${data.eligibleByCategory.map((c) => `${c.category} ${c.tickets}, ${c.mode}`).join('; ')})`}.
        </p>
      )}
      <button type="button" onClick={start} {...resolve.control} disabled={!resolve.allowed || shown?.running} data-testid="ai-resolve-start">Resolve now</button>{' '}
      <button type="button" onClick={cancel} {...cancelRun.control} disabled={!cancelRun.allowed || !shown?.running} data-testid="ai-resolve-cancel">Cancel</button>{' '}
      <RefusalNote permission={resolve} />
      {shown && (shown.running || shown.total > 0 || shown.message) && (
        <div data-testid="ai-progress">
          <progress max={Math.max(1, shown.total)} value={shown.done} />{' '}
          {shown.done}/{shown.total} — sent {shown.sent}, review {shown.awaitingReview}, handed off {shown.handedOff}
          {shown.running && shown.paused && (
            <p className="ai-paused" role="status" data-testid="ai-paused">
              Paused since {formatDateTime(shown.paused.since)}: {shown.paused.reason}. Retrying by itself; nothing is handed off meanwhile.
            </p>
          )}
          {shown.message && <p className="ai-error">{shown.message}</p>}
        </div>
      )}
    </section>
  );
}
