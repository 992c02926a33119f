// The Outcomes tab's attribution and the audit's session-gap report walk every ticket / session event in scope: they
// run on a thread of their own (electron/core/handlers/read-thread.ts), so a request made after them is answered
// first — an ordering, never a timing: on the console's thread they would answer before the next request started.
// Their answers and their refusals are exactly those of the same read on the console's thread. The queue's pages have a
// thread of their own: they answer while every report thread is held by a read that has not ended.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
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
import { kpiReport, kpiSeries } from '../../electron/core/kpis/kpi-report.ts';
import { ticketFilterSchema } from '../../shared/contract.ts';
import { handlesOn } from '../support/file-handles.ts';

/**
 * A POST whose answer is read chunk by chunk into text, never joined into one buffer (fetch joins it with
 * Buffer.concat, which the server's side is checked not to call).
 */
function postReadingChunks(port: number, path: string, headers: Record<string, string>, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      const decoder = new TextDecoder();
      let text = '';
      res.on('data', (chunk: Uint8Array) => (text += decoder.decode(chunk, { stream: true })));
      res.on('end', () => resolve(text + decoder.decode()));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

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

  it('gives the same attribution and gap report as on the console thread', async () => {
    const [counted, gapReport] = await Promise.all([core.invoke('outcomes.attribution', {}), core.invoke('audit.gaps', {})]);
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

  it('reads pages sorted or filtered by SLA state, searched or plain, and the KPI overview on read threads: the answers are the console thread’s', async () => {
    const word = 'password';
    const period = { from: '2020-01-01', to: '2035-12-31' };
    const [bySla, byState, found, plain, report, series] = await Promise.all([
      core.invoke('tickets.list', { limit: 50, offset: 20, sort: { by: 'sla', direction: 'desc' } }),
      core.invoke('tickets.list', { limit: 50, filter: { slaState: ['breached', 'achieved'] } }),
      core.invoke('tickets.list', { limit: 50, filter: { search: word } }),
      core.invoke('tickets.list', { limit: 50, offset: 10, filter: { status: ['solved', 'closed'] }, sort: { by: 'priority', direction: 'asc' } }),
      core.invoke('kpis.report', period),
      core.invoke('kpis.series', { ...period, bucket: 'week' }),
    ]);
    const reader = openReadOnly(path);
    try {
      const tickets = new TicketRepository(reader);
      expect(bySla).toEqual({ ok: true, value: tickets.list(ticketFilterSchema.parse({}), 20, 50, { by: 'sla', direction: 'desc' }) });
      expect(byState).toEqual({ ok: true, value: tickets.list(ticketFilterSchema.parse({ slaState: ['breached', 'achieved'] }), 0, 50) });
      expect(byState.ok && byState.value.rows.length).toBeGreaterThan(0);
      expect(found).toEqual({ ok: true, value: tickets.list(ticketFilterSchema.parse({ search: word }), 0, 50) });
      expect(found.ok && found.value.rows.length).toBeGreaterThan(0);
      expect(plain).toEqual({ ok: true, value: tickets.list(ticketFilterSchema.parse({ status: ['solved', 'closed'] }), 10, 50, { by: 'priority', direction: 'asc' }) });
      expect(plain.ok && plain.value.rows.length).toBeGreaterThan(0);
      expect(report).toEqual({ ok: true, value: kpiReport(reader, period) });
      expect(series).toEqual({ ok: true, value: kpiSeries(reader, { ...period, bucket: 'week' }) });
      expect(series.ok && series.value.length).toBeGreaterThan(0);
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
    // Nor copied into one buffer with its envelope (a statement of 18 MB took 123–167 ms to copy under load).
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const body = await postReadingChunks(bridge.port, '/api/rpc/outcomes.attribution', { 'content-type': 'application/json', 'x-attest-token': bridge.token }, JSON.stringify({ asOf }));
      const written = stringify.mock.results.map((result) => String(result.value));
      const read = parse.mock.calls.map(([text]) => String(text));
      const joined = concat.mock.results.map((result) => (result.value as Buffer).length);
      stringify.mockRestore();
      parse.mockRestore();
      concat.mockRestore();
      expect(body).toBe(expected);
      expect(expected.length).toBeGreaterThan(500);
      // The request's own small body is the only JSON the console's thread handled.
      expect(written.filter((text) => text.length > 100)).toEqual([]);
      expect(read.filter((text) => text.length > 100)).toEqual([]);
      expect(joined.filter((length) => length >= expected.length - 100)).toEqual([]);
    } finally {
      stringify.mockRestore();
      parse.mockRestore();
      concat.mockRestore();
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

  /** Cores opened by withHeldReads: each gets a file and a channel of its own. */
  let heldCores = 0;

  /**
   * A core on a copy of the file whose read threads hold the reads named until released (held-read-worker.ts), so a
   * read that takes seconds at a million tickets can be stood for here: `holdUntil` waits until `count` reads are held.
   */
  async function withHeldReads(
    names: readonly string[],
    work: (other: CoreHandle, holdUntil: (count: number, waitMs?: number) => Promise<string[]>, release: () => void) => Promise<void>,
    opening: { mode?: 'browser'; warmAttributionFromEvents?: number } = {},
  ): Promise<void> {
    heldCores += 1;
    // A file of its own, so every thread is started for this test, from the worker that holds reads until released.
    const held = join(dir, `held-${heldCores}.db`);
    const source = openDatabase(path);
    await source.backup(held);
    source.close();
    const channelName = `attest-held-reads-${process.pid}-${heldCores}`;
    const previous = { channel: process.env.ATTEST_TEST_HELD_READS, names: process.env.ATTEST_TEST_HELD_READ_NAMES };
    // Read by each thread as it starts.
    process.env.ATTEST_TEST_HELD_READS = channelName;
    process.env.ATTEST_TEST_HELD_READ_NAMES = names.join(',');
    setReadWorkerUrl(new URL('../support/held-read-worker.ts', import.meta.url));
    const channel = new BroadcastChannel(channelName);
    const holding: string[] = [];
    channel.onmessage = (message) => holding.push((message as { data: { held: string } }).data.held);
    const release = (): void => channel.postMessage('release');
    const holdUntil = async (count: number, waitMs = 20_000): Promise<string[]> => {
      for (let waited = 0; holding.length < count && waited < waitMs; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      return [...holding].sort();
    };
    // No Merkle-tree warming: its slices are reads of the report threads too.
    const other = openCore({ dbPath: held, role: 'supervisor', chainPollIntervalMs: 0, warmLedgerTree: false, ...opening });
    try {
      await work(other, holdUntil, release);
    } finally {
      release();
      setReadWorkerUrl(new URL('../../electron/core/handlers/read-worker.ts', import.meta.url));
      for (const [key, value] of [['ATTEST_TEST_HELD_READS', previous.channel], ['ATTEST_TEST_HELD_READ_NAMES', previous.names]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await other.closeAsync();
      channel.close();
    }
  }

  /** Whether `ask` is answered within 15 s: "answered", or why not. */
  const answersMeanwhile = (ask: Promise<unknown>): Promise<unknown> =>
    Promise.race([ask.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('still waiting after 15 s'), 15_000))]);

  it('answers a queue page while every report thread and the attribution’s are held by reads that have not ended (the page has a thread of its own)', async () => {
    await withHeldReads(['outcomes.attribution', 'audit.gaps'], async (other, holdUntil, release) => {
      const reports = [other.invoke('outcomes.attribution', {}), other.invoke('audit.gaps', {}), other.invoke('audit.gaps', {})];
      // Each report thread and the attribution's is inside a read that does not end until it is released.
      expect(await holdUntil(3)).toEqual(['audit.gaps', 'audit.gaps', 'outcomes.attribution']);
      const page = other.invoke('tickets.list', { limit: 50, filter: { slaState: ['breached', 'achieved'] } });
      const plain = other.invoke('tickets.list', { limit: 50 });
      expect(await answersMeanwhile(Promise.all([page, plain]))).toBe('answered');
      expect([(await page).ok, (await plain).ok]).toEqual([true, true]);
      release();
      expect((await Promise.all(reports)).map((report) => report.ok)).toEqual([true, true, true]);
    });
  });

  it('answers a statement and the Outcomes tab’s other reads while attributions are held (the attribution has a thread of its own)', async () => {
    await withHeldReads(['outcomes.attribution'], async (other, holdUntil, release) => {
      // The contract's first month (nothing is verified yet in this ledger: no period has data).
      const contracts = await other.invoke('outcomes.contracts', {});
      const period = contracts.ok ? contracts.value[0]!.effectiveFrom.slice(0, 7) : '';
      expect(period).toMatch(/^\d{4}-\d{2}$/);
      // Two, as the Outcomes tab and a second window ask: with the attribution among the reports, they held both of
      // the report threads (each judging every unverified ticket, 16 s at a million tickets) and a statement waited.
      const counting = [other.invoke('outcomes.attribution', {}), other.invoke('outcomes.attribution', { period })];
      expect(await holdUntil(1)).toEqual(['outcomes.attribution']);
      const tab = Promise.all([
        other.invoke('outcomes.statement', { period }),
        other.invoke('outcomes.periods', {}),
        other.invoke('outcomes.periodStates', {}),
        other.invoke('outcomes.disputes', {}),
      ]);
      expect(await answersMeanwhile(tab)).toBe('answered');
      expect((await tab).map((answer) => answer.ok)).toEqual([true, true, true, true]);
      release();
      expect((await Promise.all(counting)).map((answer) => answer.ok)).toEqual([true, true]);
    });
  });

  it('a console on a large ledger asks the attribution’s thread for an attribution as it opens, before anyone opens the Outcomes tab', async () => {
    // This ledger (3,000-odd events) counts as large once the threshold is lowered to 1 event.
    await withHeldReads(
      ['outcomes.attribution'],
      async (_other, holdUntil, release) => {
        // Nothing invoked: the console's opening asked it.
        expect(await holdUntil(1)).toEqual(['outcomes.attribution']);
        release();
      },
      { mode: 'browser', warmAttributionFromEvents: 1 },
    );
    // Under the default threshold (200,000 events) the opening asks nothing: the first tab judges a small ledger at once.
    await withHeldReads(
      ['outcomes.attribution', 'tickets.page'],
      async (other, holdUntil, release) => {
        // The quick thread, started at the opening, holds the page: by then the opening has asked all it asks.
        const page = other.invoke('tickets.list', { limit: 5 });
        expect(await holdUntil(1)).toEqual(['tickets.page']);
        release();
        expect((await page).ok).toBe(true);
        // Nor later: an attribution asked at the opening would be held by now (its thread starts with the quick one).
        expect(await holdUntil(2, 3_000)).toEqual(['tickets.page']);
      },
      { mode: 'browser' },
    );
  });

  it('answers a plain page and the KPI overview while a page sorted by SLA state or searched is held (they have a thread apart)', async () => {
    await withHeldReads(['tickets.list'], async (other, holdUntil, release) => {
      const walking = [
        other.invoke('tickets.list', { limit: 50, sort: { by: 'sla', direction: 'desc' } }),
        other.invoke('tickets.list', { limit: 50, filter: { search: 'password' } }),
      ];
      expect(await holdUntil(1)).toEqual(['tickets.list']);
      const quick = Promise.all([
        other.invoke('tickets.list', { limit: 50, offset: 100 }),
        other.invoke('tickets.list', { limit: 50, filter: { status: ['open'] } }),
        other.invoke('kpis.report', { from: '2020-01-01', to: '2035-12-31' }),
        other.invoke('kpis.series', { from: '2020-01-01', to: '2035-12-31', bucket: 'week' }),
      ]);
      expect(await answersMeanwhile(quick)).toBe('answered');
      expect((await quick).map((answer) => answer.ok)).toEqual([true, true, true, true]);
      release();
      expect((await Promise.all(walking)).map((answer) => answer.ok)).toEqual([true, true]);
    });
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
