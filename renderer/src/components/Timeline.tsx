import { useEffect, useRef } from 'react';
import type { TimelineEvent } from '../../../shared/contract.ts';
import { useChain } from '../state/chain.ts';
import { useNavigation } from '../state/navigation.ts';
import { TimelineEventItem } from './TimelineEventItem.tsx';

/**
 * How long (in frames, ~10 s) the timeline keeps the event it was sent to in view while the detail pane settles:
 * panels above the timeline (billing, SLA, AI) arrive after it and push it down, which is how an evidence event
 * ended up 3,100 px below the view.
 */
const HOLD_FRAMES = 600;
/** What a reader does to take over the scrolling: from then on the view is theirs. */
const TAKE_OVER_EVENTS = ['wheel', 'touchmove', 'keydown', 'pointerdown'] as const;

/**
 * Brings the event with this seq into view and gives it focus, so a reader who followed an evidence link lands on
 * it (and a screen reader reads it) however far down a long timeline it is; keeps it there while the pane above it
 * settles, until the reader scrolls, clicks or types.
 */
function revealEvent(list: HTMLElement, seq: number): () => void {
  let frame = 0;
  let handle = 0;
  let focused = false;
  let lastTop: number | null = null;
  const stop = (): void => {
    cancelAnimationFrame(handle);
    for (const type of TAKE_OVER_EVENTS) window.removeEventListener(type, stop, true);
  };
  const hold = (): void => {
    const item = list.querySelector<HTMLElement>(`[data-seq="${seq}"]`);
    if (item) {
      const top = item.getBoundingClientRect().top;
      if (lastTop === null || Math.abs(top - lastTop) > 1) {
        item.scrollIntoView({ block: 'center' });
        lastTop = item.getBoundingClientRect().top;
      }
      if (!focused) {
        item.focus({ preventScroll: true });
        focused = true;
      }
    }
    if (++frame < HOLD_FRAMES) handle = requestAnimationFrame(hold);
    else stop();
  };
  for (const type of TAKE_OVER_EVENTS) window.addEventListener(type, stop, { capture: true, passive: true });
  hold();
  return stop;
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
