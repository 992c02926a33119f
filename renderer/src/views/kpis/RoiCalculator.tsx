// ROI = (labor savings + risk reduction + revenue preservation) / AI spend, every input visible and editable;
// ledger values prefill where they exist. Recomputes on every keystroke (roiMoney is shared, no round trip).
// Every amount is in one currency, the ledger's (its outcome contract's): labels name its code, amounts are integer
// minor units shown with formatMoney, and a currency other than the contract's is refused, never mixed in.
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ROI_DEFAULTS, ROI_FORMULA, roiMoney, roiSensitivity, type RoiInputKey, type RoiInputs, type RoiMoney } from '../../../../shared/contracts/kpis.ts';
import { formatCount, formatMoney } from '../../../../shared/format.ts';
import { currencyDigits, CurrencyMismatchError, formatMinor, isCurrencyCode, MoneyError, toMinor } from '../../../../shared/money.ts';
import { useKpiState } from './kpi-state.ts';
import { useKpiCall } from './useKpiCall.ts';
import { useRoiInputs } from './roi-state.ts';

type NumberKey = Exclude<RoiInputKey, 'currency'>;

/** Input labels; an amount's label names the currency's code (never a symbol). */
function labels(currency: string | null): Record<NumberKey, string> {
  const code = currency ?? 'no currency';
  return {
    baseSalary: `Base salary per agent (${code}/year)`,
    loadedMultiplier: 'Loaded cost multiplier',
    ticketsPerAgentYear: 'Tickets per agent-year',
    slaPenaltyPerBreach: `SLA penalty per breach (${code})`,
    revenuePerRetainedCustomer: `Revenue per retained customer (${code})`,
    churnReductionPerCsatPoint: 'Churn reduction per CSAT point',
    pricePerResolution: `Price per AI resolution (${code})`,
    infrastructurePerMonth: `Infrastructure per month (${code})`,
    months: 'Months in the period',
    aiResolutions: 'AI resolutions',
    verifiedSpend: `Verified AI spend (${code})`,
    breachesAvoided: 'SLA breaches avoided vs baseline',
    csatDelta: 'CSAT change vs baseline',
    customers: 'Customers (distinct requesters)',
  };
}
const NUMBER_KEYS = Object.keys(labels(null)) as NumberKey[];
const LEDGER_KEYS: RoiInputKey[] = ['months', 'aiResolutions', 'verifiedSpend', 'breachesAvoided', 'csatDelta', 'customers', 'currency'];

