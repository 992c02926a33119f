// Canonical forms of untrusted text for the deterministic checks (guards, draft check, redaction). Hostile text
// hides words from patterns with full-width letters, zero-width characters, letters of other scripts that look
// Latin, accents, spaced-out letters and digits of other scripts; every check matches on these forms instead.

/** Characters with no visible width (and bidi controls) that split a word for a pattern but not for a reader. */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/gu;

/**
 * Letters of Cyrillic and Greek that render like Latin ones (Unicode's confusables, the common lower- and upper-case
 * ones). NFKC leaves them alone because they are different letters, not compatibility forms.
 */
const LOOKALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ɡ: 'g',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S',
  α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  ı: 'i', ſ: 's',
};
const LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'gu');

/** The value of a decimal digit of any script (U+0660 ٠ … U+0669 ٩, U+0966 ० …): Unicode lays each script's 0–9 out in a run of ten. */
function digitValue(char: string): string {
  let code = char.codePointAt(0)!;
  let offset = 0;
  while (offset < 10 && /\p{Nd}/u.test(String.fromCodePoint(code - 1))) {
    code--;
    offset++;
  }
  return String(offset % 10);
}

/** Any script's decimal digits as ASCII 0–9; nothing else changes (each digit stays one UTF-16 unit or becomes one). */
export function asciiDigits(text: string): string {
  return text.replace(/[^\x00-\x7F]/gu, (char) => (/\p{Nd}/u.test(char) ? digitValue(char) : char));
}

/**
 * NFKC (full-width and other compatibility forms become plain letters and digits), invisible characters removed,
 * digits of any script as ASCII. Keeps every script's letters, case and accents: redaction works on this form and
 * sends it to the model, so a Cyrillic or Greek message still reads as written.
 */
export function plainText(text: string): string {
  return asciiDigits(text.normalize('NFKC').replace(INVISIBLE, ''));
}

/** plainText with look-alike letters as Latin: what a Latin-script pattern should see. */
export function canonicalText(text: string): string {
  return plainText(text).replace(LOOKALIKE, (char) => LOOKALIKES[char] ?? char);
}

/**
 * Letters written one by one with one and the same separator ("i g n o r e", "r.e.f.u.n.d", "i-g-n-o-r-e") joined
 * back into words; a wider gap (two spaces) separates the words of such text.
 */
function joinSpacedLetters(text: string): string {
  return text.replace(/(?<![\p{L}\p{N}])\p{L}([ .\-_*·'])\p{L}(?:\1\p{L})+(?![\p{L}\p{N}])/gu, (run) => run.replace(/[^\p{L}]/gu, ''));
}

/**
 * The form the word patterns match: canonical text, lower case, accents removed (é → e, ß → ss, ü → u),
 * apostrophes unified, spaced-out letters joined, runs of whitespace as one space.
 */
export function matchingText(text: string): string {
  const plain = canonicalText(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[’‘ʼ`´]/g, "'")
    .replace(/[“”„«»]/g, '"');
  return joinSpacedLetters(plain).replace(/\s+/gu, ' ');
}
