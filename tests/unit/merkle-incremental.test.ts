// The incremental Merkle tree (ledger-tree.ts) against the independent RFC 9162 routine (rfc9162-reference.ts): roots
// and proofs at random sizes and indices, across block boundaries, warm and cold; an append read as the appended
// events only; and a file changed under a warm tree — by this connection, by another one, by a rolled-back append,
// by a restore — never answered with the stale root, nor signed.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckpointRepository, MissingLeavesError } from '../../electron/core/checkpoints/checkpoint-repository.ts';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { forgetLedgerTree, ledgerRoot, ledgerTreeStatus, proveConsistency, proveInclusion } from '../../electron/core/checkpoints/ledger-proofs.ts';
import { LEDGER_TREE_BLOCK_BITS, ledgerTreeBlocks, warmLedgerTreeInBackground, type LedgerTreeBlocks } from '../../electron/core/checkpoints/ledger-tree.ts';
import { readOffThread, stopReadThreads } from '../../electron/core/handlers/read-thread.ts';
import { CheckpointRefusedError, recordCheckpoint } from '../../electron/core/checkpoints/record-checkpoint.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { AlignedSubtreeIndex, rangeRootFromIndex } from '../../electron/core/ledger/merkle.ts';
import { rewriteChainFrom, tamper, tempDb, tempDir } from './helpers.ts';
import { MTH, PATH, PROOF, rfcLeaf, rfcVerifyConsistency, rfcVerifyInclusion, sha256 } from './rfc9162-reference.ts';

const BLOCK = 2 ** LEDGER_TREE_BLOCK_BITS;
const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Events with made-up hashes, inserted straight into the table: the tree reads only each event's seq and hash, so
 * these tests need no chain (the checkpoint tests below use a ledger written by the app).
 */
function appendSynthetic(db: Db, hashes: Buffer[], count: number, salt: string): void {
  const insert = db.prepare("INSERT INTO events (seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash) VALUES (?, NULL, 'synthetic', ?, ?, 'test', '{}', ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const seq = hashes.length + 1;
      const hash = sha256(Buffer.from(`${salt} ${seq}`));
      const at = new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString();
      insert.run(seq, at, at, hashes.at(-1)?.toString('hex') ?? '0'.repeat(64), hash.toString('hex'));
      hashes.push(hash);
    }
  })();
}

function syntheticLedger(count: number): { db: Db; path: string; hashes: Buffer[] } {
  const { db, path } = tempDb();
  const hashes: Buffer[] = [];
  appendSynthetic(db, hashes, count, 'original');
  return { db, path, hashes };
}

/** The leaf hashes as stored now, read through a separate plain connection (not the app's repository). */
function storedLeaves(path: string): Buffer[] {
  const raw = new Database(path, { readonly: true });
  try {
    return (raw.prepare('SELECT hash FROM events ORDER BY seq').pluck().all() as string[]).map((h) => Buffer.from(h, 'hex'));
  } finally {
    raw.close();
  }
}

/**
 * The leaf hashes as stored now, read with plain SQL on the app's own connection: a test of this connection's own
 * edits must not open another one (a connection the test opens on the file counts as a change by another
 * connection to SQLite, which would rebuild the tree for a reason other than the one under test).
 */
function leavesOn(db: Db): Buffer[] {
  return (db.prepare('SELECT hash FROM events ORDER BY seq').pluck().all() as string[]).map((h) => Buffer.from(h, 'hex'));
}

/** Deletes an event from another connection and puts the append-only triggers back, as a careful attacker would. */
function deleteWithTriggersRestored(path: string, seq: number): void {
  const raw = new Database(path);
  try {
    raw.exec('DROP TRIGGER events_no_delete');
    raw.prepare('DELETE FROM events WHERE seq = ?').run(seq);
    raw.exec("CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END");
  } finally {
    raw.close();
  }
}

/** Appends events through a connection of its own, as an import job or another process does (triggers untouched). */
function appendFromAnotherConnection(path: string, hashes: Buffer[], count: number, salt: string): void {
  const other = new Database(path) as unknown as Db;
  try {
    appendSynthetic(other, hashes, count, salt);
  } finally {
    other.close();
  }
}

