// Redaction by default (issue 16 item 7): e-mail addresses, phone numbers, national ids, card numbers in any grouping
// or digit script and IBANs in any case, measured on a labelled corpus (tests/fixtures/ai-guard/redaction.json), and
// end to end: none of the values reaches the model's prompts or the AI's ledger events.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { DEFAULT_AI_SETTINGS } from '../../electron/core/ai/ai-settings.ts';
import { REDACTION_KINDS, redact, type RedactionKind } from '../../electron/core/ai/redaction.ts';
import { resolveTickets } from '../../electron/core/ai/resolver.ts';
import { addOpenTickets, setMode } from '../support/ai-tickets.ts';
import type { StandIn } from '../support/ollama-stand-in.ts';
import { withStandInAndKb } from './ai-kit.ts';

interface Corpus {
  positives: { kind: RedactionKind; text: string; value: string }[];
  negatives: { text: string; why: string }[];
}
const corpus = JSON.parse(readFileSync(new URL('../fixtures/ai-guard/redaction.json', import.meta.url), 'utf8')) as Corpus;
const defaults = DEFAULT_AI_SETTINGS.redaction;

describe('redaction corpus', () => {
  it('is on by default for every kind', () => {
    for (const kind of REDACTION_KINDS) expect(defaults[kind], kind).toBe(true);
  });

  it('finds every labelled value (recall 100 % per kind) and masks nothing in the negatives (precision reported)', () => {
    // Recall must be 100 %: every corpus value is a realistic way a customer writes it, and one that slips through
    // reaches the model. Precision: each mask in a negative text, or of the wrong kind, counts against its kind.
    const stats = Object.fromEntries(REDACTION_KINDS.map((k) => [k, { labelled: 0, found: 0, masks: 0, wrong: 0 }])) as Record<RedactionKind, { labelled: number; found: number; masks: number; wrong: number }>;
    const missed: string[] = [];
    for (const item of corpus.positives) {
      const { text, counts } = redact(item.text, defaults);
      stats[item.kind].labelled++;
      const digitsOrLetters = item.value.normalize('NFKC').replace(/[\s\u200b]/g, '');
      const stillThere = text.replace(/\s/g, '').includes(digitsOrLetters);
      if (counts[item.kind] >= 1 && !stillThere) stats[item.kind].found++;
      else missed.push(`${item.kind}: ${JSON.stringify(item.text)} -> ${JSON.stringify(text)}`);
      for (const kind of REDACTION_KINDS) {
        stats[kind].masks += counts[kind];
        if (kind !== item.kind) stats[kind].wrong += counts[kind];
      }
    }
    for (const item of corpus.negatives) {
      const { text, counts } = redact(item.text, defaults);
      expect(text, item.why).toBe(item.text);
      for (const kind of REDACTION_KINDS) {
        stats[kind].masks += counts[kind];
        stats[kind].wrong += counts[kind];
      }
    }
    const report = REDACTION_KINDS.map((k) => {
      const s = stats[k];
      const precision = s.masks === 0 ? 1 : (s.masks - s.wrong) / s.masks;
      return `${k}: recall ${s.found}/${s.labelled} (${((100 * s.found) / s.labelled).toFixed(0)} %), precision ${(100 * precision).toFixed(0)} %`;
    });
    console.log(`[ai-redaction] ${corpus.positives.length} labelled values, ${corpus.negatives.length} negatives\n  ${report.join('\n  ')}`);
    expect(missed).toEqual([]);
    for (const kind of REDACTION_KINDS) {
      expect(stats[kind].labelled, kind).toBeGreaterThanOrEqual(6);
      expect(stats[kind].wrong, `${kind} masked something that is not one`).toBe(0);
    }
  });

  it('checks checksums: a Luhn-failing card, a mod-97-failing IBAN and a wrong DNI letter stay as written', () => {
    expect(redact('4111 1111 1111 1112', defaults).counts.card).toBe(0);
    expect(redact('DE89 3704 0044 0532 0130 01', defaults).counts.iban).toBe(0);
    expect(redact('DNI 12345678A', defaults).counts.national_id).toBe(0);
    expect(redact('DNI 12345678Z', defaults).counts.national_id).toBe(1);
  });

  it('masks only the kinds switched on', () => {
    const text = 'anna@example.com, +44 20 7946 0958, 123-45-6789';
    expect(redact(text, { ...defaults, email: false }).text).toBe('anna@example.com, [PHONE], [NATIONAL_ID]');
    expect(redact(text, { ...defaults, national_id: false, phone: false }).text).toBe('[EMAIL], +44 20 7946 0958, 123-45-6789');
  });
});

describe('redaction in the pipeline', () => {
  let standIn: StandIn;
  let db: Db;
  withStandInAndKb((s, d) => {
    standIn = s;
    db = d;
  });

  it('with default settings, no corpus value reaches a prompt or an AI ledger event; the ledger records kinds and counts', async () => {
    setMode(db, 'billing_question', 'draft');
    const values = corpus.positives;
    // One ticket per value, written as the customer wrote it (other digit scripts, zero-width characters and all).
    const tickets = values.map((item, i) => addOpenTickets(db, 1, ['billing_question'], { prefix: `RED${i}`, body: `I was charged twice for my plan. ${item.text}` })[0]!);
    await resolveTickets(db, { env: { OLLAMA_HOST: standIn.host }, backoffMs: 5 });
    const prompts = JSON.stringify(standIn.chats.map((c) => c.body.messages));
    const aiEvents = db.prepare("SELECT payload FROM events WHERE type LIKE 'ai.%'").pluck().all() as string[];
    const ledger = aiEvents.join('\n');
    const leaks: string[] = [];
    for (const item of values) {
      // A value counts as leaked if it appears as written, in its plain form, or as its bare digits or letters.
      const forms = new Set([item.value, item.value.normalize('NFKC').replace(/\u200b/g, ''), item.value.normalize('NFKC').replace(/[^\p{L}\p{N}@]/gu, '')]);
      for (const form of forms) {
        if (prompts.includes(form) || prompts.replace(/[^\p{L}\p{N}@]/gu, '').includes(form.replace(/[^\p{L}\p{N}@]/gu, ''))) leaks.push(`prompt: ${item.kind} ${form}`);
        if (ledger.includes(form)) leaks.push(`ledger: ${item.kind} ${form}`);
      }
    }
    expect(leaks).toEqual([]);
    const masked = tickets.map((t) => JSON.parse(db.prepare("SELECT payload FROM events WHERE ticket_id = ? AND type = 'ai.triage'").pluck().get(t.id) as string).redaction as Record<RedactionKind, number>);
    masked.forEach((counts, i) => expect(counts[values[i]!.kind], values[i]!.text).toBe(1));
  });
});
