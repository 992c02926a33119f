// Closing the console while its whole-file checks run: the checks are asked to stop (never killed inside a SQLite
// call) and close waits until no thread of the process holds the file any more. Read from the operating system's
// own table of open files (/proc/self/fd), not from what the monitor says about itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { ChainMonitor } from '../../electron/core/verification/chain-monitor.ts';
import { verifyDatabaseFile } from '../../electron/core/verification/verify-database.ts';
import { VerificationStopped } from '../../electron/core/ledger/verify-range.ts';
import { openCore } from '../../electron/core/service.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import type { ChainMonitorStatus } from '../../shared/contract.ts';
import { handlesOn } from '../support/file-handles.ts';

const linux = process.platform === 'linux';

/** Resolves once some thread of this process has the file open (polled as fast as the event loop turns). */
async function someThreadHolds(path: string): Promise<void> {
  while (handlesOn(path).length === 0) await new Promise((resolve) => setImmediate(resolve));
}

/** Tells the monitor the ledger changed and resolves with its status once the increment has counted new events. */
async function incrementAfterChange(monitor: ChainMonitor, opened: ChainMonitorStatus): Promise<ChainMonitorStatus> {
  monitor.ledgerChanged();
  let grown = monitor.status();
  while (grown.verifiedEvents === opened.verifiedEvents) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    grown = monitor.status();
  }
  return grown;
}

function demoLedger(dir: string, tickets: number): string {
  const path = join(dir, 'demo.db');
  const db = openDatabase(path);
  writeDemoHistory(db, { tickets, seed: 3, accounts: false });
  db.close();
  return path;
}

