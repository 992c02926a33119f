// Open disputes with their age (supervisors uphold or reject them with a reason), decided ones, and discrepancies.
import type { DisputeRow } from '../../../../shared/contracts/outcomes.ts';
import { useNavigation } from '../../state/navigation.ts';
import { useMayDo, type Permission } from '../../hooks/useMayDo.ts';
import { DisputeActions } from './DisputeActions.tsx';
import { SignatureLines } from '../../components/SignatureLines.tsx';
import { age, callApi, useOutcomeCall } from './useOutcomeCall.ts';

function DisputeItem({ d, decide }: { d: DisputeRow; decide: Permission }) {
  const openTicket = useNavigation((s) => s.openTicket);
  return (
    <li className="oc-dispute" data-testid="oc-dispute">
      <div>
        <button type="button" className="oc-link" onClick={() => openTicket(d.ticket, [d.verifiedSeq, d.seq, ...(d.decisionSeq ? [d.decisionSeq] : [])])}>
          {d.ticket}
        </button>{' '}
        <span className={`oc-status is-${d.state === 'open' ? 'held' : d.state === 'upheld' ? 'reversed' : 'billed'}`} data-testid="oc-dispute-state">
          {d.state}
        </span>{' '}
        {d.state === 'open' ? <span className="oc-muted" data-testid="oc-dispute-age">open for {age(d.openedAt)}</span> : null}
      </div>
      <div className="oc-muted">
        flagged by {d.openedBy}: {d.reason}
        {d.decidedBy ? ` · ${d.state} by ${d.decidedBy}: ${d.decisionReason}` : ''}
      </div>
      <SignatureLines signatures={d.decisionSignatures} />
      {d.state === 'open' ? (
        <DisputeActions
          permission={decide}
          testId="oc-decide"
          placeholder="Why (required)"
          actions={[
            { id: 'uphold', label: 'Uphold (reverse)', signed: true, run: (reason, signature) => callApi('outcomes.disputeUphold', { dispute: d.seq, reason, ...(signature ? { signature } : {}) }) },
            { id: 'reject', label: 'Reject (billable)', signed: true, run: (reason, signature) => callApi('outcomes.disputeReject', { dispute: d.seq, reason, ...(signature ? { signature } : {}) }) },
          ]}
        />
      ) : null}
    </li>
  );
}

export function DisputesPanel({ ready }: { ready: boolean }) {
  const list = useOutcomeCall('outcomes.disputes', ready ? {} : null);
  const openTicket = useNavigation((s) => s.openTicket);
  const decide = useMayDo('outcomes.disputeUphold', 'outcomes.disputeReject');
  const value = list.value;
  const open = value?.disputes.filter((d) => d.state === 'open') ?? [];
  const decided = value?.disputes.filter((d) => d.state !== 'open') ?? [];
  return (
    <section className="oc-card" data-testid="oc-disputes">
      <h3>Disputes</h3>
      {!value && list.loading ? <p className="oc-muted">Loading…</p> : null}
      {list.error ? <p className="oc-error">{list.error.message}</p> : null}
      {value && open.length === 0 ? <p className="oc-muted" data-testid="oc-disputes-empty">No open disputes. Auditors flag a verified outcome from its ticket.</p> : null}
      <ul className="oc-ticket-list" style={{ display: 'block', maxHeight: 'none' }}>
        {open.map((d) => (
          <DisputeItem key={d.seq} d={d} decide={decide} />
        ))}
      </ul>
      {decided.length > 0 ? (
        <details>
          <summary className="oc-muted">Decided ({decided.length})</summary>
          <ul className="oc-ticket-list" style={{ display: 'block', maxHeight: 'none' }}>
            {decided.map((d) => (
              <DisputeItem key={d.seq} d={d} decide={decide} />
            ))}
          </ul>
        </details>
      ) : null}
      {value && value.discrepancies.length > 0 ? (
        <>
          <h3 style={{ marginTop: 10 }}>Discrepancies for review ({value.discrepancies.length})</h3>
          <ul className="oc-ticket-list" style={{ display: 'block' }} data-testid="oc-discrepancies">
            {value.discrepancies.map((d) => (
              <li key={d.seq} className="oc-dispute">
                <div>
                  <button type="button" className="oc-link" onClick={() => openTicket(d.ticket, [d.verifiedSeq, ...d.evidence])}>
                    {d.ticket}
                  </button>{' '}
                  <span className="oc-muted">{d.reason}</span>
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
