// The console's long writing jobs — the outcome verification and a helpdesk import — in a thread of their own (issue
// 15: no console action blocks another). Real files, a real worker thread, the console's real write gate; what a job
// records is compared with the same job run on the test's own thread (runVerification, importFileSync), so the
// thread changes where a job runs, never what it records.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFileReport } from '../../shared/contracts/importers.ts';
import type { VerificationProgress, VerificationReport } from '../../shared/contracts/outcomes.ts';
import { PackStopped, type PackSummary } from '../../electron/core/audit/pack.ts';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { openDatabase, structuralProblems, type Db } from '../../electron/core/db/connection.ts';
import { WriteGate } from '../../electron/core/db/write-gate.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { JobThread, stopJobThreads } from '../../electron/core/handlers/job-thread.ts';
import { importFileSync, type ImportProgress } from '../../electron/core/importers/import-run.ts';
import { ImportCancelled } from '../../electron/core/importers/import-types.ts';
import { ImportError } from '../../electron/core/interchange/jsonl-import.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { sessionGapReport } from '../../electron/core/audit/session-gaps.ts';
import { declareSession, endSessionDeclaration } from '../../electron/core/sessions/session-start.ts';
import { resolveAsOf } from '../../electron/core/outcomes/as-of.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';

/** The outcome events of a file, read with a plain SQLite reader (not through Attest). */
function outcomeEvents(path: string): string[] {
  const reader = new Database(path, { readonly: true });
  try {
    return (reader.prepare("SELECT ticket_id || ' ' || type FROM events WHERE type LIKE 'outcome.%' ORDER BY ticket_id, type").pluck().all() as string[]).sort();
  } finally {
    reader.close();
  }
}

async function copyOf(source: string, path: string): Promise<string> {
  const db = openDatabase(source);
  await db.backup(path);
  db.close();
  return path;
}

function rowsChangedBy(db: Db): number {
  return db.prepare('SELECT total_changes()').pluck().get() as number;
}

const categoryModeLine = (): Record<string, unknown> => ({
  type: 'category.mode',
  at: new Date().toISOString(),
  actor: { kind: 'human', id: 'sup-1' },
  category: 'billing',
  mode: 'draft',
  reason: 'a person’s change during the verification',
});

