// No console job holds a read waiting (issue 15: no blocking work). For each long job — "Verify now" (the whole
// file re-read), the outcome verification, a background import — a read is started from the event loop once the job
// is under way, and must answer before the job finishes. An ordering, never a timing: a job that kept the
// console's thread to itself would finish before the read even started.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';
import { outcomesTabRefreshCount } from '../../electron/core/handlers/read-thread.ts';
import { openReadOnly } from '../../electron/core/db/connection.ts';
import { attribution } from '../../electron/core/outcomes/attribution.ts';
import { listDisputes } from '../../electron/core/outcomes/disputes.ts';
import { periodStates } from '../../electron/core/outcomes/issued-statements.ts';
import { statementPeriods } from '../../electron/core/outcomes/statement.ts';

/** Starts `read` from the event loop (not from inside the caller's turn); resolves when it has answered. */
function readFromEventLoop(read: () => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => setImmediate(() => void read().then(() => resolve(), reject)));
}

function queuePage(core: CoreHandle) {
  return async () => {
    const page = await core.invoke('tickets.list', { filter: { status: ['open'] }, limit: 50 });
    expect(page.ok).toBe(true);
  };
}

/** Tickets with an outcome.verified event, read with a plain SQLite reader (not through Attest). */
function verifiedTickets(path: string): string[] {
  const reader = new Database(path, { readonly: true });
  try {
    return reader.prepare("SELECT ticket_id FROM events WHERE type = 'outcome.verified' ORDER BY ticket_id").pluck().all() as string[];
  } finally {
    reader.close();
  }
}

/**
 * A core on `path` whose queue has answered once: its pages run on a read thread, started at the first one (most of
 * a second to load the core's modules), and what is ordered here is a job against the reads, not that start.
 */
async function openWithQueueAnswering(path: string, role: 'supervisor' | 'admin'): Promise<CoreHandle> {
  const core = openCore({ dbPath: path, role, chainPollIntervalMs: 0 });
  await queuePage(core)();
  return core;
}

async function copyOf(path: string, copy: string): Promise<string> {
  const source = openDatabase(path);
  await source.backup(copy);
  source.close();
  return copy;
}

