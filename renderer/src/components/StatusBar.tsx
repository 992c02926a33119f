import type { ChainMonitorStatus } from '../../../shared/contract.ts';
import { formatCount, formatTimestamp, humanize, shortHash } from '../lib/format.ts';
import { useChain } from '../state/chain.ts';
import { useNavigation } from '../state/navigation.ts';

type DisplayState = 'unknown' | 'verifying' | 'intact' | 'broken' | 'failed';

function displayState(monitor: ChainMonitorStatus | null): DisplayState {
  if (!monitor) return 'unknown';
  if (monitor.state === 'failed') return 'failed';
  // A running check never shows an older verdict as current: it says what it is doing.
  if (monitor.state === 'verifying') return 'verifying';
  return monitor.state === 'verified' ? 'intact' : 'broken';
}

/** The chain's state as the core's monitor re-read it since the file was opened: what, how much and when. */
export function StatusBar() {
  const monitor = useChain((s) => s.monitor);
  const verifying = useChain((s) => s.verifying);
  const verify = useChain((s) => s.verify);
  const openTicket = useNavigation((s) => s.openTicket);
  const state = displayState(monitor);
  const status = monitor?.status ?? null;
  const finding = status?.problems[0] ?? null;
  const progress = monitor?.progress ?? null;

  return (
    <footer className={`statusbar chain-${state}`}>
      <span className="chain-dot" aria-hidden="true" />
      <span className="chain-text" data-testid="chain-status" data-chain-state={state} role="status" aria-live="polite" title={status?.message}>
        {state === 'unknown' && 'Checking chain…'}
        {state === 'verifying' &&
          (progress && progress.total > 0
            ? `Verifying chain… ${formatCount(progress.checked)} of ${formatCount(progress.total)} events re-read`
            : 'Verifying chain…')}
        {state === 'intact' &&
          monitor?.verifiedAt &&
          `Chain verified · ${formatCount(status!.eventCount)} events at ${formatTimestamp(monitor.verifiedAt)} · head ${shortHash(status!.headHash)}…`}
        {state === 'broken' && finding && `${finding.seq !== null ? `Chain broken at #${finding.seq}` : 'Ledger check failed'}: ${finding.message}`}
        {state === 'failed' && `Chain could not be verified: ${monitor?.error ?? 'unknown error'}`}
      </span>
      {state === 'verifying' && progress && progress.total > 0 && (
        <progress className="chain-progress" data-testid="chain-progress" max={progress.total} value={progress.checked} aria-label="Chain verification progress" />
      )}
      {state === 'broken' && finding && <span className="chain-problem">{humanize(finding.problem)}</span>}
      {state === 'broken' && finding?.ticket && (
        <button type="button" className="button button-small" data-testid="chain-break-ticket" onClick={() => openTicket(finding.ticket!, finding.seq !== null ? [finding.seq] : [])}>
          Open {finding.ticket}
        </button>
      )}
      {monitor?.fullCheckAt && (
        <span className="muted small" data-testid="chain-verified-scope" title={`last full re-read ${monitor.fullCheckAt}`}>
          {formatCount(monitor.verifiedEvents)} events re-read since opened · full check {formatTimestamp(monitor.fullCheckAt)}
        </span>
      )}
      {monitor?.deep && (
        <span className="muted small" data-testid="chain-deep" data-deep-state={monitor.deep.state} title={monitor.deep.message ?? undefined}>
          {monitor.deep.state === 'running' && 'projections: re-deriving…'}
          {monitor.deep.state === 'passed' && `projections match the ledger (${formatCount(monitor.deep.rowsCompared)} rows)`}
          {monitor.deep.state === 'failed' && 'projections differ from the ledger'}
          {monitor.deep.state === 'error' && 'projection check could not run'}
          {monitor.deep.state === 'skipped' && 'projections: too large to re-derive here (attest verify --deep)'}
        </span>
      )}
      <button type="button" className="button button-small" data-testid="verify-button" onClick={() => void verify()} disabled={verifying || state === 'verifying'}>
        {verifying || state === 'verifying' ? 'Verifying…' : 'Verify now'}
      </button>
    </footer>
  );
}
