// Whether the chosen period is open (a live view), issued (a closed document: by whom, when, its SHA-256 and the
// checkpoint it was computed under) or closed with a later issue; and, for supervisors and admins, the signed act
// that issues it. Every period's state is listed below so an auditor sees at a glance what is frozen.
import { useState } from 'react';
import type { PeriodState } from '../../../../shared/contracts/outcomes.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useSignature } from '../../components/SignatureDialog.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useChain } from '../../state/chain.ts';
import { useErrors } from '../../state/errors.ts';
import { callApi } from './useOutcomeCall.ts';

const STATE_WORDS: Record<PeriodState['state'], string> = {
  open: 'open',
  issued: 'issued',
  closed: 'closed (before the last issued period)',
};

function IssuedBy({ state }: { state: PeriodState }) {
  return (
    <span className="oc-muted" data-testid="oc-issued-by">
      issued by <strong>{state.issuedByName ?? state.issuedBy}</strong>
      {state.issuedByName && state.issuedBy ? ` (${state.issuedBy})` : ''} at {formatDateTime(state.issuedAt!)} · event #{state.seq} · SHA-256{' '}
      <code title={state.sha256 ?? ''} data-testid="oc-issued-sha">
        {state.sha256}
      </code>{' '}
      · checkpoint of {state.treeSize} events · total {state.total}
    </span>
  );
}

export function PeriodIssue({ states, period }: { states: PeriodState[]; period: string }) {
  const issuePermission = useMayDo('outcomes.issueStatement');
  const { signed, dialog } = useSignature();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const current = states.find((s) => s.period === period);

  const issue = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const what = `issue of the ${period} statement`;
    const res = await signed(what, (signature) => callApi('outcomes.issueStatement', { period, ...(signature ? { signature } : {}) }), {
      always: true,
      meaning: 'approved',
      fixedMeaning: true,
      reason: `Statement ${period} reviewed and issued`,
    });
    setBusy(false);
    if (res === null) return;
    if (res.ok) useChain.getState().ledgerChanged();
    else {
      setProblem(res.error.message);
      useErrors.getState().report('Issue statement', res.error);
    }
  };

  return (
    <div className="oc-panel" data-testid="oc-period-state" data-period={period} data-state={current?.state ?? 'unknown'}>
      <div className="oc-form">
        <span>
          {period}:{' '}
          <span className={`oc-status is-period-${current?.state ?? 'open'}`} data-testid="oc-period-state-label">
            {current ? STATE_WORDS[current.state] : '…'}
          </span>
          {current?.frontier ? <span className="oc-muted"> · first period not yet issued: changes to issued periods are posted here</span> : null}
        </span>
        {current?.state === 'open' ? (
          <>
            <button type="button" {...issuePermission.control} disabled={!issuePermission.allowed || busy} onClick={() => void issue()} data-testid="oc-issue">
              {busy ? 'Issuing…' : 'Issue statement'}
            </button>
            <RefusalNote permission={issuePermission} />
          </>
        ) : null}
      </div>
      {current?.state === 'issued' ? <IssuedBy state={current} /> : null}
      {current?.state === 'open' ? <p className="oc-muted">Open: a live view of the ledger. Issuing freezes it for good (signed, meaning “approved”).</p> : null}
      {problem ? <p className="oc-error" data-testid="oc-issue-error">{problem}</p> : null}
      <details>
        <summary className="oc-muted">All periods</summary>
        <table className="oc-table" data-testid="oc-period-states">
          <thead>
            <tr>
              <th>Period</th>
              <th>State</th>
              <th>Issued by</th>
              <th>At</th>
              <th>SHA-256</th>
              <th className="oc-num">Checkpoint size</th>
            </tr>
          </thead>
          <tbody>
            {states.map((s) => (
              <tr key={s.period} data-testid="oc-period-row" data-period={s.period} data-state={s.state}>
                <td>{s.period}</td>
                <td>
                  {s.state}
                  {s.frontier ? ' · frontier' : ''}
                </td>
                <td>{s.issuedByName ?? s.issuedBy ?? ''}</td>
                <td>{s.issuedAt ? formatDateTime(s.issuedAt) : ''}</td>
                <td>
                  <code title={s.sha256 ?? ''}>{s.sha256 ? `${s.sha256.slice(0, 16)}…` : ''}</code>
                </td>
                <td className="oc-num">{s.treeSize ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {dialog}
    </div>
  );
}
