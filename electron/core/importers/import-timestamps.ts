// Turns the many ways exports write a time into the ledger's UTC ISO 8601, or explains why it cannot.
import { DateTime, type TokenParser } from 'luxon';

/** Formats tried, in order, when a source gives no explicit format (day-first before month-first is a choice: see docs). */
const FALLBACK_FORMATS = [
  'yyyy-MM-dd HH:mm:ss',
  'yyyy-MM-dd H:mm:ss',
  'yyyy-MM-dd HH:mm',
  'yyyy-MM-dd H:mm',
  'yyyy-MM-dd',
  'yyyy/MM/dd HH:mm:ss',
  'yyyy/MM/dd HH:mm',
  'yyyy/MM/dd',
  'dd/MM/yyyy HH:mm:ss',
  'dd/MM/yyyy HH:mm',
  'dd/MM/yyyy',
  'MM/dd/yyyy hh:mm a',
  'MM/dd/yyyy h:mm a',
  'dd.MM.yyyy HH:mm:ss',
  'dd.MM.yyyy HH:mm',
  'dd.MM.yyyy',
  'EEE, dd MMM yyyy HH:mm:ss ZZZ',
  'dd MMM yyyy HH:mm',
];

/** "2024-03-01 09:00:00" / "2024-03-01 9:05" / "2024-03-01": the common case, parsed without luxon's format machinery. */
const SQL_STYLE = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** luxon compiles a format into a regex on every fromFormat call; compile each format once. */
const PARSERS = new Map<string, TokenParser>();
function formatParser(format: string): TokenParser {
  let parser = PARSERS.get(format);
  if (!parser) {
    parser = DateTime.buildFormatParser(format, { locale: 'en-US' });
    if (PARSERS.size < 100) PARSERS.set(format, parser);
  }
  return parser;
}

export interface TimeOptions {
  /** A luxon format (e.g. "yyyy-MM-dd H:mm"); ISO 8601 is always accepted as well. */
  format?: string;
  /** IANA zone for times written without an offset; default UTC. */
  timezone?: string;
}

export type TimeResult = { ok: true; iso: string | null } | { ok: false; reason: string };

export function isValidZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** null for an empty field (the fact is unknown); a reason when the text is not a time. */
export function parseSourceTime(raw: unknown, options: TimeOptions = {}): TimeResult {
  if (raw === null || raw === undefined) return { ok: true, iso: null };
  if (typeof raw === 'number') return fromEpoch(raw);
  if (typeof raw !== 'string') return { ok: false, reason: 'must be a date and time' };
  const text = raw.trim();
  if (text === '' || text === '-' || /^(null|n\/a|none)$/i.test(text)) return { ok: true, iso: null };
  if (/^\d{10}$/.test(text)) return fromEpoch(Number(text));
  const zone = options.timezone ?? 'UTC';
  const iso = DateTime.fromISO(text, { zone, setZone: false });
  if (iso.isValid && /^\d{4}-\d{2}-\d{2}T/.test(text)) return finish(iso);
  const fast = SQL_STYLE.exec(text);
  if (fast && (!options.format || options.format.startsWith('yyyy-MM-dd'))) {
    const [, y, mo, d, h, mi, sec] = fast;
    const parsed = DateTime.fromObject({ year: +y!, month: +mo!, day: +d!, hour: +(h ?? 0), minute: +(mi ?? 0), second: +(sec ?? 0) }, { zone });
    if (parsed.isValid) return finish(parsed);
  }
  const formats = options.format ? [options.format] : FALLBACK_FORMATS;
  for (const format of formats) {
    const parsed = DateTime.fromFormatParser(text, formatParser(format), { zone });
    if (parsed.isValid) return finish(parsed);
  }
  if (iso.isValid) return finish(iso);
  const expected = options.format ? `"${options.format}" or ISO 8601` : 'ISO 8601 or a common date format such as yyyy-MM-dd HH:mm:ss';
  return { ok: false, reason: `"${text.length > 60 ? text.slice(0, 60) + '…' : text}" is not a date and time (expected ${expected})` };
}

function fromEpoch(seconds: number): TimeResult {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 32503680000) return { ok: false, reason: `${seconds} is not a Unix time in seconds` };
  return { ok: true, iso: new Date(seconds * 1000).toISOString() };
}

function finish(time: DateTime): TimeResult {
  if (time.year < 1970 || time.year > 2999) return { ok: false, reason: `year ${time.year} is out of range (1970–2999)` };
  return { ok: true, iso: time.toUTC().toISO({ suppressMilliseconds: false })!.replace(/\+00:00$/, 'Z') };
}
