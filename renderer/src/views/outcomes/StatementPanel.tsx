// A period's statement: totals, split by category, one line per ticket (opening its evidence), PDF download.
import { useState } from 'react';
import type { Statement } from '../../../../shared/contracts/outcomes.ts';
import { useErrors } from '../../state/errors.ts';
import { useNavigation } from '../../state/navigation.ts';
import { callApi, useOutcomeCall } from './useOutcomeCall.ts';
import { SignatureLines } from '../../components/SignatureLines.tsx';
import { PeriodIssue } from './PeriodIssue.tsx';
import { Adjustments } from './Adjustments.tsx';
import { downloadFile } from '../../lib/download.ts';
import { formatAmount } from '../../../../shared/format.ts';

function Totals({ s }: { s: Statement }) {
  const c = s.currency;
  const cells: [string, string, string][] = [
    ['verified', 'Verified resolutions', String(s.verified)],
    ['subtotal', 'Subtotal', formatAmount(s.subtotal, c)],
    ['credits', `Reversals (${s.reversed})`, formatAmount(`-${s.credits}`, c)],
    ['held', `Disputed, held back (${s.disputed})`, formatAmount(s.heldBack, c)],
    // Older statements (before issue 12) carry neither field.
    ...(s.awaiting > 0 ? [['awaiting', `Awaiting buyer checkpoint (${s.awaiting})`, formatAmount(s.awaitingAmount, c)] as [string, string, string]] : []),
    ...(s.adjustments?.length ? [['adjustments', `Adjustments (${s.adjustments.length})`, formatAmount(s.adjustmentsTotal, c)] as [string, string, string]] : []),
    ['total', 'Total', formatAmount(s.total, c)],
  ];
  return (
    <div className="oc-totals">
      {cells.map(([id, label, value]) => (
        <div key={id} className="oc-total" data-testid={`oc-total-${id}`}>
          {label}
          <strong>{value}</strong>
        </div>
      ))}
    </div>
  );
}

export function StatementPanel({ periods, period, onPeriod }: { periods: string[]; period: string; onPeriod(p: string): void }) {
  const statement = useOutcomeCall('outcomes.statement', period ? { period } : null);
  const states = useOutcomeCall('outcomes.periodStates', {});
  const openTicket = useNavigation((s) => s.openTicket);
  const [busy, setBusy] = useState(false);
  const s = statement.value;

  const pdf = async (): Promise<void> => {
    setBusy(true);
    const res = await callApi('outcomes.statementPdf', { period });
    setBusy(false);
    if (res.ok) downloadFile(res.value.fileName, 'application/pdf', 'base64', res.value.base64);
    else useErrors.getState().report('Statement PDF', res.error);
  };

  return (
    <section className="oc-card" data-testid="oc-statement">
      <div className="oc-head">
        <h3>Statement {s ? `· ${s.contract.id}` : ''}</h3>
        <div className="oc-form">
          <label>
            Period{' '}
            <select value={period} onChange={(e) => onPeriod(e.target.value)} data-testid="oc-period">
              {periods.map((p) => (
                <option key={p} value={p}>{p}</option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void pdf()} disabled={busy || !s} data-testid="oc-pdf">
            {busy ? 'Preparing…' : 'Download PDF'}
          </button>
        </div>
      </div>
      {!s && statement.loading ? <p className="oc-muted">Loading statement…</p> : null}
      {statement.error ? <p className="oc-error">{statement.error.message}</p> : null}
      {states.value ? <PeriodIssue states={states.value} period={period} /> : null}
      {s ? (
        <>
          <Totals s={s} />
          <table className="oc-table" data-testid="oc-by-category">
            <thead>
              <tr>
                <th>Category</th>
                <th className="oc-num">Verified</th>
                <th className="oc-num">Reversed</th>
                <th className="oc-num">Disputed</th>
                {s.awaiting > 0 ? <th className="oc-num">Awaiting</th> : null}
                <th className="oc-num">Total ({s.currency})</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(s.byCategory).map(([name, t]) => (
                <tr key={name}>
                  <td>{name}</td>
                  <td className="oc-num">{t.verified}</td>
                  <td className="oc-num">{t.reversed}</td>
                  <td className="oc-num">{t.disputed}</td>
                  {s.awaiting > 0 ? <td className="oc-num">{t.awaiting}</td> : null}
                  <td className="oc-num">{formatAmount(t.total, s.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 style={{ marginTop: 12 }}>Lines ({s.lines.length})</h3>
          {s.lines.length === 0 ? <p className="oc-muted" data-testid="oc-lines-empty">No verified resolutions or reversals in {s.period}.</p> : null}
          <div className="oc-lines">
            <table className="oc-table" data-testid="oc-lines">
              <thead>
                <tr>
                  <th>Ticket</th>
                  <th>Category</th>
                  <th>Status</th>
                  <th className="oc-num">Charge</th>
                  <th className="oc-num">Credit</th>
                  <th>Evidence</th>
                </tr>
              </thead>
              <tbody>
                {s.lines.map((line) => (
                  <tr key={`${line.ticket}-${line.verifiedSeq}`} data-testid="oc-line">
                    <td>
                      <button type="button" className="oc-link" onClick={() => openTicket(line.ticket, line.evidence)} data-testid="oc-line-ticket">
                        {line.ticket}
                      </button>
                    </td>
                    <td>{line.category}</td>
                    <td>
                      <span className={`oc-status is-${line.status}`}>{line.status.replace(/_/g, ' ')}</span>
                      {line.discrepancy ? <span className="oc-error"> · discrepancy</span> : null}
                    </td>
                    <td className="oc-num">{formatAmount(line.charge, s.currency)}</td>
                    <td className="oc-num">{formatAmount(line.credit, s.currency)}</td>
                    <td className="oc-muted">{line.evidence.map((seq) => `#${seq}`).join(' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {s.adjustments?.length ? <Adjustments adjustments={s.adjustments} currency={s.currency} /> : null}
          {s.signatures.length > 0 ? (
            <div data-testid="oc-signatures">
              <h3 style={{ marginTop: 12 }}>Electronic signatures ({s.signatures.length})</h3>
              <p className="oc-muted">The contract versions and dispute decisions this statement relies on, as signed.</p>
              <SignatureLines signatures={s.signatures} />
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
