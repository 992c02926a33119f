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

export interface CsvPreview {
  headers: string[];
  rows: string[][];
  guess: Partial<Record<CsvMappingColumn, string>>;
}

export type ImportRunState = 'running' | 'done' | 'failed' | 'cancelled';

export interface ImportRunStatus {
  runId: string;
  file: string;
  format: ImportFormat;
  state: ImportRunState;
  bytesRead: number;
  totalBytes: number;
  rows: number;
  report: ImportFileReport | null;
  /** FILE:LINE: field: reason, when the import failed. */
  error: string | null;
}

const runId = z.string().regex(/^[a-z0-9-]{8,64}$/);

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
} as const;

export interface ImporterOutputs {
  'imports.upload': { uploadId: string; bytes: number };
  'imports.start': ImportRunStatus;
  'imports.status': ImportRunStatus;
  'imports.cancel': ImportRunStatus;
  'imports.preview': CsvPreview;
}
