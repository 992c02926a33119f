import { getApi } from '../../api/index.ts';
import { useAiData } from './useAiData.ts';

export function HealthPanel({ check = 0 }: { check?: number }) {
  const { data, error, reload } = useAiData(() => getApi()['ai.health'](), [check]);
  return (
    <section className="ai-card" data-testid="ai-health">
      <h3>
        Ollama <button type="button" onClick={reload} data-testid="ai-health-refresh">Check again</button>
      </h3>
      {error && <p className="ai-error">{error}</p>}
      {!data && !error && <p>Checking the Ollama server…</p>}
      {data && (
        <>
          <p data-testid="ai-health-status" className={data.message ? 'ai-error' : 'ai-ok'}>
            {data.message ?? `Ollama ${data.version} at ${data.host} is ready with ${data.model}.`}
          </p>
          {data.reachable && (
            <ul className="ai-models" data-testid="ai-health-models">
              {data.models.map((m) => (
                <li key={m.name}>
                  <strong>{m.name}</strong> {m.parameterSize} {m.quantization} <code>{m.digest.slice(0, 12)}</code>
                </li>
              ))}
              {data.models.length === 0 && <li>No models on the server.</li>}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
