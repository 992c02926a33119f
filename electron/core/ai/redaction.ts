// Optional masking of personal data before anything is sent to the model. The ledger records only
// which kinds were masked and how many — never the values.
export interface RedactionSettings {
  card: boolean;
  iban: boolean;
  email: boolean;
  phone: boolean;
}
export type RedactionCounts = Record<keyof RedactionSettings, number>;

export const NO_REDACTION: RedactionSettings = { card: false, iban: false, email: false, phone: false };

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
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? (ch.charCodeAt(0) - 55).toString() : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/g;
const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;
const PHONE = /(?<![\w-])\+?\d[\d ()/-]{6,}\d(?![\w-])/g;

export function redact(text: string, settings: RedactionSettings): { text: string; counts: RedactionCounts } {
  const counts: RedactionCounts = { card: 0, iban: 0, email: 0, phone: 0 };
  let out = text;
  if (settings.iban) {
    out = out.replace(IBAN, (match) => {
      const compact = match.replace(/ /g, '');
      if (compact.length < 15 || compact.length > 34 || !ibanValid(compact)) return match;
      counts.iban++;
      return '[IBAN]';
    });
  }
  if (settings.card) {
    out = out.replace(CARD, (match) => {
      const digits = match.replace(/[ -]/g, '');
      if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) return match;
      counts.card++;
      return '[CARD]';
    });
  }
  if (settings.email) {
    out = out.replace(EMAIL, () => {
      counts.email++;
      return '[EMAIL]';
    });
  }
  if (settings.phone) {
    out = out.replace(PHONE, (match) => {
      const digits = match.replace(/\D/g, '');
      if (digits.length < 7 || digits.length > 15) return match;
      counts.phone++;
      return '[PHONE]';
    });
  }
  return { text: out, counts };
}
