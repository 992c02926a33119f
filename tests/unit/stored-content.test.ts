// The duplicate check's memory of stored content (electron/core/ledger/stored-content.ts) must give exactly the
// verdicts of the definition — "the ledger holds an event with the same ticket, type, time, actor and payload" —
// whatever it holds, forgets or cannot hold. The oracle here is that definition over the events table itself.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { registerFeatures } from '../../electron/core/features.ts';
import { parseEventLine } from '../../electron/core/ledger/event-lines.ts';
import { LedgerWriter } from '../../electron/core/ledger/ledger.ts';
import { StoredContentMemory } from '../../electron/core/ledger/stored-content.ts';
import { canonicalActorJson } from '../../electron/core/ledger/hashing.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { tempDb } from './helpers.ts';

registerFeatures();

const RECORDED = '2026-11-01T00:00:00.000Z';

const at = (ticket: number, minute: number): string => `2026-10-${String(1 + (ticket % 20)).padStart(2, '0')}T09:${String(minute).padStart(2, '0')}:00Z`;

function created(ticket: number): Record<string, unknown> {
  return { ticket: `T-${ticket}`, type: 'created', at: at(ticket, 0), channel: 'email', priority: 'normal', category: 'billing', subject: `Invoice ${ticket}`, requester: `c-${ticket}` };
}

function message(ticket: number, minute: number, body: string, author = `c-${ticket}`): Record<string, unknown> {
  return { ticket: `T-${ticket}`, type: 'message', at: at(ticket, minute), author: { kind: 'customer', id: author }, public: true, body };
}

/** The definition, asked of the events table: does the ledger hold an event with exactly this content? */
function heldByLedger(db: Db, line: Record<string, unknown>): boolean {
  const event = parseEventLine(line);
  return (
    db
      .prepare('SELECT count(*) FROM events WHERE ticket_id IS ? AND type = ? AND at = ? AND actor = ? AND payload = ?')
      .pluck()
      .get(event.ticket, event.type, event.at, canonicalActorJson(event.actor), event.payload) !== 0
  );
}

/** A ledger of 30 tickets, one with 55 messages (the ticket too large for a small memory). */
function seededLedger(): { db: Db; lines: Record<string, unknown>[] } {
  const { db } = tempDb();
  const lines: Record<string, unknown>[] = [];
  for (let ticket = 1; ticket <= 30; ticket++) {
    lines.push(created(ticket));
    const messages = ticket === 7 ? 55 : 1 + (ticket % 5);
    for (let minute = 1; minute <= messages; minute++) lines.push(message(ticket, minute, `Message ${minute} about invoice ${ticket}, please check.`));
    // Text beyond ASCII: held as UTF-8 bytes, of two, three and four bytes a character.
    lines.push(message(ticket, 50, `Grüße — ça coûte ${ticket} € 🎫`));
  }
  const writer = new LedgerWriter(db, { announcesSession: false });
  db.transaction(() => {
    for (const line of lines) expect(writer.append(parseEventLine(line), RECORDED)).toBe('added');
    writer.flush();
  })();
  return { db, lines };
}

/** The lines a second import brings: every stored line, near-copies that differ in one field, and repeats of both. */
function secondImport(lines: Record<string, unknown>[], next: () => number): Record<string, unknown>[] {
  const variants: Record<string, unknown>[] = [];
  for (let ticket = 1; ticket <= 40; ticket++) {
    variants.push(message(ticket, 1, `Message 1 about invoice ${ticket}, please check!`)); // one character differs
    variants.push(message(ticket, 1, `Message 1 about invoice ${ticket}, please check.`, `c-${ticket}x`)); // the actor differs
    variants.push(message(ticket, 59, `Message 1 about invoice ${ticket}, please check.`)); // the time differs
    variants.push(message(ticket, 50, `Grüße — ça coute ${ticket} € 🎫`)); // one accent differs
    variants.push(message(ticket, 50, `Grüße — ça coûte ${ticket} € 🎟`)); // 🎟 for 🎫: their UTF-8 bytes differ in the last one
  }
  // Tickets 31–40 are new: their created lines come first, as a file would have them.
  const fresh = Array.from({ length: 10 }, (_, i) => created(31 + i));
  const mixed = [...lines, ...variants, ...variants.slice(0, 60), ...lines.slice(0, 50)];
  for (let i = mixed.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [mixed[i], mixed[j]] = [mixed[j]!, mixed[i]!];
  }
  return [...fresh, ...mixed];
}

