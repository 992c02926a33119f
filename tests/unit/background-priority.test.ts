// Background checks lower their own thread's priority (electron/core/verification/background-priority.ts) so the
// console's thread and its read threads get the processor first. Read back from the kernel: /proc/<pid>/task/<tid>/stat
// (field 19 is the nice value), for the thread that asked, a thread it started, and the main thread, which keeps 0.
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { BACKGROUND_NICE, kernelThreadId } from '../../electron/core/verification/background-priority.ts';
import { CheckThread } from '../../electron/core/verification/check-thread.ts';
import { tempDb } from './helpers.ts';

/** The nice value of a thread of this process, from the kernel's own record of it. */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const MODULE = new URL('../../electron/core/verification/background-priority.ts', import.meta.url).href;

/** A thread that lowers its priority, starts a thread of its own, and reports both thread ids; both wait until told. */
const THREAD = `
  const { parentPort, Worker, workerData } = require('node:worker_threads');
  import(workerData.module).then(async ({ runAsBackgroundWork, kernelThreadId }) => {
    const lowered = runAsBackgroundWork();
    const child = new Worker("const { parentPort } = require('node:worker_threads'); import(" + JSON.stringify(workerData.module) + ").then(({ kernelThreadId }) => { parentPort.postMessage(kernelThreadId()); parentPort.once('message', () => process.exit(0)); });", { eval: true });
    const childTid = await new Promise((resolve) => child.once('message', resolve));
    parentPort.postMessage({ lowered, tid: kernelThreadId(), childTid });
    parentPort.once('message', () => { child.postMessage('end'); child.once('exit', () => process.exit(0)); });
  });
`;

describe.runIf(process.platform === 'linux')('background checks run at a lower priority', () => {
  it('lowers the calling thread and the threads it starts, and leaves the console’s thread as it was', async () => {
    const mainTid = kernelThreadId()!;
    expect(mainTid).toBe(process.pid);
    const before = niceOf(mainTid);
    const worker = new Worker(THREAD, { eval: true, workerData: { module: MODULE } });
    try {
      const report = await new Promise<{ lowered: boolean; tid: number; childTid: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(report.lowered).toBe(true);
      expect(niceOf(report.tid)).toBe(BACKGROUND_NICE);
      expect(niceOf(report.childTid)).toBe(BACKGROUND_NICE);
      expect(niceOf(mainTid)).toBe(before);
    } finally {
      worker.postMessage('end');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });

  it('is how the console’s full and deep check runs: its threads are seen at the lower priority while it works', async () => {
    const { db, path } = tempDb();
    writeDemoHistory(db, { tickets: 300, seed: 2, accounts: false });
    db.close();
    const lowered = new Set<string>();
    const look = (): void => {
      for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
        try {
          if (niceOf(Number(tid)) === BACKGROUND_NICE) lowered.add(tid);
        } catch {
          // the thread ended between the listing and the read
        }
      }
    };
    const check = new CheckThread(path, { deep: true, threads: 2, minEvents: 1, keepAlive: true });
    const watching = setInterval(look, 2);
    const outcome = await check.ended;
    clearInterval(watching);
    expect(outcome.kind).toBe('done');
    // The check thread, and the chain threads it started, all seen at nice 10; this thread never.
    expect(lowered.size).toBeGreaterThanOrEqual(2);
    expect(lowered.has(String(process.pid))).toBe(false);
  });

  it('the check and job threads lower their priority before they load the core: their entry files load nothing else first', () => {
    for (const entry of ['../../electron/core/verification/deep-worker.ts', '../../electron/core/handlers/job-worker.ts']) {
      const source = readFileSync(new URL(entry, import.meta.url), 'utf8');
      // Static imports are loaded before any line of the file runs: only the priority's own module may be one.
      const staticImports = [...source.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gm)].map((match) => match[1]);
      expect(staticImports, entry).toEqual([expect.stringMatching(/background-priority\.ts$/)]);
      const lowered = source.indexOf('runAsBackgroundWork();');
      const body = source.search(/\bimport\('\.\/[a-z-]+-main\.ts'\)/);
      expect(lowered, entry).toBeGreaterThan(0);
      expect(body, entry).toBeGreaterThan(lowered);
    }
  });
});
