// Helpdesk imports from the console: the file is uploaded in chunks to a temporary file, then imported
// in the background — in a thread of its own where the file allows (job-thread.ts) — on a connection of its own
// (one transaction), polled for progress, cancellable.
// The import is one turn of the core's write gate for its whole run: the console's other changes queue
// behind it (and are told so) rather than meet its lock; they never join its transaction, which is on
// another connection and is rolled back alone on cancel.
import { randomUUID } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CsvMapping, ImportFileReport, ImportRunStatus } from '../../../shared/contracts/importers.ts';
import { openDatabase } from '../db/connection.ts';
import { makePrivateTempDir, removeAbandonedTempDirs } from '../files/private-temp.ts';
import { checkMapping, guessMapping } from '../importers/csv-mapping.ts';
import { importHistory } from '../importers/import-repository.ts';
import { surveyValuesAsync } from '../importers/value-survey.ts';
import { anomaliesCsv } from '../importers/anomaly-csv.ts';
import { previewCsv } from '../importers/csv-preview.ts';
import { isValidZone } from '../importers/import-timestamps.ts';
import { importFile, importLabel, type ImportProgress } from '../importers/import-run.ts';
import { JobThread, jobsRunInThreads } from './job-thread.ts';
import { emitLedgerChanged } from './ledger-changed.ts';
import { ImportCancelled } from '../importers/import-types.ts';
import { ImportError } from '../interchange/jsonl-import.ts';
import { NotFoundError, type CoreContext, type FeatureHandlers } from './context.ts';

type ImportMethod =
  | 'imports.upload'
  | 'imports.start'
  | 'imports.status'
  | 'imports.cancel'
  | 'imports.preview'
  | 'imports.values'
  | 'imports.history'
  | 'imports.anomaliesCsv';

/** Uploads above this size are refused (the console's limit, not the importer's). */
const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;

export class InvalidImportInput extends Error {}

