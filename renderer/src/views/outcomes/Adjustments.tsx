// Changes to issued periods posted in this (the first not yet issued) period: for each, the original period and
// ticket, its status then and now, and the difference it makes, with the events that made it.
import type { AdjustmentLine } from '../../../../shared/contracts/outcomes.ts';
import { useNavigation } from '../../state/navigation.ts';
import { formatAmount } from '../../../../shared/format.ts';

const statusWords = (status: AdjustmentLine['was']): string => status.replace(/_/g, ' ');

export function Adjustments({ adjustments, currency }: { adjustments: AdjustmentLine[]; currency: string }) {
  const openTicket = useNavigation((s) => s.openTicket);
  return (
    <div data-testid="oc-adjustments">
      <h3 style={{ marginTop: 12 }}>Adjustments of issued periods ({adjustments.length})</h3>
      <p className="oc-muted">An issued statement never changes: what later touched its period is posted here, naming the original period and ticket.</p>
      <table className="oc-table">
        <thead>
          <tr>
            <th>Original period</th>
            <th>Ticket</th>
            <th>Was → now</th>
            <th className="oc-num">Charge</th>
            <th className="oc-num">Credit</th>
            <th className="oc-num">Net ({currency})</th>
            <th>Events</th>
          </tr>
        </thead>
        <tbody>
          {adjustments.map((a) => (
            <tr key={`${a.period}-${a.ticket}-${a.verifiedSeq}`} data-testid="oc-adjustment">
              <td>{a.period}</td>
              <td>
                <button type="button" className="oc-link" onClick={() => openTicket(a.ticket, a.events)}>
                  {a.ticket}
                </button>
              </td>
              <td>
                {statusWords(a.was)} → {statusWords(a.now)}
              </td>
              <td className="oc-num">{formatAmount(a.charge, currency)}</td>
              <td className="oc-num">{formatAmount(a.credit, currency)}</td>
              <td className="oc-num">{formatAmount(a.net, currency)}</td>
              <td className="oc-muted">{a.events.map((seq) => `#${seq}`).join(' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
