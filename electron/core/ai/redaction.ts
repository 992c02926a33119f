// Masking of personal data before anything is sent to the model. The ledger records only which kinds were masked
// and how many — never the values. Text is first brought to its plain form (text-normalize.ts: NFKC, invisible
// characters removed, digits of every script as 0–9), so a card written in full-width or Arabic-Indic digits, or
// with zero-width characters between its digits, is found like any other. Checksums keep the precision high: card
// numbers must pass Luhn, IBANs their country's length and mod 97, national ids their own check digit or letter.
import { plainText } from './text-normalize.ts';

export interface RedactionSettings {
  card: boolean;
  iban: boolean;
  email: boolean;
  phone: boolean;
  /**
   * National identity numbers: US Social Security number, UK National Insurance number, Spanish DNI/NIE, French
   * NIR (sécurité sociale) and the German Steuer-ID (only where the text names it: 11 digits alone are too common).
   * Optional in settings recorded before it existed; absent means on.
   */
  national_id: boolean;
}
export type RedactionKind = keyof RedactionSettings;
export type RedactionCounts = Record<RedactionKind, number>;

export const REDACTION_KINDS: readonly RedactionKind[] = ['card', 'iban', 'email', 'phone', 'national_id'];
export const NO_REDACTION: RedactionSettings = { card: false, iban: false, email: false, phone: false, national_id: false };
export const FULL_REDACTION: RedactionSettings = { card: true, iban: true, email: true, phone: true, national_id: true };

/** What replaces a masked value in the text the model reads. */
export const REDACTION_LABELS: Record<RedactionKind, string> = { card: '[CARD]', iban: '[IBAN]', email: '[EMAIL]', phone: '[PHONE]', national_id: '[NATIONAL_ID]' };

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function ibanValid(compact: string): boolean {
  const upper = compact.toUpperCase();
  const rearranged = upper.slice(4) + upper.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? (ch.charCodeAt(0) - 55).toString() : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** IBAN length of each country in SWIFT's IBAN registry. */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27,
  DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28,
  IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22,
  MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24,
  SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** A found value: where it is in the plain text and what kind it is. */
interface Span {
  start: number;
  end: number;
  kind: RedactionKind;
}

/** A separator people put between the groups of a number: blanks, or one of - . , / with blanks around it. */
const SEPARATOR_RUN = /^[\s\u00A0\u202F]*[-.,/]?[\s\u00A0\u202F]*/u;
/** Longest separator run accepted inside a number ("4111 - 1111": three characters). */
const MAX_SEPARATOR = 4;

/**
 * IBANs in any case and grouping ("DE89 3704…", "de89370…", "DE 89 3704…", "DE89/3704/…", "DE89  3704…"): the
 * country code says how many characters to read, skipping separator runs between them; the value must end there
 * (a currency code written straight after it may follow) and pass mod 97.
 */
function findIbans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(/(?<![\p{L}\p{N}])([A-Za-z]{2})[\s\u00A0\u202F]{0,2}\d{2}/gu)) {
    const length = IBAN_LENGTHS[match[1]!.toUpperCase()];
    if (!length) continue;
    let compact = '';
    let i = match.index;
    while (i < text.length && compact.length < length) {
      const ch = text[i]!;
      if (/[A-Za-z0-9]/.test(ch)) {
        compact += ch;
        i++;
        continue;
      }
      const separator = SEPARATOR_RUN.exec(text.slice(i, i + MAX_SEPARATOR + 1))![0];
      if (separator.length === 0 || separator.length > MAX_SEPARATOR || compact.length < 2 || !/[A-Za-z0-9]/.test(text[i + separator.length] ?? '')) break;
      i += separator.length;
    }
    // A digit straight after it means a longer number; letters straight after (IBAN…EUR) are allowed.
    if (compact.length === length && !/\p{N}/u.test(text[i] ?? '') && ibanValid(compact)) spans.push({ start: match.index, end: i, kind: 'iban' });
  }
  return spans;
}

/** Runs of digit groups joined by separator runs (blanks, or one of - . , / _ with blanks around it); not after a "+". */
const DIGIT_RUN = /(?<![\p{L}\p{N}+])\d+(?:[\s\u00A0\u202F]{0,3}[-.,/_]?[\s\u00A0\u202F]{0,3}\d+)*(?![\p{L}\p{N}])/gu;

/** How card numbers are grouped when they are grouped at all: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4, 13-digit 4-4-4-1. */
const CARD_GROUPINGS = new Set(['4-4-4-4', '4-4-4-4-3', '4-6-5', '4-6-4', '4-4-4-1', '4-4-4-3']);

/**
 * Written together, grouped as cards are printed, or in groups of one and the same length (pairs, triples…). Other
 * groupings are left alone: they are what several numbers side by side look like ("DE89 3704 0044 0532 0130 01",
 * an IBAN failing its check, has 18 Luhn-valid digits after its country code).
 */
const cardShaped = (groups: readonly string[]): boolean => {
  const lengths = groups.map((g) => g.length);
  return lengths.length === 1 || CARD_GROUPINGS.has(lengths.join('-')) || lengths.every((l) => l === lengths[0]);
};

