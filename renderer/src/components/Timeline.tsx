import type { TimelineEvent } from '../../../shared/contract.ts';
import { useChain } from '../state/chain.ts';
import { TimelineEventItem } from './TimelineEventItem.tsx';

export function Timeline({ events }: { events: TimelineEvent[] }) {
  const status = useChain((s) => s.status);
  const badSeq = status && !status.intact ? status.firstBadSeq : null;
  return (
    <div className="timeline-wrap">
      <h3 className="section-title">Ledger timeline · {events.length} events</h3>
      {events.length === 0 ? (
        <div className="empty">No events recorded for this ticket.</div>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {events.map((ev) => (
            <TimelineEventItem key={ev.seq} event={ev} suspect={badSeq !== null && ev.seq >= badSeq} breaksHere={ev.seq === badSeq} />
          ))}
        </ol>
      )}
    </div>
  );
}
