// "As of" is exact: an instant no later than now. The evaluation as of T uses only events with `at` <= T, so a
// later event can still change what T says; an as-of in the future would decide what has not happened yet.
import { InputError } from '../errors.ts';
import { normalizeTimestamp } from '../ledger/timestamps.ts';

export class AsOfError extends InputError {}

export interface AsOf {
  iso: string;
  ms: number;
}

/** The instant to evaluate at: `value` (ISO 8601 with a zone) or now; never later than now. */
export function resolveAsOf(value: string | undefined, nowMs: number = Date.now()): AsOf {
  if (value === undefined) return { iso: new Date(nowMs).toISOString(), ms: nowMs };
  const iso = normalizeTimestamp(value);
  if (!iso) throw new AsOfError(`as-of: "${value}" is not an ISO 8601 timestamp with a time zone (e.g. 2026-11-01T00:00:00Z)`);
  const ms = Date.parse(iso);
  if (ms > nowMs) throw new AsOfError(`as-of: "${value}" is in the future (now is ${new Date(nowMs).toISOString()}); as-of may not be later than now`);
  return { iso, ms };
}
