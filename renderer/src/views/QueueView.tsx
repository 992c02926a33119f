import { FilterPanel } from '../components/FilterPanel.tsx';
import { TicketDetailPane } from '../components/TicketDetailPane.tsx';
import { TicketQueue } from '../components/TicketQueue.tsx';

// Document order is the tab order: search and tickets, then the open ticket, then the filter checkboxes (the
// stylesheet still draws the filters on the left).
export function QueueView() {
  return (
    <main className="workspace" aria-label="Tickets">
      <TicketQueue />
      <TicketDetailPane />
      <FilterPanel />
    </main>
  );
}