describe('the outcome verification in its own thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-verification-thread-'));
  const source = join(dir, 'demo.db');
  const nowMs = Date.now();
  const asOf = resolveAsOf(new Date(nowMs).toISOString(), nowMs);
  let expected: string[] = [];
  const verificationThread = (path: string, gate: WriteGate, onProgress: (progress: VerificationProgress) => void) =>
    new JobThread<VerificationProgress, VerificationReport>(path, { kind: 'verification', asOf: asOf.iso, nowMs }, gate, 'outcome verification', onProgress);

  const copy = (name: string): Promise<string> => copyOf(source, join(dir, name));

  beforeAll(async () => {
    const db = openDatabase(source);
    writeDemoHistory(db, { tickets: 150, seed: 11, accounts: false });
    db.close();
    const reference = await copy('reference.db');
    const referenceDb = openDatabase(reference);
    const report = runVerification(referenceDb, asOf.iso, undefined, { nowMs });
    referenceDb.close();
    expect(report.verifiedAdded).toBeGreaterThan(0);
    expect(report.cancelled).toBeUndefined();
    expected = outcomeEvents(reference);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records what the same verification on this thread records, with none of its writes on the console’s connection', async () => {
    const path = await copy('thread.db');
    const db = openDatabase(path);
    try {
      const progress: VerificationProgress[] = [];
      const before = rowsChangedBy(db);
      const report = await verificationThread(path, new WriteGate(), (p) => progress.push(p)).report;
      expect(report.cancelled).toBeUndefined();
      expect(report.verifiedAdded).toBeGreaterThan(0);
      expect(progress.length).toBeGreaterThan(1);
      expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
      // SQLite counts the rows each connection changed: the console's connection changed none.
      expect(rowsChangedBy(db) - before).toBe(0);
      expect(outcomeEvents(path)).toEqual(expected);
      expect(verifyLedger(db).intact).toBe(true);
    } finally {
      db.close();
    }
  });

  it('writes each batch as one turn of the console’s gate: a person’s change made meanwhile lands between two batches', async () => {
    const path = await copy('gate.db');
    const db = openDatabase(path);
    const gate = new WriteGate();
    const writers: string[] = [];
    const personWrites: Promise<unknown>[] = [];
    try {
      await verificationThread(path, gate, (p) => {
        writers.push(gate.status().writing ?? '');
        if (p.done > 0 && personWrites.length === 0) personWrites.push(gate.write(db, 'category mode', () => recordEvents(db, [categoryModeLine()])));
      }).report;
      await Promise.all(personWrites);
      const seqOf = (type: string, order: 'MIN' | 'MAX'): number =>
        db.prepare(`SELECT ${order}(seq) FROM events WHERE type ${type}`).pluck().get() as number;
      const person = seqOf("= 'category.mode' AND json_extract(payload, '$.reason') LIKE 'a person%'", 'MAX');
      // Not queued behind the whole job: verification events come after the person's change as well as before it.
      expect(person).toBeGreaterThan(seqOf("LIKE 'outcome.%'", 'MIN'));
      expect(person).toBeLessThan(seqOf("LIKE 'outcome.%'", 'MAX'));
      expect(verifyLedger(db).intact).toBe(true);
    } finally {
      db.close();
    }
  });

  it('a closing console stops it between two SQLite calls: the file stays sound, and a second run ends where one uninterrupted run does', async () => {
    const path = await copy('closed.db');
    let stopped = false;
    const job = verificationThread(path, new WriteGate(), () => {
      if (stopped) return;
      stopped = true;
      stopJobThreads(path);
    });
    await expect(job.report).rejects.toThrow(/console closed/);
    const partial = outcomeEvents(path);
    expect(partial.length).toBeLessThan(expected.length);
    const db = openDatabase(path);
    try {
      expect(structuralProblems(db, 'full')).toEqual([]);
      expect(verifyLedger(db).intact).toBe(true);
      const rerun = await verificationThread(path, new WriteGate(), () => undefined).report;
      expect(rerun.cancelled).toBeUndefined();
    } finally {
      db.close();
    }
    expect(outcomeEvents(path)).toEqual(expected);
  });

  it('the auditor pack: made in the thread, the verifier it carries reproduces it, and the console’s connection wrote none of it', async () => {
    const path = await copy('pack.db');
    const db = openDatabase(path);
    try {
      const before = rowsChangedBy(db);
      const signer = loadOrCreateInstallationKey({ dir: join(dir, 'key') });
      const packDir = join(dir, 'pack');
      const summary = await new JobThread<never, PackSummary>(path, { kind: 'pack', dir: packDir, signer }, new WriteGate(), 'auditor pack', () => undefined).report;
      expect(summary.missing).toEqual([]);
      expect(rowsChangedBy(db) - before).toBe(0);
      // Its checkpoint, appended by the thread's connection, is the last event and covers every event before it.
      expect(new LedgerRepository(db).lastEvent().seq).toBe(summary.checkpointSeq);
      expect(summary.treeSize).toBe(summary.checkpointSeq - 1);
      const verify = spawnSync(process.execPath, [join(packDir, 'attest-verify.mjs'), packDir], { encoding: 'utf8' });
      expect(verify.stdout).toMatch(/^PACK OK: /);
      expect(verify.status).toBe(0);
    } finally {
      db.close();
    }
  });

  it('a closing console stops a pack that waits inside SQLite for its checkpoint’s turn, without waiting for that turn', async () => {
    const path = await copy('pack-waiting.db');
    let queuedPack!: () => void;
    const packQueued = new Promise<void>((resolve) => (queuedPack = resolve));
    const gate = new WriteGate({ onStatus: (status) => status.queued.includes('checkpoint of the pack') && queuedPack() });
    // Another write holds the gate until the test lets it go: the pack's checkpoint can only queue behind it.
    let release!: () => void;
    const other = gate.hold('a long import', () => new Promise<void>((resolve) => (release = resolve)));
    const signer = loadOrCreateInstallationKey({ dir: join(dir, 'key') });
    const job = new JobThread<never, PackSummary>(path, { kind: 'pack', dir: join(dir, 'waiting-pack'), signer }, gate, 'auditor pack', () => undefined);
    await packQueued;
    // Returns once nothing runs in the job's thread: the pack is told to give up the turn it waits for.
    stopJobThreads(path);
    await expect(job.report).rejects.toThrow();
    release();
    await other;
    expect(existsSync(join(dir, 'waiting-pack'))).toBe(false);
  });

  it('a closing console stops a pack that is past its checkpoint, at its next step, and no folder is left', async () => {
    const path = await copy('pack-stopped.db');
    const packDir = join(dir, 'stopped-pack');
    let closed!: () => void;
    const closing = new Promise<void>((resolve) => (closed = resolve));
    let asked = false;
    // Once the pack's checkpoint has its turn, the console closes (on its next turn of the event loop, as a window
    // closing would): the pack is then writing its checkpoint or its files, never waiting for a turn.
    const gate = new WriteGate({
      onStatus: (status) => {
        if (asked || status.writing !== 'checkpoint of the pack') return;
        asked = true;
        setImmediate(() => {
          stopJobThreads(path);
          closed();
        });
      },
    });
    const signer = loadOrCreateInstallationKey({ dir: join(dir, 'key') });
    const job = new JobThread<never, PackSummary>(path, { kind: 'pack', dir: packDir, signer }, gate, 'auditor pack', () => undefined);
    await closing;
    // Without the pack's own checks the close waits for the whole pack, which then reports its summary.
    await expect(job.report).rejects.toThrow(PackStopped);
    expect(existsSync(packDir)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('stopped-pack'))).toEqual([]);
    // Its checkpoint is an event of the ledger like any other: the chain holds.
    const db = openDatabase(path);
    try {
      expect(db.prepare('SELECT type FROM events ORDER BY seq DESC LIMIT 1').pluck().get()).toBe('checkpoint');
      expect(verifyLedger(db).intact).toBe(true);
    } finally {
      db.close();
    }
  });

  it('records the process’s session.started of the day only if the process has not, and the console then knows it has', async () => {
    const sessions = (db: Db): number => db.prepare("SELECT count(*) FROM events WHERE type = 'session.started'").pluck().get() as number;
    const today = new Date().toISOString().slice(0, 10);
    declareSession({ via: 'console' });
    try {
      // The process has not written to this file today: the job's first batch begins with the session line.
      const fresh = await copy('session-fresh.db');
      const db = openDatabase(fresh);
      try {
        const before = sessions(db);
        // Events the demo generator recorded today, declaring no session: the gap report lists them, and the job's
        // events must not join them.
        const unannounced = (): (number | null)[] => sessionGapReport(db).findings.filter((finding) => finding.day === today).map((finding) => ('events' in finding ? finding.events : null));
        const unannouncedBefore = unannounced();
        await verificationThread(fresh, new WriteGate(), () => undefined).report;
        expect(sessions(db) - before).toBe(1);
        expect(unannounced()).toEqual(unannouncedBefore);
        // The console's own next write knows the day's session is recorded.
        recordEvents(db, [categoryModeLine()]);
        expect(sessions(db) - before).toBe(1);
      } finally {
        db.close();
      }
      // The console wrote first: the job adds no second session line.
      const written = await copy('session-written.db');
      const other = openDatabase(written);
      try {
        recordEvents(other, [categoryModeLine()]);
        const before = sessions(other);
        await verificationThread(written, new WriteGate(), () => undefined).report;
        expect(sessions(other)).toBe(before);
      } finally {
        other.close();
      }
    } finally {
      endSessionDeclaration();
    }
  });

  it('cancelled, it ends between batches with a report that says so', async () => {
    const path = await copy('cancelled.db');
    let job: JobThread<VerificationProgress, VerificationReport> | null = null;
    job = verificationThread(path, new WriteGate(), () => job?.cancel());
    const report = await job.report;
    expect(report.cancelled).toBe(true);
    expect(outcomeEvents(path).length).toBeLessThan(expected.length);
  });
});

