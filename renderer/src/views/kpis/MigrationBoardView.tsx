// Per category (by complexity tier): its AI mode and who set it why, pilot vs baseline with 95% intervals, verdict.
import { SignatureLines } from '../../components/SignatureLines.tsx';
import { useSignature } from '../../components/SignatureDialog.tsx';
import { useState } from 'react';
import { boardThresholdsSchema, type BoardThresholds, type Estimate } from '../../../../shared/contracts/kpis.ts';
import type { CategoryMode } from '../../../../shared/domain.ts';
import { getApi } from '../../api/index.ts';
import { useChain } from '../../state/chain.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo, type Permission } from '../../hooks/useMayDo.ts';
import { useKpiState } from './kpi-state.ts';
import { useKpiCall } from './useKpiCall.ts';

/** The board's checks, as the drill-down's heading names them. */
const CHECK_LABEL = { fcr: 'FCR', csat: 'CSAT', reopenRate: 'reopen rate' } as const;
const MODE_LABEL: Record<CategoryMode, string> = { off: 'Human only', draft: 'AI drafts, human approves', auto: 'AI auto' };
const fmt = (e: Estimate, percent: boolean): string => {
  if (e.value === null) return '—';
  const f = (x: number): string => (percent ? `${(x * 100).toFixed(1)}%` : x.toFixed(2));
  return e.ci ? `${f(e.value)} [${f(e.ci.low)}, ${f(e.ci.high)}]` : f(e.value);
};

function ModeChanger({ category, mode, permission }: { category: string; mode: CategoryMode; permission: Permission }) {
  const [next, setNext] = useState<CategoryMode>(mode);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { signed, dialog } = useSignature();
  const save = async (): Promise<void> => {
    // Switching to auto lets the AI reply without review: signed once the ledger has accounts.
    const result = await signed(`set ${category} to ${next}`, (signature) => getApi()['categories.setMode']({ category, mode: next, reason, ...(signature ? { signature } : {}) }), {
      always: next === 'auto' && next !== mode,
      meaning: 'approved',
      reason,
    });
    if (result === null) return;
    if (!result.ok) return setError(result.error.details?.join('; ') ?? result.error.message);
    setError(null);
    setReason('');
    useChain.getState().ledgerChanged();
  };
  return (
    <span className="kpis-mode-change">
      <select aria-label={`New mode for ${category}`} value={next} onChange={(e) => setNext(e.target.value as CategoryMode)} {...permission.control} data-testid={`kpis-mode-select-${category}`}>
        {(Object.keys(MODE_LABEL) as CategoryMode[]).map((m) => (
          <option key={m} value={m}>
            {MODE_LABEL[m]}
          </option>
        ))}
      </select>
      <input aria-label={`Reason for ${category}`} placeholder="why" value={reason} onChange={(e) => setReason(e.target.value)} disabled={!permission.allowed} />
      <button type="button" className="button button-small" {...permission.control} disabled={!permission.allowed || next === mode || !reason.trim()} onClick={() => void save()} data-testid={`kpis-mode-set-${category}`}>
        Set
      </button>
      {error ? <span className="kpis-error">{error}</span> : null}
      {dialog}
    </span>
  );
}

