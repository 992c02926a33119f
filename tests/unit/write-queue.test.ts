// Writes during a long import: inside the core they queue behind it (and are told so) and are applied after it;
// across processes they wait with a message and fail, after a bound, with the reason — never "database is locked".
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { WriteQueueStatus } from '../../shared/contract.ts';
import type { ImportRunStatus } from '../../shared/contracts/importers.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { WriteGate } from '../../electron/core/db/write-gate.ts';
import { beginWrite, readWriteHolder, tryBeginImmediate, WriteBusyError } from '../../electron/core/db/write-lock.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';
import { addOpenTickets, setMode } from '../support/ai-tickets.ts';
import { startOllamaStandIn } from '../support/ollama-stand-in.ts';
import { tempDb } from './helpers.ts';
import { bigFreshdeskCsv } from '../support/freshdesk-csv.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const FRESHDESK = fileURLToPath(new URL('../fixtures/importers/freshdesk-tickets.csv', import.meta.url));
const KB = fileURLToPath(new URL('../../resources/kb/', import.meta.url));


async function upload(core: CoreHandle, path: string): Promise<string> {
  const started = await core.invoke('imports.upload', { offset: 0, chunkBase64: readFileSync(path).toString('base64') });
  if (!started.ok) throw new Error(started.error.message);
  return started.value.uploadId;
}

async function importStatus(core: CoreHandle, runId: string): Promise<ImportRunStatus> {
  const status = await core.invoke('imports.status', { runId });
  if (!status.ok) throw new Error(status.error.message);
  return status.value;
}

