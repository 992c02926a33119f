import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { usePagedTickets } from '../hooks/usePagedTickets.ts';
import { useBoot } from '../state/boot.ts';
import { useChain } from '../state/chain.ts';
import { useFilters } from '../state/filters.ts';
import { replaceNextHistoryEntry } from '../state/route.ts';
import { useSelection } from '../state/selection.ts';
import { QueueColumns } from './QueueColumns.tsx';
import { QueueToolbar } from './QueueToolbar.tsx';
import { TicketRowView } from './TicketRowView.tsx';

export const ROW_HEIGHT = 28;

export function TicketQueue() {
  const filter = useFilters((s) => s.filter);
  const sort = useFilters((s) => s.sort);
  const ledgerVersion = useChain((s) => s.ledgerVersion);
  const selectedId = useSelection((s) => s.selectedId);
  const select = useSelection((s) => s.select);
  const markQueueLoaded = useCallback(() => useBoot.getState().markDone('queue'), []);
  const paged = usePagedTickets(filter, sort, ledgerVersion, markQueueLoaded);
  const scrollRef = useRef<HTMLDivElement>(null);

  const count = paged.total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  const { ensureRange } = paged;
  useEffect(() => {
    if (count > 0) ensureRange(first, last);
  }, [first, last, count, ensureRange]);

  // A new filter or order is a new list: start at the top.
  const filterKey = JSON.stringify([filter, sort]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filterKey]);

  const selectedIndex = (): number => {
    if (!selectedId) return -1;
    for (const item of items) if (paged.rowAt(item.index)?.id === selectedId) return item.index;
    return -1;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const current = selectedIndex();
    const next = current < 0 ? first : Math.min(count - 1, Math.max(0, current + (e.key === 'ArrowDown' ? 1 : -1)));
    const row = paged.rowAt(next);
    if (row) {
      // Arrowing through rows moves the selection without adding a Back step per row.
      replaceNextHistoryEntry();
      select(row.id);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
  };

  return (
    <section className="queue" aria-label="Ticket queue">
      <QueueToolbar total={paged.total} />
      <div className="queue-grid" role="grid" aria-label="Tickets" aria-rowcount={count + 1} aria-busy={paged.total === null}>
        <QueueColumns />
        <div
          ref={scrollRef}
          id="ticket-queue"
          className="queue-scroll"
          data-testid="ticket-queue"
          role="rowgroup"
          aria-label="Ticket rows (arrow keys move the selection)"
          tabIndex={0}
          onKeyDown={onKeyDown}
        >
          {paged.total === null && <QueueMessage>Loading tickets…</QueueMessage>}
          {paged.total === 0 && <QueueMessage testId="queue-empty">No tickets match these filters</QueueMessage>}
          {count > 0 && (
            <div className="queue-canvas" role="presentation" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((item) => (
                <TicketRowView
                  key={item.key}
                  index={item.index}
                  top={item.start}
                  row={paged.rowAt(item.index)}
                  selected={paged.rowAt(item.index)?.id === selectedId}
                  onSelect={select}
                />
              ))}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

/** A message in place of rows, as a row of its own (a grid holds rows only). */
function QueueMessage({ children, testId }: { children: string; testId?: string }) {
  return (
    <div role="row" className="empty" data-testid={testId}>
      <span role="gridcell">{children}</span>
    </div>
  );
}
