import { describe, expect, it } from 'vitest';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { eventHash, hashPreimage } from '../../electron/core/ledger/hashing.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import type { EventRow } from '../../electron/core/ledger/ledger-repository.ts';
import { SMALL_FIXTURE, tamper, tempDb } from './helpers.ts';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

function loaded() {
  const handle = tempDb();
  importJsonlFile(handle.db, SMALL_FIXTURE);
  return handle;
}

describe('hash chain', () => {
  it('links every event to the one before it and verifies intact', () => {
    const { db } = loaded();
    const rows = db.prepare('SELECT seq, prev_hash, hash FROM events ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
    expect(rows).toHaveLength(16);
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const status = verifyLedger(db);
    expect(status).toMatchObject({ intact: true, eventCount: 16, headHash: rows[15]!.hash, firstBadSeq: null });
  });

  it('hashes exactly the RFC 8785 canonical JSON an auditor can rebuild from an exported row', () => {
    const { db } = loaded();
    const row = db.prepare('SELECT * FROM events WHERE seq = 3').get() as EventRow;
    const object = {
      seq: row.seq, ticket: row.ticket_id, type: row.type, at: row.at, recordedAt: row.recorded_at,
      actor: JSON.parse(row.actor), payload: JSON.parse(row.payload), prevHash: row.prev_hash,
    };
    const independent = createHash('sha256').update(canonicalize(object)!).digest('hex');
    expect(independent).toBe(row.hash);
    const fields = { seq: row.seq, ticket: row.ticket_id, type: row.type, at: row.at, recordedAt: row.recorded_at, actor: row.actor, payload: row.payload, prevHash: row.prev_hash };
    expect(hashPreimage(fields)).toBe(canonicalize(object));
    expect(eventHash(fields)).toBe(row.hash);
  });

  it('refuses UPDATE and DELETE on events through its triggers', () => {
    const { db } = loaded();
    expect(() => db.prepare("UPDATE events SET type = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/append-only/);
  });
});

describe('verify catches direct tampering with the triggers dropped', () => {
  it('a changed payload: content changed at that event', () => {
    const { db } = loaded();
    tamper(db, `UPDATE events SET payload = json_set(payload, '$.body', 'refund granted') WHERE seq = 3`);
    expect(verifyLedger(db)).toMatchObject({ intact: false, firstBadSeq: 3, problem: 'content_changed' });
  });

  it('a changed actor or time: content changed', () => {
    const { db } = loaded();
    tamper(db, `UPDATE events SET actor = '{"id":"agent-1","kind":"human"}' WHERE seq = 4`);
    expect(verifyLedger(db)).toMatchObject({ intact: false, firstBadSeq: 4, problem: 'content_changed' });
    const other = loaded();
    tamper(other.db, `UPDATE events SET at = '2026-10-01T08:00:00.000Z' WHERE seq = 7`);
    expect(verifyLedger(other.db)).toMatchObject({ intact: false, firstBadSeq: 7, problem: 'content_changed' });
  });

  it('a row rewritten with a recomputed hash: the chain link from the next event exposes it', () => {
    const { db } = loaded();
    const row = db.prepare('SELECT * FROM events WHERE seq = 5').get() as EventRow;
    const payload = '{"comment":"Terrible","score":1}';
    const hash = eventHash({ seq: 5, ticket: row.ticket_id, type: row.type, at: row.at, recordedAt: row.recorded_at, actor: row.actor, payload, prevHash: row.prev_hash });
    tamper(db, 'UPDATE events SET payload = ?, hash = ? WHERE seq = 5', payload, hash);
    expect(verifyLedger(db)).toMatchObject({ intact: false, firstBadSeq: 5, problem: 'content_changed' });
  });

  it('a deleted event in the middle: event missing', () => {
    const { db } = loaded();
    tamper(db, 'DELETE FROM events WHERE seq = 6');
    expect(verifyLedger(db)).toMatchObject({ intact: false, firstBadSeq: 6, problem: 'event_missing' });
  });

  it('a deleted event with the rest renumbered: event missing', () => {
    const { db } = loaded();
    tamper(db, 'DELETE FROM events WHERE seq = 6');
    db.exec('UPDATE events SET seq = seq - 1 WHERE seq > 6');
    expect(verifyLedger(db)).toMatchObject({ intact: false, firstBadSeq: 6, problem: 'event_missing' });
  });

  it('the last event deleted: event missing (the recorded head remembers it)', () => {
    const { db } = loaded();
    tamper(db, 'DELETE FROM events WHERE seq = 16');
    expect(verifyLedger(db)).toMatchObject({ intact: false, firstBadSeq: 16, problem: 'event_missing' });
  });

  it('two events swapped: events reordered', () => {
    const { db } = loaded();
    db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
    db.exec(`UPDATE events SET seq = -8 WHERE seq = 8; UPDATE events SET seq = 8 WHERE seq = 9; UPDATE events SET seq = 9 WHERE seq = -8;`);
    expect(verifyLedger(db)).toMatchObject({ intact: false, firstBadSeq: 8, problem: 'events_reordered' });
  });

  it('an event inserted in the middle with a valid-looking hash: event inserted', () => {
    const { db } = loaded();
    db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
    db.exec('UPDATE events SET seq = seq + 1000 WHERE seq >= 10; UPDATE events SET seq = seq - 999 WHERE seq >= 1010;');
    const prev = db.prepare('SELECT hash FROM events WHERE seq = 9').pluck().get() as string;
    const fields = { seq: 10, ticket: 'T-2', type: 'csat', at: '2026-10-01T11:00:00.000Z', recordedAt: '2026-10-01T11:00:00.000Z', actor: '{"kind":"customer"}', payload: '{"score":5}', prevHash: prev };
    db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(10, fields.ticket, fields.type, fields.at, fields.recordedAt, fields.actor, fields.payload, prev, eventHash(fields));
    expect(verifyLedger(db)).toMatchObject({ intact: false, firstBadSeq: 10, problem: 'event_inserted' });
  });

  it('an event appended at the end outside the ledger: event inserted', () => {
    const { db } = loaded();
    const head = db.prepare('SELECT hash FROM events WHERE seq = 16').pluck().get() as string;
    const fields = { seq: 17, ticket: 'T-3', type: 'status', at: '2026-10-02T08:00:00.000Z', recordedAt: '2026-10-02T08:00:00.000Z', actor: '{"kind":"ai"}', payload: '{"by":{"kind":"ai"},"status":"solved"}', prevHash: head };
    db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(17, fields.ticket, fields.type, fields.at, fields.recordedAt, fields.actor, fields.payload, head, eventHash(fields));
    expect(verifyLedger(db)).toMatchObject({ intact: false, firstBadSeq: 17, problem: 'event_inserted' });
  });
});

describe('canonical JSON', () => {
  it('matches the canonicalize (RFC 8785) library on awkward inputs', async () => {
    const { canonicalJson } = await import('../../electron/core/ledger/hashing.ts');
    const samples: unknown[] = [
      { b: 1, a: [3, { z: null, y: 'é\u2028\u0007"\\' }], '': true, A: 1e21, c: -0, d: 0.1 + 0.2, e: 1e-7 },
      { '\u00e9': 1, e: 2, 'ä': { z: 1, a: 2 }, '10': 'x', '2': 'y', emoji: '😀' },
      [],
      { nested: { deeper: { deepest: [1, 'two', { k: false }] } }, keyOrder: { b: { b: 1, a: 1 }, a: { b: 1, a: 1 } } },
    ];
    for (const sample of samples) expect(canonicalJson(sample)).toBe(canonicalize(sample));
    expect(() => canonicalJson({ bad: '\ud800' })).toThrow(/unpaired/);
  });
});

describe('canonical actor JSON', () => {
  it('is byte-identical to RFC 8785 for every actor shape', async () => {
    const { canonicalActorJson } = await import('../../electron/core/ledger/hashing.ts');
    for (const actor of [{ kind: 'system' }, { kind: 'human', id: 'agent-4' }, { model: 'llama3.2:3b', kind: 'ai' }, { kind: 'ai', id: 'x"y', model: 'm\u2028' }]) {
      expect(canonicalActorJson(actor)).toBe(canonicalize(actor));
    }
  });
});
