// The session gap report (audit.gaps): days on which the ledger recorded events with no session.started before
// them — no record of the clock, time zone and Attest version that wrote them — and clocks that ran backwards.
import { useState } from 'react';
import { useContractCall } from '../../hooks/useContractCall.ts';
import { formatCount } from '../../lib/format.ts';
import { IsoDateInput, isIsoDay } from '../../components/IsoDateInput.tsx';

export function GapsPanel() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const range = { ...(isIsoDay(from) ? { from } : {}), ...(isIsoDay(to) ? { to } : {}) };
  const report = useContractCall('audit.gaps', range);
  const r = report.value;
  return (
    <section className="oc-card" data-testid="au-gaps">
      <h3>Session gaps</h3>
      <p className="oc-muted">Every console, CLI command and job that writes records a session.started (clock, time zone, Attest version). Days with events and no such record are listed here.</p>
      <div className="oc-form">
        <label>
          From <IsoDateInput value={from} onChange={setFrom} data-testid="au-gaps-from" />
        </label>
        <label>
          To <IsoDateInput value={to} onChange={setTo} data-testid="au-gaps-to" />
        </label>
      </div>
      {report.error ? <p className="oc-error">{report.error.details?.join('; ') || report.error.message}</p> : null}
      {r ? (
        <p className="oc-muted" data-testid="au-gaps-summary">
          {r.from ?? 'first day'} – {r.to ?? 'last day'}: {formatCount(r.events)} events, {formatCount(r.sessionStarts)} session starts, {r.findings.length} finding
          {r.findings.length === 1 ? '' : 's'}.
        </p>
      ) : null}
      {r && r.findings.length > 0 ? (
        <ul className="au-list au-scroll" data-testid="au-gaps-findings">
          {r.findings.map((f, i) => (
            <li key={i} data-testid="au-gap" data-kind={f.kind}>
              <strong>{f.day}</strong> {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