/** Polls until the import has appended rows and is still running (its transaction open), or has ended. */
async function whileImporting(core: CoreHandle, runId: string): Promise<ImportRunStatus> {
  for (;;) {
    const status = await importStatus(core, runId);
    if (status.state !== 'running' || status.rows > 0) return status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function importEnded(core: CoreHandle, runId: string): Promise<ImportRunStatus> {
  for (;;) {
    const status = await importStatus(core, runId);
    if (status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const seqOf = (db: Db, type: string): number[] => db.prepare('SELECT seq FROM events WHERE type = ? ORDER BY seq').pluck().all(type) as number[];

function attest(args: string[], env: NodeJS.ProcessEnv, onStderr?: (text: string) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr);
    });
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('the core while a background import runs', () => {
  it('queues a category change behind the import, says so, and applies it after the import — never "database is locked"', async () => {
    const { path, db, dir } = tempDb();
    const core = openCore({ dbPath: path, role: 'supervisor' });
    const statuses: WriteQueueStatus[] = [];
    core.subscribe('writes.status', (status) => statuses.push(status));
    try {
      const started = await core.invoke('imports.start', { uploadId: await upload(core, bigFreshdeskCsv(dir, 3000)), fileName: 'big.csv', format: 'freshdesk' });
      if (!started.ok) throw new Error(started.error.message);
      const running = await whileImporting(core, started.value.runId);
      expect(running).toMatchObject({ state: 'running' });
      // No macrotask runs between the status above and this call: the import still holds the gate and its transaction.
      const change = core.invoke('categories.setMode', { category: 'billing', mode: 'draft', reason: 'pilot starts' });
      expect(statuses.at(-1)).toMatchObject({ writing: 'import of big.csv', queued: ['category mode change'], message: 'import of big.csv running, your change is queued' });
      // Reads are never blocked: the committed state, without the import's rows.
      const list = await core.invoke('tickets.list', { filter: {} });
      expect(list.ok && list.value.total).toBe(0);

      const changed = await change;
      expect(changed).toMatchObject({ ok: true, value: { category: 'billing', mode: 'draft' } });
      const done = await importEnded(core, started.value.runId);
      expect(done).toMatchObject({ state: 'done', error: null, report: { rows: 3000, imported: 3000 } });
      // FIFO: the change was applied after the whole import.
      expect(seqOf(db, 'category.mode')[0]).toBeGreaterThan(done.report!.importSeq!);
      expect(statuses.at(-1)).toMatchObject({ writing: null, queued: [], message: null });
    } finally {
      core.close();
    }
  });

  it('a change queued behind an import that is cancelled is still recorded: it never joins the import\'s transaction', async () => {
    const { path, db, dir } = tempDb();
    const core = openCore({ dbPath: path, role: 'admin' });
    try {
      const started = await core.invoke('imports.start', { uploadId: await upload(core, bigFreshdeskCsv(dir, 3000)), fileName: 'big.csv', format: 'freshdesk' });
      if (!started.ok) throw new Error(started.error.message);
      expect(await whileImporting(core, started.value.runId)).toMatchObject({ state: 'running' });
      const change = core.invoke('categories.setMode', { category: 'billing', mode: 'auto', reason: 'trusted' });
      await core.invoke('imports.cancel', { runId: started.value.runId });
      expect(await change).toMatchObject({ ok: true, value: { mode: 'auto' } });
      expect(await importEnded(core, started.value.runId)).toMatchObject({ state: 'cancelled' });
      expect(db.prepare("SELECT count(*) FROM events WHERE type <> 'category.mode'").pluck().get()).toBe(0);
      expect(seqOf(db, 'category.mode')).toHaveLength(1);
    } finally {
      core.close();
    }
  });

  it('while another process writes, the core says whom it waits for and applies queued changes in order once it may', async () => {
    const { path, db } = tempDb();
    const other = openDatabase(path);
    const lock = await beginWrite(other, 'import of history.csv');
    const core = openCore({ dbPath: path, role: 'admin' });
    const statuses: WriteQueueStatus[] = [];
    core.subscribe('writes.status', (status) => statuses.push(status));
    try {
      const first = core.invoke('categories.setMode', { category: 'billing', mode: 'draft', reason: 'one' });
      const second = core.invoke('outcomes.disputes', {});
      const third = core.invoke('categories.setMode', { category: 'billing', mode: 'auto', reason: 'two' });
      await expect(second).resolves.toMatchObject({ ok: true });
      while (!statuses.some((s) => s.waitingForProcess)) await new Promise((resolve) => setTimeout(resolve, 10));
      const waiting = statuses.find((s) => s.waitingForProcess)!;
      expect(waiting.waitingForProcess).toMatchObject({ pid: process.pid, what: 'import of history.csv' });
      expect(waiting.message).toMatch(/^waiting for another Attest process that is writing \(import of history\.csv, pid \d+, since .+\)… your change is queued/);
      lock.end('commit');
      expect(await first).toMatchObject({ ok: true, value: { mode: 'draft' } });
      expect(await third).toMatchObject({ ok: true, value: { mode: 'auto' } });
      const reasons = (db.prepare("SELECT payload FROM events WHERE type = 'category.mode' ORDER BY seq").pluck().all() as string[]).map((p) => JSON.parse(p).reason);
      expect(reasons).toEqual(['one', 'two']);
    } finally {
      core.close();
      other.close();
    }
  });

  it('gives up after the bound with code "busy" and the reason; nothing is recorded', async () => {
    const { path, db } = tempDb();
    const other = openDatabase(path);
    const lock = await beginWrite(other, 'import of history.csv');
    const previous = process.env.ATTEST_WRITE_WAIT_SECONDS;
    process.env.ATTEST_WRITE_WAIT_SECONDS = '0.2';
    const core = openCore({ dbPath: path, role: 'admin' });
    try {
      const result = await core.invoke('categories.setMode', { category: 'billing', mode: 'draft', reason: 'one' });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('busy');
      expect(result.error.message).toMatch(/category mode change: not recorded: another Attest process \(pid \d+\) has been writing \(import of history\.csv\) since/);
      expect(result.error.message).not.toMatch(/database is locked/);
    } finally {
      if (previous === undefined) delete process.env.ATTEST_WRITE_WAIT_SECONDS;
      else process.env.ATTEST_WRITE_WAIT_SECONDS = previous;
      core.close();
      lock.end('rollback');
      other.close();
    }
    expect(seqOf(db, 'category.mode')).toEqual([]);
  });
});

describe('the write lock and its holder note', () => {
  it('a write never joins a transaction already open on its connection', async () => {
    const { db } = tempDb();
    db.exec('BEGIN');
    await expect(new WriteGate().write(db, 'x', () => 1)).rejects.toThrow(/never join another/);
    db.exec('ROLLBACK');
  });

  it('the note names the holder while it writes, is gone afterwards, and a note left by a dead process is ignored', async () => {
    const { db, path } = tempDb();
    const lock = await beginWrite(db, 'import of a.csv');
    expect(readWriteHolder(db)).toMatchObject({ pid: process.pid, what: 'import of a.csv' });
    lock.end('commit');
    expect(readWriteHolder(db)).toBeNull();

    const gone = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '']);
      child.on('exit', () => resolve(child.pid!));
    });
    writeFileSync(`${path}-writer`, JSON.stringify({ pid: gone, what: 'import of crashed.csv', since: '2026-01-01T00:00:00.000Z', token: 't' }));
    expect(readWriteHolder(db)).toBeNull();
    // A stale note does not stop a write either.
    expect(tryBeginImmediate(db)).toBe(true);
    db.exec('ROLLBACK');
  });

  it('a write that cannot start rolls back nothing of anyone else and names the holder', async () => {
    const { db, path } = tempDb();
    const other = openDatabase(path);
    const lock = await beginWrite(other, 'rebuild of the projections');
    try {
      const failure = await new WriteGate({ maxWaitMs: 50 })
        .write(db, 'dispute on T-1', () => recordEvents(db, [{ type: 'category.mode', at: new Date().toISOString(), actor: { kind: 'human', id: 'x' }, category: 'billing', mode: 'draft', reason: 'r' }]))
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(WriteBusyError);
      expect((failure as WriteBusyError).holder).toMatchObject({ what: 'rebuild of the projections' });
      expect(other.inTransaction).toBe(true);
    } finally {
      lock.end('rollback');
      other.close();
    }
  });
});