/**
 * Card numbers (see cardShaped; any separator run between the groups): 13–19 digits, an issuer's first digit (2–6:
 * Mastercard, Visa, Amex, Discover, JCB, UnionPay, Maestro), Luhn-valid. A longer run (a card followed by other
 * numbers) is tried at each group boundary, longest first.
 */
function findCards(text: string): Span[] {
  const spans: Span[] = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    const groups = [...run[0].matchAll(/\d+/g)].map((g) => ({ end: run.index + g.index + g[0].length, digits: g[0] }));
    for (let last = groups.length - 1; last >= 0; last--) {
      const taken = groups.slice(0, last + 1).map((g) => g.digits);
      const digits = taken.join('');
      if (digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && cardShaped(taken) && luhnValid(digits)) {
        spans.push({ start: run.index, end: groups[last]!.end, kind: 'card' });
        break;
      }
    }
  }
  return spans;
}

const NIE_PREFIX: Record<string, string> = { X: '0', Y: '1', Z: '2' };
const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** ISO 7064 MOD 11,10 check digit of the German Steuer-ID. */
function steuerIdValid(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (Number(digits[i]) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = (11 - product) % 10;
  return check === Number(digits[10]);
}

function nirValid(compact: string): boolean {
  const body = compact.slice(0, 13).toUpperCase().replace('2A', '19').replace('2B', '18');
  if (!/^\d{13}$/.test(body)) return false;
  return 97 - Number(BigInt(body) % 97n) === Number(compact.slice(13));
}

/** National identity numbers of the documented set (see RedactionSettings.national_id). */
function findNationalIds(text: string): Span[] {
  const spans: Span[] = [];
  const add = (start: number, end: number): void => void spans.push({ start, end, kind: 'national_id' });
  // US SSN: 3-2-4 with dashes or spaces (bare 9 digits only where the text says SSN); no 000/666/9xx area, 00 group, 0000 serial.
  for (const m of text.matchAll(/(?<![\p{L}\p{N}\-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\p{N}\-])/gu)) {
    if (m[1] !== '000' && m[1] !== '666' && !m[1]!.startsWith('9') && m[3] !== '00' && m[4] !== '0000') add(m.index, m.index + m[0].length);
  }
  // Where the text names it ("my social security number is 123456789", "SSN 123.45.6789"): up to three words in
  // between, nine digits together or 3-2-4 with any separator run.
  for (const m of text.matchAll(/\b(ssn|social[ -]security( number| no\.?| #)?|soc\.? ?sec\.?( no\.?)?)\W{0,5}(?:\p{L}+\W{1,3}){0,3}?(\d{3})([\s\u00A0]{0,2}[-./]?[\s\u00A0]{0,2})(\d{2})\5(\d{4})(?![\p{N}])/giu)) {
    const [area, group, serial] = [m[4]!, m[6]!, m[7]!];
    const value = `${area}${m[5]}${group}${m[5]}${serial}`;
    if (area !== '000' && area !== '666' && !area.startsWith('9') && group !== '00' && serial !== '0000') add(m.index + m[0].length - value.length, m.index + m[0].length);
  }
  // UK National Insurance number: two letters (not D, F, I, Q, U, V; second not O; not BG, GB, NK, KN, TN, NT, ZZ), six digits, A–D.
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])(?![\p{L}\p{N}])/giu)) {
    if (!['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'].includes(m[1]!.toUpperCase())) add(m.index, m.index + m[0].length);
  }
  // Spanish DNI (8 digits and the letter of mod 23) and NIE (X, Y or Z, 7 digits, the letter).
  // The digits may be written with thousands dots (12.345.678-Z).
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])([XYZ]?)[- ]?(\d{7,8}|\d{1,2}\.\d{3}\.\d{3})[- ]?([A-Z])(?![\p{L}\p{N}])/giu)) {
    const prefix = m[1]!.toUpperCase();
    const digits = m[2]!.replace(/\./g, '');
    const number = prefix ? (digits.length === 7 ? NIE_PREFIX[prefix]! + digits : null) : digits.length === 8 ? digits : null;
    if (number && DNI_LETTERS[Number(number) % 23] === m[3]!.toUpperCase()) add(m.index, m.index + m[0].length);
  }
  // French NIR: sex, year, month, département (2A/2B for Corsica), commune, order, key = 97 - (number mod 97).
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])([12]) ?(\d{2}) ?(\d{2}) ?(\d{2}|2[AB]) ?(\d{3}) ?(\d{3}) ?(\d{2})(?![\p{L}\p{N}])/giu)) {
    if (nirValid(m.slice(1).join(''))) add(m.index, m.index + m[0].length);
  }
  // German Steuer-ID, where the text names it: 11 digits in any grouping with a valid check digit.
  for (const m of text.matchAll(/\b(steuer-?id|steuerliche identifikationsnummer|steueridentifikationsnummer|steuer-identifikationsnummer|idnr|tax id|tin)\b[^\d]{0,20}?((?:\d[ .\-/]?){10}\d)(?!\d)/giu)) {
    if (steuerIdValid(m[2]!.replace(/\D/g, ''))) add(m.index + m[0].length - m[2]!.length, m.index + m[0].length);
  }
  return spans;
}

