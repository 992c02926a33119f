// Pick the baseline to compare against, or freeze a new one (supervisors; recorded in the ledger).
import { useEffect, useState } from 'react';
import { getApi } from '../../api/index.ts';
import { useChain } from '../../state/chain.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useSignature } from '../../components/SignatureDialog.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { useKpiState } from './kpi-state.ts';
import { useKpiCall } from './useKpiCall.ts';
import { IsoDateInput } from '../../components/IsoDateInput.tsx';

export function BaselinePicker() {
  const { baselineSeq, setBaseline } = useKpiState();
  const baselines = useKpiCall('kpis.baselines', {});
  const permission = useMayDo('kpis.freezeBaseline');
  const [freezing, setFreezing] = useState(false);
  const [form, setForm] = useState({ name: '', from: '', to: '' });
  const [error, setError] = useState<string | null>(null);
  const list = baselines.value ?? [];

  useEffect(() => {
    if (baselineSeq === null && list.length > 0) setBaseline(list[list.length - 1]!.seq);
  }, [list, baselineSeq, setBaseline]);

  const { signed, dialog } = useSignature();
  const freeze = async (): Promise<void> => {
    // A baseline is what the pilot is judged against: signed once the ledger has accounts.
    const result = await signed(`freeze the baseline "${form.name}"`, (signature) => getApi()['kpis.freezeBaseline']({ ...form, ...(signature ? { signature } : {}) }), {
      always: true,
      meaning: 'responsible',
      reason: `baseline ${form.name} (${form.from} – ${form.to})`,
    });
    if (result === null) return;
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setFreezing(false);
    setBaseline(result.value.seq);
    useChain.getState().ledgerChanged();
  };

  return (
    <div className="kpis-baseline">
      <label>
        Baseline{' '}
        <select data-testid="kpis-baseline" value={baselineSeq ?? ''} onChange={(e) => setBaseline(e.target.value ? Number(e.target.value) : null)}>
          {list.length === 0 ? <option value="">none frozen</option> : null}
          {list.map((b) => (
            <option key={b.seq} value={b.seq}>
              {b.name} ({b.from} – {b.to}){b.definitionsMatch ? '' : ' ⚠ definitions changed'}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button button-small" data-testid="kpis-freeze-open" {...permission.control} onClick={() => setFreezing((f) => !f)}>
        Freeze baseline…
      </button>
      <RefusalNote permission={permission} />
      {freezing && permission.allowed ? (
        <div className="kpis-freeze" data-testid="kpis-freeze-form">
          <input placeholder="name" aria-label="Baseline name" data-testid="kpis-freeze-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <IsoDateInput label="Baseline from" data-testid="kpis-freeze-from" value={form.from} onChange={(from) => setForm({ ...form, from })} />
          <IsoDateInput label="Baseline to" data-testid="kpis-freeze-to" value={form.to} onChange={(to) => setForm({ ...form, to })} />
          <button type="button" className="button button-small" data-testid="kpis-freeze-submit" onClick={() => void freeze()}>
            Freeze
          </button>
          {error ? <span className="kpis-error">{error}</span> : null}
        </div>
      ) : null}
      {dialog}
    </div>
  );
}
