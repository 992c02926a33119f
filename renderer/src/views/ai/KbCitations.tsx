// Which AI replies cited one version of an article (kb.citations), newest first, a page at a time; each opens
// its ticket at the AI's decision.
import { useState } from 'react';
import { formatCount } from '../../../../shared/format.ts';
import { getApi } from '../../api/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useNavigation } from '../../state/navigation.ts';
import { runOutcome } from './kbWords.ts';
import { useAiData } from './useAiData.ts';

const PAGE = 50;

export function KbCitations({ id, version }: { id: string; version: number }) {
  const [offset, setOffset] = useState(0);
  const { data, error } = useAiData(() => getApi()['kb.citations']({ id, version, limit: PAGE, offset }), [id, version, offset]);
  const openTicket = useNavigation((s) => s.openTicket);
  return (
    <section className="kb-citations" data-testid="kb-citations" data-version={version} aria-label={`AI replies that cited version ${version}`}>
      <h5>AI replies that cited version {version}</h5>
      {error && <p className="ai-error">{error}</p>}
      {!data && !error && <p>Loading…</p>}
      {data?.total === 0 && <p data-testid="kb-citations-none">No AI reply cited version {version}.</p>}
      {data && data.total > 0 && (
        <>
          <p className="ai-meta" data-testid="kb-citations-count">
            {formatCount(data.total)} {data.total === 1 ? 'reply' : 'replies'}; showing {formatCount(data.offset + 1)}–{formatCount(data.offset + data.runs.length)}, newest first.
          </p>
          <ul className="kb-citation-list">
            {data.runs.map((run) => (
              <li key={run.runId} data-testid="kb-citation" data-ticket={run.ticketId} data-run={run.runId}>
                <button type="button" className="ai-link" onClick={() => openTicket(run.ticketId, [run.decisionSeq])} data-testid="kb-citation-open">
                  {run.ticketId}
                </button>{' '}
                {runOutcome(run)} · {formatDateTime(run.decidedAt)} · run {run.runId}
              </li>
            ))}
          </ul>
          <div className="ai-actions">
            <button type="button" onClick={() => setOffset(Math.max(0, offset - PAGE))} disabled={offset === 0} data-testid="kb-citations-prev">Newer</button>
            <button type="button" onClick={() => setOffset(offset + PAGE)} disabled={offset + data.runs.length >= data.total} data-testid="kb-citations-next">Older</button>
          </div>
        </>
      )}
    </section>
  );
}