describe.skipIf(!linux)('closing the console during its checks', () => {
  // One small demo for every case: each only reads it (the checks are read-only, the core is closed unused).
  const dir = mkdtempSync(join(tmpdir(), 'attest-close-'));
  let path = '';
  beforeAll(() => {
    path = demoLedger(dir, 60);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of the demo under a monitor of its own, after the monitor's first full check. */
  async function verifiedCopy(name: string, options: ConstructorParameters<typeof ChainMonitor>[1]) {
    const copy = join(dir, name);
    const source = openDatabase(path);
    await source.backup(copy);
    source.close();
    const monitor = new ChainMonitor(copy, options);
    monitor.start();
    const opened = await monitor.verifyNow();
    return { copy, monitor, opened };
  }

  it('close() returns only once the running check has stopped and closed the file', async () => {
    expect(handlesOn(path)).toEqual([]);
    const monitor = new ChainMonitor(path, { pollIntervalMs: 0 });
    monitor.start();
    await someThreadHolds(path); // a check's thread has the file open: it is mid-check
    monitor.close();
    expect(handlesOn(path)).toEqual([]);
  });

  it('closeAsync() resolves once the deep check has stopped and closed the file, and the core closes its own connection', async () => {
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    const deepRunning = new Promise<void>((resolve) => core.subscribe('chain.status', (status) => status.deep?.state === 'running' && resolve()));
    await deepRunning;
    await core.closeAsync();
    expect(handlesOn(path)).toEqual([]);
  });

  it('a large increment is hashed in a thread of its own; its verdict extends the full check, and close waits for it', async () => {
    const statuses: ChainMonitorStatus[] = [];
    const { copy, monitor, opened } = await verifiedCopy('increment.db', { pollIntervalMs: 0, incrementInThreadEvents: 1, deepCheck: false, onStatus: (status) => statuses.push(status) });
    expect(opened.state).toBe('verified');
    const append = (ticket: string): void => {
      const writer = openDatabase(copy);
      importJsonlText(writer, 'more.jsonl', `${JSON.stringify({ ticket, type: 'created', at: '2026-10-05T09:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: 'Increment', requester: 'c-1' })}\n`);
      writer.close();
    };
    append('INC-1');
    monitor.ledgerChanged();
    let grown = monitor.status();
    while (grown.verifiedEvents === opened.verifiedEvents) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      grown = monitor.status();
    }
    // An increment, not a second full check: the full check's time stands, the count grew by what was appended.
    expect(grown).toMatchObject({ state: 'verified', fullCheckAt: opened.fullCheckAt, status: { intact: true } });
    expect(grown.verifiedEvents).toBe(grown.status!.eventCount);
    expect(grown.verifiedEvents).toBeGreaterThan(opened.verifiedEvents);
    append('INC-2');
    monitor.ledgerChanged();
    await someThreadHolds(copy);
    monitor.close();
    expect(handlesOn(copy)).toEqual([]);
    expect(statuses.some((status) => status.state === 'broken' || status.state === 'failed')).toBe(false);
  });

  it("an increment on the console's thread reads what was appended, never the ledger's size", async () => {
    const { copy, monitor, opened } = await verifiedCopy('no-count.db', { pollIntervalMs: 0, deepCheck: false });
    const writer = openDatabase(copy);
    importJsonlText(writer, 'more.jsonl', `${JSON.stringify({ ticket: 'CNT-1', type: 'created', at: '2026-10-05T09:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: 'Count', requester: 'c-1' })}\n`);
    const total = writer.prepare('SELECT count(*) FROM events').pluck().get() as number;
    writer.close();
    // Every statement this thread prepares meanwhile (the increment is small: it runs here, not in a thread).
    const prepared: string[] = [];
    const prepare = Database.prototype.prepare;
    Database.prototype.prepare = function (this: Database.Database, sql: string) {
      prepared.push(sql);
      return prepare.call(this, sql);
    } as typeof prepare;
    try {
      expect(await incrementAfterChange(monitor, opened)).toMatchObject({ state: 'verified', fullCheckAt: opened.fullCheckAt, status: { intact: true, eventCount: total } });
    } finally {
      Database.prototype.prepare = prepare;
      monitor.close();
    }
    expect(prepared.some((sql) => /FROM events/.test(sql))).toBe(true);
    // No count of the events table: without a WHERE it reads an index of the whole ledger (seconds at ten million);
    // with one, every event appended since (450 ms of this thread after a long verification at a million tickets).
    expect(prepared.filter((sql) => /count\(\*\)/i.test(sql) && /FROM events\b/.test(sql))).toEqual([]);
  });

  it('an increment with a number missing among the appended events is not taken: the full check says broken', async () => {
    const { copy, monitor, opened } = await verifiedCopy('gap.db', { pollIntervalMs: 0, deepCheck: false });
    expect(opened.state).toBe('verified');
    const writer = openDatabase(copy);
    const lines = [1, 2, 3].map((n) => JSON.stringify({ ticket: `GAP-${n}`, type: 'created', at: '2026-10-05T09:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: `Gap ${n}`, requester: 'c-1' }));
    importJsonlText(writer, 'more.jsonl', `${lines.join('\n')}\n`);
    // Outside Attest: the append-only triggers dropped and one appended event, not the last, deleted.
    const head = writer.prepare('SELECT max(seq) FROM events').pluck().get() as number;
    const triggers = writer.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'").pluck().all() as string[];
    for (const trigger of triggers) writer.exec(`DROP TRIGGER "${trigger}"`);
    writer.prepare('DELETE FROM events WHERE seq = ?').run(head - 1);
    writer.close();
    try {
      monitor.ledgerChanged();
      let status = monitor.status();
      for (let waited = 0; status.state !== 'broken' && waited < 20_000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        status = monitor.status();
      }
      expect(status.state).toBe('broken');
      expect(status.fullCheckAt).not.toBe(opened.fullCheckAt);
    } finally {
      monitor.close();
    }
  });

  it("an increment on the console's thread is hashed a slice at a time, the event loop turning between slices", async () => {
    const { copy, monitor, opened } = await verifiedCopy('sliced.db', { pollIntervalMs: 0, deepCheck: false, incrementSliceEvents: 10 });
    const writer = openDatabase(copy);
    const created = (n: number) => JSON.stringify({ ticket: `SLC-${n}`, type: 'created', at: '2026-10-05T09:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: `Slice ${n}`, requester: `c-${n}` });
    importJsonlText(writer, 'more.jsonl', `${Array.from({ length: 95 }, (_, i) => created(i + 1)).join('\n')}\n`);
    const total = writer.prepare('SELECT count(*) FROM events').pluck().get() as number;
    writer.close();
    // The turn of this thread's event loop at which each read of chain rows was prepared (one per slice).
    let turn = 0;
    const turnsOfReads: number[] = [];
    const prepare = Database.prototype.prepare;
    Database.prototype.prepare = function (this: Database.Database, sql: string) {
      if (/prev_hash/.test(sql) && /seq BETWEEN/.test(sql)) turnsOfReads.push(turn);
      return prepare.call(this, sql);
    } as typeof prepare;
    let turning = true;
    const turnOn = (): void => {
      turn++;
      if (turning) setImmediate(turnOn);
    };
    setImmediate(turnOn);
    try {
      expect(await incrementAfterChange(monitor, opened)).toMatchObject({ state: 'verified', fullCheckAt: opened.fullCheckAt, status: { intact: true, eventCount: total } });
    } finally {
      turning = false;
      Database.prototype.prepare = prepare;
      monitor.close();
    }
    // 95 events in slices of 10: ten reads, each at a turn of its own (in one go they would all share one turn).
    expect(turnsOfReads).toHaveLength(10);
    expect(new Set(turnsOfReads).size).toBe(10);
  });

  it('a stop request ends a verification between phases with VerificationStopped, and the file verifies in full after', async () => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(stop, 0, 1);
    await expect(verifyDatabaseFile(path, { deep: true, threads: 1, stop })).rejects.toBeInstanceOf(VerificationStopped);
    expect(handlesOn(path)).toEqual([]);
    const again = await verifyDatabaseFile(path, { deep: true, threads: 1 });
    expect(again.status.intact).toBe(true);
    expect(again.deep!.findings).toEqual([]);
  });

  it('a parallel check asked to stop rejects only once every chain thread has exited', async () => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(stop, 0, 1);
    await expect(verifyDatabaseFile(path, { threads: 2, minEvents: 1, stop })).rejects.toBeInstanceOf(VerificationStopped);
    expect(handlesOn(path)).toEqual([]);
  });
});
