// joinRanges (electron/core/ledger/verify-range.ts): the checks of consecutive slices of a stretch, taken as one check
// of the stretch. Checked against the whole stretch checked in one go, and against parts that do not link.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { checkRange, joinRanges, type RangeCheck } from '../../electron/core/ledger/verify-range.ts';

describe('joinRanges', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-join-ranges-'));
  let db: Db;
  beforeAll(() => {
    db = openDatabase(join(dir, 'ledger.db'));
    writeDemoHistory(db, { tickets: 20, seed: 5, accounts: false });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the whole stretch’s check for its slices, whatever their size', () => {
    const head = db.prepare('SELECT max(seq) FROM events').pluck().get() as number;
    expect(head).toBeGreaterThan(50);
    const whole = checkRange(db, 3, head);
    for (const size of [1, 7, 50, head]) {
      const parts: RangeCheck[] = [];
      for (let start = 3; start <= head; start += size) parts.push(checkRange(db, start, Math.min(head, start + size - 1)));
      expect(joinRanges(parts)).toEqual(whole);
    }
    expect(whole).toMatchObject({ intact: true, count: head - 2 });
  });

  it('is broken when parts do not follow each other or do not link, and skips empty parts', () => {
    const a = checkRange(db, 1, 10);
    const b = checkRange(db, 11, 20);
    const c = checkRange(db, 21, 30);
    const empty: RangeCheck = { count: 0, first: null, last: null, intact: true };
    expect(joinRanges([a, empty, b, c])).toEqual(checkRange(db, 1, 30));
    expect(joinRanges([a, c]).intact).toBe(false); // 11..20 missing
    expect(joinRanges([b, a]).intact).toBe(false); // out of order
    expect(joinRanges([a, { ...b, first: { seq: 11, prevHash: 'f'.repeat(64) } }]).intact).toBe(false); // not linked
    expect(joinRanges([a, { ...b, intact: false }, c]).intact).toBe(false);
    expect(joinRanges([])).toEqual(empty);
  });
});
