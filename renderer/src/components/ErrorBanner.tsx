import { useErrors, type ShownError } from '../state/errors.ts';

export function ErrorBanner() {
  const errors = useErrors((s) => s.errors);
  const dismiss = useErrors((s) => s.dismiss);
  if (errors.length === 0) return null;
  return (
    <div className="error-stack" data-testid="error-banner" role="alert">
      {errors.map((e) => (
        <ErrorItem key={e.id} shown={e} onDismiss={() => dismiss(e.id)} />
      ))}
    </div>
  );
}

function ErrorItem({ shown, onDismiss }: { shown: ShownError; onDismiss: () => void }) {
  const { context, error } = shown;
  const details = (error.details ?? []).filter((line) => line !== error.message);
  return (
    <div className="notice notice-error">
      <div className="notice-body notice-stack">
        <strong>
          {context}: {error.message} <span className="code">{error.code}</span>
        </strong>
        {details.length > 0 && (
          <ul className="detail-lines mono">
            {details.slice(0, 20).map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="icon-button" onClick={onDismiss} aria-label="Dismiss error">×</button>
    </div>
  );
}