describe('CLI writes while another process writes', () => {
  it('attest categories set waits with a message naming the other write, then succeeds', async () => {
    const { path, db } = tempDb();
    const lock = await beginWrite(db, 'import of history.csv');
    let released = false;
    const result = await attest(['categories', 'set', '--db', path, 'billing', 'draft', '--reason', 'pilot', '--json'], { ATTEST_WRITE_WAIT_SECONDS: '120' }, (stderr) => {
      if (!released && /waiting for another Attest process that is writing \(import of history\.csv, pid \d+/.test(stderr)) {
        released = true;
        lock.end('commit');
      }
    });
    expect(released).toBe(true);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ category: 'billing', mode: 'draft', reason: 'pilot' });
    expect(result.stderr).not.toMatch(/database is locked/);
  });

  it('gives up after ATTEST_WRITE_WAIT_SECONDS with exit 1 and the reason; nothing recorded', async () => {
    const { path, db } = tempDb();
    const lock = await beginWrite(db, 'import of history.csv');
    try {
      const result = await attest(['categories', 'set', '--db', path, 'billing', 'draft', '--reason', 'pilot'], { ATTEST_WRITE_WAIT_SECONDS: '0.3' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/waiting for another Attest process that is writing \(import of history\.csv/);
      expect(result.stderr).toMatch(/categories set billing draft: not recorded: another Attest process \(pid \d+\) has been writing \(import of history\.csv\)/);
      expect(result.stderr).not.toMatch(/database is locked/);
    } finally {
      lock.end('rollback');
    }
    expect(seqOf(db, 'category.mode')).toEqual([]);
  });

  it('attest import of a helpdesk file waits for the other write, then imports', async () => {
    const { path, db } = tempDb();
    const lock = await beginWrite(db, 'outcome verification');
    let released = false;
    const result = await attest(['import', '--db', path, '--format', 'freshdesk', FRESHDESK, '--json'], { ATTEST_WRITE_WAIT_SECONDS: '120' }, (stderr) => {
      if (!released && /waiting for another Attest process that is writing \(outcome verification/.test(stderr)) {
        released = true;
        lock.end('commit');
      }
    });
    expect(released).toBe(true);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ imported: 6 });
  });

  it('attest resolve names every ticket it could not record, with the reason, and exits 1', async () => {
    const { path, db } = tempDb();
    importKnowledgeBase(db, KB);
    setMode(db, 'how_to', 'auto');
    const tickets = addOpenTickets(db, 2, ['how_to']);
    const standIn = await startOllamaStandIn();
    const lock = await beginWrite(db, 'import of history.csv');
    try {
      const result = await attest(['resolve', '--db', path, '--json'], { OLLAMA_HOST: standIn.host, ATTEST_WRITE_WAIT_SECONDS: '0.3' });
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ queued: 2, failed: 2 });
      expect(summary.failures.map((f: { ticketId: string }) => f.ticketId).sort()).toEqual(tickets.map((t) => t.id).sort());
      for (const ticket of tickets) {
        expect(result.stderr).toMatch(new RegExp(`${ticket.id}: failed: AI resolution of ${ticket.id}: not recorded: another Attest process \\(pid \\d+\\) has been writing \\(import of history\\.csv\\)`));
      }
    } finally {
      lock.end('rollback');
      await standIn.close();
    }
    expect(db.prepare("SELECT count(*) FROM events WHERE type = 'message' AND payload ->> '$.author.kind' = 'ai'").pluck().get()).toBe(0);
  });
});
