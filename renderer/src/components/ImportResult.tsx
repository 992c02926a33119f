import { useImporter } from '../state/importer.ts';
import { formatCount, shortHash } from '../lib/format.ts';

const MAX_DETAIL_LINES = 200;

export function ImportResult() {
  const outcome = useImporter((s) => s.outcome);
  const dismiss = useImporter((s) => s.dismiss);
  if (!outcome) return null;

  if (outcome.kind === 'report') {
    const r = outcome.report;
    return (
      <section className="notice notice-ok" data-testid="import-report" role="status">
        <div className="notice-body">
          <strong>Imported {r.file}</strong>
          <span>{formatCount(r.linesRead)} lines read</span>
          <span data-testid="import-events-added">{formatCount(r.eventsAdded)} events added</span>
          <span>{formatCount(r.duplicatesSkipped)} duplicates skipped</span>
          <span>{formatCount(r.ticketsTouched)} tickets touched</span>
          <span className="mono" title={r.headHash}>head {shortHash(r.headHash)}…</span>
        </div>
        <button type="button" className="icon-button" onClick={dismiss} aria-label="Dismiss import report">×</button>
      </section>
    );
  }

  const details = (outcome.error.details ?? []).filter((line) => line !== outcome.error.message);
  return (
    <section className="notice notice-error" data-testid="import-error" role="alert">
      <div className="notice-body notice-stack">
        <strong>Import of {outcome.fileName} failed: {outcome.error.message}</strong>
        {details.length > 0 && (
          <ul className="detail-lines mono">
            {details.slice(0, MAX_DETAIL_LINES).map((line, i) => (
              <li key={i}>{line}</li>
            ))}
            {details.length > MAX_DETAIL_LINES && <li>…and {formatCount(details.length - MAX_DETAIL_LINES)} more</li>}
          </ul>
        )}
      </div>
      <button type="button" className="icon-button" onClick={dismiss} aria-label="Dismiss import error">×</button>
    </section>
  );
}
