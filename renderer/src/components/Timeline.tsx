import type { TimelineEvent } from '../../../shared/contract.ts';
import { useChain } from '../state/chain.ts';
import { useNavigation } from '../state/navigation.ts';
import { TimelineEventItem } from './TimelineEventItem.tsx';

export function Timeline({ events }: { events: TimelineEvent[] }) {
  const status = useChain((s) => s.status);
  const badSeq = status && !status.intact ? status.firstBadSeq : null;
  const evidence = useNavigation((s) => s.highlightSeqs);
  return (
    <div className="timeline-wrap">
      <h3 className="section-title">Ledger timeline · {events.length} events</h3>
      {events.length === 0 ? (
        <div className="empty">No events recorded for this ticket.</div>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {events.map((ev) => (
            <TimelineEventItem key={ev.seq} event={ev} suspect={badSeq !== null && ev.seq >= badSeq} breaksHere={ev.seq === badSeq} highlighted={evidence.includes(ev.seq)} />
          ))}
        </ol>
      )}
    </div>
  );
}
