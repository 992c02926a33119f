// The review notes recorded in the ledger (audit.note events): who wrote what on which ticket of which sample.
import { useContractCall } from '../../hooks/useContractCall.ts';
import { formatTimestamp } from '../../lib/format.ts';
import { useNavigation } from '../../state/navigation.ts';

export function NotesPanel({ period }: { period: string }) {
  const notes = useContractCall('audit.notes', period ? { period } : {});
  const openTicket = useNavigation((s) => s.openTicket);
  return (
    <section className="oc-card" data-testid="au-notes">
      <h3>Review notes {period ? `· ${period}` : ''}</h3>
      {notes.error ? <p className="oc-error">{notes.error.message}</p> : null}
      {notes.value?.length === 0 ? <p className="oc-muted" data-testid="au-notes-empty">No review notes for this period yet.</p> : null}
      <ul className="au-list">
        {notes.value?.map((n) => (
          <li key={n.seq} data-testid="au-note" data-verdict={n.verdict}>
            <button type="button" className="oc-link" onClick={() => openTicket(n.ticket, [n.seq])}>
              {n.ticket}
            </button>{' '}
            <span className={`oc-status is-${n.verdict === 'ok' ? 'billed' : 'reversed'}`}>{n.verdict}</span> {n.note}
            <div className="oc-muted">
              {n.byName ?? n.by} · {formatTimestamp(n.at)} · sample seed “{n.sample.seed}”, size {n.sample.size} · event #{n.seq}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
