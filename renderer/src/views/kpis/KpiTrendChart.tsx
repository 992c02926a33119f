// A weekly KPI trend whose points open their week's tickets: a click on the chart at a week (or choosing the week in
// the picker beside the title, for the keyboard) opens the drill-down of the chart's KPI for that week's days.
// The frame is one element (<figure> with caption and a named drawing) so it can become the shared ChartFigure
// (renderer/src/components/ChartFigure.tsx) with its data table by changing that element alone.
import type { ReactNode } from 'react';
import { CartesianGrid, Legend, LineChart, ResponsiveContainer, Tooltip, XAxis } from 'recharts';
import type { DrillKpi } from '../../../../shared/contracts/kpis.ts';

const DAY_MS = 86_400_000;

/** The days of the week starting `monday` that lie within [from, to] (all YYYY-MM-DD). */
export function weekWithin(monday: string, from: string, to: string): { from: string; to: string } {
  const sunday = new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * DAY_MS).toISOString().slice(0, 10);
  return { from: monday < from ? from : monday, to: sunday > to ? to : sunday };
}

interface DotProps {
  cx?: number | null;
  cy?: number | null;
  index?: number;
  payload?: { bucket?: string };
}

/**
 * A line's points as buttons for the pointer: a click on a point opens that week's tickets for the line's own KPI
 * (the FCR line's point opens FCR, the deflection line's deflection). Give it to a <Line dot={…}>.
 */
export function weekDot(kpi: DrillKpi, color: string, onWeek: (week: string, kpi: DrillKpi) => void) {
  return function WeekDot({ cx, cy, index, payload }: DotProps) {
    const week = payload?.bucket;
    if (cx == null || cy == null || !week) return <g key={`none-${index}`} />;
    return (
      <circle
        key={`${kpi}-${week}`}
        className="kpis-chart-dot"
        data-week={week}
        data-kpi={kpi}
        cx={cx}
        cy={cy}
        r={4}
        fill="#fff"
        stroke={color}
        strokeWidth={2}
        style={{ cursor: 'pointer' }}
        onClick={(event) => {
          event.stopPropagation();
          onWeek(week, kpi);
        }}
      />
    );
  };
}

interface Props<Point extends { bucket: string }> {
  title: string;
  /** What the drawing plots, for a screen reader. */
  summary: string;
  testId: string;
  points: readonly Point[];
  /** The KPI a week opens (the drill-down's figure picker switches to the others). */
  kpi: DrillKpi;
  onWeek(week: string, kpi: DrillKpi): void;
  /** The chart's axes, lines and reference lines. */
  children: ReactNode;
}

export function KpiTrendChart<Point extends { bucket: string }>({ title, summary, testId, points, kpi, onWeek, children }: Props<Point>) {
  const weekPicker = (
    <label className="kpis-chart-weeks">
      Open a week{' '}
      <select aria-label={`${title}: open the tickets of a week`} data-testid={`${testId}-week`} value="" onChange={(e) => e.target.value && onWeek(e.target.value, kpi)}>
        <option value="">…</option>
        {points.map((p) => (
          <option key={p.bucket} value={p.bucket}>
            week of {p.bucket}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <figure className="kpis-chart" data-testid={testId} aria-label={title}>
      <figcaption>
        <h3>{title}</h3>
        {points.length > 0 ? weekPicker : null}
      </figcaption>
      {points.length === 0 ? (
        <p className="empty">No weeks in this period.</p>
      ) : (
        <div role="img" aria-label={`${summary}. ${points.length} weeks; click a week, or choose it above, to list its tickets.`} data-testid={`${testId}-drawing`}>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={points as Point[]} style={{ cursor: 'pointer' }} onClick={(state) => state.activeLabel !== undefined && onWeek(String(state.activeLabel), kpi)}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="bucket" fontSize={11} />
              <Tooltip />
              <Legend />
              {children}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
