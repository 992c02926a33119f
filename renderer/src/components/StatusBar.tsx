import { formatCount, formatTimestamp, shortHash } from '../lib/format.ts';
import { useChain } from '../state/chain.ts';

export function StatusBar() {
  const status = useChain((s) => s.status);
  const verifying = useChain((s) => s.verifying);
  const verify = useChain((s) => s.verify);

  const state = status === null ? 'unknown' : status.intact ? 'intact' : 'broken';
  return (
    <footer className={`statusbar chain-${state}`}>
      <span className="chain-dot" aria-hidden="true" />
      <span className="chain-text" data-testid="chain-status" data-chain-state={state} role="status" aria-live="polite">
        {status === null && 'Checking chain…'}
        {status?.intact === true &&
          `Chain verified · ${formatCount(status.eventCount)} events · head ${shortHash(status.headHash)}…`}
        {status?.intact === false &&
          `Chain broken at #${status.firstBadSeq ?? '?'}: ${status.message}`}
      </span>
      {status && !status.intact && status.problem && <span className="chain-problem">{status.problem.replace(/_/g, ' ')}</span>}
      {status && (
        <span className="muted small" title={status.checkedAt}>
          checked {formatTimestamp(status.checkedAt)} · {formatCount(status.eventCount)} events
        </span>
      )}
      <button type="button" className="button button-small" data-testid="verify-button" onClick={() => void verify()} disabled={verifying}>
        {verifying ? 'Verifying…' : 'Verify now'}
      </button>
    </footer>
  );
}
