// The tickets behind a figure, each with the ledger events that make it count (highlighted on its timeline).
import type { KpiDrill, KpiTicketPage } from '../../../shared/contracts/kpis.ts';
import type { Db } from '../db/connection.ts';
import { KpiExclusion } from './kpi-exclusions.ts';
import { drillTickets, ticketFactEvents } from './kpi-repository.ts';
import { resolvePeriod } from './kpi-report.ts';
import { ticketFacts } from './ticket-facts.ts';

export function kpiTickets(
  db: Db,
  query: { from: string; to: string; category: readonly string[]; channel?: string; actor?: string; drill: KpiDrill; offset: number; limit: number; includeFlagged?: boolean },
): KpiTicketPage {
  const period = resolvePeriod(query.from, query.to);
  const filter = { categories: query.category, channel: query.channel, actor: query.actor };
  // The same tickets as the figure: flagged tickets its KPI leaves out are not listed either.
  const exclude = new KpiExclusion(db, period.fromTs, period.toTs, filter, query.includeFlagged === true).drillCondition(query.drill);
  const page = drillTickets(db, period.fromTs, period.toTs, filter, query.drill, query.offset, query.limit, exclude);
  const events = ticketFactEvents(db, page.rows.map((row) => row.id));
  return {
    total: page.total,
    rows: page.rows.map((row) => ({ ...row, evidence: ticketFacts(row.id, events.get(row.id) ?? [])?.evidence[query.drill] ?? [] })),
  };
}