describe('a helpdesk import in its own thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-import-thread-'));
  const source = join(dir, 'ledger.db');
  const actor = { kind: 'human', id: 'admin-1' } as const;
  const csvRows = (n: number): string =>
    `Ticket ID,Subject,Created time,Status\n${Array.from({ length: n }, (_, i) => `TH-${i + 1},Printer ${i + 1} jams,2026-10-04 09:${String(i % 60).padStart(2, '0')}:00,Open`).join('\n')}\n`;

  function csvFile(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  const copy = (name: string): Promise<string> => copyOf(source, join(dir, name));

  /** What an import appended, without the instants and hashes that differ between two runs. */
  function appendedAfter(path: string, seq: number): unknown[] {
    const reader = new Database(path, { readonly: true });
    try {
      return reader.prepare("SELECT ticket_id, type, at, actor, payload FROM events WHERE seq > ? AND type <> 'import.file' ORDER BY seq").raw().all(seq);
    } finally {
      reader.close();
    }
  }

  const importThread = (path: string, file: string, onProgress: (progress: ImportProgress) => void = () => undefined) =>
    new JobThread<ImportProgress, ImportFileReport>(path, { kind: 'import', format: 'freshdesk', path: file, name: 'tickets.csv', actor }, new WriteGate(), 'import of tickets.csv', onProgress);

  beforeAll(() => {
    const db = openDatabase(source);
    writeDemoHistory(db, { tickets: 20, seed: 3, accounts: false });
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('appends what the same import on this thread appends, with none of its writes on the console’s connection', async () => {
    const file = csvFile('good.csv', csvRows(3000));
    const [threaded, reference] = [await copy('threaded.db'), await copy('reference.db')];
    const referenceDb = openDatabase(reference);
    const headSeq = new LedgerRepository(referenceDb).lastEvent().seq;
    const expected = importFileSync(referenceDb, { format: 'freshdesk', path: file, name: 'tickets.csv', actor });
    referenceDb.close();

    const db = openDatabase(threaded);
    try {
      const before = rowsChangedBy(db);
      const progress: ImportProgress[] = [];
      const report = await importThread(threaded, file, (p) => progress.push(p)).report;
      expect(report.events).toBe(expected.events);
      expect(report.rows).toBe(3000);
      expect(progress.length).toBeGreaterThan(0);
      expect(rowsChangedBy(db) - before).toBe(0);
      expect(verifyLedger(db).intact).toBe(true);
    } finally {
      db.close();
    }
    expect(appendedAfter(threaded, headSeq)).toEqual(appendedAfter(reference, headSeq));
  });

  it('a bad row fails it with the file, line and field, as the same error class; nothing is appended', async () => {
    const path = await copy('bad.db');
    const file = csvFile('bad.csv', `${csvRows(5)}TH-9,Broken,not a time,Open\n`);
    const before = eventCount(path);
    const failed = importThread(path, file).report;
    await expect(failed).rejects.toBeInstanceOf(ImportError);
    await expect(failed).rejects.toThrow(/^tickets\.csv:7: /);
    expect(eventCount(path)).toBe(before);
  });

  it('cancelled, or stopped by a closing console, it is rolled back whole', async () => {
    const file = csvFile('large.csv', csvRows(20_000));
    const cancelledPath = await copy('cancelled-import.db');
    const before = eventCount(cancelledPath);
    let cancelled: JobThread<ImportProgress, ImportFileReport> | null = null;
    cancelled = importThread(cancelledPath, file, () => cancelled?.cancel());
    await expect(cancelled.report).rejects.toBeInstanceOf(ImportCancelled);
    expect(eventCount(cancelledPath)).toBe(before);

    const closedPath = await copy('closed-import.db');
    let stopped = false;
    const closed = importThread(closedPath, file, () => {
      if (stopped) return;
      stopped = true;
      stopJobThreads(closedPath);
    });
    await expect(closed.report).rejects.toThrow();
    const db = openDatabase(closedPath);
    try {
      expect(new LedgerRepository(db).count()).toBe(before);
      expect(structuralProblems(db, 'full')).toEqual([]);
    } finally {
      db.close();
    }
  });
});

/** Events in a file, counted with a plain SQLite reader. */
function eventCount(path: string): number {
  const reader = new Database(path, { readonly: true });
  try {
    return reader.prepare('SELECT count(*) FROM events').pluck().get() as number;
  } finally {
    reader.close();
  }
}
