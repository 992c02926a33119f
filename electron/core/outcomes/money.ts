// Money in integer minor units (cents): parsed from and printed as decimal strings, never floats.

export class MoneyError extends Error {}

/** Digits after the decimal point for a currency (2 for EUR, 0 for JPY); null for an unknown code. */
export function currencyDigits(currency: string): number | null {
  if (!/^[A-Z]{3}$/.test(currency)) return null;
  if (!Intl.supportedValuesOf('currency').includes(currency)) return null;
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "0.99" or 0.99 in a 2-digit currency -> 99. Refuses more decimals than the currency has. */
export function toMinor(amount: number | string, digits: number): number {
  const text = typeof amount === 'number' ? String(amount) : amount;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new MoneyError(`"${text}" is not a plain decimal amount`);
  const fraction = match[3] ?? '';
  if (fraction.length > digits) throw new MoneyError(`"${text}" has more than ${digits} decimal places`);
  const minor = Number(match[2]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`"${text}" is too large`);
  return match[1] === '-' ? -minor : minor;
}

/** 99 -> "0.99", -150 -> "-1.50", 5 (0 digits) -> "5". */
export function formatMinor(minor: number, digits: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const unit = 10 ** digits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, '0')}`;
}