/** The ROI in minor units, or the plain reason there are no amounts (no currency, a mismatch, too many decimals). */
function roiOrProblem(inputs: RoiInputs, ledgerCurrency: string | null): { money: RoiMoney } | { problem: string } {
  if (ledgerCurrency && inputs.currency && inputs.currency !== ledgerCurrency) {
    return { problem: new CurrencyMismatchError({ currency: ledgerCurrency, source: 'the outcome contract' }, { currency: inputs.currency, source: 'the calculator' }).message };
  }
  if (!inputs.currency) return { problem: 'No currency: the ledger has no outcome contract; enter the currency of the amounts (an ISO 4217 code such as EUR).' };
  try {
    return { money: roiMoney(inputs) };
  } catch (error) {
    if (error instanceof MoneyError) return { problem: error.message };
    throw error;
  }
}

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
        breachesAvoided: Math.round((v.breachesAvoided ?? 0) * 10) / 10,
        csatDelta: Math.round((v.csatDelta ?? 0) * 1000) / 1000,
        customers: v.customers,
        // The contract's currency is the calculator's; without a contract the user's own entry is kept.
        currency: v.currency ?? inputs?.currency ?? null,
        verifiedSpend: v.verifiedSpendMinor === null || !v.currency ? v.verifiedSpend : Number(formatMinor(v.verifiedSpendMinor, currencyDigits(v.currency)!)),
      },
      {
        months: 'ledger',
        aiResolutions: v.aiResolutionsSource === 'verified_outcomes' ? 'ledger' : 'ledger (AI deflections)',
        verifiedSpend: v.verifiedSpend === null ? 'none: estimated from price' : 'ledger',
        breachesAvoided: v.breachesAvoided === null ? `input (${v.notes.breachesAvoided ?? 'no data'})` : 'ledger',
        csatDelta: v.csatDelta === null ? `input (${v.notes.csatDelta ?? 'no data'})` : 'ledger',
        customers: 'ledger',
        currency: v.currency ? 'ledger (outcome contract)' : `input (${v.notes.currency ?? 'no outcome contract'})`,
      },
    );
    setText({});
    // Refill from the ledger when the period or baseline changes; user-edited assumptions are kept.
  }, [ledger.value]);

  if (ledger.error) return <p className="kpis-error">{ledger.error.message}</p>;
  if (!inputs) return <p className="empty" data-testid="kpis-loading">Loading ledger values…</p>;
  const ledgerCurrency = ledger.value?.currency ?? null;
  const LABELS = labels(inputs.currency ?? null);
  const outcome = roiOrProblem(inputs, ledgerCurrency);
  const result = 'money' in outcome ? outcome.money : null;
  const currency = result?.currency ?? '';
  const amount = (minor: number): string => formatMoney(minor, currency);
  const sensitivity = result
    ? roiSensitivity(inputs).map((s) => ({ input: LABELS[s.input as NumberKey], low: s.low === null ? null : round(s.low), high: s.high === null ? null : round(s.high) }))
    : [];

  const onCurrency = (value: string): void => {
    const code = value.trim().toUpperCase();
    setText({ ...text, currency: value });
    if (isCurrencyCode(code)) setInput('currency', code);
  };
  const onChange = (key: NumberKey, value: string): void => {
    setText({ ...text, [key]: value });
    if (key === 'verifiedSpend' && value.trim() === '') return setInput(key, null);
    const n = Number(value);
    if (value.trim() !== '' && Number.isFinite(n)) setInput(key, n);
  };

  return (
    <section className="kpis-roi" data-testid="kpis-roi">
      <div className="kpis-roi-grid">
        <form className="kpis-roi-inputs" onSubmit={(e) => e.preventDefault()}>
          <label>
            <span>
              Currency of the amounts (ISO 4217) <span className="muted small">{sources.currency ?? 'input'}</span>
            </span>
            <input
              type="text"
              maxLength={3}
              data-testid="roi-input-currency"
              value={text.currency ?? inputs.currency ?? ''}
              placeholder="ISO 4217 code"
              readOnly={ledgerCurrency !== null}
              title={ledgerCurrency !== null ? `The outcome contract is in ${ledgerCurrency}: every amount here is in it` : undefined}
              onChange={(e) => onCurrency(e.target.value)}
            />
          </label>
          {NUMBER_KEYS.map((key) => (
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
            ROI {result?.roi == null ? '—' : `${result.roi.toFixed(2)}×`}
          </p>
          <p className="mono small kpis-formula" data-testid="roi-formula">
            {ROI_FORMULA}
          </p>
          {'problem' in outcome ? (
            <p className="kpis-error" role="alert" data-testid="roi-money-problem">
              {outcome.problem}
            </p>
          ) : null}
          {result ? (
            <table className="kpis-table" data-testid="roi-parts">
              <tbody>
                <tr>
                  <td>
                    Labor savings ({formatCount(inputs.aiResolutions)} × {amount(result.humanCostPerResolutionMinor)})
                  </td>
                  <td data-testid="roi-labor">{amount(result.laborSavingsMinor)}</td>
                </tr>
                <tr>
                  <td>
                    Risk reduction ({inputs.breachesAvoided} breaches × {amount(toMinor(inputs.slaPenaltyPerBreach, currencyDigits(currency)!))})
                  </td>
                  <td data-testid="roi-risk">{amount(result.riskReductionMinor)}</td>
                </tr>
                <tr>
                  <td>Revenue preservation</td>
                  <td data-testid="roi-revenue">{amount(result.revenuePreservationMinor)}</td>
                </tr>
                <tr>
                  <td>AI spend: usage{inputs.verifiedSpend === null ? ' (estimated)' : ' (verified)'} + infrastructure</td>
                  <td data-testid="roi-spend">
                    {amount(result.usageSpendMinor)} + {amount(result.infrastructureMinor)} = {amount(result.aiSpendMinor)}
                  </td>
                </tr>
              </tbody>
            </table>
          ) : null}
          {result ? (
            <div className="kpis-chart" data-testid="roi-sensitivity">
              <h3>Sensitivity: ROI with each input −20% / +20%</h3>
              <ResponsiveContainer width="100%" height={260}>
                <BarChart data={sensitivity} layout="vertical" margin={{ left: 40 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis type="number" fontSize={11} />
                  <YAxis type="category" dataKey="input" width={180} fontSize={10} />
                  <Tooltip />
                  <Legend />
                  {result?.roi != null ? <ReferenceLine x={round(result.roi)} stroke="#1b2330" /> : null}
                  <Bar dataKey="low" name="−20%" fill="#b3261e" isAnimationActive={false} />
                  <Bar dataKey="high" name="+20%" fill="#1d7a46" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          ) : null}
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
