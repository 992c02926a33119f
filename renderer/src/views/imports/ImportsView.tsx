// Import helpdesk history: choose the format and file (and map a CSV), watch the progress, cancel, read the report.
import { useEffect, useRef, useState } from 'react';
import { IMPORT_FORMATS, type CsvMapping, type ImportFormat, type ImportRunStatus } from '../../../../shared/contracts/importers.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { ImportReportView } from './ImportReportView.tsx';
import { MappingEditor } from './MappingEditor.tsx';
import { uploadAndStart } from './upload.ts';
import './imports.css';

const FORMAT_LABELS: Record<ImportFormat, string> = {
  zendesk: 'Zendesk JSON (incremental export pages or one ticket per line)',
  freshdesk: 'Freshdesk ticket CSV export',
  csv: 'Any CSV, with a mapping',
};

type Phase = { kind: 'idle' } | { kind: 'uploading'; sent: number; total: number } | { kind: 'running'; status: ImportRunStatus } | { kind: 'finished'; status: ImportRunStatus } | { kind: 'error'; message: string };

export function ImportsView() {
  const [format, setFormat] = useState<ImportFormat>('freshdesk');
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<CsvMapping | null>(null);
  const [timezone, setTimezone] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const cancelRequested = useRef(false);
  // Uploading, previewing and starting all belong to the one act of importing.
  const permission = useMayDo('imports.upload', 'imports.preview', 'imports.start');

  const busy = phase.kind === 'uploading' || phase.kind === 'running';
  const runId = phase.kind === 'running' ? phase.status.runId : null;

  useEffect(() => {
    if (!runId) return;
    const timer = setInterval(() => {
      void getApi()['imports.status']({ runId }).then((result) => {
        if (!result.ok) return setPhase({ kind: 'error', message: result.error.message });
        setPhase(result.value.state === 'running' ? { kind: 'running', status: result.value } : { kind: 'finished', status: result.value });
      });
    }, 250);
    return () => clearInterval(timer);
  }, [runId]);

  const start = async (): Promise<void> => {
    if (!file) return;
    cancelRequested.current = false;
    setPhase({ kind: 'uploading', sent: 0, total: file.size });
    try {
      const status = await uploadAndStart(file, format, format === 'csv' ? (mapping ?? undefined) : undefined, format === 'freshdesk' ? timezone : undefined, (sent, total) => setPhase({ kind: 'uploading', sent, total }), () => cancelRequested.current);
      setPhase({ kind: 'running', status });
    } catch (error) {
      setPhase({ kind: 'error', message: (error as Error).message });
    }
  };

  const cancel = (): void => {
    cancelRequested.current = true;
    if (runId) void getApi()['imports.cancel']({ runId });
  };

  const canStart = permission.allowed && file !== null && !busy && (format !== 'csv' || mapping !== null);
  return (
    <main className="imp-view" data-testid="imports-view">
      <section className="imp-card">
        <h3>Import helpdesk history</h3>
        <div className="imp-form">
          <label>
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value as ImportFormat)} disabled={busy} data-testid="import-format">
              {IMPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABELS[f]}
                </option>
              ))}
            </select>
          </label>
          <label>
            File
            <input type="file" {...permission.control} disabled={!permission.allowed || busy} accept={format === 'zendesk' ? '.json,.ndjson,.jsonl' : '.csv,.txt'} onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="import-file" />
          </label>
          {format === 'freshdesk' ? (
            <label>
              Time zone of times without an offset
              <input value={timezone} placeholder="UTC" onChange={(e) => setTimezone(e.target.value)} disabled={busy} data-testid="import-timezone" />
            </label>
          ) : null}
          <div className="imp-actions">
            <button type="button" {...permission.control} disabled={!canStart} onClick={() => void start()} data-testid="import-start">
              Import
            </button>
            <RefusalNote permission={permission} />
            {busy ? (
              <button type="button" onClick={cancel} data-testid="import-cancel">
                Cancel
              </button>
            ) : null}
          </div>
        </div>
        <p className="imp-muted">One transaction per file: a file with an error, or a cancelled import, leaves the ledger exactly as it was. Re-importing the same export adds nothing.</p>
      </section>
      {format === 'csv' && file ? <MappingEditor file={file} onChange={setMapping} /> : null}
      {phase.kind === 'uploading' ? <Progress label="Uploading" done={phase.sent} total={phase.total} /> : null}
      {phase.kind === 'running' ? <Progress label={`Importing · ${phase.status.rows.toLocaleString()} rows`} done={phase.status.bytesRead} total={phase.status.totalBytes} /> : null}
      {phase.kind === 'error' ? <p className="imp-error" data-testid="import-error">{phase.message}</p> : null}
      {phase.kind === 'finished' && phase.status.state !== 'done' ? (
        <p className="imp-error" data-testid="import-error">
          {phase.status.state === 'cancelled' ? 'Cancelled — ' : ''}
          {phase.status.error}
        </p>
      ) : null}
      {phase.kind === 'finished' && phase.status.report ? <ImportReportView report={phase.status.report} /> : null}
    </main>
  );
}

function Progress({ label, done, total }: { label: string; done: number; total: number }) {
  const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
  return (
    <section className="imp-card" data-testid="import-progress">
      <div className="imp-progress-label">
        {label} · {percent}%
      </div>
      <div className="imp-progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
        <div className="imp-progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </section>
  );
}
