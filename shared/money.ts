// Money in integer minor units (cents) of one ISO 4217 currency: parsed from and printed as decimal strings, never
// floats, and split without losing a cent. The one definition of money for the core (electron/core/outcomes/money.ts
// re-exports it) and for the renderer's ROI calculator; display goes through shared/format.ts formatMoney.

export class MoneyError extends Error {}

/**
 * Answers already looked up, by code: the lookup builds Intl's whole currency list, and a statement asks once per
 * billed line (a quarter of an Outcomes tab's time at 15,000 verified outcomes). Intl's data is fixed for the process.
 */
const digitsByCode = new Map<string, number | null>();

/** Digits after the decimal point for a currency (2 for EUR, 0 for JPY); null for an unknown code. */
export function currencyDigits(currency: string): number | null {
  if (!/^[A-Z]{3}$/.test(currency)) return null;
  const known = digitsByCode.get(currency);
  if (known !== undefined) return known;
  const digits = Intl.supportedValuesOf('currency').includes(currency)
    ? (new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2)
    : null;
  digitsByCode.set(currency, digits);
  return digits;
}

export function isCurrencyCode(value: string): boolean {
  return currencyDigits(value) !== null;
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

/** Minor units as a plain number of major units (99 -> 0.99), for JSON fields that have always been numbers. */
export function minorToMajor(minor: number, digits: number): number {
  return Number(formatMinor(minor, digits));
}

/**
 * A quantity × a rate, once rounded to whole minor units, half away from zero (2.5 -> 3, -2.5 -> -3): the one
 * rounding of a computed amount (a labour saving, an infrastructure charge for 2.3 months). Sums are then
 * sums of integers, so a table of parts adds up to its total to the cent.
 */
export function roundMinor(value: number): number {
  if (!Number.isFinite(value)) throw new MoneyError(`${value} is not an amount`);
  const rounded = Math.sign(value) * Math.round(Math.abs(value));
  if (!Number.isSafeInteger(rounded)) throw new MoneyError(`${value} is too large an amount`);
  return rounded === 0 ? 0 : rounded;
}

/**
 * Splits `totalMinor` (≥ 0) over parts in proportion to `weights` (whole, ≥ 0) by the largest-remainder method:
 * each part gets the floor of its exact share, and the units left over go one each to the parts with the largest
 * remainders (ties to the earlier part). The parts always add up to the total exactly. Exact integer arithmetic
 * (BigInt), so no share is off by a float's rounding. Every weight 0: nothing to split by (the total must be 0).
 */
export function allocateLargestRemainder(totalMinor: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0) throw new MoneyError(`${totalMinor} is not an amount in whole minor units of at least 0`);
  for (const weight of weights) if (!Number.isSafeInteger(weight) || weight < 0) throw new MoneyError(`weight ${weight} is not a whole number of at least 0`);
  const weightSum = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (weightSum === 0n) {
    if (totalMinor === 0) return weights.map(() => 0);
    throw new MoneyError(`cannot split ${totalMinor} minor units: every weight is 0`);
  }
  const total = BigInt(totalMinor);
  const shares = weights.map((weight, index) => {
    const exact = total * BigInt(weight);
    return { index, floor: exact / weightSum, remainder: exact % weightSum };
  });
  let left = total - shares.reduce((sum, share) => sum + share.floor, 0n);
  const order = [...shares].sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const parts = shares.map((share) => share.floor);
  for (const share of order) {
    if (left === 0n) break;
    parts[share.index]! += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

/** Two amounts' currencies must be one: the plain error names both and where each came from. */
export class CurrencyMismatchError extends MoneyError {
  readonly first: { currency: string; source: string };
  readonly second: { currency: string; source: string };
  constructor(first: { currency: string; source: string }, second: { currency: string; source: string }) {
    super(
      `${second.source} is in ${second.currency} but ${first.source} is in ${first.currency}: amounts in different currencies are never added — give ${second.source} in ${first.currency}`,
    );
    this.first = first;
    this.second = second;
  }
}
