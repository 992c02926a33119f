// Outcomes: the contract, the verification job (started by a supervisor, never by opening the view), the live
// attribution counter, the statement of a period and the disputes screen. Opening the view only reads.
import { useState } from 'react';
import { AttributionCounter } from './AttributionCounter.tsx';
import { DisputesPanel } from './DisputesPanel.tsx';
import { StatementPanel } from './StatementPanel.tsx';
import { useOutcomeCall } from './useOutcomeCall.ts';
import { VerificationPanel } from './VerificationPanel.tsx';
import './outcomes.css';

export function OutcomesView() {
  const [period, setPeriod] = useState('');
  const [dryAsOf, setDryAsOf] = useState<string | null>(null);
  const contracts = useOutcomeCall('outcomes.contracts', {});
  const periods = useOutcomeCall('outcomes.periods', {});
  const list = periods.value ?? [];
  const chosen = period || list[0] || '';

  if (contracts.value && contracts.value.length === 0) {
    return (
      <main className="oc-view" data-testid="oc-view">
        <p className="oc-muted" data-testid="oc-no-contract">No outcome contract yet. Load one with <code>attest contract import --db FILE CONTRACT.json</code>.</p>
      </main>
    );
  }
  const latest = contracts.value?.[contracts.value.length - 1];
  return (
    <main className="oc-view" data-testid="oc-view">
      {latest ? (
        <p className="oc-muted" data-testid="oc-contract">
          Contract {latest.id} v{latest.version} (from {latest.effectiveFrom}, {latest.timezone}): {latest.price} {latest.currency} per verified resolution of{' '}
          {latest.categories.length ? latest.categories.join(', ') : 'any category'}; window {latest.criteria.verificationWindowHours} h
          {latest.criteria.minCsat != null ? `, CSAT ≥ ${latest.criteria.minCsat}` : ''}
          {latest.criteria.requireSla.length ? `, SLA ${latest.criteria.requireSla.join(', ')}` : ''}; clawback {latest.clawbackDays} days.
        </p>
      ) : null}
      <div className="oc-columns">
        <div className="oc-main">
          <VerificationPanel dryAsOf={dryAsOf} />
          <AttributionCounter period={undefined} ready onAsOf={setDryAsOf} />
          {chosen ? <StatementPanel periods={list} period={chosen} onPeriod={setPeriod} /> : <p className="oc-muted">No verified resolutions yet.</p>}
        </div>
        <div className="oc-side">
          <DisputesPanel ready />
        </div>
      </div>
    </main>
  );
}
