// Ticket detail section: the ticket's billing state under the outcome contract, why, the evidence and the clause;
// auditors flag a verified outcome from here. Opening it only reads: without a recorded verification the state
// is a dry evaluation, labelled as such.
import { useNavigation } from '../../state/navigation.ts';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { DisputeActions } from './DisputeActions.tsx';
import { callApi, useOutcomeCall } from './useOutcomeCall.ts';
import { utcMinute } from './verification.ts';
import './outcomes.css';

const STATE_LABELS = { verified: 'Verified — billable', pending: 'Pending', not_billable: 'Not billable', reversed: 'Reversed', out_of_scope: 'Out of scope' } as const;

export function OutcomeTicketPanel({ ticketId }: { ticketId: string; ledgerVersion: number }) {
  const contracts = useOutcomeCall('outcomes.contracts', {});
  const hasContract = (contracts.value?.length ?? 0) > 0;
  const explanation = useOutcomeCall('outcomes.explain', hasContract ? { ticket: ticketId } : null);
  const flag = useMayDo('outcomes.disputeOpen');
  const openTicket = useNavigation((s) => s.openTicket);
  if (!contracts.value) return null;
  if (!hasContract) return null;
  const e = explanation.value;
  return (
    <section className="oc-panel" data-testid="oc-ticket-panel">
      <h4>Billing</h4>
      {!e && explanation.loading ? <p className="oc-muted">Checking the contract…</p> : null}
      {explanation.error ? <p className="oc-error">{explanation.error.message}</p> : null}
      {e ? (
        <>
          <p>
            <span className={`oc-state is-${e.state}`} data-testid="oc-ticket-state">{STATE_LABELS[e.state]}</span>{' '}
            <span data-testid="oc-ticket-reason">{e.reason}</span>
          </p>
          {e.basis === 'dry_evaluation' ? (
            <p className="oc-muted" data-testid="oc-ticket-basis">not yet verified — dry evaluation as of {utcMinute(e.asOf)} (nothing written)</p>
          ) : null}
          <p className="oc-muted">
            {e.contract ? `Contract ${e.contract}${e.version ? ` v${e.version}` : ''}` : ''}
            {e.clause ? ` · clause ${e.clause}` : ''}
            {e.evidence.length ? ' · evidence ' : ''}
            {e.evidence.length ? (
              <button type="button" className="oc-link" onClick={() => openTicket(ticketId, e.evidence)} data-testid="oc-ticket-evidence">
                {e.evidence.map((seq) => `#${seq}`).join(' ')}
              </button>
            ) : null}
          </p>
          {e.state === 'verified' && !e.dispute ? (
            <DisputeActions
              permission={flag}
              testId="oc-flag"
              placeholder="Why this should not be billed"
              actions={[{ id: 'open', label: 'Flag for dispute', run: (reason) => callApi('outcomes.disputeOpen', { ticket: ticketId, reason }) }]}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
