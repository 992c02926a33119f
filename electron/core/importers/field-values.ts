// Reading one field of a source record: text checks, times, and the common vocabularies.
import type { Priority, TicketStatus } from '../../../shared/domain.ts';
import { exceedsFieldLimit, FIELD_TOO_LONG } from '../files/input-limits.ts';
import { FieldError } from './import-types.ts';
import { parseSourceTime, type TimeOptions } from './import-timestamps.ts';

export function text(value: string | undefined, line: number, field: string): string | null {
  if (value === undefined) return null;
  if (value.includes('\uFFFD')) throw new FieldError(line, field, 'not valid UTF-8 text (save the export as UTF-8)');
  // Longer text is refused with a reason, never cut.
  if (exceedsFieldLimit(value)) throw new FieldError(line, field, FIELD_TOO_LONG);
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function time(value: unknown, line: number, field: string, options: TimeOptions): string | null {
  if (typeof value === 'string' && value.includes('\uFFFD')) throw new FieldError(line, field, 'not valid UTF-8 text (save the export as UTF-8)');
  const result = parseSourceTime(value, options);
  if (!result.ok) throw new FieldError(line, field, result.reason);
  return result.iso;
}

const PRIORITY_WORDS: Record<string, Priority> = {
  low: 'low',
  normal: 'normal',
  medium: 'normal',
  high: 'high',
  urgent: 'urgent',
  critical: 'urgent',
};

/** A priority word; unknown text is returned as `unknown` (recorded as normal and flagged). */
export function priorityOf(raw: string | null, map?: Record<string, string>): { priority: Priority | null; unknown: string | null } {
  if (raw === null) return { priority: null, unknown: null };
  const mapped = lookup(map, raw) ?? raw;
  const known = PRIORITY_WORDS[mapped.toLowerCase()];
  return known ? { priority: known, unknown: null } : { priority: 'normal', unknown: raw };
}

const STATUS_WORDS: Record<string, TicketStatus> = {
  new: 'new',
  open: 'open',
  pending: 'pending',
  hold: 'on_hold',
  on_hold: 'on_hold',
  'on hold': 'on_hold',
  'on-hold': 'on_hold',
  waiting: 'pending',
  'waiting on customer': 'pending',
  'waiting on third party': 'on_hold',
  solved: 'solved',
  resolved: 'solved',
  closed: 'closed',
};

export function statusOf(raw: string | null, map?: Record<string, string>): { status: TicketStatus | null; unknown: string | null } {
  if (raw === null) return { status: null, unknown: null };
  const mapped = lookup(map, raw) ?? raw;
  const known = STATUS_WORDS[mapped.toLowerCase()];
  return known ? { status: known, unknown: null } : { status: null, unknown: raw };
}

/** CSAT: 1–5 as a number, or text the map turns into one; anything else is kept out and flagged. */
export function csatOf(raw: string | number | null, map?: Record<string, number>): { score: number | null; bad: string | null } {
  if (raw === null || raw === '') return { score: null, bad: null };
  const rawText = String(raw).trim();
  const mapped = map ? lookupNumber(map, rawText) : undefined;
  const value = mapped ?? (/^-?\d+(\.\d+)?$/.test(rawText) ? Number(rawText) : NaN);
  if (Number.isInteger(value) && value >= 1 && value <= 5) return { score: value, bad: null };
  return { score: null, bad: rawText };
}

/** Case- and space-insensitive value map lookup. */
export function lookup(map: Record<string, string> | undefined, raw: string): string | undefined {
  if (!map) return undefined;
  if (Object.prototype.hasOwnProperty.call(map, raw)) return map[raw];
  const wanted = raw.trim().toLowerCase();
  for (const key of Object.keys(map)) if (key.trim().toLowerCase() === wanted) return map[key];
  return undefined;
}

function lookupNumber(map: Record<string, number>, raw: string): number | undefined {
  const wanted = raw.trim().toLowerCase();
  for (const key of Object.keys(map)) if (key.trim().toLowerCase() === wanted) return map[key];
  return undefined;
}

/** A category: the value map's target, else the value as written. */
export function categoryOf(raw: string | null, map?: Record<string, string>): string | null {
  if (raw === null) return null;
  return lookup(map, raw) ?? raw;
}

export function channelOf(raw: string | null, map?: Record<string, string>): string | null {
  if (raw === null) return null;
  return (lookup(map, raw) ?? raw).trim().toLowerCase().replace(/\s+/g, '_');
}

export function splitTags(raw: string | null): string[] {
  if (raw === null) return [];
  return [...new Set(raw.split(/[,;]/).map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

/** "2.5" hours, or "hh:mm(:ss)" → milliseconds; null when not a duration. */
export function hoursToMs(raw: string | null): number | null {
  if (raw === null) return null;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 3_600_000;
  const match = /^(\d+):([0-5]\d)(?::([0-5]\d))?$/.exec(raw);
  if (!match) return null;
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3] ?? 0)) * 1000;
}
