// The chain check reads each event's hash preimage as one string that SQLite writes (ledger-repository.ts
// CHAIN_PREIMAGE) instead of joining seven columns in JavaScript. These tests hold that string to the `canonicalize`
// package (RFC 8785) and node:crypto, not to Attest's hashing code: for every character a string member can hold,
// for ledger-wide events (no ticket), and for a doctored file whose events table holds values of storage types Attest
// never writes — where the check must reach the verdict the RFC gives.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../shared/domain.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { checkRange } from '../../electron/core/ledger/verify-range.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { tempDb } from './helpers.ts';

interface Stored {
  seq: number;
  ticket: unknown;
  type: unknown;
  at: unknown;
  recordedAt: unknown;
  actor: string;
  payload: string;
  prevHash: unknown;
}

/** RFC 8785 of the hashed members, the JSON columns parsed: what any JCS library makes of the stored event. */
const rfcPreimage = (e: Stored): string =>
  canonicalize({ actor: JSON.parse(e.actor), at: e.at, payload: JSON.parse(e.payload), prevHash: e.prevHash, recordedAt: e.recordedAt, seq: e.seq, ticket: e.ticket, type: e.type })!;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Appends `events` after the head by plain INSERT, each linked to the one before and hashed per RFC 8785. */
function insertChained(db: Db, events: Omit<Stored, 'seq' | 'prevHash'>[]): Stored[] {
  let { seq, hash } = (db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_HASH };
  const insert = db.prepare('INSERT INTO events (seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  return events.map((fields) => {
    const stored = { ...fields, seq: seq + 1, prevHash: hash };
    const digest = sha256(rfcPreimage(stored));
    insert.run(stored.seq, stored.ticket, stored.type, stored.at, stored.recordedAt, stored.actor, stored.payload, stored.prevHash, digest);
    ({ seq, hash } = { seq: stored.seq, hash: digest });
    return stored;
  });
}

const preimagesOf = (db: Db): Map<number, string | null> => new Map([...new LedgerRepository(db).chainRowsInBatches(1, Number.MAX_SAFE_INTEGER)].flat().map(([seq, , , preimage]) => [seq, preimage]));

/** Every UTF-16 code unit that is not a surrogate, then characters outside the BMP, in strings of at most 512. */
function everyCharacter(): string[] {
  const characters: string[] = [];
  for (let unit = 0; unit < 0x10000; unit++) if (unit < 0xd800 || unit > 0xdfff) characters.push(String.fromCharCode(unit));
  characters.push('😀', '\u{10ffff}', '\u{1d11e}');
  const chunks: string[] = [];
  for (let i = 0; i < characters.length; i += 512) chunks.push(characters.slice(i, i + 512).join(''));
  return chunks;
}

describe('the hash preimage SQLite writes for the chain check', () => {
  it('is RFC 8785 byte for byte, whatever characters the string members hold', () => {
    const { db } = tempDb();
    const chunks = everyCharacter();
    const stored = insertChained(
      db,
      chunks.map((chunk, i) => ({
        // Each string member carries every character somewhere: the control characters, quote and backslash, U+2028,
        // U+2029, DEL and the non-ASCII ones alike.
        ticket: `T-${chunks[(i + 1) % chunks.length]}`,
        type: chunks[(i + 2) % chunks.length]!,
        at: chunk,
        recordedAt: chunks[(i + 3) % chunks.length]!,
        actor: canonicalize({ id: `a${i}`, kind: 'human' })!,
        payload: canonicalize({ body: chunk, n: i })!,
      })),
    );
    const preimages = preimagesOf(db);
    expect(preimages.size).toBe(stored.length);
    for (const event of stored) expect(preimages.get(event.seq), `event #${event.seq}`).toBe(rfcPreimage(event));
    expect(checkRange(db, 1, stored.length)).toMatchObject({ count: stored.length, intact: true });
  }, 60_000);

  it('writes a ledger-wide event (no ticket) with "ticket":null, as RFC 8785 does', () => {
    const { db } = tempDb();
    const [event] = insertChained(db, [{ ticket: null, type: 'session.started', at: '2026-11-02T09:00:00.000Z', recordedAt: '2026-11-02T09:00:00.000Z', actor: '{"kind":"system"}', payload: '{}' }]);
    expect(preimagesOf(db).get(1)).toBe(rfcPreimage(event!));
    expect(rfcPreimage(event!)).toContain('"ticket":null');
  });

  it('leaves a row of a storage type Attest never writes to the row itself, so the verdict is the RFC\'s', () => {
    const { db } = tempDb();
    // A doctored file: its events table rebuilt without STRICT, so a column can hold a number or a blob.
    db.exec(`DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete; DROP TRIGGER IF EXISTS events_no_replace;
      DROP TABLE events;
      CREATE TABLE events (seq INTEGER PRIMARY KEY, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash);`);
    const base = { type: 'csat', recordedAt: '2026-11-02T09:00:00.000Z', actor: '{"kind":"customer"}', payload: '{"score":5}' };
    // A time that is the number 5 (SQLite: REAL 5.0, which json_quote would write as 5.0; RFC 8785 writes 5), a ticket
    // that is the integer 7: self-consistent by the RFC, so intact.
    const stored = insertChained(db, [
      { ...base, ticket: 'T-1', at: '2026-11-02T09:00:00.000Z' },
      { ...base, ticket: 'T-1', at: 5.0 },
      { ...base, ticket: 7, at: '2026-11-02T09:01:00.000Z' },
    ]);
    const preimages = preimagesOf(db);
    expect([...preimages.values()]).toEqual([rfcPreimage(stored[0]!), null, null]);
    expect(rfcPreimage(stored[1]!)).toContain('"at":5,');
    expect(checkRange(db, 1, 3)).toMatchObject({ count: 3, intact: true });
    // A blob where the payload's text was (json_quote, which refuses blobs, is never asked): the same bytes hash the
    // same, other bytes do not.
    db.prepare('UPDATE events SET payload = ? WHERE seq = 2').run(Buffer.from('{"score":5}'));
    expect(preimagesOf(db).get(2)).toBeNull();
    expect(checkRange(db, 1, 3)).toMatchObject({ intact: true });
    db.prepare('UPDATE events SET payload = ? WHERE seq = 2').run(Buffer.from('{"score":4}'));
    expect(checkRange(db, 1, 3)).toMatchObject({ intact: false });
    // And 5.5 where 5 was hashed: broken, as by the RFC.
    db.prepare("UPDATE events SET payload = '{\"score\":5}', at = 5.5 WHERE seq = 2").run();
    expect(checkRange(db, 1, 3)).toMatchObject({ intact: false });
    db.prepare('UPDATE events SET at = 5.0 WHERE seq = 2').run();
    expect(checkRange(db, 1, 3)).toMatchObject({ intact: true });
  });
});
