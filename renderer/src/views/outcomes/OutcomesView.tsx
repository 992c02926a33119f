// Outcomes: verification runs when the view opens; then the live attribution counter, the statement of a period
// and the disputes screen.
import { useEffect, useState } from 'react';
import { AttributionCounter } from './AttributionCounter.tsx';
import { DisputesPanel } from './DisputesPanel.tsx';
import { StatementPanel } from './StatementPanel.tsx';
import { useOutcomeCall } from './useOutcomeCall.ts';
import { ensureVerified } from './verification.ts';
import './outcomes.css';

export function OutcomesView() {
  const [ready, setReady] = useState(false);
  const [period, setPeriod] = useState('');
  useEffect(() => {
    let live = true;
    void ensureVerified().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  const contracts = useOutcomeCall('outcomes.contracts', ready ? {} : null);
  const periods = useOutcomeCall('outcomes.periods', ready ? {} : null);
  const list = periods.value ?? [];
  const chosen = period || list[0] || '';

  if (!ready) return <main className="oc-view" data-testid="oc-view"><p className="oc-muted" data-testid="oc-verifying">Verifying outcomes…</p></main>;
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
          <AttributionCounter period={undefined} ready={ready} />
          {chosen ? <StatementPanel periods={list} period={chosen} onPeriod={setPeriod} /> : <p className="oc-muted">No verified resolutions yet.</p>}
        </div>
        <div className="oc-side">
          <DisputesPanel ready={ready} />
        </div>
      </div>
    </main>
  );
}