export function MigrationBoardView() {
  const { from, to, baselineSeq, openDrill } = useKpiState();
  const setMode = useMayDo('categories.setMode');
  const [thresholds, setThresholds] = useState<BoardThresholds>(() => boardThresholdsSchema.parse({}));
  const board = useKpiCall('kpis.board', { from, to, thresholds, ...(baselineSeq ? { baselineSeq } : {}) });
  const setThreshold = (key: keyof BoardThresholds, value: string): void => {
    const n = Number(value);
    if (Number.isFinite(n) && n >= 0) setThresholds({ ...thresholds, [key]: key === 'minSample' ? Math.max(1, Math.round(n)) : n });
  };
  if (board.error) return <p className="kpis-error">{board.error.message}</p>;
  if (!board.value) return <p className="empty" data-testid="kpis-loading">Loading the board…</p>;
  const b = board.value;
  return (
    <section className="kpis-board" data-testid="kpis-board">
      <p className="small">
        Pilot {from} – {to} against{' '}
        {b.baseline ? (
          <strong>
            baseline “{b.baseline.name}” ({b.baseline.from} – {b.baseline.to})
          </strong>
        ) : (
          <strong>no baseline — freeze one first</strong>
        )}
        . Intervals are 95%: Wilson (proportions), t (means); differences: Newcombe / Welch.
      </p>
      {b.baseline ? <SignatureLines signatures={b.baseline.signatures} /> : null}
      <div className="kpis-thresholds">
        <label>
          FCR max drop <input type="number" step="0.01" value={thresholds.fcrMaxDrop} onChange={(e) => setThreshold('fcrMaxDrop', e.target.value)} />
        </label>
        <label>
          CSAT max drop <input type="number" step="0.05" value={thresholds.csatMaxDrop} onChange={(e) => setThreshold('csatMaxDrop', e.target.value)} />
        </label>
        <label>
          Reopen max rise <input type="number" step="0.01" value={thresholds.reopenMaxRise} onChange={(e) => setThreshold('reopenMaxRise', e.target.value)} />
        </label>
        <label>
          Min sample <input type="number" step="1" value={thresholds.minSample} onChange={(e) => setThreshold('minSample', e.target.value)} />
        </label>
      </div>
      <RefusalNote permission={setMode} className="refusal-block" />
      <table className="kpis-table">
        <thead>
          <tr>
            <th>Tier</th>
            <th>Category</th>
            <th>Mode (who, why)</th>
            <th>FCR baseline → pilot</th>
            <th>CSAT baseline → pilot</th>
            <th>Reopen baseline → pilot</th>
            <th>Deflection pilot</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {b.rows.map((row) => (
            <tr key={row.category} data-testid={`kpis-board-row-${row.category}`}>
              <td>{row.tier}</td>
              <td>
                <button type="button" className="link-button" data-testid={`kpis-board-tickets-${row.category}`} onClick={() => openDrill({ kpi: 'tickets', label: `${row.category}: pilot tickets`, category: [row.category], includeFlagged: false })}>
                  {row.category}
                </button>
              </td>
              <td>
                <span className={`kpis-mode kpis-mode-${row.mode}`}>{MODE_LABEL[row.mode]}</span>
                {row.reason ? (
                  <span className="muted small">
                    {' '}
                    {row.changedBy}: “{row.reason}”
                  </span>
                ) : null}
                <ModeChanger category={row.category} mode={row.mode} permission={setMode} />
              </td>
              {row.checks.map((c) => (
                <td key={c.kpi} title={`${c.rule}; difference ${fmt(c.difference, c.kpi !== 'csat')}`}>
                  <span className="small">{fmt(c.baseline, c.kpi !== 'csat')}</span>
                  <br />
                  <button
                    type="button"
                    className="link-button"
                    data-testid={`kpis-board-pilot-${row.category}-${c.kpi}`}
                    title={`Open the pilot's ${CHECK_LABEL[c.kpi]} tickets for ${row.category}: which count and why`}
                    onClick={() => openDrill({ kpi: c.kpi, label: `${row.category}: pilot ${CHECK_LABEL[c.kpi]}`, category: [row.category], includeFlagged: false })}
                  >
                    {fmt(c.pilot, c.kpi !== 'csat')}
                  </button>{' '}
                  <span className={`kpis-verdict kpis-verdict-${c.verdict}`}>{c.verdict.replace('_', ' ')}</span>
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className="link-button"
                  data-testid={`kpis-board-pilot-${row.category}-deflection`}
                  onClick={() => openDrill({ kpi: 'deflection', label: `${row.category}: pilot deflection`, category: [row.category], includeFlagged: false })}
                >
                  {fmt(row.comparisons[0]!.pilot, true)}
                </button>
              </td>
              <td>
                <span className={`kpis-verdict kpis-verdict-${row.verdict}`} data-testid={`kpis-verdict-${row.category}`}>
                  {row.verdict.replace('_', ' ')}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
