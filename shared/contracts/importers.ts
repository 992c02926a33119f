// Importers for helpdesk exports (Zendesk JSON, Freshdesk CSV, any CSV with a mapping): contract and shapes.
import { z } from 'zod';
import type { KpiId } from './kpis.ts';
import { SLA_METRICS, type SlaMetricKey } from './sla.ts';

export const IMPORT_FORMATS = ['zendesk', 'freshdesk', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** KPIs an anomaly can make meaningless for its ticket. */
export const IMPORT_KPIS = ['first_response_time', 'resolution_time', 'csat', 'sla', 'reopen_rate'] as const;
export type ImportKpi = (typeof IMPORT_KPIS)[number];

export const IMPORT_ANOMALY_KINDS = [
  'resolved_before_created',
  'first_response_after_resolution',
  'first_response_before_created',
  'csat_out_of_range',
  'unknown_priority',
  'unknown_status',
  'created_time_missing',
  'no_time_known',
] as const;
export type ImportAnomalyKind = (typeof IMPORT_ANOMALY_KINDS)[number];

/** Which KPIs each anomaly excludes its ticket from; the rest stay counted. */
export const ANOMALY_EXCLUDES: Record<ImportAnomalyKind, readonly ImportKpi[]> = {
  resolved_before_created: ['resolution_time', 'reopen_rate'],
  first_response_after_resolution: ['first_response_time'],
  first_response_before_created: ['first_response_time'],
  csat_out_of_range: ['csat'],
  unknown_priority: ['sla'],
  unknown_status: ['resolution_time'],
  created_time_missing: ['first_response_time', 'resolution_time', 'sla'],
  no_time_known: [],
};

/**
 * What each import KPI name means in the KPI overview: the KPIs (and, for SLA compliance, the SLA metrics) a flag
 * that names it spoils. The one table KPI code reads; the README's exclusion table is generated from the same words.
 * A ticket never leaves the ticket count, deflection or escalation rate: a flag says a time or a value is wrong,
 * not that the ticket did not happen.
 */
export const IMPORT_KPI_SPOILS: Record<ImportKpi, { kpis: readonly KpiId[]; slaMetrics: readonly SlaMetricKey[] }> = {
  // The derived first reply is a human action: agent-work time (first to last human action) is measured from it.
  first_response_time: { kpis: ['aht', 'slaCompliance'], slaMetrics: ['first_reply'] },
  // A resolution at a wrong time (or of unknown status) spoils whether and how the ticket counts as resolved.
  resolution_time: { kpis: ['fcr', 'aht', 'slaCompliance'], slaMetrics: ['total_resolution'] },
  csat: { kpis: ['csat'], slaMetrics: [] },
  sla: { kpis: ['slaCompliance'], slaMetrics: SLA_METRICS },
  reopen_rate: { kpis: ['reopenRate'], slaMetrics: [] },
};

/** KPIs an import flag can spoil (the overview shows how many tickets each leaves out). */
export const FLAG_SPOILABLE_KPIS = ['fcr', 'aht', 'csat', 'slaCompliance', 'reopenRate'] as const satisfies readonly KpiId[];
export type FlagSpoilableKpi = (typeof FLAG_SPOILABLE_KPIS)[number];

/** The import KPI names whose flags spoil an overview KPI. */
export function importKpisSpoiling(kpi: KpiId): ImportKpi[] {
  return IMPORT_KPIS.filter((importKpi) => IMPORT_KPI_SPOILS[importKpi].kpis.includes(kpi));
}

/** The import KPI names whose flags spoil one SLA metric. */
export function importKpisSpoilingSla(metric: SlaMetricKey): ImportKpi[] {
  return IMPORT_KPIS.filter((importKpi) => IMPORT_KPI_SPOILS[importKpi].slaMetrics.includes(metric));
}

const columnName = z.string().min(1).max(500);
const valueMap = z.record(z.string(), z.string().min(1));

/** `--format csv --mapping MAP.json`: which column holds what, value maps, and how times are written. */
export const csvMappingSchema = z
  .object({
    columns: z
      .object({
        id: columnName,
        created: columnName.optional(),
        firstResponse: columnName.optional(),
        resolved: columnName.optional(),
        closed: columnName.optional(),
        updated: columnName.optional(),
        status: columnName.optional(),
        priority: columnName.optional(),
        category: columnName.optional(),
        channel: columnName.optional(),
        subject: columnName.optional(),
        body: columnName.optional(),
        csat: columnName.optional(),
        agent: columnName.optional(),
        requester: columnName.optional(),
        organization: columnName.optional(),
        tags: columnName.optional(),
      })
      .strict(),
    values: z
      .object({ priority: valueMap.optional(), status: valueMap.optional(), channel: valueMap.optional(), category: valueMap.optional(), csat: z.record(z.string(), z.number()).optional() })
      .strict()
      .optional(),
    timestamps: z.object({ format: z.string().min(1).max(100).optional(), timezone: z.string().min(1).max(100).optional() }).strict().optional(),
    /** Prepended to the source id to make the ledger's ticket id (default: none). */
    idPrefix: z.string().max(50).optional(),
    delimiter: z.string().min(1).max(4).optional(),
    /** Other columns to keep on the ticket as attributes. */
    attributes: z.array(columnName).max(200).optional(),
  })
  .strict();
export type CsvMapping = z.infer<typeof csvMappingSchema>;
export type CsvMappingColumn = keyof CsvMapping['columns'];

export interface ImportAnomaly {
  /** Line of the file where the ticket's record starts. */
  row: number;
  ticket: string;
  kind: ImportAnomalyKind;
  detail?: string;
  excludes: ImportKpi[];
}

/** The data-quality report of one file (`attest import --json`). */
export interface ImportFileReport {
  file: string;
  format: ImportFormat;
  /** Records read (CSV rows, Zendesk tickets and event records). */
  rows: number;
  /** Tickets created. */
  imported: number;
  /** Rows about tickets already in the ledger that added new facts. */
  updated: number;
  /** Rows that added nothing: every fact was already in the ledger. */
  duplicates: number;
  /** Rows not imported (no time at all); listed in anomalies. */
  skipped: number;
  /** Tickets whose history was derived from fields (no comments/audits in the source). */
  partialHistory: number;
  anomalies: ImportAnomaly[];
  /** Anomalies beyond the first 10,000 are counted here, not listed. */
  anomaliesOmitted: number;
  anomalyCounts: Partial<Record<ImportAnomalyKind, number>>;
  /** Per KPI: how many tickets of this file are excluded from it. */
  kpiExclusions: Partial<Record<ImportKpi, number>>;
  events: number;
  /** Sequence numbers of the events this file added, and of its `import.file` event (null when nothing was added). */
  firstSeq: number | null;
  lastSeq: number | null;
  importSeq: number | null;
  sha256: string;
  bytes: number;
  seconds: number;
  headHash: string;
}

/** Fields whose values a mapping can translate (`values` in the mapping file, the console's value maps). */
export const VALUE_MAPPED_FIELDS = ['status', 'priority', 'csat', 'channel', 'category'] as const;
export type ValueMappedField = (typeof VALUE_MAPPED_FIELDS)[number];

/**
 * What becomes of a value: `mapped` by the value map, `recognized` as one of Attest's own words (status,
 * priority, CSAT 1–5), `unmapped` — not understood: flagged as an anomaly on every row (status recorded as open,
 * priority as normal, CSAT not recorded) — or `kept` as written (a category or channel the map does not name).
 */
export type ValueState = 'mapped' | 'recognized' | 'unmapped' | 'kept';

export interface SurveyedValue {
  /** As written in the file (trimmed). */
  value: string;
  /** Rows holding it. */
  count: number;
  state: ValueState;
  /** What the ledger records for it (null: nothing, e.g. a CSAT that is not a score). */
  becomes: string | number | null;
  /** Category and channel: whether the ledger already has tickets with the value it becomes. */
  known?: boolean;
}

export interface FieldValueSurvey {
  /** The column the mapping reads the field from. */
  column: string;
  /** Most frequent first; at most 500 distinct values are listed. */
  values: SurveyedValue[];
  /** Distinct values beyond the listed ones (their rows are still in the totals). */
  distinctOmitted: number;
  /** Rows with a value in this column. */
  rows: number;
  /** Rows whose value is `unmapped` (each becomes an anomaly when imported). */
  unmappedRows: number;
}

/** Every value of the value-mapped columns of an uploaded CSV, counted before anything is imported (a read). */
export interface ImportValueSurvey {
  file: string;
  /** Data rows read. */
  rows: number;
  fields: Partial<Record<ValueMappedField, FieldValueSurvey>>;
}

/** One `import.file` event of the ledger: who imported which file when, and what it added. */
export interface ImportHistoryRow {
  seq: number;
  at: string;
  /** Who ran the import (name, else id, of the event's actor). */
  by: string;
  file: string;
  sha256: string;
  format: string;
  rows: number;
  imported: number;
  updated: number;
  duplicates: number;
  skipped: number;
  events: number;
  firstSeq: number;
  lastSeq: number;
  /** Anomalies of the file (all of them, listed or not). */
  anomalies: number;
  anomalyCounts: Partial<Record<ImportAnomalyKind, number>>;
}

export interface ImportHistoryPage {
  total: number;
  rows: ImportHistoryRow[];
}

/** A file the console hands out (saved by the browser or Electron). */
export interface ImportDownload {
  fileName: string;
  mimeType: string;
  data: string;
}

/** Human words for an anomaly kind ("resolved_before_created" → "Resolved before created"). */
export function anomalyLabel(kind: string): string {
  const words = kind.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface CsvPreview {
  headers: string[];
  rows: string[][];
  guess: Partial<Record<CsvMappingColumn, string>>;
}

export type ImportRunState = 'running' | 'done' | 'failed' | 'cancelled';

/** `reading` the file's rows, then `finishing`: the import record, the last projections and the commit. */
export type ImportRunPhase = 'reading' | 'finishing';

export interface ImportFinishing {
  /** What is being done now, e.g. "updating ticket projections 1–500 of 1,234". */
  step: string;
  /** Steps done of total. */
  done: number;
  total: number;
}

export interface ImportRunStatus {
  runId: string;
  file: string;
  format: ImportFormat;
  state: ImportRunState;
  bytesRead: number;
  totalBytes: number;
  rows: number;
  phase: ImportRunPhase;
  /** Progress of the finishing phase (null while reading). */
  finishing: ImportFinishing | null;
  report: ImportFileReport | null;
  /** FILE:LINE: field: reason, when the import failed. */
  error: string | null;
}

const runId = z.string().regex(/^[a-z0-9-]{8,64}$/);

/**
 * Bytes per chunk the console uploads (its base64 is a third larger). Each chunk is decoded on the core's thread:
 * at 4 MiB a chunk held it for about 200 ms while other views waited (the 1M console run); at 512 KiB, idle, a few
 * milliseconds, but under the background work 63 ms (45 ms of it the base64 decoding: a CPU profile of the bench's
 * load at 1M, where the thread shares two cores with the checks and reads). 256 KiB halves what a chunk asks of it.
 */
export const UPLOAD_CHUNK_BYTES = 256 * 1024;

export const importerInputs = {
  /** Browser and Electron alike upload the file in base64 chunks (≤ 8 MB each) to a temporary file. */
  'imports.upload': z
    .object({ uploadId: runId.optional(), chunkBase64: z.string().max(12 * 1024 * 1024), offset: z.number().int().min(0) })
    .strict(),
  'imports.start': z
    .object({
      uploadId: runId,
      fileName: z.string().min(1).max(500),
      format: z.enum(IMPORT_FORMATS),
      mapping: csvMappingSchema.optional(),
      timezone: z.string().min(1).max(100).optional(),
    })
    .strict(),
  'imports.status': z.object({ runId }).strict(),
  'imports.cancel': z.object({ runId }).strict(),
  'imports.preview': z.object({ text: z.string().max(1024 * 1024), delimiter: z.string().min(1).max(4).optional() }).strict(),
  /** Counts every value of the mapped value columns of an uploaded file (the upload stays for imports.start). */
  'imports.values': z.object({ uploadId: runId, fileName: z.string().min(1).max(500), mapping: csvMappingSchema }).strict(),
  /** The listed anomalies of a finished import run as CSV, grouped by kind. */
  'imports.anomaliesCsv': z.object({ runId }).strict(),
  /** The ledger's import.file events, newest first. */
  'imports.history': z
    .object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) })
    .strict()
    .default({ offset: 0, limit: 100 }),
} as const;

export interface ImporterOutputs {
  'imports.upload': { uploadId: string; bytes: number };
  'imports.start': ImportRunStatus;
  'imports.status': ImportRunStatus;
  'imports.cancel': ImportRunStatus;
  'imports.preview': CsvPreview;
  'imports.values': ImportValueSurvey;
  'imports.history': ImportHistoryPage;
  'imports.anomaliesCsv': ImportDownload;
}
