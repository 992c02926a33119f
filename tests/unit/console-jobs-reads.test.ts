// No console job holds a read waiting (issue 15: no blocking work). For each long job — "Verify now" (the whole
// file re-read), the outcome verification, a background import — a read is started from the event loop once the job
// is under way, and must answer before the job finishes. An ordering, never a timing: a job that kept the
// console's thread to itself would finish before the read even started.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';

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

describe('a read answers while a long console job runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-jobs-'));
  let path = '';
  beforeAll(() => {
    path = join(dir, 'demo.db');
    const db = openDatabase(path);
    writeDemoHistory(db, { tickets: 150, seed: 11, accounts: false });
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('"Verify now": the queue answers before the re-read of every event has finished', async () => {
    const core = openCore({ dbPath: path, role: 'supervisor', chainPollIntervalMs: 0 });
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
    const copy = join(dir, 'outcomes.db');
    const source = openDatabase(path);
    await source.backup(copy);
    source.close();
    const core = openCore({ dbPath: copy, role: 'supervisor', chainPollIntervalMs: 0 });
    try {
      const order: string[] = [];
      let read: Promise<void> | null = null;
      const batches: number[] = [];
      core.subscribe('outcomes.progress', (progress) => {
        batches.push(progress.done);
        read ??= readFromEventLoop(queuePage(core)).then(() => order.push('read'));
      });
      const result = await core.invoke('outcomes.verify', {});
      order.push('verify');
      expect(result.ok && result.value.verifiedAdded).toBeGreaterThan(0);
      await read;
      expect(batches.length).toBeGreaterThan(1);
      expect(order).toEqual(['read', 'verify']);
    } finally {
      await core.closeAsync();
    }
  });

  it('a background import: the queue answers while the import is still running', async () => {
    const copy = join(dir, 'import.db');
    const source = openDatabase(path);
    await source.backup(copy);
    source.close();
    const core = openCore({ dbPath: copy, role: 'admin', chainPollIntervalMs: 0 });
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
});
