// The reads that run on a thread of their own (read-thread.ts), by name: pure functions of a connection and an input.
import type { Db } from '../db/connection.ts';
import { sessionGapReport } from '../audit/session-gaps.ts';
import { attribution } from '../outcomes/attribution.ts';

export const OFF_THREAD_READS = {
  'outcomes.attribution': (db: Db, input: { period?: string; contract?: string; asOf?: string }) => attribution(db, input),
  'audit.gaps': (db: Db, input: { from?: string; to?: string }) => sessionGapReport(db, input),
} as const;

export type OffThreadRead = keyof typeof OFF_THREAD_READS;

export type ReadThreadMessage = { result: unknown } | { error: string; kind: 'not_found' | 'input' | 'other' };
