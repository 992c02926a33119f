// The overview: the period's figures against the baseline, weekly trends, and every figure opens its tickets.
import { Line, ReferenceLine, YAxis } from 'recharts';
import { KPI_DEFINITIONS, KPI_FRACTIONS, type DrillKpi, type KpiId, type KpiSeriesPoint, type KpiValues } from '../../../../shared/contracts/kpis.ts';
import { formatMoney } from '../../../../shared/format.ts';
import { useKpiState } from './kpi-state.ts';
import { KpiTrendChart, weekDot, weekWithin, type ChartColumn } from './KpiTrendChart.tsx';
import { formatDecimal, formatPercent } from '../../../../shared/format.ts';
import { useKpiCall } from './useKpiCall.ts';
import { FlaggedTickets } from './FlaggedTickets.tsx';

const tooltip = (id: KpiId): string => KPI_DEFINITIONS.find((d) => d.id === id)?.definition ?? '';
const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '—' : v.toFixed(digits));
/** An amount in minor units of the values' own currency (the outcome contract's), or "—" when there is none. */
const money = (minor: number | null | undefined, currency: string | null | undefined): string =>
  minor === null || minor === undefined || !currency ? '—' : formatMoney(minor, currency);

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

interface Figure {
  key: string;
  kpi: KpiId;
  label: string;
  value: string;
  baseline: string | null;
  /** Positive means better than the baseline. */
  better: boolean | null;
  /** The KPI whose numerator and denominator the figure opens. */
  drill: DrillKpi;
  note?: string;
}

function delta(current: number | null, base: number | null | undefined, higherIsBetter: boolean): boolean | null {
  if (current === null || base === null || base === undefined || current === base) return null;
  return higherIsBetter ? current > base : current < base;
}

function figures(v: KpiValues, b: KpiValues | null, notes: Record<string, string>): Figure[] {
  const c = v.counts;
  const cost = v.costPerResolution;
  const currency = v.currency;
  // Labor savings: AI resolutions × the human cost per resolution, both exact integers here.
  const savings = cost.humanMinor == null ? null : (c.verified > 0 ? c.verified : c.deflected) * cost.humanMinor;
  return [
    { key: 'verified', kpi: 'costPerResolution', label: 'Verified AI resolutions', value: c.verified.toLocaleString('en-US'), baseline: b ? b.counts.verified.toLocaleString('en-US') : null, better: null, drill: 'verified', note: c.verified === 0 ? notes['costPerResolution.ai'] : undefined },
    { key: 'deflection', kpi: 'deflection', label: 'Deflection', value: pct(v.deflection), baseline: b ? pct(b.deflection) : null, better: delta(v.deflection, b?.deflection, true), drill: 'deflection' },
    { key: 'fcr', kpi: 'fcr', label: 'First-contact resolution', value: pct(v.fcr), baseline: b ? pct(b.fcr) : null, better: delta(v.fcr, b?.fcr, true), drill: 'fcr' },
    { key: 'aht', kpi: 'aht', label: `AHT${v.ahtSource === 'agent_work' ? ' (agent work time)' : ''}`, value: v.ahtMinutes === null ? '—' : `${num(v.ahtMinutes)} min`, baseline: b ? (b.ahtMinutes === null ? '—' : `${num(b.ahtMinutes)} min`) : null, better: delta(v.ahtMinutes, b?.ahtMinutes, false), drill: 'aht' },
    { key: 'csat', kpi: 'csat', label: 'CSAT', value: `${num(v.csatMean, 2)} · ${pct(v.csatSatisfiedShare)} 4–5`, baseline: b ? num(b.csatMean, 2) : null, better: delta(v.csatMean, b?.csatMean, true), drill: 'csat' },
    { key: 'sla', kpi: 'slaCompliance', label: 'SLA compliance', value: pct(v.slaCompliance), baseline: b ? pct(b.slaCompliance) : null, better: delta(v.slaCompliance, b?.slaCompliance, true), drill: 'tickets', note: v.slaCompliance === null ? notes.slaCompliance : undefined },
    { key: 'reopen', kpi: 'reopenRate', label: 'Reopen rate', value: pct(v.reopenRate), baseline: b ? pct(b.reopenRate) : null, better: delta(v.reopenRate, b?.reopenRate, false), drill: 'reopenRate' },
    { key: 'escalation', kpi: 'escalationRate', label: 'Escalation rate', value: pct(v.escalationRate), baseline: b ? pct(b.escalationRate) : null, better: delta(v.escalationRate, b?.escalationRate, false), drill: 'escalationRate' },
    { key: 'cost', kpi: 'costPerResolution', label: 'Cost per resolution (human / AI)', value: `${money(cost.humanMinor, currency)} / ${money(cost.aiMinor, currency)}`, baseline: null, better: null, drill: 'verified', note: notes.money },
    { key: 'spend', kpi: 'costPerResolution', label: 'AI spend (verified)', value: money(c.verified > 0 ? c.verifiedSpendMinor : null, currency), baseline: null, better: null, drill: 'verified' },
    { key: 'savings', kpi: 'costPerResolution', label: 'Labor savings', value: money(savings, currency), baseline: null, better: null, drill: c.verified > 0 ? 'verified' : 'deflection' },
    { key: 'tickets', kpi: 'tickets', label: 'Tickets', value: v.tickets.toLocaleString('en-US'), baseline: b ? b.tickets.toLocaleString('en-US') : null, better: null, drill: 'tickets' },
  ];
}

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
        {figures(r, base, r.notes).map((f) => (
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