/** E-mail addresses, including ones written "name [at] host [dot] tld" to get past filters. */
const EMAIL = /[\p{L}\p{N}._%+\-]+(?:\s{0,2}@\s{0,2}|\s?[[({]at[\])}]\s?)[\p{L}\p{N}\-]+(?:(?:\.|\s?[[({]dot[\])}]\s?)[\p{L}\p{N}\-]+)*(?:\.|\s?[[({]dot[\])}]\s?)\p{L}{2,}/giu;
/** Spelled out with the words: "jane.doe at example dot com" (both words needed, so "look at this" is left alone). */
const EMAIL_WORDS = /[\p{L}\p{N}._%+\-]+ at [\p{L}\p{N}\-]+(?: dot [\p{L}\p{N}\-]+)*(?: dot \p{L}{2,})\b/giu;

function findEmails(text: string): Span[] {
  return [...text.matchAll(EMAIL), ...text.matchAll(EMAIL_WORDS)].map((m) => ({ start: m.index, end: m.index + m[0].length, kind: 'email' as const }));
}

/** Dates written with digits: not telephone numbers. */
const DATE_SHAPED = /^(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;
/** Words that say a bare run of digits is a telephone number. */
const PHONE_CONTEXT = /(phone|my number|my cell|my mobile|reach me|contact me|tel|telephone|call|mobile|cell|ring|whatsapp|sms|text me|handy|telefon|rufnummer|anrufen|portable|numero|téléphone|appeler|movil|móvil|llamar|llámame|teléfono)\W{0,3}(\p{L}+\W{1,3}){0,2}$/iu;
const PHONE = /(?<![\p{L}\p{N}\-+/.])(?:\+|00)?\s?\(?\d[\d ()./\-\u00A0\u202F]{5,}\d(?![\p{L}\p{N}])/gu;

/**
 * Telephone numbers, national and international (+44 20 7946 0958, 0049 30 1234567, (415) 555-2671, 06 12 34 56 78):
 * 7–15 digits (E.164's maximum); written without any separator or prefix it takes 10 digits, so an order number
 * of 7–9 digits is not taken for one; a date written with digits is not a phone number.
 */
export function findPhones(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(PHONE)) {
    const value = m[0].replace(/[\s.\-/]+$/u, '');
    const digits = value.replace(/\D/g, '');
    const international = /^(\+|00)/.test(value);
    const separated = /[ ()./\-\u00A0\u202F]/.test(value.replace(/^\+/, ''));
    if (digits.length < 7 || digits.length > 15 || DATE_SHAPED.test(value.trim())) continue;
    // SSN-shaped 3-2-4 is never a telephone number.
    if (/^\d{3}-\d{2}-\d{4}$/.test(value)) continue;
    // A bare run of digits is a phone number only where the text says so, or when it starts with a trunk prefix 0.
    if (!international && !separated && (digits.length < 10 || !(value.startsWith('0') || PHONE_CONTEXT.test(text.slice(Math.max(0, m.index - 30), m.index))))) continue;
    if ((value.match(/\(/g)?.length ?? 0) !== (value.match(/\)/g)?.length ?? 0)) {
      // "(030) 1234" is fine; a stray bracket belongs to the prose around it.
      const trimmed = value.replace(/^\(/, '').replace(/\)$/, '');
      spans.push({ start: m.index + (value.startsWith('(') ? 1 : 0), end: m.index + (value.startsWith('(') ? 1 : 0) + trimmed.length, kind: 'phone' });
      continue;
    }
    spans.push({ start: m.index, end: m.index + value.length, kind: 'phone' });
  }
  return spans;
}

const FINDERS: [RedactionKind, (text: string) => Span[]][] = [
  // Most specific first: a value claimed by an earlier finder is not taken again by a later one.
  ['iban', findIbans],
  ['card', findCards],
  ['national_id', findNationalIds],
  ['email', findEmails],
  ['phone', findPhones],
];

/** Every value the settings mask, as non-overlapping spans of the plain text. */
export function findSensitive(text: string, settings: RedactionSettings): Span[] {
  const taken: Span[] = [];
  for (const [kind, find] of FINDERS) {
    if (!settings[kind]) continue;
    for (const span of find(text)) {
      if (taken.some((t) => span.start < t.end && t.start < span.end)) continue;
      taken.push(span);
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** The text the model may read: its plain form (text-normalize.ts) with every value the settings mask replaced by its label. */
export function redact(text: string, settings: RedactionSettings): { text: string; counts: RedactionCounts } {
  const counts: RedactionCounts = { card: 0, iban: 0, email: 0, phone: 0, national_id: 0 };
  const plain = plainText(text);
  const spans = findSensitive(plain, settings);
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += plain.slice(at, span.start) + REDACTION_LABELS[span.kind];
    counts[span.kind]++;
    at = span.end;
  }
  return { text: out + plain.slice(at), counts };
}
