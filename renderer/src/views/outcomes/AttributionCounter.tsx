// Live attribution: verified (from the ledger), pending verification and rejected (a dry evaluation that writes
// nothing) outcomes of a period; each number opens its tickets. It opens on the latest period with data (the core's
// default), not on the calendar month, and offers every period with data.
import { useEffect, useState } from 'react';
import { useNavigation } from '../../state/navigation.ts';
import { useOutcomeCall } from './useOutcomeCall.ts';

type Bucket = 'verified' | 'pending' | 'rejected';
const LABELS: Record<Bucket, string> = { verified: 'Verified', pending: 'Pending verification', rejected: 'Rejected' };

export function AttributionCounter({ period, ready, onAsOf }: { period: string | undefined; ready: boolean; onAsOf?: (asOf: string) => void }) {
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const asked = picked ?? period;
  const counts = useOutcomeCall('outcomes.attribution', ready ? (asked ? { period: asked } : {}) : null);
  const asOf = counts.value?.asOf;
  useEffect(() => {
    if (asOf) onAsOf?.(asOf);
  }, [asOf, onAsOf]);
  const [open, setOpen] = useState<Bucket | null>(null);
  const openTicket = useNavigation((s) => s.openTicket);
  const value = counts.value;
  return (
    <section className="oc-card" data-testid="oc-attribution">
      <div className="oc-head">
        <h3>Attribution {value ? `· ${value.period}` : ''}</h3>
        {value && (value.periodsWithData?.length ?? 0) > 0 ? (
          <label className="oc-form">
            Period{' '}
            <select value={value.period} onChange={(e) => setPicked(e.target.value)} data-testid="oc-attribution-period">
              {value.periodsWithData!.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {value ? <span className="oc-muted">as of {value.asOf.slice(0, 16).replace('T', ' ')} UTC</span> : null}
      </div>
      {!value && counts.loading ? <p className="oc-muted">Counting…</p> : null}
      {counts.error ? <p className="oc-error">{counts.error.message}</p> : null}
      {value ? (
        <>
          <div className="oc-counters">
            {(['verified', 'pending', 'rejected'] as Bucket[]).map((bucket) => (
              <button
                key={bucket}
                type="button"
                className={`oc-counter is-${bucket}`}
                aria-pressed={open === bucket}
                onClick={() => setOpen(open === bucket ? null : bucket)}
                data-testid={`oc-count-${bucket}`}
              >
                <strong>{value[bucket].length}</strong>
                {LABELS[bucket]}
              </button>
            ))}
          </div>
          <p className="oc-muted" data-testid="oc-attribution-dry">
            Verified: from the ledger. Pending and rejected: dry evaluation as of {value.asOf.slice(0, 16).replace('T', ' ')} UTC, nothing written
            {value.awaitingVerification.length > 0 ? ` — ${value.awaitingVerification.length} windows have ended and await verification` : ''}.
          </p>
          {open ? (
            value[open].length === 0 ? (
              <p className="oc-muted" data-testid="oc-bucket-empty">No tickets.</p>
            ) : (
              <ul className="oc-ticket-list" data-testid="oc-bucket-list">
                {value[open].map((id) => (
                  <li key={id}>
                    <button type="button" className="oc-link" onClick={() => openTicket(id)} data-testid="oc-bucket-ticket">
                      {id}
                    </button>
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </>
      ) : null}
    </section>
  );
}
