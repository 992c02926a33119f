// LedgerRepository.iterateRange / rangeInBatches: a range of events read a batch at a time is exactly the rows of the
// range in sequence order — across batch boundaries, past the head, and across a gap or a huge number in a doctored
// ledger (where a read stepping through the numbers would never end).
import { describe, expect, it } from 'vitest';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { LedgerWriter } from '../../electron/core/ledger/ledger.ts';
import { parseEventLine } from '../../electron/core/ledger/event-lines.ts';
import { tamper, tempDb } from './helpers.ts';

const EVENTS = 12_345;

function ledgerOf(events: number): ReturnType<typeof tempDb> {
  const ledger = tempDb();
  const writer = new LedgerWriter(ledger.db, { announcesSession: false });
  ledger.db.transaction(() => {
    for (let n = 0; n < events; n++) {
      const at = new Date(Date.UTC(2026, 4, 1) + n * 1000).toISOString();
      writer.append(parseEventLine({ ticket: `T-${n % 50}`, type: 'message', at, author: { kind: 'customer', id: 'customer@example.com' }, public: true, body: `message ${n}` }), at);
    }
    writer.flush();
  })();
  return ledger;
}

const seqsOf = (rows: Iterable<readonly unknown[]>): number[] => [...rows].map((row) => row[0] as number);

describe('a range of the ledger read in batches', () => {
  it('is every row of the range, in order, across batch boundaries and past the head', () => {
    const { db } = ledgerOf(EVENTS);
    const ledger = new LedgerRepository(db);
    const all = seqsOf(db.prepare('SELECT seq FROM events ORDER BY seq').raw().all() as number[][]);
    expect(all).toHaveLength(EVENTS);
    expect(seqsOf(ledger.iterateRange(1, Number.MAX_SAFE_INTEGER))).toEqual(all);
    expect(seqsOf(ledger.iterateRange(4_990, 10_010))).toEqual(all.filter((seq) => seq >= 4_990 && seq <= 10_010));
    expect(seqsOf(ledger.iterateRange(EVENTS + 1, EVENTS + 100))).toEqual([]);
    const batches = [...ledger.rangeInBatches(1, EVENTS)];
    expect(batches.map((rows) => rows.length)).toEqual([5_000, 5_000, 2_345]);
    expect(batches.flat()).toEqual([...ledger.iterateRange(1, EVENTS)]);
  });

  it('ends at once over a doctored ledger with a gap and a huge sequence number', () => {
    const { db } = ledgerOf(20);
    tamper(db, 'DELETE FROM events WHERE seq BETWEEN 5 AND 9');
    tamper(db, 'UPDATE events SET seq = 1000000000000 WHERE seq = 20');
    const seqs = seqsOf(new LedgerRepository(db).iterateRange(1, Number.MAX_SAFE_INTEGER));
    expect(seqs).toEqual([1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 1_000_000_000_000]);
  }, 10_000);
});
