// The overview: the period's figures against the baseline, weekly trends, and every figure opens its tickets. The
// figures are shared/kpi-figures.ts's, the same list, words and formats the KPI PDF report prints.
import { Line, ReferenceLine, YAxis } from 'recharts';
import { KPI_DEFINITIONS, KPI_FRACTIONS, type DrillKpi, type KpiId, type KpiSeriesPoint } from '../../../../shared/contracts/kpis.ts';
import { overviewFigures } from '../../../../shared/kpi-figures.ts';
import { useKpiState } from './kpi-state.ts';
import { KpiTrendChart, weekDot, weekWithin, type ChartColumn } from './KpiTrendChart.tsx';
import { formatDecimal, formatPercent } from '../../../../shared/format.ts';
import { useKpiCall } from './useKpiCall.ts';
import { FlaggedTickets } from './FlaggedTickets.tsx';

const tooltip = (id: KpiId): string => KPI_DEFINITIONS.find((d) => d.id === id)?.definition ?? '';

type Point = KpiSeriesPoint & { fcrPct: number | null; deflectionPct: number | null; reopenPct: number | null };
const RATE_COLUMNS: ChartColumn<Point>[] = [
  { header: 'FCR', numeric: true, cell: (p) => formatPercent(p.fcr) },
  { header: 'Deflection', numeric: true, cell: (p) => formatPercent(p.deflection) },
  { header: 'Reopen rate', numeric: true, cell: (p) => formatPercent(p.reopenRate) },
];
const CSAT_COLUMNS: ChartColumn<Point>[] = [
  { header: 'CSAT (mean, 1–5)', numeric: true, cell: (p) => (p.csatMean === null ? '—' : formatDecimal(p.csatMean, 2)) },
  { header: 'AHT (min)', numeric: true, cell: (p) => (p.ahtMinutes === null ? '—' : formatDecimal(p.ahtMinutes)) },
];

export function Overview() {
  const { from, to, category, baselineSeq, openDrill, includeFlagged } = useKpiState();
  const report = useKpiCall('kpis.report', { from, to, category, includeFlagged });
  const series = useKpiCall('kpis.series', { from, to, category, bucket: 'week', includeFlagged });
  const baselines = useKpiCall('kpis.baselines', {});
  const baseline = baselines.value?.find((b) => b.seq === baselineSeq) ?? null;
  const base = baseline ? (category.length === 1 ? (baseline.byCategory[category[0]!] ?? null) : category.length === 0 ? baseline.overall : null) : null;

  if (report.error) return <p className="kpis-error" data-testid="kpis-error">{report.error.message}</p>;
  if (!report.value) return <p className="empty" data-testid="kpis-loading">Loading KPIs…</p>;
  const r = report.value;
  if (r.tickets === 0) return <p className="empty" data-testid="kpis-empty">No tickets were created in this period{category.length ? ' in this category' : ''}.</p>;
  // A week on a trend chart opens that week's tickets (its days within the period) for the chart's KPI.
  const openWeek = (week: string, kpi: DrillKpi): void =>
    openDrill({ kpi, label: `${KPI_FRACTIONS[kpi].label}, week of ${week}`, category, ...weekWithin(week, from, to) });
  const points: Point[] = (series.value ?? []).map((p) => ({
    ...p,
    fcrPct: p.fcr === null ? null : Math.round(p.fcr * 1000) / 10,
    deflectionPct: p.deflection === null ? null : Math.round(p.deflection * 1000) / 10,
    reopenPct: p.reopenRate === null ? null : Math.round(p.reopenRate * 1000) / 10,
  }));

  return (
    <section className="kpis-overview" data-testid="kpis-overview" aria-busy={report.loading}>
      <FlaggedTickets flagged={r.flagged} />
      <div className="kpis-figures">
        {overviewFigures(r, base, r.notes, r.currency ?? null).map((f) => (
          <button
            key={f.key}
            type="button"
            className="kpis-figure"
            data-testid={`kpi-figure-${f.key}`}
            title={tooltip(f.kpi)}
            onClick={() => openDrill({ kpi: f.drill, label: f.label, category })}
          >
            <span className="kpis-figure-label">{f.label}</span>
            <span className="kpis-figure-value" data-testid={`kpi-value-${f.key}`}>
              {f.value}
            </span>
            {f.baseline !== null ? (
              <span className={f.better === null ? 'kpis-figure-base' : f.better ? 'kpis-figure-base better' : 'kpis-figure-base worse'}>
                baseline {f.baseline}
                {f.change ? ` · ${f.change}` : ''}
              </span>
            ) : null}
            {f.note ? <span className="kpis-figure-note">{f.note}</span> : null}
          </button>
        ))}
      </div>
      <div className="kpis-charts">
        <KpiTrendChart title="Weekly FCR, deflection and reopen rate (%)" summary="First-contact resolution, deflection and reopen rate per week, in percent" testId="kpis-trend-rates" points={points} series={RATE_COLUMNS} kpi="fcr" onWeek={openWeek}>
          <YAxis domain={[0, 100]} unit="%" fontSize={11} />
          <Line dataKey="fcrPct" name="FCR" stroke="#1f5fbf" dot={weekDot('fcr', '#1f5fbf', openWeek)} connectNulls isAnimationActive={false} />
          <Line dataKey="deflectionPct" name="Deflection" stroke="#6b3fb8" dot={weekDot('deflection', '#6b3fb8', openWeek)} connectNulls isAnimationActive={false} />
          <Line dataKey="reopenPct" name="Reopen" stroke="#b3261e" dot={weekDot('reopenRate', '#b3261e', openWeek)} connectNulls isAnimationActive={false} />
          {base?.fcr != null ? <ReferenceLine y={Math.round(base.fcr * 1000) / 10} stroke="#1f5fbf" strokeDasharray="6 4" label={{ value: 'FCR baseline', fontSize: 10 }} /> : null}
        </KpiTrendChart>
        <KpiTrendChart title="Weekly CSAT and AHT" summary="Mean CSAT (1 to 5) and average handle time in minutes per week" testId="kpis-trend-csat" points={points} series={CSAT_COLUMNS} kpi="csat" onWeek={openWeek}>
          <YAxis yAxisId="csat" domain={[1, 5]} fontSize={11} />
          <YAxis yAxisId="aht" orientation="right" unit=" min" fontSize={11} />
          <Line yAxisId="csat" dataKey="csatMean" name="CSAT" stroke="#1d7a46" dot={weekDot('csat', '#1d7a46', openWeek)} connectNulls isAnimationActive={false} />
          <Line yAxisId="aht" dataKey="ahtMinutes" name="AHT (min)" stroke="#9a5b00" dot={weekDot('aht', '#9a5b00', openWeek)} connectNulls isAnimationActive={false} />
          {base?.csatMean != null ? <ReferenceLine yAxisId="csat" y={base.csatMean} stroke="#1d7a46" strokeDasharray="6 4" label={{ value: 'CSAT baseline', fontSize: 10 }} /> : null}
        </KpiTrendChart>
      </div>
      {!baseline ? <p className="muted small">No baseline frozen: freeze a pre-deployment period to see the change against it.</p> : null}
    </section>
  );
}
