// The SLA board: compliance per metric (all, AI, human), weekly trend, live queue, policies. Every figure drills down.
import { useState } from 'react';
import { SLA_METRICS, type SlaMetricKey } from '../../../../shared/contracts/sla.ts';
import { IsoDateInput, isIsoDay, localDayTimeToIso } from '../../components/IsoDateInput.tsx';
import { ComplianceTable } from './ComplianceTable.tsx';
import { LiveQueue } from './LiveQueue.tsx';
import { PolicyVersions } from './PolicyVersions.tsx';
import { SlaTicketList, type DrillDown } from './SlaTicketList.tsx';
import { TrendChart } from './TrendChart.tsx';
import { METRIC_LABELS, useSlaCall } from './useSlaCall.ts';
import './sla.css';

const DAY = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function SlaView() {
  const [from, setFrom] = useState(() => isoDay(Date.now() - 210 * DAY));
  const [to, setTo] = useState(() => isoDay(Date.now()));
  const [metric, setMetric] = useState<SlaMetricKey>('first_reply');
  const [warning, setWarning] = useState(60);
  const [asOf, setAsOf] = useState('');
  const [drill, setDrill] = useState<{ from: string; to: string; drill: DrillDown } | null>(null);
  const valid = isIsoDay(from) && isIsoDay(to) && from <= to;
  const range = valid ? { from, to } : null;
  const overall = useSlaCall('sla.compliance', range);
  const byActor = useSlaCall('sla.compliance', range && { ...range, by: 'actor' as const });
  const trend = useSlaCall('sla.trend', range);
  // "Live as of" is typed on the reader's clock; empty means now.
  const asOfIso = asOf.trim() ? localDayTimeToIso(asOf) : null;
  const asOfValue = asOfIso ?? undefined;

  return (
    <main className="sla-board" data-testid="sla-board">
      <div className="sla-toolbar">
        <label>
          From <IsoDateInput value={from} onChange={setFrom} data-testid="sla-from" />
        </label>
        <label>
          To <IsoDateInput value={to} onChange={setTo} data-testid="sla-to" />
        </label>
        <label>
          Warn <input type="number" min={1} max={10080} value={warning} onChange={(e) => setWarning(Math.max(1, Number(e.target.value) || 60))} data-testid="sla-warning" /> min before a breach
        </label>
        <label>
          Live as of <IsoDateInput withTime value={asOf} onChange={setAsOf} data-testid="sla-asof" />
        </label>
        {asOf.trim() && !asOfIso ? <span className="sla-error">Write the time as YYYY-MM-DD HH:mm (showing now meanwhile).</span> : null}
        {!valid ? <span className="sla-error">Choose a valid date range.</span> : null}
      </div>
      <div className="sla-columns">
        <div className="sla-main">
          <section className="sla-card">
            <header className="sla-card-head">
              <h3>Compliance of tickets created {from} … {to}</h3>
            </header>
            {overall.loading && !overall.value ? <p className="sla-muted" data-testid="sla-loading">Computing…</p> : null}
            {overall.error ? <p className="sla-error">{overall.error.message}</p> : null}
            {overall.value ? <ComplianceTable overall={overall.value} byActor={byActor.value} onDrill={(d) => setDrill({ from, to, drill: d })} /> : null}
          </section>
          <section className="sla-card">
            {trend.value ? (
              <TrendChart
                points={trend.value}
                metric={metric}
                metricLabel={METRIC_LABELS[metric]}
                onWeek={(week) => setDrill({ from: week, to: isoDay(Date.parse(`${week}T00:00:00Z`) + 6 * DAY), drill: { metric, outcome: 'breached' } })}
                actions={
                  <label>
                    <span className="visually-hidden">Metric</span>
                    <select value={metric} onChange={(e) => setMetric(e.target.value as SlaMetricKey)} data-testid="sla-trend-metric">
                      {SLA_METRICS.map((m) => (
                        <option key={m} value={m}>{METRIC_LABELS[m]}</option>
                      ))}
                    </select>
                  </label>
                }
              />
            ) : (
              <p className="sla-muted">Weekly compliance: computing…</p>
            )}
          </section>
          {drill ? <SlaTicketList from={drill.from} to={drill.to} drill={drill.drill} onClose={() => setDrill(null)} /> : null}
        </div>
        <div className="sla-side">
          <LiveQueue warningMinutes={warning} asOf={asOfValue} />
          <PolicyVersions />
        </div>
      </div>
    </main>
  );
}
