// KPIs: overview, pilot & migration board, ROI calculator — one period and category filter for all three.
import { useEffect } from 'react';
import { KPI_DEFINITIONS } from '../../../../shared/contracts/kpis.ts';
import { BaselinePicker } from './BaselinePicker.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { isDay, useKpiState, type KpiTab } from './kpi-state.ts';
import { KpiTicketList } from './KpiTicketList.tsx';
import { MigrationBoardView } from './MigrationBoardView.tsx';
import { Overview } from './Overview.tsx';
import { PeriodDayField } from './PeriodDayField.tsx';
import { RoiCalculator } from './RoiCalculator.tsx';
import { useKpiCall } from './useKpiCall.ts';
import './kpis.css';

const TABS: { id: KpiTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'board', label: 'Pilot & migration' },
  { id: 'roi', label: 'ROI calculator' },
];

const DAY = 86_400_000;
const shift = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export function KpisView() {
  const state = useKpiState();
  const meta = useKpiCall('kpis.definitions', {});
  const facets = useKpiCall('tickets.facets', {});
  const range = meta.value?.dataRange ?? null;

  // First visit: the last 92 days that hold tickets.
  useEffect(() => {
    if (range && !state.from && !state.to) {
      const from = shift(range.lastDay, -91);
      state.setPeriod(from < range.firstDay ? range.firstDay : from, range.lastDay);
    }
  }, [range, state]);

  const valid = isDay(state.from) && isDay(state.to) && state.from <= state.to;
  return (
    <main className="kpis" data-testid="kpis-view">
      <header className="kpis-toolbar">
        <nav className="kpis-tabs" aria-label="KPI views">
          {TABS.map((tab) => (
            <button key={tab.id} type="button" className={state.tab === tab.id ? 'kpis-tab active' : 'kpis-tab'} data-testid={`kpis-tab-${tab.id}`} onClick={() => state.setTab(tab.id)}>
              {tab.label}
            </button>
          ))}
        </nav>
        <label>
          From <PeriodDayField testId="kpis-from" value={state.from} onDay={(day) => state.setPeriod(day, state.to)} />
        </label>
        <label>
          To <PeriodDayField testId="kpis-to" value={state.to} onDay={(day) => state.setPeriod(state.from, day)} />
        </label>
        <label>
          Category{' '}
          <select
            data-testid="kpis-category"
            value={state.category[0] ?? ''}
            onChange={(e) => state.setCategory(e.target.value ? [e.target.value] : [])}
          >
            <option value="">All categories</option>
            {(facets.value?.categories ?? []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <BaselinePicker />
        <ExportButtons />
      </header>
      {meta.loading && !range ? <p className="empty" data-testid="kpis-loading">Loading…</p> : null}
      {!meta.loading && !range ? (
        <p className="empty" data-testid="kpis-empty">
          No tickets yet: import a ledger (JSONL) or create a demo database to see KPIs.
        </p>
      ) : null}
      {range && !valid ? <p className="empty">Choose a period: “from” on or before “to”.</p> : null}
      {range && valid ? (
        <div className="kpis-body">
          {state.tab === 'overview' ? <Overview /> : state.tab === 'board' ? <MigrationBoardView /> : <RoiCalculator />}
          <KpiTicketList />
        </div>
      ) : null}
      <details className="kpis-definitions">
        <summary>KPI definitions</summary>
        <dl>
          {KPI_DEFINITIONS.map((d) => (
            <div key={d.id}>
              <dt>{d.label}</dt>
              <dd>{d.definition}</dd>
            </div>
          ))}
        </dl>
      </details>
    </main>
  );
}
