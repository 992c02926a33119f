// Import helpdesk history: choose the format and file (and map a CSV, checking its values first), watch the
// progress (reading, then finishing), cancel, read the report; below, the ledger's past imports.
import { useEffect, useRef, useState } from 'react';
import { IMPORT_FORMATS, type CsvMapping, type ImportFormat, type ImportRunStatus, type ImportValueSurvey } from '../../../../shared/contracts/importers.ts';
import { formatCount } from '../../../../shared/format.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { afterHelpdeskImport } from '../../state/importer.ts';
import { ImportReportView } from './ImportReportView.tsx';
import { MappingEditor } from './MappingEditor.tsx';
import { PastImports } from './PastImports.tsx';
import { startImport, uploadFile } from './upload.ts';
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
  // The file uploaded for a value check serves the import too (an upload is used up by the import).
  const uploaded = useRef<{ file: File; uploadId: string } | null>(null);
  // Uploading, previewing and starting all belong to the one act of importing.
  const permission = useMayDo('imports.upload', 'imports.preview', 'imports.values', 'imports.start');

  const busy = phase.kind === 'uploading' || phase.kind === 'running';
  const runId = phase.kind === 'running' ? phase.status.runId : null;

  useEffect(() => {
    if (!runId) return;
    const timer = setInterval(() => {
      void getApi()['imports.status']({ runId }).then((result) => {
        if (!result.ok) return setPhase({ kind: 'error', message: result.error.message });
        if (result.value.state === 'running') return setPhase({ kind: 'running', status: result.value });
        setPhase({ kind: 'finished', status: result.value });
        if (result.value.report && result.value.report.events > 0) afterHelpdeskImport();
      });
    }, 250);
    return () => clearInterval(timer);
  }, [runId]);

  const uploadOnce = async (chosen: File): Promise<string> => {
    if (uploaded.current?.file === chosen) return uploaded.current.uploadId;
    setPhase({ kind: 'uploading', sent: 0, total: chosen.size });
    const uploadId = await uploadFile(chosen, (sent, total) => setPhase({ kind: 'uploading', sent, total }), () => cancelRequested.current);
    uploaded.current = { file: chosen, uploadId };
    return uploadId;
  };

  const checkValues = async (checked: CsvMapping): Promise<ImportValueSurvey> => {
    if (!file) throw new Error('choose a file first');
    cancelRequested.current = false;
    try {
      const uploadId = await uploadOnce(file);
      setPhase({ kind: 'idle' });
      const res = await getApi()['imports.values']({ uploadId, fileName: file.name, mapping: checked });
      if (!res.ok) throw new Error(res.error.message);
      return res.value;
    } catch (error) {
      setPhase({ kind: 'idle' });
      throw error;
    }
  };

  const start = async (): Promise<void> => {
    if (!file) return;
    cancelRequested.current = false;
    try {
      const uploadId = await uploadOnce(file);
      uploaded.current = null;
      const status = await startImport(uploadId, file, format, format === 'csv' ? (mapping ?? undefined) : undefined, format === 'freshdesk' ? timezone : undefined);
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
            <input type="file" {...permission.control} disabled={!permission.allowed || busy} accept={format === 'zendesk' ? '.json,.ndjson,.jsonl' : '.csv,.txt'} onChange={(e) => {
                uploaded.current = null;
                setFile(e.target.files?.[0] ?? null);
              }} data-testid="import-file" />
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
      {format === 'csv' && file ? <MappingEditor file={file} onChange={setMapping} checkValues={checkValues} busy={busy} /> : null}
      {phase.kind === 'uploading' ? (
        <section className="imp-card" data-testid="import-progress">
          <Progress label="Uploading" done={phase.sent} total={phase.total} />
        </section>
      ) : null}
      {phase.kind === 'running' || (phase.kind === 'finished' && phase.status.state === 'done') ? <RunProgress status={phase.status} /> : null}
      {phase.kind === 'error' ? <p className="imp-error" data-testid="import-error">{phase.message}</p> : null}
      {phase.kind === 'finished' && phase.status.state !== 'done' ? (
        <p className="imp-error" data-testid="import-error">
          {phase.status.state === 'cancelled' ? 'Cancelled — ' : ''}
          {phase.status.error}
        </p>
      ) : null}
      {phase.kind === 'finished' && phase.status.report ? <ImportReportView report={phase.status.report} runId={phase.status.runId} /> : null}
      <PastImports />
    </main>
  );
}

/** Reading the rows, then finishing (import record, projections, commit) — each phase with its own progress. */
function RunProgress({ status }: { status: ImportRunStatus }) {
  const finishing = status.finishing;
  const reading = status.phase === 'reading';
  const done = status.state === 'done';
  return (
    <section className="imp-card" data-testid="import-progress" aria-live="polite">
      <Progress
        label={`1 · Reading rows · ${formatCount(status.rows)} rows${reading ? '' : ' · done'}`}
        done={reading ? status.bytesRead : status.totalBytes}
        total={status.totalBytes}
        testId="import-reading"
      />
      {reading ? (
        <p className="imp-muted" data-testid="import-finishing-pending">
          2 · Finishing (import record, projections, commit) follows the rows.
        </p>
      ) : (
        <Progress
          label={`2 · Finishing · ${done ? 'committed' : (finishing?.step ?? 'starting')} · ${formatCount(finishing?.done ?? 0)} of ${formatCount(finishing?.total ?? 0)} steps`}
          done={finishing?.done ?? 0}
          total={finishing?.total ?? 0}
          testId="import-finishing"
        />
      )}
    </section>
  );
}

function Progress({ label, done, total, testId }: { label: string; done: number; total: number; testId?: string }) {
  const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
  return (
    <div className="imp-phase" data-testid={testId}>
      <div className="imp-progress-label">
        {label} · {percent}%
      </div>
      <div className="imp-progress" role="progressbar" aria-label={label} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
        <div className="imp-progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
