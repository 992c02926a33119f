import { describe, expect, it } from 'vitest';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { checkRangeInWorker, verifyLedgerParallel } from '../../electron/core/ledger/verify-parallel.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { SMALL_FIXTURE, tamper, tempDb } from './helpers.ts';

function loaded() {
  const handle = tempDb();
  importJsonlFile(handle.db, SMALL_FIXTURE);
  return handle;
}

describe('parallel verification in worker threads', () => {
  it('agrees with the sequential check on an intact chain', async () => {
    const { db, path } = loaded();
    const parallel = await verifyLedgerParallel(db, path, { threads: 3, minEvents: 0 });
    const sequential = verifyLedger(db);
    expect({ ...parallel, checkedAt: '' }).toEqual({ ...sequential, checkedAt: '' });
    expect(parallel.intact).toBe(true);
  });

  it('checks a slice in a real worker thread with its own read-only connection', async () => {
    const { db, path } = loaded();
    const head = db.prepare('SELECT hash FROM events WHERE seq = 10').pluck().get();
    expect(await checkRangeInWorker(path, 4, 10)).toMatchObject({ count: 7, intact: true, first: { seq: 4 }, last: { seq: 10, hash: head } });
    tamper(db, `UPDATE events SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 8`);
    expect(await checkRangeInWorker(path, 4, 10)).toMatchObject({ intact: false });
  });

  for (const [name, sql, seq, problem] of [
    ['content changed inside a slice', `UPDATE events SET payload = json_set(payload, '$.body', 'x') WHERE seq = 3`, 3, 'content_changed'],
    ['an event missing at a slice boundary', 'DELETE FROM events WHERE seq = 6', 6, 'event_missing'],
    ['the tail truncated', 'DELETE FROM events WHERE seq = 15', 15, 'event_missing'],
  ] as const) {
    it(`finds ${name} and explains it like the sequential check`, async () => {
      const { db, path } = loaded();
      tamper(db, sql);
      const status = await verifyLedgerParallel(db, path, { threads: 3, minEvents: 0 });
      expect(status).toMatchObject({ intact: false, firstBadSeq: seq, problem });
    });
  }
});
