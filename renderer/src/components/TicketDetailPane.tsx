import { useTicketDetail } from '../hooks/useTicketDetail.ts';
import { useChain } from '../state/chain.ts';
import { useSelection } from '../state/selection.ts';
import { Timeline } from './Timeline.tsx';
import { TicketSummary } from './TicketSummary.tsx';
import { TICKET_PANELS } from '../views/ticket-panels.ts';

export function TicketDetailPane() {
  const selectedId = useSelection((s) => s.selectedId);
  const select = useSelection((s) => s.select);
  const ledgerVersion = useChain((s) => s.ledgerVersion);
  const { detail, loading, error } = useTicketDetail(selectedId, ledgerVersion);

  return (
    <section className="detail" aria-label="Ticket detail" data-testid="ticket-detail" data-ticket-id={detail?.ticket.id ?? ''}>
      <div className="pane-title">
        <span>{selectedId ? <span className="mono">{selectedId}</span> : 'Ticket'}</span>
        {selectedId && (
          <button type="button" className="icon-button" onClick={() => select(null)} aria-label="Close ticket">×</button>
        )}
      </div>
      <div className="detail-scroll">
        {!selectedId && <div className="empty">Select a ticket to see its ledger timeline.</div>}
        {selectedId && error && (
          <div className="notice notice-error" role="alert">
            <div className="notice-body"><strong>{error.message}</strong></div>
          </div>
        )}
        {selectedId && loading && !detail && <div className="empty">Loading ticket…</div>}
        {detail && (
          <>
            <TicketSummary ticket={detail.ticket} />
            {TICKET_PANELS.map(({ id, Component }) => (
              <Component key={id} ticketId={detail.ticket.id} ledgerVersion={ledgerVersion} />
            ))}
            <Timeline events={detail.events} />
          </>
        )}
      </div>
    </section>
  );
}
