import { useEffect, useRef } from 'react';
import type { TimelineEvent } from '../../../shared/contract.ts';
import { useChain } from '../state/chain.ts';
import { useNavigation } from '../state/navigation.ts';
import { TimelineEventItem } from './TimelineEventItem.tsx';

export function Timeline({ events }: { events: TimelineEvent[] }) {
  const status = useChain((s) => s.status);
  const badSeq = status && !status.intact ? status.firstBadSeq : null;
  const evidence = useNavigation((s) => s.highlightSeqs);
  const list = useRef<HTMLOListElement>(null);
  // An event someone was sent to (a chain break, the evidence behind a figure) is brought into view.
  const target = evidence[0] ?? (badSeq !== null && events.some((ev) => ev.seq === badSeq) ? badSeq : null);
  useEffect(() => {
    if (target === null) return;
    list.current?.querySelector(`[data-seq="${target}"]`)?.scrollIntoView({ block: 'center' });
  }, [target, events]);
  return (
    <div className="timeline-wrap">
      <h3 className="section-title">Ledger timeline · {events.length} events</h3>
      {events.length === 0 ? (
        <div className="empty">No events recorded for this ticket.</div>
      ) : (
        <ol className="timeline" data-testid="timeline" ref={list}>
          {events.map((ev) => (
            <TimelineEventItem key={ev.seq} event={ev} suspect={badSeq !== null && ev.seq >= badSeq} breaksHere={ev.seq === badSeq} highlighted={evidence.includes(ev.seq)} />
          ))}
        </ol>
      )}
    </div>
  );
}
