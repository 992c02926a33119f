import { getApi } from '../../api/index.ts';
import { useNavigation } from '../../state/navigation.ts';
import { useAiData } from './useAiData.ts';

export function GapsPanel() {
  const { data, error } = useAiData(() => getApi()['ai.gaps'](), []);
  return (
    <section className="ai-card" data-testid="ai-gaps">
      <h3>Knowledge gaps</h3>
      {error && <p className="ai-error">{error}</p>}
      {!data && !error && <p>Loading…</p>}
      {data?.length === 0 && <p data-testid="ai-gaps-empty">No gaps yet: rejected or edited drafts and missing_knowledge hand-offs appear here.</p>}
      <ul>
        {data?.map((group) => (
          <li key={group.topic} data-testid="ai-gap">
            <strong>{group.topic}</strong> — {group.count} ({Object.entries(group.reasons).map(([k, n]) => `${k} ${n}`).join(', ')})
            <ul>
              {group.runs.slice(0, 5).map((run) => (
                <li key={run.runId}>
                  <button type="button" className="ai-link" onClick={() => useNavigation.getState().openTicket(run.ticketId, [run.seq])}>{run.ticketId}</button> {run.kind}
                  {run.reason && `: ${run.reason}`}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
