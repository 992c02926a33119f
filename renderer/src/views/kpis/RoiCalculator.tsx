// ROI = (labor savings + risk reduction + revenue preservation) / AI spend, every input visible and editable;
// ledger values prefill where they exist. Recomputes on every keystroke (computeRoi is shared, no round trip).
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { computeRoi, ROI_DEFAULTS, ROI_FORMULA, roiSensitivity, type RoiInputKey, type RoiInputs } from '../../../../shared/contracts/kpis.ts';
import { useKpiState } from './kpi-state.ts';
import { useKpiCall } from './useKpiCall.ts';
import { useRoiInputs } from './roi-state.ts';

const LABELS: Record<RoiInputKey, string> = {
  baseSalary: 'Base salary per agent ($/year)',
  loadedMultiplier: 'Loaded cost multiplier',
  ticketsPerAgentYear: 'Tickets per agent-year',
  slaPenaltyPerBreach: 'SLA penalty per breach ($)',
  revenuePerRetainedCustomer: 'Revenue per retained customer ($)',
  churnReductionPerCsatPoint: 'Churn reduction per CSAT point',
  pricePerResolution: 'Price per AI resolution ($)',
  infrastructurePerMonth: 'Infrastructure per month ($)',
  months: 'Months in the period',
  aiResolutions: 'AI resolutions',
  verifiedSpend: 'Verified AI spend ($)',
  breachesAvoided: 'SLA breaches avoided vs baseline',
  csatDelta: 'CSAT change vs baseline',
  customers: 'Customers (distinct requesters)',
};
const LEDGER_KEYS: RoiInputKey[] = ['months', 'aiResolutions', 'verifiedSpend', 'breachesAvoided', 'csatDelta', 'customers'];
const money = (v: number): string => `$${Math.round(v).toLocaleString('en-US')}`;

export function RoiCalculator() {
  const { from, to, baselineSeq } = useKpiState();
  const ledger = useKpiCall('kpis.roiInputs', { from, to, ...(baselineSeq ? { baselineSeq } : {}) });
  const { inputs, sources, setInputs, setInput } = useRoiInputs();
  const [text, setText] = useState<Partial<Record<RoiInputKey, string>>>({});

  useEffect(() => {
    const v = ledger.value;
    if (!v) return;
    setInputs(
      {
        ...ROI_DEFAULTS,
        ...(inputs ? pick(inputs) : {}),
        months: Math.round(v.months * 100) / 100,
        aiResolutions: v.aiResolutions,
        verifiedSpend: v.verifiedSpend,
        breachesAvoided: Math.round((v.breachesAvoided ?? 0) * 10) / 10,
        csatDelta: Math.round((v.csatDelta ?? 0) * 1000) / 1000,
        customers: v.customers,
      },
      {
        months: 'ledger',
        aiResolutions: v.aiResolutionsSource === 'verified_outcomes' ? 'ledger' : 'ledger (AI deflections)',
        verifiedSpend: v.verifiedSpend === null ? 'none: estimated from price' : 'ledger',
        breachesAvoided: v.breachesAvoided === null ? `input (${v.notes.breachesAvoided ?? 'no data'})` : 'ledger',
        csatDelta: v.csatDelta === null ? `input (${v.notes.csatDelta ?? 'no data'})` : 'ledger',
        customers: 'ledger',
      },
    );
    setText({});
    // Refill from the ledger when the period or baseline changes; user-edited assumptions are kept.
  }, [ledger.value]);

  if (ledger.error) return <p className="kpis-error">{ledger.error.message}</p>;
  if (!inputs) return <p className="empty" data-testid="kpis-loading">Loading ledger values…</p>;
  const result = computeRoi(inputs);
  const sensitivity = roiSensitivity(inputs).map((s) => ({ input: LABELS[s.input], low: s.low === null ? null : round(s.low), high: s.high === null ? null : round(s.high) }));

  const onChange = (key: RoiInputKey, value: string): void => {
    setText({ ...text, [key]: value });
    if (key === 'verifiedSpend' && value.trim() === '') return setInput(key, null);
    const n = Number(value);
    if (value.trim() !== '' && Number.isFinite(n)) setInput(key, n);
  };

  return (
    <section className="kpis-roi" data-testid="kpis-roi">
      <div className="kpis-roi-grid">
        <form className="kpis-roi-inputs" onSubmit={(e) => e.preventDefault()}>
          {(Object.keys(LABELS) as RoiInputKey[]).map((key) => (
            <label key={key}>
              <span>
                {LABELS[key]} <span className="muted small">{sources[key] ?? (LEDGER_KEYS.includes(key) ? '' : 'input')}</span>
              </span>
              <input
                type="number"
                step="any"
                data-testid={`roi-input-${key}`}
                value={text[key] ?? (inputs[key] === null ? '' : String(inputs[key]))}
                placeholder={key === 'verifiedSpend' ? 'none' : undefined}
                onChange={(e) => onChange(key, e.target.value)}
              />
            </label>
          ))}
        </form>
        <div className="kpis-roi-result">
          <p className="kpis-roi-value" data-testid="roi-value">
            ROI {result.roi === null ? '—' : `${result.roi.toFixed(2)}×`}
          </p>
          <p className="mono small kpis-formula" data-testid="roi-formula">
            {ROI_FORMULA}
          </p>
          <table className="kpis-table" data-testid="roi-parts">
            <tbody>
              <tr>
                <td>Labor savings ({inputs.aiResolutions.toLocaleString('en-US')} × {money(result.humanCostPerResolution)})</td>
                <td data-testid="roi-labor">{money(result.laborSavings)}</td>
              </tr>
              <tr>
                <td>Risk reduction ({inputs.breachesAvoided} breaches × {money(inputs.slaPenaltyPerBreach)})</td>
                <td>{money(result.riskReduction)}</td>
              </tr>
              <tr>
                <td>Revenue preservation</td>
                <td>{money(result.revenuePreservation)}</td>
              </tr>
              <tr>
                <td>AI spend: usage{inputs.verifiedSpend === null ? ' (estimated)' : ' (verified)'} + infrastructure</td>
                <td data-testid="roi-spend">
                  {money(result.usageSpend)} + {money(result.infrastructure)} = {money(result.aiSpend)}
                </td>
              </tr>
            </tbody>
          </table>
          <div className="kpis-chart" data-testid="roi-sensitivity">
            <h3>Sensitivity: ROI with each input −20% / +20%</h3>
            <ResponsiveContainer width="100%" height={260}>
              <BarChart data={sensitivity} layout="vertical" margin={{ left: 40 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" fontSize={11} />
                <YAxis type="category" dataKey="input" width={180} fontSize={10} />
                <Tooltip />
                <Legend />
                {result.roi !== null ? <ReferenceLine x={round(result.roi)} stroke="#1b2330" /> : null}
                <Bar dataKey="low" name="−20%" fill="#b3261e" isAnimationActive={false} />
                <Bar dataKey="high" name="+20%" fill="#1d7a46" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </div>
      </div>
    </section>
  );
}

const round = (x: number): number => Math.round(x * 100) / 100;

function pick(inputs: RoiInputs): Partial<RoiInputs> {
  const { baseSalary, loadedMultiplier, ticketsPerAgentYear, slaPenaltyPerBreach, revenuePerRetainedCustomer, churnReductionPerCsatPoint, pricePerResolution, infrastructurePerMonth } = inputs;
  return { baseSalary, loadedMultiplier, ticketsPerAgentYear, slaPenaltyPerBreach, revenuePerRetainedCustomer, churnReductionPerCsatPoint, pricePerResolution, infrastructurePerMonth };
}