describe('the duplicate check holds stored content in memory without changing a verdict', () => {
  // Default: every ticket held, as bytes searched. 2,000 bytes: tickets are forgotten and read again, and ticket T-7
  // (about 9,000 characters) is never held. 1: no ticket fits, every question goes to SQLite. Searched up to 400 bytes:
  // most tickets are held as sets of keys, some turn into one when the import appends to them.
  const memories: { budget?: number; searchedMax?: number }[] = [{}, { budget: 2_000 }, { budget: 1 }, { searchedMax: 400 }];
  for (const { budget, searchedMax } of memories) {
    it(`gives the definition's verdict for every line (memory budget ${budget ?? 'default'}, searched up to ${searchedMax ?? 'default'} bytes)`, () => {
      const { db, lines } = seededLedger();
      const writer = new LedgerWriter(db, { announcesSession: false, storedContentBudget: budget, storedContentSearchedMaxBytes: searchedMax });
      const verdicts = { added: 0, duplicate: 0 };
      db.transaction(() => {
        for (const line of secondImport(lines, seededRandom(42))) {
          const expected = heldByLedger(db, line) ? 'duplicate' : 'added';
          const outcome = writer.append(parseEventLine(line), RECORDED);
          expect(outcome, JSON.stringify(line)).toBe(expected);
          verdicts[outcome]++;
        }
        writer.flush();
      })();
      // Every stored line and every repeat is a duplicate; each of the 200 variants is added exactly once.
      expect(verdicts).toEqual({ added: 10 + 200, duplicate: lines.length + 60 + 50 });
      const twice = db.prepare('SELECT count(*) FROM (SELECT 1 FROM events GROUP BY ticket_id, type, at, actor, payload HAVING count(*) > 1)').pluck().get();
      expect(twice).toBe(0);
    });
  }

});

describe('a held ticket is searched for whole keys only', () => {
  // A source of stored content as the ledger repository gives it, with the questions asked of SQLite counted.
  function source(stored: [string, string, string, string][]) {
    const asked: string[] = [];
    return {
      asked,
      contentOf: () => stored,
      hasSameContent: (_ticket: string | null, type: string, at: string, actor: string, payload: string) => {
        asked.push(payload);
        return stored.some((row) => row.join('\u0000') === [type, at, actor, payload].join('\u0000'));
      },
    };
  }
  const AT = '2026-10-01T09:00:00Z';

  it('finds no key that is only part of a stored key, or spans two of them', () => {
    const stored = source([
      ['message', AT, '{"kind":"customer"}', '{"body":"ab"}'],
      ['message', AT, '{"kind":"customer"}', '{"body":"c"}'],
    ]);
    const memory = new StoredContentMemory(stored);
    expect(memory.holds('T-1', 'message', AT, '{"kind":"customer"}', '{"body":"ab"}')).toBe(true);
    expect(memory.holds('T-1', 'message', AT, '{"kind":"customer"}', '{"body":"a')).toBe(false);
    expect(memory.holds('T-1', 'message', AT, '{"kind":"customer"}', '"ab"}')).toBe(false);
    expect(memory.holds('T-1', 'message', AT, '{"kind":"customer"}', `{"body":"ab"}\u0001message\u0000${AT}`)).toBe(false);
    memory.noteAppended('T-1', 'message', AT, '{"kind":"customer"}', '{"body":"abc"}');
    expect(memory.holds('T-1', 'message', AT, '{"kind":"customer"}', '{"body":"abc"}')).toBe(true);
    expect(memory.holds('T-1', 'message', AT, '{"kind":"customer"}', '{"body":"bc"}')).toBe(false);
  });

  it('asks SQLite about a key it could not hold exactly', () => {
    const stored = source([['message', AT, '{"kind":"customer"}', '{"body":"ab"}']]);
    const memory = new StoredContentMemory(stored);
    expect(memory.holds('T-1', 'message', AT, '{"kind":"customer"}', '{"body":"ab"}')).toBe(true);
    expect(stored.asked).toEqual([]);
    // Neither a separator nor a lone surrogate reaches a canonical line; were one to, the answer would still be exact
    // (and a lone surrogate in a Buffer search would abort the process).
    expect(memory.holds('T-1', 'message', AT, '{"kind":"customer"}', '{"body":"a\u0001b"}')).toBe(false);
    expect(memory.holds('T-1', 'message', AT, '{"kind":"customer"}', '{"body":"\ud800"}')).toBe(false);
    expect(stored.asked).toEqual(['{"body":"a\u0001b"}', '{"body":"\ud800"}']);
  });
});
