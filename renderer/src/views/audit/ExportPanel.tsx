// Export the auditor's pack: the events, contracts, statements, checkpoints, keys, a README and a signed manifest,
// written to a new folder of the installation's user-data folder; the console shows where.
import { useState } from 'react';
import type { PackExportResult } from '../../../../shared/contracts/audit-console.ts';
import { callApi } from '../../hooks/useContractCall.ts';
import { useChain } from '../../state/chain.ts';
import { useErrors } from '../../state/errors.ts';

export function ExportPanel({ period }: { period: string }) {
  const [onlyPeriod, setOnlyPeriod] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PackExportResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const exportPack = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    setResult(null);
    const res = await callApi('audit.exportPack', onlyPeriod && period ? { period } : {});
    setBusy(false);
    if (res.ok) {
      setResult(res.value);
      useChain.getState().ledgerChanged();
    } else {
      setProblem(res.error.message);
      useErrors.getState().report('Export pack', res.error);
    }
  };
  return (
    <section className="oc-card" data-testid="au-export">
      <h3>Auditor’s pack</h3>
      <p className="oc-muted">A folder to carry away and check with attest-verify.mjs, without Attest. The export is recorded in the access log.</p>
      <div className="oc-form">
        <label>
          <input type="checkbox" checked={onlyPeriod} onChange={(e) => setOnlyPeriod(e.target.checked)} disabled={!period} data-testid="au-export-period" /> only{' '}
          {period || 'the chosen period'}
        </label>
        <button type="button" onClick={() => void exportPack()} disabled={busy} data-testid="au-export-pack">
          {busy ? 'Writing…' : 'Export pack'}
        </button>
      </div>
      {result ? (
        <p data-testid="au-export-result">
          Pack written to <code data-testid="au-export-dir">{result.dir}</code> ({result.files} files, {result.statements} statements, checkpoint of {result.treeSize} events).
          {result.missing.length ? ` Not included here: ${result.missing.join(', ')}.` : ''}
        </p>
      ) : null}
      {problem ? <p className="oc-error">{problem}</p> : null}
    </section>
  );
}
