// The access log: sign-ins, failed sign-ins, lockouts, sign-outs, expired sessions, exports, packs and settings
// views — ledger events in the same hash chain as the tickets. Newest first, filtered, in pages.
import { useState } from 'react';
import { ACCESS_EVENT_TYPES, type AccessEventType } from '../../../../shared/contracts/people.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useContractCall } from '../../hooks/useContractCall.ts';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { formatTimestamp } from '../../lib/format.ts';
import './people.css';
import { IsoDateInput, isIsoDay, localDayTimeToIso } from '../../components/IsoDateInput.tsx';

const PAGE_SIZE = 50;

const LABELS: Record<AccessEventType, string> = {
  'access.login': 'sign-in',
  'access.loginFailed': 'failed sign-in',
  'access.lockout': 'lockout',
  'access.logout': 'sign-out',
  'access.expired': 'session expired',
  'access.export': 'export',
  'access.pack': 'evidence pack',
  'access.settingsViewed': 'settings viewed',
};

/** A date input's day as the start or end of that UTC day (the ledger's clock). */
/** A day typed YYYY-MM-DD is a day on the reader's clock (the times below are shown on it): its first or last instant. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!isIsoDay(day)) return undefined;
  if (!end) return localDayTimeToIso(`${day} 00:00`) ?? undefined;
  const nextDay = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return new Date(Date.parse(localDayTimeToIso(`${nextDay} 00:00`)!) - 1).toISOString();
}

export function AccessLogView() {
  const permission = useMayDo('access.log');
  const [types, setTypes] = useState<AccessEventType[]>([]);
  const [account, setAccount] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const input = permission.allowed
    ? { types, account: account.trim(), from: dayBound(from, false), to: dayBound(to, true), offset, limit: PAGE_SIZE }
    : null;
  const page = useContractCall('access.log', input);
  const refilter = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setOffset(0);
  };
  const toggleType = refilter((type: AccessEventType) => setTypes((all) => (all.includes(type) ? all.filter((t) => t !== type) : [...all, type])));

  if (!permission.allowed) {
    return (
      <section className="people" data-testid="access-log-view">
        <h2>Access log</h2>
        <RefusalNote permission={permission} className="refusal-block" />
      </section>
    );
  }
  const total = page.value?.total ?? 0;
  return (
    <section className="people" data-testid="access-log-view">
      <h2>Access log</h2>
      <form className="access-filters" onSubmit={(e) => e.preventDefault()} aria-label="Access log filters">
        <fieldset>
          <legend>Kinds</legend>
          {ACCESS_EVENT_TYPES.map((type) => (
            <label key={type} className="check">
              <input type="checkbox" checked={types.includes(type)} onChange={() => toggleType(type)} data-testid={`access-type-${type}`} />
              {LABELS[type]}
            </label>
          ))}
        </fieldset>
        <label>
          Account
          <input value={account} onChange={(e) => refilter(setAccount)(e.target.value)} placeholder="login name" data-testid="access-account" />
        </label>
        <label>
          From
          <IsoDateInput value={from} onChange={refilter(setFrom)} data-testid="access-from" />
        </label>
        <label>
          To
          <IsoDateInput value={to} onChange={refilter(setTo)} data-testid="access-to" />
        </label>
      </form>
      {page.error && <p className="oc-error" role="alert">{page.error.message}</p>}
      <p className="muted" data-testid="access-total" data-total={page.value ? total : undefined}>
        {page.value ? `${total} event(s)${total > 0 ? `, showing ${offset + 1}–${Math.min(total, offset + PAGE_SIZE)}` : ''}` : 'Loading…'}
      </p>
      <table className="people-table" data-testid="access-log">
        <thead>
          <tr><th>#</th><th>When (UTC)</th><th>What</th><th>Who</th><th>Via</th><th>Detail</th></tr>
        </thead>
        <tbody>
          {page.value?.rows.map((row) => (
            <tr key={row.seq} data-testid="access-row" data-type={row.type} data-account={row.account ?? ''} data-seq={row.seq}>
              <td className="mono">{row.seq}</td>
              <td className="mono">{formatTimestamp(row.at)}</td>
              <td>{LABELS[row.type] ?? row.type}</td>
              <td>{row.display ? `${row.display} (${row.account})` : (row.account ?? 'unknown name')}</td>
              <td>{row.via ?? '—'}</td>
              <td>{row.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="people-actions">
        <button type="button" className="button button-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))} data-testid="access-newer">
          Newer
        </button>
        <button type="button" className="button button-small" disabled={offset + PAGE_SIZE >= total} onClick={() => setOffset(offset + PAGE_SIZE)} data-testid="access-older">
          Older
        </button>
      </div>
    </section>
  );
}
