import { getApi } from '../../api/index.ts';
import { LiveDraft } from './LiveDraft.tsx';
import { useAiData } from './useAiData.ts';

export function AiTicketPanel({ ticketId, ledgerVersion }: { ticketId: string; ledgerVersion: number }) {
  const { data, error } = useAiData(() => getApi()['ai.attribution']({ ticketId }), [ticketId, ledgerVersion]);
  return (
    <section className="ai-card ai-attribution" data-testid="ai-attribution">
      <h4>AI attribution</h4>
      {error && <p className="ai-error">{error}</p>}
      {data?.length === 0 && <p data-testid="ai-attribution-empty">The AI has not worked on this ticket.</p>}
      {data && data.length > 0 && (
        <ol>
          {data.map((step) => (
            <li key={step.seq} data-testid="ai-attribution-step" data-type={step.type}>
              <span className="ai-step">#{step.seq} {step.type}</span> {step.summary}
              <div className="ai-meta">
                {step.model && <span data-testid="ai-attribution-model">{step.model.name}{step.model.digest && ` @${step.model.digest.slice(0, 12)}`}</span>}
                {step.prompt && <span> · prompt {step.prompt.template_id} ({step.prompt.template_hash.slice(0, 8)})</span>}
                {step.options && <span> · temperature {step.options.temperature}, seed {step.options.seed}</span>}
                {step.metrics && step.metrics.eval_count !== undefined && (
                  <span> · {step.metrics.prompt_eval_count} prompt / {step.metrics.eval_count} output tokens, {((step.metrics.total_duration ?? 0) / 1e9).toFixed(2)} s</span>
                )}
                {step.articles.length > 0 && (
                  <span data-testid="ai-attribution-articles"> · articles: {step.articles.map((a) => `${a.title} (${a.id} v${a.version})`).join(', ')}</span>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
      <LiveDraft ticketId={ticketId} />
    </section>
  );
}
