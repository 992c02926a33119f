// The first thing Tab reaches: "Skip to tickets" on the queue (straight to the ticket rows, where the arrow keys
// work), "Skip to main content" on every other view. It moves focus without touching the URL fragment, which holds
// the console's route.
import type { MouseEvent } from 'react';
import { useNavigation } from '../state/navigation.ts';

export const MAIN_CONTENT_ID = 'main-content';
const TICKET_ROWS_ID = 'ticket-queue';

export function SkipLink() {
  const onQueue = useNavigation((s) => s.view === 'queue');
  const targetId = onQueue ? TICKET_ROWS_ID : MAIN_CONTENT_ID;
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    const target = document.getElementById(targetId) ?? document.getElementById(MAIN_CONTENT_ID);
    target?.focus();
    target?.scrollIntoView({ block: 'nearest' });
  };
  return (
    <a className="skip-link" href={`#${targetId}`} onClick={skip} data-testid="skip-link">
      {onQueue ? 'Skip to tickets' : 'Skip to main content'}
    </a>
  );
}
