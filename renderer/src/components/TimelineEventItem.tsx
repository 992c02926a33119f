import type { TimelineEvent } from '../../../shared/contract.ts';
import { actorLabel, formatTimestamp, shortHash } from '../lib/format.ts';
import { EventPayload } from './EventPayload.tsx';
import { SignatureLines } from './SignatureLines.tsx';

interface Props {
  event: TimelineEvent;
  /** At or after the first bad link of a broken chain: not trustworthy. */
  suspect: boolean;
  breaksHere: boolean;
  /** Evidence behind the figure the user came from. */
  highlighted?: boolean;
  /** The event a link sent the reader to: focusable from script (tabIndex -1), with a visible focus ring. */
  focusable?: boolean;
}

export function TimelineEventItem({ event, suspect, breaksHere, highlighted = false, focusable = false }: Props) {
  return (
    <li
      className={`tl-event tl-${event.type.replace(/\W/g, '-')} ${suspect ? 'is-suspect' : ''} ${highlighted ? 'is-evidence' : ''}`}
      data-evidence={highlighted ? 'true' : undefined}
      tabIndex={focusable ? -1 : undefined}
      data-testid="timeline-event"
      data-seq={event.seq}
      data-type={event.type}
    >
      <div className="tl-head">
        <span className="tl-seq mono" data-testid="event-seq">#{event.seq}</span>
        <span className="tl-type" data-testid="event-type">{event.type}</span>
        <span className={`tl-actor actor-${event.actor.kind}`} data-testid="event-actor">{actorLabel(event.actor)}</span>
        <time className="tl-time mono" dateTime={event.at} title={`recorded ${event.recordedAt}`}>
          {formatTimestamp(event.at)}
        </time>
        <span className="tl-hash mono" data-testid="event-hash" title={event.hash}>{shortHash(event.hash)}</span>
      </div>
      {breaksHere && <div className="tl-break">Chain verification fails at this event.</div>}
      <EventPayload event={event} />
      <SignatureLines signatures={event.signatures} />
    </li>
  );
}
