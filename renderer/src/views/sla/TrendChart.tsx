// Weekly compliance of one metric, all tickets and split by AI / human; a click on a week drills down.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SlaMetricKey, SlaTrendPoint } from '../../../../shared/contracts/sla.ts';

interface WeekRow {
  week: string;
  all: number | null;
  ai: number | null;
  human: number | null;
}

function weekly(points: readonly SlaTrendPoint[], metric: SlaMetricKey): WeekRow[] {
  const weeks = new Map<string, Record<'all' | 'ai' | 'human', [number, number]>>();
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
  const rate = ([a, b]: [number, number]): number | null => (a + b === 0 ? null : Math.round((a / (a + b)) * 1000) / 10);
  return [...weeks.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([week, w]) => ({ week, all: rate(w.all), ai: rate(w.ai), human: rate(w.human) }));
}

export function TrendChart({ points, metric, onWeek }: { points: readonly SlaTrendPoint[]; metric: SlaMetricKey; onWeek(week: string): void }) {
  const rows = weekly(points, metric);
  if (rows.length === 0) return <p className="sla-muted" data-testid="sla-trend-empty">No finished clocks in this range.</p>;
  return (
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
          <Tooltip formatter={(value) => (value === null ? '—' : `${String(value)}%`)} />
          <Legend />
          <Line type="monotone" dataKey="all" name="All" stroke="#334155" dot={false} connectNulls isAnimationActive={false} />
          <Line type="monotone" dataKey="ai" name="AI" stroke="#7c3aed" dot={false} connectNulls isAnimationActive={false} />
          <Line type="monotone" dataKey="human" name="Human" stroke="#0891b2" dot={false} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
