// Events written by the helpdesk importers (electron/core/importers).
import { z } from 'zod';
import { IMPORT_ANOMALY_KINDS, IMPORT_FORMATS, IMPORT_KPIS } from '../../../shared/contracts/importers.ts';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';

const count = z.number().int().min(0);

export const IMPORT_EVENT_TYPES: Record<string, EventTypeSpec> = {
  // Ledger-wide: one file was imported. The events it added are seq firstSeq..lastSeq (one transaction),
  // each with its real actor (customer, agent); this event attributes them to the file and its SHA-256.
  'import.file': {
    scope: 'ledger',
    writtenBy: 'attest',
    payload: z
      .object({
        file: z.string().min(1),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        format: z.enum([...IMPORT_FORMATS, 'jsonl']),
        rows: count,
        imported: count,
        updated: count,
        duplicates: count,
        skipped: count,
        events: count,
        firstSeq: z.number().int().min(1),
        lastSeq: z.number().int().min(1),
        anomalies: z.record(z.string(), count),
      })
      .strict(),
  },
  // A ticket-level data-quality flag found on import: kept, but excluded from the KPIs it makes meaningless.
  'import.flag': {
    scope: 'ticket',
    writtenBy: 'attest',
    payload: z
      .object({
        kind: z.enum([...IMPORT_ANOMALY_KINDS, 'partial_history']),
        detail: z.string().optional(),
        excludes: z.array(z.enum(IMPORT_KPIS)),
      })
      .strict(),
  },
};