/** Counts the leaves the app reads from the database from now on (until the mocks are restored). */
function countLeavesRead(): { read: number } {
  const counter = { read: 0 };
  const original = CheckpointRepository.prototype.leafHashes;
  vi.spyOn(CheckpointRepository.prototype, 'leafHashes').mockImplementation(function* (this: CheckpointRepository, ...args: Parameters<typeof original>) {
    for (const leaf of original.apply(this, args)) {
      counter.read++;
      yield leaf;
    }
  });
  return counter;
}

/** Counts the leaves the app reads from the database while `work` runs. */
function leavesReadDuring(work: () => void): number {
  const counter = countLeavesRead();
  try {
    work();
  } finally {
    vi.restoreAllMocks();
  }
  return counter.read;
}

function expectProofsMatchReference(db: Db, hashes: readonly Buffer[], size: number, leafIndexes: readonly number[]): void {
  const d = hashes.slice(0, size);
  const root = MTH(d);
  expect(ledgerRoot(db, size).toString('hex'), `root of ${size}`).toBe(root.toString('hex'));
  for (const m of leafIndexes) {
    const proof = proveInclusion(db, m + 1, size);
    expect(proof.rootHash, `root with leaf ${m} of ${size}`).toBe(root.toString('hex'));
    expect(proof.proof, `PATH(${m}, D[${size}])`).toEqual(hex(PATH(m, d)));
    expect(rfcVerifyInclusion(m, size, rfcLeaf(d[m]!), proof.proof.map((h) => Buffer.from(h, 'hex')), root)).toBe(true);
  }
}

