// Deterministic checks that do not trust the model: the customer asking for a person, text that tries
// to instruct the assistant, and promises in a draft that only a human may make.
const WANTS_HUMAN = [
  /\b(real|actual|live)\s+(person|human|agent)\b/i,
  /\b(speak|talk|chat)\s+(to|with)\s+(a|an|someone|somebody|your)?\s*(human|person|agent|someone|somebody|colleague|manager|supervisor)\b/i,
  /\bhuman\s+agent\b/i,
  /\bagent,?\s+please\b/i,
  /\bconnect\s+me\s+(with|to)\s+(someone|somebody|a\s+person|a\s+human|an\s+agent)\b/i,
  /\bcan\s+a\s+(person|human)\b/i,
  /\bno\s+(more\s+)?(bots?|robots?|automatic\s+answers)\b/i,
];

const INJECTION = [
  /\bignore\s+(all\s+|any\s+|your\s+|the\s+|previous\s+|prior\s+|above\s+)*(rules|instructions|guidelines|policy|policies|prompt)\b/i,
  /\b(disregard|forget|override)\s+(all\s+|your\s+|the\s+|previous\s+)*(rules|instructions|guidelines|policy|policies|prompt)\b/i,
  /\bsystem\s+prompt\b/i,
  /\byou\s+are\s+now\b/i,
  /\b(new|updated)\s+instructions?\s*:/i,
  /\bact\s+as\s+(an?\s+)?(admin|administrator|developer|manager)\b/i,
  /<\/?(system|assistant|instructions?)>/i,
];

// First-person commitments to actions the knowledge base never lets the assistant take.
const PROMISES: [string, RegExp][] = [
  ['refund', /\b(i|we)\s*('ve|'ll|\s+have|\s+will|\s+am\s+going\s+to|\s+are\s+going\s+to)?\s*(issued?|process(ed)?|approved?|grant(ed)?|sen[dt])?\s*(you\s+)?(a\s+|the\s+|your\s+|full\s+)*refund(ed)?\b/i],
  ['refund', /\b(refund|money)\b[^.!?\n]{0,40}\b(has\s+been|is\s+being|will\s+be)\s+(issued|processed|approved|sent|transferred)\b/i],
  ['credit', /\b(i|we)\s*('ve|'ll|\s+have|\s+will)?\s*(applied|added|issued|given|credited)\s+[^.!?\n]{0,40}\b(credit|discount|voucher|compensation|goodwill)\b/i],
  ['account_change', /\b(i|we)\s*('ve|'ll|\s+have|\s+will)\s*(cancel(l?ed)?|closed?|deleted?|downgraded?|upgraded?|reversed?)\s+(your|the)\s+(account|subscription|plan|data|upgrade)\b/i],
  ['legal', /\b(we\s+(accept|admit)\s+(liability|responsibility)|legally\s+(binding|entitled)|you\s+are\s+entitled\s+to\s+compensation)\b/i],
];

export function wantsHuman(text: string): boolean {
  return WANTS_HUMAN.some((pattern) => pattern.test(text));
}

export function injectionSuspected(text: string): boolean {
  return INJECTION.some((pattern) => pattern.test(text));
}

/** Kinds of forbidden promises the draft makes, e.g. ["refund"]. */
export function forbiddenPromises(draft: string): string[] {
  return [...new Set(PROMISES.filter(([, pattern]) => pattern.test(draft)).map(([kind]) => kind))];
}
