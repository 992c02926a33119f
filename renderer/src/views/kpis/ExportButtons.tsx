// Export the current view as CSV or as a PDF report (built by the core with pdfkit).
import { useState } from 'react';
import { getApi } from '../../api/index.ts';
import { useKpiState } from './kpi-state.ts';
import { useRoiInputs } from './roi-state.ts';
import { downloadFile } from '../../lib/download.ts';

export function ExportButtons() {
  const { tab, from, to, category, baselineSeq } = useKpiState();
  const roi = useRoiInputs((s) => s.inputs);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (format: 'csv' | 'pdf'): Promise<void> => {
    setBusy(true);
    const result = await getApi()['kpis.export']({ view: tab, format, from, to, category, ...(baselineSeq ? { baselineSeq } : {}), ...(tab === 'roi' && roi ? { roi } : {}) });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    setError(null);
    downloadFile(result.value.fileName, result.value.mimeType, result.value.encoding, result.value.data);
  };
  return (
    <span className="kpis-export">
      <button type="button" className="button button-small" data-testid="kpis-export-csv" disabled={busy || !from || !to} onClick={() => void run('csv')}>
        CSV
      </button>
      <button type="button" className="button button-small" data-testid="kpis-export-pdf" disabled={busy || !from || !to} onClick={() => void run('pdf')}>
        PDF report
      </button>
      {error ? <span className="kpis-error">{error}</span> : null}
    </span>
  );
}
