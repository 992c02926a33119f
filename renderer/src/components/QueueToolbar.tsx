import { formatCount } from '../lib/format.ts';
import { SearchBox } from './SearchBox.tsx';

export function QueueToolbar({ total }: { total: number | null }) {
  return (
    <div className="queue-toolbar">
      <SearchBox />
      <div className="queue-total" data-testid="queue-total" data-total={total ?? ''} aria-live="polite">
        {total === null ? 'Loading…' : `${formatCount(total)} ${total === 1 ? 'ticket' : 'tickets'}`}
      </div>
    </div>
  );
}
