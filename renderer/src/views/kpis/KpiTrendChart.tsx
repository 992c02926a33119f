// A weekly KPI trend whose points open their week's tickets: a click on the chart at a week (or choosing the week in
// the picker beside the title, for the keyboard) opens the drill-down of the chart's KPI for that week's days.
// The frame is the shared ChartFigure: a <figure> named by its caption, with a "Show data table" toggle whose week
// cells open the week too.
import type { ReactNode } from 'react';
import { CartesianGrid, Legend, LineChart, ResponsiveContainer, Tooltip, XAxis } from 'recharts';
import type { DrillKpi } from '../../../../shared/contracts/kpis.ts';
import { ChartFigure as ChartFrame, type ChartColumn } from '../../components/ChartFigure.tsx';

export type { ChartColumn };

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
  /** The figures per week as the data table reads them (already formatted), after the week column. */
  series: readonly ChartColumn<Point>[];
  /** The KPI a week opens (the drill-down's figure picker switches to the others). */
  kpi: DrillKpi;
  onWeek(week: string, kpi: DrillKpi): void;
  /** The chart's axes, lines and reference lines. */
  children: ReactNode;
}

export function KpiTrendChart<Point extends { bucket: string }>({ title, summary, testId, points, series, kpi, onWeek, children }: Props<Point>) {
  if (points.length === 0) {
    return (
      <div className="kpis-chart" data-testid={testId}>
        <h3>{title}</h3>
        <p className="empty">No weeks in this period.</p>
      </div>
    );
  }
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
  // The data table's week cell opens the week, as a point does.
  const week: ChartColumn<Point> = {
    header: 'Week (Monday)',
    cell: (p) => (
      <button type="button" className="link-button" onClick={() => onWeek(p.bucket, kpi)} aria-label={`Tickets of the week of ${p.bucket}`}>
        {p.bucket}
      </button>
    ),
  };
  return (
    <ChartFrame
      className="kpis-chart"
      title={title}
      summary={`${summary}; click a week, or choose it beside the title, to list its tickets`}
      rows={points}
      rowKey={(p) => p.bucket}
      columns={[week, ...series]}
      testId={testId}
      actions={weekPicker}
    >
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points as Point[]} style={{ cursor: 'pointer' }} onClick={(state) => state.activeLabel !== undefined && onWeek(String(state.activeLabel), kpi)}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="bucket" fontSize={11} />
          <Tooltip />
          <Legend />
          {children}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