export function importHandlers(ctx: CoreContext): FeatureHandlers<ImportMethod> {
  // Uploaded files hold ticket text: they live in a folder only this user can open (0700), made when the first
  // upload arrives and removed as soon as no upload or import needs it, and in any case when the core closes.
  let uploadDir: string | null = null;
  let importsRunning = 0;
  const uploads = new Map<string, string>();
  /** Uploads whose last chunk is being written. */
  const appending = new Set<string>();
  const runs = new Map<string, { status: ImportRunStatus; cancel: () => void }>();
  const privateDir = (): string => {
    if (uploadDir === null) {
      // A console killed mid-upload could not remove its folder: the first upload of the next one does.
      removeAbandonedTempDirs('upload');
      uploadDir = makePrivateTempDir('upload');
    }
    return uploadDir;
  };
  const removeDir = (): void => {
    if (uploadDir !== null) rmSync(uploadDir, { recursive: true, force: true });
    uploadDir = null;
  };
  const removeDirWhenIdle = (): void => {
    if (uploads.size === 0 && importsRunning === 0) removeDir();
  };

  const statusOf = (runId: string): ImportRunStatus => {
    const run = runs.get(runId);
    if (!run) throw new NotFoundError(`import run ${runId} not found`);
    return { ...run.status };
  };

  return {
    handlers: {
      'imports.upload': async (input) => {
        const uploadId = input.uploadId ?? randomUUID();
        let path = uploads.get(uploadId);
        if (!path) {
          if (input.uploadId) throw new NotFoundError(`upload ${input.uploadId} not found`);
          path = join(privateDir(), uploadId);
          uploads.set(uploadId, path);
        }
        // The chunk is written without holding the console's thread; a second chunk of the same upload meanwhile
        // would pass the offset check against the size before this one and land twice.
        if (appending.has(uploadId)) throw new InvalidImportInput(`upload ${uploadId}: the previous chunk is still being written; send the next one after its answer`);
        const size = statOrZero(path);
        if (input.offset !== size) throw new InvalidImportInput(`upload ${uploadId}: chunk at offset ${input.offset}, expected ${size}`);
        const chunk = Buffer.from(input.chunkBase64, 'base64');
        if (size + chunk.length > MAX_UPLOAD_BYTES) throw new InvalidImportInput('upload larger than 4 GB; import it with the CLI');
        appending.add(uploadId);
        try {
          await appendFile(path, chunk, { mode: 0o600 });
        } finally {
          appending.delete(uploadId);
        }
        return { uploadId, bytes: size + chunk.length };
      },
      'imports.start': (input, caller) => {
        const path = uploads.get(input.uploadId);
        if (!path) throw new NotFoundError(`upload ${input.uploadId} not found`);
        if (input.format === 'csv' && !input.mapping) throw new InvalidImportInput('the csv format needs a mapping');
        // The console's mapping meets the same checks as a mapping file (attest import --mapping).
        if (input.mapping) validMapping(input.mapping);
        if (input.timezone && !isValidZone(input.timezone)) throw new InvalidImportInput(`${input.timezone} is not an IANA time zone`);
        if (input.mapping?.timestamps?.timezone && !isValidZone(input.mapping.timestamps.timezone)) {
          throw new InvalidImportInput(`timestamps.timezone: ${input.mapping.timestamps.timezone} is not an IANA time zone`);
        }
        uploads.delete(input.uploadId);
        const runId = randomUUID();
        const status: ImportRunStatus = {
          runId,
          file: input.fileName,
          format: input.format,
          state: 'running',
          bytesRead: 0,
          totalBytes: statOrZero(path),
          rows: 0,
          phase: 'reading',
          finishing: null,
          report: null,
          error: null,
        };
        importsRunning++;
        const options = { format: input.format, path, name: input.fileName, mapping: input.mapping, timezone: input.timezone, actor: caller.actor };
        const onProgress = (progress: ImportProgress): void => void Object.assign(status, progress);
        let importing: Promise<ImportFileReport>;
        if (jobsRunInThreads(ctx.dbPath, ctx.writes)) {
          // In a thread of its own (job-thread.ts): reading, hashing and writing the file never hold the console's
          // thread. The thread's one transaction is one turn of the gate, as below.
          const thread = new JobThread<ImportProgress, ImportFileReport>(ctx.dbPath, { kind: 'import', ...options }, ctx.writes, importLabel(options), onProgress);
          runs.set(runId, { status, cancel: () => thread.cancel() });
          importing = thread.report;
        } else {
          const signal = { cancelled: false };
          runs.set(runId, { status, cancel: () => (signal.cancelled = true) });
          importing = ctx.writes.hold(importLabel(options), (begin) => {
            // Its own connection: the transaction stays open while the import yields to the event loop. The file's
            // structure was checked when the console opened it; checking again would read the whole file here, on
            // the console's thread (about 30 s at a million tickets, every request waiting).
            const db = openDatabase(ctx.dbPath, { structureCheckedByThisProcess: true });
            return importFile(db, { ...options, signal, begin, onProgress }).finally(() => db.close());
          });
        }
        importing
          .then((report) => {
            // The last finishing step said was the commit: it is done now.
            const total = status.finishing?.total ?? 0;
            Object.assign(status, { state: 'done', report, bytesRead: report.bytes, rows: report.rows, phase: 'finishing', finishing: { step: 'committed', done: total, total } });
            if (report.events > 0) emitLedgerChanged(ctx);
          })
          .catch((error: unknown) => {
            status.state = error instanceof ImportCancelled ? 'cancelled' : 'failed';
            status.error = error instanceof ImportError || error instanceof ImportCancelled ? error.message : `${input.fileName}: ${(error as Error).message}`;
          })
          .finally(() => {
            rmSync(path, { force: true });
            importsRunning--;
            removeDirWhenIdle();
          });
        return { ...status };
      },
      'imports.status': (input) => statusOf(input.runId),
      'imports.cancel': (input) => {
        const run = runs.get(input.runId);
        if (!run) throw new NotFoundError(`import run ${input.runId} not found`);
        run.cancel();
        return { ...run.status };
      },
      'imports.preview': (input) => {
        const preview = previewCsv(input.text, input.delimiter);
        return { ...preview, guess: guessMapping(preview.headers) };
      },
      // A read of the uploaded file: the upload stays for imports.start; nothing is written to the ledger.
      'imports.values': async (input) => {
        const path = uploads.get(input.uploadId);
        if (!path) throw new NotFoundError(`upload ${input.uploadId} not found`);
        return surveyValuesAsync(ctx.db, path, input.fileName, validMapping(input.mapping));
      },
      'imports.history': (input) => importHistory(ctx.db, input.offset, input.limit),
      'imports.anomaliesCsv': (input) => {
        const { report } = statusOf(input.runId);
        if (!report) throw new NotFoundError(`import run ${input.runId} has no report (still running, failed or cancelled)`);
        return anomaliesCsv(report);
      },
    },
    // Uploads never started and imports cut off by the close leave nothing behind.
    dispose: () => {
      uploads.clear();
      removeDir();
    },
  };
}

/** A MappingError ("mapping: values.priority.X: …") is an invalid input the console shows as is. */
function validMapping(mapping: unknown): CsvMapping {
  return checkMapping(mapping, 'mapping');
}

function statOrZero(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