describe('a read answers while a long console job runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-jobs-'));
  // One as-of for every verification here, so runs on different copies judge alike.
  const asOf = new Date().toISOString();
  let verifiedInOneRun: string[] = [];
  let path = '';
  beforeAll(() => {
    path = join(dir, 'demo.db');
    const db = openDatabase(path);
    writeDemoHistory(db, { tickets: 150, seed: 11, accounts: false });
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('"Verify now": the queue answers before the re-read of every event has finished', async () => {
    const core = await openWithQueueAnswering(path, 'supervisor');
    try {
      const order: string[] = [];
      const verifying = core.invoke('ledger.verify', {}).then((result) => {
        expect(result.ok && result.value.state).toBe('verified');
        order.push('verify');
      });
      await readFromEventLoop(queuePage(core)).then(() => order.push('read'));
      await verifying;
      expect(order).toEqual(['read', 'verify']);
    } finally {
      await core.closeAsync();
    }
  });

  it('the outcome verification hands the thread back between batches: a read started after its first batch answers before it ends', async () => {
    const copy = await copyOf(path, join(dir, 'outcomes.db'));
    const core = await openWithQueueAnswering(copy, 'supervisor');
    try {
      const order: string[] = [];
      let read: Promise<void> | null = null;
      const batches: number[] = [];
      core.subscribe('outcomes.progress', (progress) => {
        batches.push(progress.done);
        read ??= readFromEventLoop(queuePage(core)).then(() => void order.push('read'));
      });
      const result = await core.invoke('outcomes.verify', { asOf });
      order.push('verify');
      expect(result.ok && result.value.verifiedAdded).toBeGreaterThan(0);
      await read;
      expect(batches.length).toBeGreaterThan(1);
      expect(order).toEqual(['read', 'verify']);
    } finally {
      await core.closeAsync();
    }
    verifiedInOneRun = verifiedTickets(copy);
  });

  it('while the Outcomes tab is in use, each commit of a job brings its read threads up to date off the request path; once it is closed, never', async () => {
    /** The tab's reads as the console sends them as it shows (renderer/src/views/outcomes). */
    const showTab = async (core: CoreHandle) => {
      const answers = await Promise.all([
        core.invoke('outcomes.periods', {}),
        core.invoke('outcomes.periodStates', {}),
        core.invoke('outcomes.attribution', {}),
        core.invoke('outcomes.disputes', {}),
      ]);
      for (const answer of answers) expect(answer.ok).toBe(true);
      return answers.map((answer) => (answer.ok ? answer.value : null));
    };
    // The tab was open, but closed more than two minutes ago: its threads are there, and are asked nothing.
    const unused = await copyOf(path, join(dir, 'refresh-unused.db'));
    const closedTab = await openWithQueueAnswering(unused, 'supervisor');
    try {
      await showTab(closedTab);
      const now = Date.now();
      vi.spyOn(Date, 'now').mockImplementation(() => now + 3 * 60_000);
      const result = await closedTab.invoke('outcomes.verify', { asOf });
      vi.restoreAllMocks();
      expect(result.ok && result.value.verifiedAdded).toBeGreaterThan(0);
      expect(outcomesTabRefreshCount.get(unused), 'the tab is closed: nothing refreshed').toBeUndefined();
    } finally {
      vi.restoreAllMocks();
      await closedTab.closeAsync();
    }
    const copy = await copyOf(path, join(dir, 'refresh.db'));
    const core = await openWithQueueAnswering(copy, 'supervisor');
    try {
      await showTab(core);
      const batches: number[] = [];
      core.subscribe('outcomes.progress', (progress) => void batches.push(progress.done));
      const result = await core.invoke('outcomes.verify', { asOf });
      expect(result.ok && result.value.verifiedAdded).toBeGreaterThan(0);
      expect(batches.length).toBeGreaterThan(1);
      // The attribution's thread and the report threads the tab started, each once: a refresh is the work of the
      // next request on its thread, and the tab asked each of them once before the verification's several commits.
      const refreshed = outcomesTabRefreshCount.get(copy);
      expect(refreshed?.attribution).toBe(1);
      expect(refreshed?.reports ?? 0).toBeGreaterThanOrEqual(1);
      expect(refreshed?.reports ?? 0, 'one per report thread at most').toBeLessThanOrEqual(2);
      // The answers after them are what a connection of its own reads from nothing.
      const [periods, states, counts, disputes] = await showTab(core);
      const own = openReadOnly(copy);
      try {
        const fresh = attribution(own, { remember: false });
        expect(counts && { ...counts, asOf: fresh.asOf }).toEqual(fresh);
        expect(periods).toEqual(statementPeriods(own));
        expect(states).toEqual(periodStates(own));
        expect(disputes).toEqual(listDisputes(own));
      } finally {
        own.close();
      }
    } finally {
      await core.closeAsync();
    }
  });

  it('a cancelled verification stops between batches, keeps what it recorded, and a second run ends where one uninterrupted run does', async () => {
    expect(verifiedInOneRun.length).toBeGreaterThan(0);
    const copy = await copyOf(path, join(dir, 'cancelled.db'));
    const core = await openWithQueueAnswering(copy, 'supervisor');
    try {
      let total = 0;
      let cancel: Promise<unknown> | null = null;
      const unsubscribe = core.subscribe('outcomes.progress', (progress) => {
        total = progress.total;
        cancel ??= core.invoke('outcomes.cancelVerify', {});
      });
      const cancelled = await core.invoke('outcomes.verify', { asOf });
      unsubscribe();
      expect(await cancel).toEqual({ ok: true, value: { cancelled: true } });
      expect(cancelled.ok && cancelled.value.cancelled).toBe(true);
      expect(cancelled.ok && cancelled.value.examined).toBeLessThan(total);
      expect(await core.invoke('outcomes.cancelVerify', {})).toEqual({ ok: true, value: { cancelled: false } });
      const partial = verifiedTickets(copy);
      expect(partial.length).toBeLessThan(verifiedInOneRun.length);
      const rerun = await core.invoke('outcomes.verify', { asOf });
      expect(rerun.ok && rerun.value.cancelled).toBeFalsy();
      // The cancelled job's thread handed back what its batches settled: the second job does not read those again.
      expect(rerun.ok && rerun.value.remembered).toBeGreaterThan(0);
      expect(rerun.ok && rerun.value.examined).toBe(total);
    } finally {
      await core.closeAsync();
    }
    expect(verifiedTickets(copy)).toEqual(verifiedInOneRun);
  });

  it('a background import: the queue answers while the import is still running', async () => {
    const copy = await copyOf(path, join(dir, 'import.db'));
    const core = await openWithQueueAnswering(copy, 'admin');
    try {
      const rows = Array.from({ length: 2000 }, (_, i) => `BG-${i + 1},Printer ${i + 1} jams,2026-10-04 09:${String(i % 60).padStart(2, '0')}:00,Open`);
      const csv = Buffer.from(`Ticket ID,Subject,Created time,Status\n${rows.join('\n')}\n`);
      const upload = await core.invoke('imports.upload', { offset: 0, chunkBase64: csv.toString('base64') });
      expect(upload.ok).toBe(true);
      const started = await core.invoke('imports.start', { uploadId: upload.ok ? upload.value.uploadId : '', fileName: 'bg.csv', format: 'freshdesk' });
      expect(started.ok, JSON.stringify(started)).toBe(true);
      const runId = started.ok ? started.value.runId : '';
      const stateNow = async (): Promise<string> => {
        const status = await core.invoke('imports.status', { runId });
        return status.ok ? status.value.state : 'failed';
      };
      let stateWhenRead = '';
      await readFromEventLoop(queuePage(core)).then(async () => (stateWhenRead = await stateNow()));
      expect(stateWhenRead).toBe('running');
      let state = 'running';
      while (state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 20));
        state = await stateNow();
      }
      expect(state).toBe('done');
    } finally {
      await core.closeAsync();
    }
  });

  it('a background import opens its own connection without reading the whole file again on the console’s thread', async () => {
    // SQLite's structural check reads every page; at a million tickets it held the console's thread ~30 s. The
    // console's own open checks the file; the import's connection, opened by the same process, does not again.
    const copy = await copyOf(path, join(dir, 'import-check.db'));
    const pragmas: string[] = [];
    const pragma = Database.prototype.pragma;
    const spy = vi.spyOn(Database.prototype, 'pragma').mockImplementation(function (this: Database.Database, source: string, options?: Database.PragmaOptions) {
      pragmas.push(source);
      return pragma.call(this, source, options);
    });
    const structureChecks = (): number => pragmas.filter((source) => source.startsWith('quick_check')).length;
    try {
      const core = await openWithQueueAnswering(copy, 'admin');
      const atOpen = structureChecks();
      expect(atOpen).toBeGreaterThan(0);
      try {
        const csv = Buffer.from('Ticket ID,Subject,Created time,Status\nQC-1,Printer jams,2026-10-04 09:00:00,Open\n');
        const upload = await core.invoke('imports.upload', { offset: 0, chunkBase64: csv.toString('base64') });
        const started = await core.invoke('imports.start', { uploadId: upload.ok ? upload.value.uploadId : '', fileName: 'qc.csv', format: 'freshdesk' });
        expect(started.ok, JSON.stringify(started)).toBe(true);
        const runId = started.ok ? started.value.runId : '';
        let state = 'running';
        while (state === 'running') {
          await new Promise((resolve) => setTimeout(resolve, 20));
          const status = await core.invoke('imports.status', { runId });
          state = status.ok ? status.value.state : 'failed';
        }
        expect(state).toBe('done');
        expect(structureChecks()).toBe(atOpen);
      } finally {
        await core.closeAsync();
      }
    } finally {
      spy.mockRestore();
    }
  });
});
