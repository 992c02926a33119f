// The ingest baseline's work on a line before its insert, the same in one thread or two (plain-parse-worker.ts).

/** A row of the events table but the sequence number, record time and hashes, which the baseline's insert adds. */
export type PlainRow = [ticket: unknown, type: unknown, at: unknown, actor: string, payload: string];

/** Rows handed from the parsing thread: their JSON, and whether the file has ended. */
export interface PlainBatch {
  rows: string;
  end: boolean;
}

/** JSON.parse, the actor and the payload split off and written as JSON: nothing validated, canonicalized or hashed. */
export function plainRow(text: string): PlainRow {
  const { ticket, type, at, ...payload } = JSON.parse(text) as Record<string, unknown>;
  const actor = (payload.author ?? payload.by ?? { kind: 'system' }) as object;
  return [ticket ?? null, type, at, JSON.stringify(actor), JSON.stringify(payload)];
}
