// How figures read wherever a person sees them — the console, the PDFs and the CSVs' display columns: one
// formatter per kind, so a percentage, an amount or a duration reads the same on every surface. Intl does the
// grouping, rounding and signs; the locale is fixed (en-US digits and grouping) so the same ledger gives the same
// bytes on every machine.

const LOCALE = 'en-US';
const MINUS = '\u2212';

// Made at the first count formatted, not when this module loads: the first Intl formatter loads the locale data
// (about 25 ms), which an `attest` command that prints no figure need not pay.
let countFormat: Intl.NumberFormat | undefined;

/** 16061 → "16,061". */
export function formatCount(value: number): string {
  countFormat ??= new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
  return countFormat.format(value).replace('-', MINUS);
}

/** 7.25 → "7.3" (one decimal unless told): for means, minutes and other plain quantities. */
export function formatDecimal(value: number, fractionDigits = 1): string {
  return new Intl.NumberFormat(LOCALE, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })
    .format(value)
    .replace('-', MINUS);
}

/** A ratio 0.4976 → "49.8%"; null (no denominator) → "—". */
export function formatPercent(ratio: number | null, fractionDigits = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  return new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })
    .format(ratio)
    .replace('-', MINUS);
}

/** A difference of two ratios in percentage points: +0.031 → "+3.1 pp". */
export function formatPointsDelta(delta: number, fractionDigits = 1): string {
  const points = formatDecimal(Math.abs(delta) * 100, fractionDigits);
  const sign = delta > 0 ? '+' : delta < 0 ? MINUS : '±';
  return `${sign}${points} pp`;
}

/**
 * One Intl formatter per key, made once: building one is far slower than using it, and a statement formats
 * thousands of amounts and times.
 */
function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make()));
  return value;
}

const digitsByCurrency = new Map<string, number>();
const moneyFormats = new Map<string, Intl.NumberFormat>();
const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** Digits after the decimal point of an ISO 4217 currency (EUR 2, JPY 0); throws for a code Intl does not know. */
export function minorDigits(currency: string): number {
  const known = digitsByCurrency.get(currency);
  if (known !== undefined) return known;
  if (!/^[A-Z]{3}$/.test(currency) || !Intl.supportedValuesOf('currency').includes(currency)) {
    throw new RangeError(`"${currency}" is not an ISO 4217 currency code`);
  }
  return cached(digitsByCurrency, currency, () => new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2);
}

/**
 * An amount in integer minor units (cents) of one currency: 489300, "EUR" → "EUR 4,893.00"; −198 → "−EUR 1.98".
 * The code, not a symbol, so no reader confuses EUR with USD; the amount is never a float on its way here.
 */
export function formatMoney(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${minor} is not an amount in whole minor units`);
  const digits = minorDigits(currency);
  // The amount goes to Intl as an exact decimal string ("90071992547409.91"), never divided into a float.
  const whole = String(Math.abs(minor)).padStart(digits + 1, '0');
  const major = digits === 0 ? whole : `${whole.slice(0, -digits)}.${whole.slice(-digits)}`;
  const text = cached(moneyFormats, currency, () =>
    new Intl.NumberFormat(LOCALE, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: digits, maximumFractionDigits: digits }),
  ).format(major as Intl.StringNumericLiteral);
  // Intl puts a non-breaking space between code and digits; a plain space keeps CSVs and PDFs byte-simple.
  return `${minor < 0 ? MINUS : ''}${text.replace(/\u00a0/g, ' ')}`;
}

/** A decimal amount as the contract states it ("603.90", "-0.99") in `currency`: "EUR 603.90", "−EUR 0.99". */
export function formatAmount(decimal: string | number, currency: string): string {
  const text = String(decimal);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  const digits = minorDigits(currency);
  if (!match || (match[3] ?? '').length > digits) throw new RangeError(`"${text}" is not an amount in ${currency}`);
  const minor = Number(match[2]) * 10 ** digits + Number((match[3] ?? '').padEnd(digits, '0') || '0');
  return formatMoney(match[1] === '-' ? -minor : minor, currency);
}

/** A length of time in seconds, in its two largest units: 273600 → "3 d 4 h", 5400 → "1 h 30 min", 42 → "42 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const sign = seconds < 0 ? MINUS : '';
  const total = Math.round(Math.abs(seconds));
  const units: Array<[string, number]> = [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]];
  const largest = units.findIndex(([, size]) => total >= size);
  if (largest < 0) return '0 s';
  const parts = units.slice(largest, largest + 2).map(([name, size], index) => {
    const count = index === 0 ? Math.floor(total / size) : Math.floor((total % units[largest]![1]) / size);
    return count > 0 ? `${count} ${name}` : '';
  });
  return sign + parts.filter(Boolean).join(' ');
}

/** Time used against an SLA budget: 121, 120, 'business' → "121 of 120 business min". */
export function formatBudgetUse(usedMinutes: number, budgetMinutes: number, clock: 'business' | 'calendar'): string {
  return `${formatCount(Math.floor(usedMinutes))} of ${formatCount(budgetMinutes)} ${clock} min`;
}

/**
 * An instant as ISO date and time in a named zone, the zone always shown: "2026-11-02 11:00:00 Europe/Berlin",
 * "2026-11-02 10:00:00 UTC". Seconds are kept: a ledger time is exact, and a printed one should say so.
 */
export function formatInstant(iso: string, zone = 'UTC'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  const parts = Object.fromEntries(
    cached(instantFormats, zone, () => new Intl.DateTimeFormat(LOCALE, { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }))
      .formatToParts(ms)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${zone}`;
}
