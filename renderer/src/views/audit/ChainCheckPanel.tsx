// Verify the chain and the checkpoints: the console's one verifier (the chain monitor, the same one the status bar
// drives) re-reads every event, recomputes the root of every stored checkpoint and checks every signature; this
// panel starts it and shows its progress and verdict, then lists the checkpoints with their cosignatures.
import type { ChainMonitorStatus } from '../../../../shared/contract.ts';
import { formatCount, formatTimestamp, humanize } from '../../lib/format.ts';
import { useChain } from '../../state/chain.ts';
import { useContractCall } from '../../hooks/useContractCall.ts';

function verdict(monitor: ChainMonitorStatus | null): { state: string; text: string } {
  if (!monitor) return { state: 'unknown', text: 'Not checked yet.' };
  if (monitor.state === 'verifying') return { state: 'verifying', text: 'Verifying…' };
  if (monitor.state === 'failed') return { state: 'failed', text: `Could not verify: ${monitor.error ?? 'unknown error'}` };
  const status = monitor.status!;
  if (monitor.state === 'verified') {
    return { state: 'intact', text: `Chain intact: ${formatCount(status.eventCount)} events re-read; every stored checkpoint matches the ledger and every signature its record (${formatTimestamp(monitor.verifiedAt!)}).` };
  }
  return { state: 'broken', text: `${status.problems.length} problem${status.problems.length === 1 ? '' : 's'} found.` };
}

export function ChainCheckPanel() {
  const monitor = useChain((s) => s.monitor);
  const verifying = useChain((s) => s.verifying);
  const verify = useChain((s) => s.verify);
  const checkpoints = useContractCall('audit.checkpoints', {});
  const running = verifying || monitor?.state === 'verifying';
  const progress = monitor?.progress ?? null;
  const { state, text } = verdict(monitor);
  return (
    <section className="oc-card" data-testid="au-chain">
      <div className="oc-head">
        <h3>Chain and checkpoints</h3>
        <button type="button" onClick={() => void verify()} disabled={running} data-testid="au-verify">
          {running ? 'Verifying…' : 'Verify now'}
        </button>
      </div>
      {running ? (
        <progress
          className="au-progress"
          data-testid="au-verify-progress"
          max={progress?.total || 1}
          value={progress?.checked ?? 0}
          aria-label="Chain verification progress"
        />
      ) : null}
      {running && progress ? (
        <p className="oc-muted">
          {formatCount(progress.checked)} of {formatCount(progress.total)} events re-read
        </p>
      ) : null}
      <p className={`au-verdict is-${state}`} data-testid="au-verdict" data-state={state}>
        {text}
      </p>
      {monitor?.status && monitor.status.problems.length > 0 ? (
        <ul className="au-findings" data-testid="au-findings">
          {monitor.status.problems.map((p, i) => (
            <li key={i}>
              <strong>{humanize(p.problem)}</strong>
              {p.seq !== null ? ` at #${p.seq}` : ''}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <h4>Stored checkpoints ({checkpoints.value?.length ?? '…'})</h4>
      {checkpoints.error ? <p className="oc-error">{checkpoints.error.message}</p> : null}
      {checkpoints.value?.length === 0 ? <p className="oc-muted">No signed checkpoint yet (attest checkpoint, an export, or issuing a statement signs one).</p> : null}
      {checkpoints.value?.length ? (
        <div className="au-scroll">
          <table className="oc-table" data-testid="au-checkpoints">
            <thead>
              <tr>
                <th>Event</th>
                <th className="oc-num">Tree size</th>
                <th>Root (base64)</th>
                <th>Signed at</th>
                <th>Cosignatures</th>
              </tr>
            </thead>
            <tbody>
              {checkpoints.value.map((c) => (
                <tr key={c.seq} data-testid="au-checkpoint">
                  <td>#{c.seq}</td>
                  <td className="oc-num">{formatCount(c.treeSize)}</td>
                  <td>
                    <code title={`signed by ${c.key}`}>{c.rootHash}</code>
                  </td>
                  <td>{formatTimestamp(c.at)}</td>
                  <td data-testid="au-cosignatures">
                    {c.cosignatures.length === 0
                      ? 'none'
                      : c.cosignatures.map((co) => (
                          <div key={co.seq} title={co.cosigner}>
                            {co.name} ({formatTimestamp(new Date(co.timestamp * 1000).toISOString())}, event #{co.seq})
                          </div>
                        ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
