import { FilterPanel } from '../components/FilterPanel.tsx';
import { TicketDetailPane } from '../components/TicketDetailPane.tsx';
import { TicketQueue } from '../components/TicketQueue.tsx';

export function QueueView() {
  return (
    <main className="workspace">
      <FilterPanel />
      <TicketQueue />
      <TicketDetailPane />
    </main>
  );
}
