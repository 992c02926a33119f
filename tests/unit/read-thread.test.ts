// The Outcomes tab's attribution and the audit's session-gap report walk every ticket / session event in scope: they
// run on a thread of their own (electron/core/handlers/read-thread.ts), so a request made after them is answered
// first — an ordering, never a timing: on the console's thread they would answer before the next request started.
// Their answers and their refusals are exactly those of the same read on the console's thread. The queue's pages have a
// thread of their own: they answer while every report thread is held by a read that has not ended.
import { mkdtempSync, rmSync } from 'node:fs';
import { BroadcastChannel } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpBridge } from '../../electron/adapters/http/server.ts';
import { isJsonText } from '../../electron/core/json-text.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { openDatabase, openReadOnly } from '../../electron/core/db/connection.ts';
import { sessionGapReport } from '../../electron/core/audit/session-gaps.ts';
import { attribution } from '../../electron/core/outcomes/attribution.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';
import { readOffThread, setReadWorkerUrl, stopReadThreads } from '../../electron/core/handlers/read-thread.ts';
import { TicketRepository } from '../../electron/core/tickets/ticket-repository.ts';
import { ticketFilterSchema } from '../../shared/contract.ts';
import { handlesOn } from '../support/file-handles.ts';

describe('reads that walk every ticket run off the console thread', () => {
  // A folder of this file's own: the helpers' temporary folders are removed after each test.
  const dir = mkdtempSync(join(tmpdir(), 'attest-read-thread-'));
  const path = join(dir, 'ledger.db');
  let core: CoreHandle;
  beforeAll(() => {
    const db = openDatabase(path);
    writeDemoHistory(db, { tickets: 300, seed: 3, accounts: false });
    db.close();
    core = openCore({ dbPath: path, role: 'supervisor', chainPollIntervalMs: 0 });
  });
  afterAll(async () => {
    await core.closeAsync();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a later request first, and gives the same attribution and gap report as on the console thread', async () => {
    const order: string[] = [];
    const slow = core.invoke('outcomes.attribution', {}).then((result) => (order.push('attribution'), result));
    const gaps = core.invoke('audit.gaps', {}).then((result) => (order.push('gaps'), result));
    const quick = core.invoke('tickets.list', { limit: 5 }).then((result) => (order.push('queue'), result));
    const [counted, gapReport, page] = await Promise.all([slow, gaps, quick]);
    expect(page.ok).toBe(true);
    expect(order[0]).toBe('queue');
    const reader = openReadOnly(path);
    try {
      // The same read as of the same instant.
      expect(counted.ok).toBe(true);
      const asOf = counted.ok ? counted.value.asOf : '';
      expect(counted).toEqual({ ok: true, value: attribution(reader, { asOf }) });
      expect(gapReport).toEqual({ ok: true, value: sessionGapReport(reader, {}) });
    } finally {
      reader.close();
    }
  });

  it('reads a page sorted or filtered by SLA state on a read thread: a plain page asked after it answers first, and the pages are the console thread’s', async () => {
    const order: string[] = [];
    const sorted = core.invoke('tickets.list', { limit: 50, offset: 20, sort: { by: 'sla', direction: 'desc' } }).then((result) => (order.push('sorted'), result));
    const filtered = core.invoke('tickets.list', { limit: 50, filter: { slaState: ['breached', 'achieved'] } }).then((result) => (order.push('filtered'), result));
    const plain = core.invoke('tickets.list', { limit: 5 }).then((result) => (order.push('plain'), result));
    const [bySla, byState] = await Promise.all([sorted, filtered, plain]);
    expect(order[0]).toBe('plain');
    const reader = openReadOnly(path);
    try {
      const tickets = new TicketRepository(reader);
      expect(bySla).toEqual({ ok: true, value: tickets.list(ticketFilterSchema.parse({}), 20, 50, { by: 'sla', direction: 'desc' }) });
      expect(byState).toEqual({ ok: true, value: tickets.list(ticketFilterSchema.parse({ slaState: ['breached', 'achieved'] }), 0, 50) });
      expect(byState.ok && byState.value.rows.length).toBeGreaterThan(0);
    } finally {
      reader.close();
    }
  });

  it('reads a search on a read thread: a plain page asked after it answers first, and the page is the console thread’s', async () => {
    const order: string[] = [];
    const word = 'password';
    const searched = core.invoke('tickets.list', { limit: 50, filter: { search: word } }).then((result) => (order.push('search'), result));
    const plain = core.invoke('tickets.list', { limit: 5 }).then((result) => (order.push('plain'), result));
    const [found] = await Promise.all([searched, plain]);
    expect(order).toEqual(['plain', 'search']);
    const reader = openReadOnly(path);
    try {
      expect(found).toEqual({ ok: true, value: new TicketRepository(reader).list(ticketFilterSchema.parse({ search: word }), 0, 50) });
      expect(found.ok && found.value.rows.length).toBeGreaterThan(0);
    } finally {
      reader.close();
    }
  });

  it.skipIf(process.platform !== 'linux')('keeps its read threads between reads, and a closed core leaves none of them holding the file', async () => {
    const own = join(dir, 'own.db');
    const source = openDatabase(path);
    await source.backup(own);
    source.close();
    const other = openCore({ dbPath: own, role: 'supervisor', chainPollIntervalMs: 0 });
    await other.invoke('ledger.verify', {});
    for (let i = 0; i < 3; i++) expect((await other.invoke('outcomes.attribution', {})).ok).toBe(true);
    // Between reads a thread keeps its connection: stopping the read threads lets go of descriptors on the file.
    // (Counted against the threads' own stop, not against a count taken before the reads: the verification's
    // connections may still be closing then.)
    const withThreads = handlesOn(own).length;
    stopReadThreads(own);
    expect(handlesOn(own).length).toBeLessThan(withThreads);
    other.close();
    expect(handlesOn(own)).toEqual([]);
  });

  it('hands the wire the JSON the read thread wrote: the HTTP body is the console thread’s value, never written or parsed on the console’s thread', async () => {
    const wire = await core.invokeForWire('outcomes.attribution', {});
    expect(wire.ok && isJsonText(wire.value)).toBe(true);
    const asOf = wire.ok && isJsonText(wire.value) ? (wire.value.parse() as { asOf: string }).asOf : '';
    const reader = openReadOnly(path);
    let expected: string;
    try {
      expected = JSON.stringify({ ok: true, value: attribution(reader, { asOf }) });
    } finally {
      reader.close();
    }
    const staticDir = mkdtempSync(join(dir, 'static-'));
    const bridge = await startHttpBridge({ core, staticDir });
    const stringify = vi.spyOn(JSON, 'stringify');
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const response = await fetch(`http://127.0.0.1:${bridge.port}/api/rpc/outcomes.attribution`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-attest-token': bridge.token },
        body: JSON.stringify({ asOf }),
      });
      const body = await response.text();
      const written = stringify.mock.results.map((result) => String(result.value));
      const read = parse.mock.calls.map(([text]) => String(text));
      stringify.mockRestore();
      parse.mockRestore();
      expect(body).toBe(expected);
      expect(expected.length).toBeGreaterThan(500);
      // The request's own small body is the only JSON the console's thread handled.
      expect(written.filter((text) => text.length > 100)).toEqual([]);
      expect(read.filter((text) => text.length > 100)).toEqual([]);
    } finally {
      stringify.mockRestore();
      parse.mockRestore();
      await bridge.close();
    }
  });

  it('refuses what the console thread refuses, with the same code', async () => {
    const reader = openReadOnly(path);
    let thrown: Error | null = null;
    try {
      attribution(reader, { contract: 'no-such-contract' });
    } catch (error) {
      thrown = error as Error;
    } finally {
      reader.close();
    }
    expect(thrown).not.toBeNull();
    const result = await core.invoke('outcomes.attribution', { contract: 'no-such-contract' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toBe(thrown!.message);
      expect(['not_found', 'invalid_input']).toContain(result.error.code);
    }
  });

  it('answers a queue page while both report threads are held by reads that have not ended (the page has a thread of its own)', async () => {
    // A file of its own, so every thread is started for this test, from the worker that holds reports until released.
    const held = join(dir, 'held.db');
    const source = openDatabase(path);
    await source.backup(held);
    source.close();
    const channelName = `attest-held-reads-${process.pid}`;
    const previousName = process.env.ATTEST_TEST_HELD_READS;
    process.env.ATTEST_TEST_HELD_READS = channelName; // read by each thread as it starts
    setReadWorkerUrl(new URL('../support/held-read-worker.ts', import.meta.url));
    const channel = new BroadcastChannel(channelName);
    const holding: string[] = [];
    channel.onmessage = (message) => holding.push((message as { data: { held: string } }).data.held);
    const other = openCore({ dbPath: held, role: 'supervisor', chainPollIntervalMs: 0 });
    try {
      const reports = [other.invoke('outcomes.attribution', {}), other.invoke('audit.gaps', {})];
      for (let waited = 0; holding.length < 2 && waited < 20_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      // Each report thread is inside a read that does not end until it is released.
      expect(holding.sort()).toEqual(['audit.gaps', 'outcomes.attribution']);
      const page = other.invoke('tickets.list', { limit: 50, filter: { slaState: ['breached', 'achieved'] } });
      const answered = await Promise.race([page.then(() => 'page'), new Promise((resolve) => setTimeout(() => resolve('still waiting after 15 s'), 15_000))]);
      expect(answered).toBe('page');
      expect((await page).ok).toBe(true);
      channel.postMessage('release');
      expect((await Promise.all(reports)).map((report) => report.ok)).toEqual([true, true]);
    } finally {
      channel.postMessage('release');
      setReadWorkerUrl(new URL('../../electron/core/handlers/read-worker.ts', import.meta.url));
      if (previousName === undefined) delete process.env.ATTEST_TEST_HELD_READS;
      else process.env.ATTEST_TEST_HELD_READS = previousName;
      await other.closeAsync();
      channel.close();
    }
  });

  it('a read thread asked to stop before it opens the file never opens it, and its request says the database closed', async () => {
    // A file of its own: the core above keeps started read threads on the shared one.
    const fresh = join(dir, 'fresh.db');
    const source = openDatabase(path);
    await source.backup(fresh);
    source.close();
    const reader = openDatabase(fresh);
    const readersOwn = handlesOn(fresh).length;
    try {
      const read = readOffThread(reader, fresh, 'outcomes.attribution', {});
      // The core's close: synchronously, before the thread has started.
      stopReadThreads(fresh);
      await expect(read).rejects.toThrow('the database was closed during the read');
      expect(handlesOn(fresh).length).toBe(readersOwn);
    } finally {
      reader.close();
    }
  });
});
