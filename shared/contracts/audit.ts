import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day YYYY-MM-DD (UTC)');

/** One UTC day on which the ledger recorded events. */
export interface SessionGapDay {
  day: string;
  events: number;
  sessionStarts: number;
  /** Events recorded that day before its first session.started (all of them when it has none). */
  eventsBeforeFirstSession: number;
}

export type SessionGapFinding =
  | { kind: 'no_session'; day: string; events: number; message: string }
  | { kind: 'events_before_session'; day: string; events: number; firstSessionSeq: number; message: string }
  | { kind: 'clock_behind'; day: string; seq: number; clock: string; previousSeq: number; previousRecordedAt: string; message: string };

export interface SessionGapReport {
  /** The days asked for (UTC, inclusive); null: from the ledger's first / to its last recorded day. */
  from: string | null;
  to: string | null;
  events: number;
  sessionStarts: number;
  days: SessionGapDay[];
  findings: SessionGapFinding[];
}

export const auditInputs = {
  'audit.gaps': z
    .object({ from: day.optional(), to: day.optional() })
    .strict()
    .refine((range) => !range.from || !range.to || range.from <= range.to, { message: 'from must not be after to', path: ['from'] })
    .default({}),
} as const;

export interface AuditOutputs {
  'audit.gaps': SessionGapReport;
}
