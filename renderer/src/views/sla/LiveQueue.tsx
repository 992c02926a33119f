// Running clocks about to breach (soonest first, with a live countdown), then the breached ones, marked.
import { useEffect, useState } from 'react';
import type { SlaLiveRow } from '../../../../shared/contracts/sla.ts';
import { formatCount, formatDuration } from '../../../../shared/format.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useNavigation } from '../../state/navigation.ts';
import { METRIC_LABELS, useSlaCall } from './useSlaCall.ts';

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function LiveQueue({ warningMinutes, asOf }: { warningMinutes: number; asOf: string | undefined }) {
  const { value, loading, error } = useSlaCall('sla.live', { warningMinutes, asOf, limit: 50 });
  const openTicket = useNavigation((s) => s.openTicket);
  const now = useNow();
  const [loadedAt, setLoadedAt] = useState(() => Date.now());
  useEffect(() => setLoadedAt(Date.now()), [value]);
  // With a fixed "as of" time the countdown stands still; against the real clock it runs.
  const drift = asOf === undefined ? now - loadedAt : 0;
  const row = (r: SlaLiveRow) => {
    const remaining = r.remainingMs - drift;
    const breached = remaining <= 0;
    return (
      <li key={`${r.ticket}-${r.metric}-${r.instance}`} className={breached ? 'sla-live-row is-breached' : 'sla-live-row'} data-testid={breached ? 'sla-live-breached' : 'sla-live-approaching'}>
        <span className="sla-countdown" data-testid="sla-countdown">{breached ? `breached ${formatDuration(-remaining / 1000)} ago` : `due in ${formatDuration(remaining / 1000)}`}</span>
        <button type="button" className="sla-link" onClick={() => openTicket(r.ticket)}>
          {r.ticket}
        </button>
        <span className="sla-subject">{r.subject}</span>
        <span className="sla-muted">
          {METRIC_LABELS[r.metric]} · {r.priority} · {r.category} · {r.policyId}
        </span>
      </li>
    );
  };
  return (
    <section className="sla-card" data-testid="sla-live">
      <header className="sla-card-head">
        <h3>Live: breaching within {warningMinutes} min</h3>
        {value ? <span className="sla-muted">as of {formatDateTime(value.asOf)} · {formatCount(value.breachedTotal)} running clocks breached</span> : null}
      </header>
      {loading && !value ? <p className="sla-muted">Loading…</p> : null}
      {error ? <p className="sla-error">{error.message}</p> : null}
      {value && value.approaching.length === 0 && value.breached.length === 0 ? <p className="sla-muted" data-testid="sla-live-empty">No running clocks near or past their target.</p> : null}
      <ul className="sla-live-list">
        {value?.approaching.map(row)}
        {value?.breached.map(row)}
      </ul>
    </section>
  );
}