describe('aligned subtree index', () => {
  it('gives MTH(D[start:end]) for every kind of range, with any block size, from block roots computed by the RFC routine', () => {
    const all = Array.from({ length: 300 }, (_, i) => sha256(Buffer.from(`leaf ${i}`)));
    const leafHashes = all.map(rfcLeaf);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (bits, covered, a, b) => {
        const index = new AlignedSubtreeIndex(bits);
        const block = 2 ** bits;
        for (let start = 0; start + block <= covered; start += block) index.appendBlockRoot(MTH(all.slice(start, start + block)));
        expect(index.coveredLeaves).toBe(Math.floor(covered / block) * block);
        const [start, end] = a <= b ? [a, b] : [b, a];
        const root = rangeRootFromIndex(index, start, end, (s, e) => leafHashes.slice(s, e));
        expect(root.toString('hex')).toBe(MTH(all.slice(start, end)).toString('hex'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('incremental ledger tree', () => {
  it('gives the RFC 9162 roots and proofs at random sizes and indices, across block boundaries, warm and cold alike', () => {
    const { db, hashes } = syntheticLedger(5 * BLOCK + 77);
    const head = hashes.length;
    const sizes = [1, 2, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 2 * BLOCK + 1, 4 * BLOCK - 1, 4 * BLOCK, 4 * BLOCK + 1, head - 1, head];
    const warm = new Map<string, unknown>();
    for (const size of sizes) {
      const indexes = [...new Set([0, size - 1, Math.floor(size / 2), Math.min(size - 1, BLOCK - 1), Math.min(size - 1, BLOCK)])];
      expectProofsMatchReference(db, hashes, size, indexes);
      warm.set(`root ${size}`, ledgerRoot(db, size).toString('hex'));
      for (const m of indexes) warm.set(`incl ${m} ${size}`, proveInclusion(db, m + 1, size));
    }
    expect(ledgerTreeStatus(db)).toMatchObject({ coveredEvents: 5 * BLOCK, blockSize: BLOCK });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: head }), fc.nat(), fc.nat(), (size, m, from) => {
        expectProofsMatchReference(db, hashes, size, [m % size]);
        const fromSize = 1 + (from % size);
        const consistency = proveConsistency(db, fromSize, size);
        expect(consistency.proof, `PROOF(${fromSize}, D[${size}])`).toEqual(hex(PROOF(fromSize, hashes.slice(0, size))));
        const proof = consistency.proof.map((h) => Buffer.from(h, 'hex'));
        expect(rfcVerifyConsistency(fromSize, size, MTH(hashes.slice(0, fromSize)), MTH(hashes.slice(0, size)), proof)).toBe(true);
      }),
      { numRuns: 25 },
    );
    // Cold: the tree dropped and rebuilt from the events gives the very same answers.
    forgetLedgerTree(db);
    expect(ledgerTreeStatus(db)).toBeNull();
    for (const size of sizes) {
      expect(ledgerRoot(db, size).toString('hex')).toBe(warm.get(`root ${size}`));
      forgetLedgerTree(db);
      const indexes = [...new Set([0, size - 1, Math.floor(size / 2), Math.min(size - 1, BLOCK - 1), Math.min(size - 1, BLOCK)])];
      for (const m of indexes) expect(proveInclusion(db, m + 1, size)).toEqual(warm.get(`incl ${m} ${size}`));
    }
  });

  it('reads only the appended events and at most two partial blocks once built, and a cold start reads them all', () => {
    const { db, hashes } = syntheticLedger(12 * BLOCK + 5);
    expect(leavesReadDuring(() => ledgerRoot(db, hashes.length))).toBeGreaterThanOrEqual(hashes.length);
    for (const appended of [10, 1, BLOCK - 20, 3 * BLOCK + 9]) {
      appendSynthetic(db, hashes, appended, 'more');
      const head = hashes.length;
      let proof: ReturnType<typeof proveInclusion> | undefined;
      const read = leavesReadDuring(() => {
        proof = proveInclusion(db, 1 + Math.floor(head / 3), head);
      });
      // The new events, plus the proven event's own block and the partial block at the head.
      expect(read, `after appending ${appended}`).toBeLessThanOrEqual(appended + 2 * BLOCK);
      expect(read).toBeLessThan(head / 2);
      expect(proof!.rootHash).toBe(MTH(hashes).toString('hex'));
      expect(ledgerTreeStatus(db)!.coveredEvents).toBe(Math.floor(head / BLOCK) * BLOCK);
    }
    forgetLedgerTree(db);
    expect(leavesReadDuring(() => ledgerRoot(db, hashes.length))).toBeGreaterThanOrEqual(hashes.length);
  });
});

describe('incremental ledger tree warmed in the background', () => {
  it('covers the ledger slice by slice, after which a root reads at most the last partial block, and writes nothing', async () => {
    const { db, path, hashes } = syntheticLedger(10 * BLOCK + 100);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const fileBefore = readFileSync(path);
    const warming = warmLedgerTreeInBackground(db, { sliceEvents: BLOCK, pauseMs: 0 });
    await vi.waitFor(() => expect(ledgerTreeStatus(db)?.coveredEvents).toBe(10 * BLOCK), { timeout: 5000, interval: 5 });
    expect(leavesReadDuring(() => expect(ledgerRoot(db, hashes.length).toString('hex')).toBe(MTH(hashes).toString('hex')))).toBeLessThan(BLOCK);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(path).equals(fileBefore)).toBe(true);
    // Another connection appends two blocks (an import job's, say): nudged, the warming reads those events, not the
    // next request — and not the ten blocks it already covers.
    appendFromAnotherConnection(path, hashes, 2 * BLOCK, 'job');
    const counter = countLeavesRead();
    warming.nudge();
    await vi.waitFor(() => expect(ledgerTreeStatus(db)?.coveredEvents).toBe(12 * BLOCK), { timeout: 5000, interval: 5 });
    expect(counter.read).toBeLessThanOrEqual(2 * BLOCK + 100);
    counter.read = 0;
    expect(ledgerRoot(db, hashes.length).toString('hex')).toBe(MTH(hashes).toString('hex'));
    expect(counter.read).toBeLessThan(BLOCK);
    warming.stop();
  });

  it('stops at a missing event instead of trying again and again, and when told to', async () => {
    const { db, path } = syntheticLedger(6 * BLOCK);
    deleteWithTriggersRestored(path, 3 * BLOCK + 7);
    const steps = vi.spyOn(CheckpointRepository.prototype, 'schemaVersion');
    warmLedgerTreeInBackground(db, { sliceEvents: BLOCK, pauseMs: 0 });
    await vi.waitFor(() => expect(ledgerTreeStatus(db)?.coveredEvents).toBe(3 * BLOCK), { timeout: 5000, interval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const settled = steps.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(steps.mock.calls.length).toBe(settled);
    // Stopped before its first slice: nothing is read.
    forgetLedgerTree(db);
    warmLedgerTreeInBackground(db, { pauseMs: 0 }).stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ledgerTreeStatus(db)).toBeNull();
  });
});

describe('incremental ledger tree warmed on a read thread', () => {
  const onReadThread =
    (db: Db, path: string) =>
    (input: { fromLeaf: number; maxBlocks: number }): Promise<LedgerTreeBlocks> =>
      readOffThread(db, path, 'ledger.treeBlocks', input).then((json) => json.parse());

  it("adopts block roots read and hashed on the thread: this thread reads no leaf, and the roots are RFC 9162's", async () => {
    const { db, path, hashes } = syntheticLedger(10 * BLOCK + 100);
    try {
      const counter = countLeavesRead();
      const warming = warmLedgerTreeInBackground(db, { sliceEvents: 3 * BLOCK, pauseMs: 0, readBlocksElsewhere: onReadThread(db, path), elsewhereFromEvents: 0 });
      await vi.waitFor(() => expect(ledgerTreeStatus(db)?.coveredEvents).toBe(10 * BLOCK), { timeout: 10_000, interval: 5 });
      // Another connection appends two blocks: nudged, the thread reads them.
      appendFromAnotherConnection(path, hashes, 2 * BLOCK, 'job');
      warming.nudge();
      await vi.waitFor(() => expect(ledgerTreeStatus(db)?.coveredEvents).toBe(12 * BLOCK), { timeout: 10_000, interval: 5 });
      expect(counter.read).toBe(0);
      // Every root from here reads at most the leaves after the last complete block, and is the reference's.
      for (const size of [1, BLOCK, 5 * BLOCK + 3, 12 * BLOCK, hashes.length]) {
        expect(ledgerRoot(db, size).toString('hex')).toBe(MTH(hashes.slice(0, size)).toString('hex'));
      }
      expect(counter.read).toBeLessThan(2 * BLOCK);
      warming.stop();
    } finally {
      stopReadThreads(path);
    }
  });

  it('hashes a short remainder on this thread (no read thread started for it) and a long one on the thread', async () => {
    const { db, path, hashes } = syntheticLedger(3 * BLOCK + 5);
    let asked = 0;
    const counting = (input: { fromLeaf: number; maxBlocks: number }): Promise<LedgerTreeBlocks> => {
      asked++;
      return Promise.resolve(ledgerTreeBlocks(db, input));
    };
    // The default: fewer than 16,384 events left are a few slices here.
    const warming = warmLedgerTreeInBackground(db, { pauseMs: 0, readBlocksElsewhere: counting });
    await vi.waitFor(() => expect(ledgerTreeStatus(db)?.coveredEvents).toBe(3 * BLOCK), { timeout: 10_000, interval: 5 });
    expect(asked).toBe(0);
    // A remainder of 4 blocks and more (as set here) goes elsewhere; what is left after it is hashed here again.
    warming.stop();
    appendFromAnotherConnection(path, hashes, 6 * BLOCK, 'job');
    warmLedgerTreeInBackground(db, { sliceEvents: 3 * BLOCK, pauseMs: 0, readBlocksElsewhere: counting, elsewhereFromEvents: 4 * BLOCK });
    await vi.waitFor(() => expect(ledgerTreeStatus(db)?.coveredEvents).toBe(9 * BLOCK), { timeout: 10_000, interval: 5 });
    expect(asked).toBe(1);
    for (const size of [BLOCK + 1, 6 * BLOCK, hashes.length]) expect(ledgerRoot(db, size).toString('hex')).toBe(MTH(hashes.slice(0, size)).toString('hex'));
  });

  it('drops roots that do not continue the tree (another ledger read, or the tree grown by a request meanwhile)', async () => {
    const { db, hashes } = syntheticLedger(6 * BLOCK);
    // Roots of another ledger, as long: the last hash they cover is not this ledger's.
    const other = tempDb();
    appendSynthetic(other.db, [], 6 * BLOCK, 'another');
    let asked = 0;
    const foreign = async (input: { fromLeaf: number; maxBlocks: number }): Promise<LedgerTreeBlocks> => {
      asked++;
      return ledgerTreeBlocks(other.db, input);
    };
    warmLedgerTreeInBackground(db, { sliceEvents: 2 * BLOCK, pauseMs: 0, readBlocksElsewhere: foreign, elsewhereFromEvents: 0 });
    await vi.waitFor(() => expect(asked).toBe(1), { timeout: 5000, interval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Not adopted, and not asked again and again.
    expect(asked).toBe(1);
    expect(ledgerTreeStatus(db)?.coveredEvents ?? 0).toBe(0);
    expect(ledgerRoot(db, hashes.length).toString('hex')).toBe(MTH(hashes).toString('hex'));

    // A request extends the tree while a slice is being read elsewhere: that slice is dropped, warming goes on from
    // where the request left the tree, and every root stays the reference's.
    const grown = syntheticLedger(9 * BLOCK + 5);
    let first = true;
    const overtaken = async (input: { fromLeaf: number; maxBlocks: number }): Promise<LedgerTreeBlocks> => {
      const blocks = ledgerTreeBlocks(grown.db, input);
      if (first) {
        first = false;
        ledgerRoot(grown.db, 4 * BLOCK + 1);
      }
      return blocks;
    };
    warmLedgerTreeInBackground(grown.db, { sliceEvents: 2 * BLOCK, pauseMs: 0, readBlocksElsewhere: overtaken, elsewhereFromEvents: 0 });
    await vi.waitFor(() => expect(ledgerTreeStatus(grown.db)?.coveredEvents).toBe(9 * BLOCK), { timeout: 5000, interval: 5 });
    for (const size of [BLOCK + 1, 4 * BLOCK, 7 * BLOCK + 2, grown.hashes.length]) {
      expect(ledgerRoot(grown.db, size).toString('hex')).toBe(MTH(grown.hashes.slice(0, size)).toString('hex'));
    }
  });
});

describe('incremental ledger tree under a changed file', () => {
  it('refuses a root or proof past a missing event, inside a chunk of reads or after it, warm or cold', () => {
    const { db } = syntheticLedger(4200);
    ledgerRoot(db, 4200);
    tamper(db, 'DELETE FROM events WHERE seq = ?', 3000);
    expect(() => ledgerRoot(db, 4200)).toThrow(MissingLeavesError);
    expect(() => proveInclusion(db, 4100, 4200)).toThrow('event #3000 is missing (the next event is #3001)');
    // Before the gap everything still answers.
    expect(ledgerRoot(db, 2999).toString('hex')).toBe(MTH(leavesOn(db).slice(0, 2999)).toString('hex'));
    // A gap running past the end of a chunk of reads (4096 hashes): the first event after it is named.
    tamper(db, 'DELETE FROM events WHERE seq BETWEEN 10 AND 4150');
    forgetLedgerTree(db);
    expect(() => ledgerRoot(db, 4200)).toThrow('event #10 is missing (the next event is #4151)');
    expect(proveInclusion(db, 9, 9).rootHash).toBe(MTH(leavesOn(db).slice(0, 9)).toString('hex'));
  });

  it('answers with the events as they are after this connection drops the triggers and edits, and caches nothing while they are gone', () => {
    const { db, hashes } = syntheticLedger(4 * BLOCK + 30);
    const before = ledgerRoot(db, hashes.length);
    tamper(db, 'UPDATE events SET hash = ? WHERE seq = ?', 'ab'.repeat(32), 5);
    const afterFirst = leavesOn(db);
    expect(afterFirst[4]!.toString('hex')).toBe('ab'.repeat(32));
    expect(ledgerRoot(db, hashes.length).toString('hex')).toBe(MTH(afterFirst).toString('hex'));
    expect(ledgerRoot(db, hashes.length).equals(before)).toBe(false);
    // The triggers stay dropped: the next edit changes no schema, so nothing may be cached meanwhile.
    tamper(db, 'UPDATE events SET hash = ? WHERE seq = ?', 'cd'.repeat(32), 2 * BLOCK + 3);
    const afterSecond = leavesOn(db);
    expect(proveInclusion(db, 2 * BLOCK + 3, hashes.length).rootHash).toBe(MTH(afterSecond).toString('hex'));
    expect(ledgerTreeStatus(db)).toBeNull();
  });

  it('is never asked to follow a REPLACE of an event by another connection: the ledger refuses it (migration 023)', () => {
    const { db, path, hashes } = syntheticLedger(4 * BLOCK + 30);
    const root = ledgerRoot(db, hashes.length);
    const raw = new Database(path);
    const schemaBefore = raw.pragma('schema_version', { simple: true });
    // SQLite's REPLACE deletes the old row without firing the delete trigger (it does only with recursive_triggers):
    // before migration 023 this changed an event with every trigger intact and the schema untouched.
    expect(() =>
      raw
        .prepare("INSERT OR REPLACE INTO events (seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash) VALUES (?, NULL, 'synthetic', 'x', 'x', 'x', '{}', 'x', ?)")
        .run(BLOCK + 1, 'ef'.repeat(32)),
    ).toThrow(/REPLACE of an existing event refused/);
    expect(raw.pragma('schema_version', { simple: true })).toBe(schemaBefore);
    raw.close();
    const leaves = storedLeaves(path);
    expect(leaves[BLOCK]!.equals(hashes[BLOCK]!)).toBe(true);
    expect(ledgerRoot(db, hashes.length).equals(root)).toBe(true);
    expect(ledgerRoot(db, hashes.length).toString('hex')).toBe(MTH(leaves).toString('hex'));
    expect(proveInclusion(db, 1, hashes.length).proof).toEqual(hex(PATH(0, leaves)));
  });

  it('rebuilds after an append that the cache covered was rolled back', () => {
    const { db, hashes } = syntheticLedger(3 * BLOCK + 10);
    ledgerRoot(db, hashes.length);
    const coverThenRollBack = (count: number): void => {
      const rolledBack = [...hashes];
      expect(() =>
        db.transaction(() => {
          appendSynthetic(db, rolledBack, count, `rolled back ${count}`);
          expect(ledgerRoot(db, rolledBack.length).toString('hex')).toBe(MTH(rolledBack).toString('hex'));
          expect(ledgerTreeStatus(db)!.coveredEvents).toBe(Math.floor(rolledBack.length / BLOCK) * BLOCK);
          throw new Error('abort the write');
        })(),
      ).toThrow('abort the write');
    };
    // Other events committed at the positions the cache covered.
    coverThenRollBack(2 * BLOCK);
    appendSynthetic(db, hashes, 2 * BLOCK + 1, 'committed');
    expect(ledgerRoot(db, hashes.length).toString('hex')).toBe(MTH(leavesOn(db)).toString('hex'));
    // The ledger shorter than what the cache covered.
    coverThenRollBack(BLOCK);
    expect(ledgerRoot(db, hashes.length).toString('hex')).toBe(MTH(leavesOn(db)).toString('hex'));
    expect(proveInclusion(db, hashes.length, hashes.length).proof).toEqual(hex(PATH(hashes.length - 1, hashes)));
  });

  it('extends across the commits of other connections (job threads, another process), reading only their events, to the roots and proofs of a tree built from scratch', () => {
    const { db, path, hashes } = syntheticLedger(6 * BLOCK + 40);
    expect(ledgerRoot(db, hashes.length).toString('hex')).toBe(MTH(hashes).toString('hex'));
    // Appends of every size, each committed by a connection of its own, with this connection's reads in between;
    // one of them by this connection itself.
    for (const [count, byOther] of [[3, true], [BLOCK - 43, true], [1, false], [4 * BLOCK + 17, true], [BLOCK, true], [2, false], [BLOCK - 1, true]] as const) {
      if (byOther) appendFromAnotherConnection(path, hashes, count, `other ${count}`);
      else appendSynthetic(db, hashes, count, `own ${count}`);
      const head = hashes.length;
      const read = leavesReadDuring(() => expectProofsMatchReference(db, hashes, head, [0, head - 1, Math.floor(head / 2)]));
      // The appended events, plus at most the partial block at the head and the proven events' own blocks.
      expect(read, `after ${count} appended by ${byOther ? 'another connection' : 'this one'}`).toBeLessThanOrEqual(count + 4 * BLOCK);
      expect(ledgerTreeStatus(db)!.coveredEvents).toBe(Math.floor(head / BLOCK) * BLOCK);
    }
    const head = hashes.length;
    const sizes = [1, BLOCK, 6 * BLOCK + 40, 6 * BLOCK + 43, 7 * BLOCK + 1, head - 1, head];
    const extended = sizes.map((size) => ledgerRoot(db, size).toString('hex'));
    const consistency = proveConsistency(db, 6 * BLOCK + 40, head).proof;
    // The same answers from a tree built from the stored events, and from the RFC routine over them.
    forgetLedgerTree(db);
    expect(sizes.map((size) => ledgerRoot(db, size).toString('hex'))).toEqual(extended);
    expect(extended).toEqual(sizes.map((size) => MTH(storedLeaves(path).slice(0, size)).toString('hex')));
    expect(consistency).toEqual(hex(PROOF(6 * BLOCK + 40, storedLeaves(path))));
  });

  it('rebuilds when another connection rewrites the events it covers, triggers put back, even with the head unchanged', () => {
    const { db, path, hashes } = syntheticLedger(5 * BLOCK + 9);
    ledgerRoot(db, hashes.length);
    appendFromAnotherConnection(path, hashes, 30, 'job');
    ledgerRoot(db, hashes.length);
    // Event #7's hash changed and every later one re-hashed, as a careful rewrite would leave it.
    const raw = new Database(path);
    raw.exec('DROP TRIGGER events_no_update');
    const update = raw.prepare('UPDATE events SET hash = ? WHERE seq = ?');
    raw.transaction(() => {
      for (let seq = 7; seq <= hashes.length; seq++) update.run(sha256(Buffer.from(`rewritten ${seq}`)).toString('hex'), seq);
    })();
    raw.exec("CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END");
    raw.close();
    const leaves = storedLeaves(path);
    expect(leaves[6]!.equals(hashes[6]!)).toBe(false);
    expect(ledgerRoot(db, hashes.length).toString('hex')).toBe(MTH(leaves).toString('hex'));
    expect(proveInclusion(db, 3, hashes.length).proof).toEqual(hex(PATH(2, leaves)));
  });

  it('rebuilds after another ledger is restored into the open file', async () => {
    const { db, path, hashes } = syntheticLedger(3 * BLOCK + 10);
    ledgerRoot(db, hashes.length);
    const other = syntheticLedger(0);
    appendSynthetic(other.db, other.hashes, 3 * BLOCK + 40, 'another ledger');
    await other.db.backup(path);
    expect(ledgerRoot(db, other.hashes.length).toString('hex')).toBe(MTH(other.hashes).toString('hex'));
    expect(proveConsistency(db, 7, other.hashes.length).proof).toEqual(hex(PROOF(7, other.hashes)));
  });
});

describe('checkpoints under a warm tree', () => {
  /** A ledger written by the app's own writer: `tickets` tickets of 7 events each. */
  function appLedger(tickets: number, from = 1): { db: Db; path: string } {
    const { db, path } = tempDb();
    appendTickets(db, tickets, from);
    return { db, path };
  }
  function appendTickets(db: Db, tickets: number, from: number): void {
    const lines: Record<string, unknown>[] = [];
    for (let t = from; t < from + tickets; t++) {
      const at = (minute: number): string => new Date(Date.UTC(2026, 9, 1, 9) + (t * 10 + minute) * 60_000).toISOString();
      lines.push({ ticket: `T-${t}`, type: 'created', at: at(0), channel: 'email', priority: 'normal', category: 'billing', subject: `Ticket ${t}`, requester: `c-${t}` });
      for (let i = 1; i <= 6; i++) lines.push({ ticket: `T-${t}`, type: 'message', at: at(i), author: { kind: 'customer', id: `c-${t}` }, public: true, body: `message ${i}` });
    }
    recordEvents(db, lines);
  }
  const checkpointRoots = (path: string): string[] => {
    const raw = new Database(path, { readonly: true });
    try {
      return (raw.prepare("SELECT payload FROM events WHERE type = 'checkpoint' ORDER BY seq").pluck().all() as string[]).map((p) => (JSON.parse(p) as { rootHash: string }).rootHash);
    } finally {
      raw.close();
    }
  };

  it('signs the root the events give after appends, and refuses once another connection rewrites the chain', { timeout: 30_000 }, () => {
    const key = loadOrCreateInstallationKey({ dir: tempDir() });
    const { db, path } = appLedger(60);
    const first = recordCheckpoint(db, key);
    expect(first.rootHash).toBe(MTH(leavesOn(db).slice(0, first.treeSize)).toString('base64'));
    appendTickets(db, 40, 61);
    const second = recordCheckpoint(db, key);
    expect(second.treeSize).toBeGreaterThan(2 * BLOCK);
    expect(second.rootHash).toBe(MTH(leavesOn(db).slice(0, second.treeSize)).toString('base64'));
    expect(ledgerTreeStatus(db)!.coveredEvents).toBeGreaterThan(0);
    // A careful rewrite from event #100 on, by another connection, triggers restored: the stored checkpoints no longer
    // match, so signing is refused — never the warm tree's old root.
    rewriteChainFrom(path, 100, "UPDATE events SET payload = json_set(payload, '$.body', 'rewritten') WHERE seq = ?");
    expect(() => recordCheckpoint(db, key)).toThrow(CheckpointRefusedError);
    expect(() => recordCheckpoint(db, key)).toThrow(/history was rewritten/);
    expect(checkpointRoots(path)).toEqual([first.rootHash, second.rootHash]);
  });

  it('with no checkpoint stored yet, signs the edited events’ root, not the one the tree was warmed with', { timeout: 30_000 }, () => {
    const key = loadOrCreateInstallationKey({ dir: tempDir() });
    // Edited on this very connection (triggers dropped).
    const own = appLedger(45);
    const ownHead = leavesOn(own.db).length;
    const ownWarm = ledgerRoot(own.db, ownHead).toString('base64');
    tamper(own.db, 'UPDATE events SET hash = ? WHERE seq = ?', '12'.repeat(32), ownHead - 1);
    const ownSigned = recordCheckpoint(own.db, key, new Date(), ownHead);
    expect(ownSigned.rootHash).not.toBe(ownWarm);
    expect(ownSigned.rootHash).toBe(MTH(leavesOn(own.db).slice(0, ownHead)).toString('base64'));
    // Rewritten by another connection, triggers restored.
    const other = appLedger(45);
    const otherHead = leavesOn(other.db).length;
    const otherWarm = ledgerRoot(other.db, otherHead).toString('base64');
    rewriteChainFrom(other.path, 3, "UPDATE events SET payload = json_set(payload, '$.body', 'rewritten') WHERE seq = ?");
    const otherSigned = recordCheckpoint(other.db, key, new Date(), otherHead);
    expect(otherSigned.rootHash).not.toBe(otherWarm);
    expect(otherSigned.rootHash).toBe(MTH(storedLeaves(other.path).slice(0, otherHead)).toString('base64'));
  });
});
