// Weekly compliance of one metric, all tickets and split by AI / human; a click on a week (a point on the chart or
// the week in its data table) drills down to that week's breached tickets.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPercent } from '../../../../shared/format.ts';
import type { SlaMetricKey, SlaTrendPoint } from '../../../../shared/contracts/sla.ts';
import { ChartFigure, type ChartColumn } from '../../components/ChartFigure.tsx';
import type { ReactNode } from 'react';

type Series = 'all' | 'ai' | 'human';

interface WeekRow {
  week: string;
  /** Share of finished clocks within SLA (0…1), null when no clock of that kind finished that week. */
  ratio: Record<Series, number | null>;
  /** The same share in percent, as the chart's y-axis draws it. */
  all: number | null;
  ai: number | null;
  human: number | null;
}

function weekly(points: readonly SlaTrendPoint[], metric: SlaMetricKey): WeekRow[] {
  const weeks = new Map<string, Record<Series, [number, number]>>();
  for (const p of points) {
    if (p.metric !== metric) continue;
    const w = weeks.get(p.week) ?? { all: [0, 0], ai: [0, 0], human: [0, 0] };
    w.all[0] += p.achieved;
    w.all[1] += p.breached;
    if (p.actor === 'ai' || p.actor === 'human') {
      w[p.actor][0] += p.achieved;
      w[p.actor][1] += p.breached;
    }
    weeks.set(p.week, w);
  }
  const share = ([achieved, breached]: [number, number]): number | null =>
    achieved + breached === 0 ? null : achieved / (achieved + breached);
  const percent = (ratio: number | null): number | null => (ratio === null ? null : Math.round(ratio * 1000) / 10);
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, w]) => {
      const ratio = { all: share(w.all), ai: share(w.ai), human: share(w.human) };
      return { week, ratio, all: percent(ratio.all), ai: percent(ratio.ai), human: percent(ratio.human) };
    });
}

const seriesColumn = (series: Series, header: string): ChartColumn<WeekRow> => ({
  header,
  numeric: true,
  cell: (row) => formatPercent(row.ratio[series]),
});

export function TrendChart({
  points,
  metric,
  metricLabel,
  onWeek,
  actions,
}: {
  points: readonly SlaTrendPoint[];
  metric: SlaMetricKey;
  metricLabel: string;
  onWeek(week: string): void;
  actions?: ReactNode;
}) {
  const rows = weekly(points, metric);
  const title = `Weekly compliance: ${metricLabel}`;
  const columns: [ChartColumn<WeekRow>, ...Array<ChartColumn<WeekRow>>] = [
    {
      header: 'Week starting',
      cell: (row) => (
        <button type="button" className="sla-link" onClick={() => onWeek(row.week)} aria-label={`Breached tickets of the week starting ${row.week}`}>
          {row.week}
        </button>
      ),
    },
    seriesColumn('all', 'All (within SLA)'),
    seriesColumn('ai', 'AI (within SLA)'),
    seriesColumn('human', 'Human (within SLA)'),
  ];
  return (
    <ChartFigure
      title={title}
      summary={`Line chart of the share of ${metricLabel.toLowerCase()} clocks finished within SLA per week, all tickets, AI and human`}
      rows={rows}
      rowKey={(row) => row.week}
      columns={columns}
      testId="sla-trend-figure"
      actions={actions}
    >
      {rows.length === 0 ? (
        <p className="sla-muted" data-testid="sla-trend-empty">No finished clocks in this range.</p>
      ) : (
        <div className="sla-chart" data-testid="sla-trend">
          <ResponsiveContainer width="100%" height={240}>
            <LineChart
              data={rows}
              onClick={(state) => {
                const label = (state as { activeLabel?: string | number } | null)?.activeLabel;
                if (label !== undefined) onWeek(String(label));
              }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="week" fontSize={11} />
              <YAxis domain={[0, 100]} unit="%" fontSize={11} />
              <Tooltip formatter={(value) => (value === null || value === undefined ? '—' : formatPercent(Number(value) / 100))} />
              <Legend />
              <Line type="monotone" dataKey="all" name="All" stroke="#334155" dot={false} connectNulls isAnimationActive={false} />
              <Line type="monotone" dataKey="ai" name="AI" stroke="#7c3aed" dot={false} connectNulls isAnimationActive={false} />
              <Line type="monotone" dataKey="human" name="Human" stroke="#0891b2" dot={false} connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </ChartFigure>
  );
}
