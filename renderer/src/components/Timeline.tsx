import { useEffect, useRef } from 'react';
import type { TimelineEvent } from '../../../shared/contract.ts';
import { useChain } from '../state/chain.ts';
import { useNavigation } from '../state/navigation.ts';
import { TimelineEventItem } from './TimelineEventItem.tsx';

/** Frames to wait for the target event to be drawn (a long timeline renders after its data arrives). */
const MAX_WAIT_FRAMES = 30;

/**
 * Brings the event with this seq into view and gives it focus, so a reader who followed an evidence link lands on
 * it (and a screen reader reads it) however far down a long timeline it is. Waits a few frames for it to be drawn.
 */
function revealEvent(list: HTMLElement, seq: number): () => void {
  let frame = 0;
  let handle = 0;
  const attempt = (): void => {
    const item = list.querySelector<HTMLElement>(`[data-seq="${seq}"]`);
    if (item) {
      item.scrollIntoView({ block: 'center' });
      item.focus({ preventScroll: true });
      return;
    }
    if (++frame < MAX_WAIT_FRAMES) handle = requestAnimationFrame(attempt);
  };
  attempt();
  return () => cancelAnimationFrame(handle);
}

export function Timeline({ events }: { events: TimelineEvent[] }) {
  const status = useChain((s) => s.status);
  const badSeq = status && !status.intact ? status.firstBadSeq : null;
  const evidence = useNavigation((s) => s.highlightSeqs);
  const evidenceRequest = useNavigation((s) => s.evidenceRequest);
  const list = useRef<HTMLOListElement>(null);
  // An event someone was sent to (a chain break, the evidence behind a figure) is brought into view and focused;
  // again on every evidence link followed, even to the same event.
  const shown = new Set(events.map((ev) => ev.seq));
  const target = evidence.find((seq) => shown.has(seq)) ?? (badSeq !== null && shown.has(badSeq) ? badSeq : null);
  useEffect(() => {
    if (target === null || !list.current) return;
    return revealEvent(list.current, target);
  }, [target, events, evidenceRequest]);
  return (
    <div className="timeline-wrap">
      <h3 className="section-title">Ledger timeline · {events.length} events</h3>
      {events.length === 0 ? (
        <div className="empty">No events recorded for this ticket.</div>
      ) : (
        <ol className="timeline" data-testid="timeline" ref={list}>
          {events.map((ev) => (
            <TimelineEventItem
              key={ev.seq}
              event={ev}
              suspect={badSeq !== null && ev.seq >= badSeq}
              breaksHere={ev.seq === badSeq}
              highlighted={evidence.includes(ev.seq)}
              focusable={ev.seq === target}
            />
          ))}
        </ol>
      )}
    </div>
  );
}
