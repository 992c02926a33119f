// The console side of the "console" phase, in a process of its own: the demo database opened by openCore exactly as
// `attest serve --demo` opens it, served by the real HTTP bridge on 127.0.0.1. The parent (console-phase.ts) is
// the browser: it sends real HTTP requests with the run's token and the session cookie. This process also watches
// its own event loop (perf_hooks), so the bench can say whether a request could have waited on blocking work here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { startHttpBridge } from '../../electron/adapters/http/server.ts';
import { DAILY_CHECKPOINT_MS } from '../../electron/core/checkpoints/checkpoint-schedule.ts';
import { openCore } from '../../electron/core/service.ts';
import { peakRss } from './bench-kit.ts';

/**
 * The event loop's delays over a stretch of requests, and V8's garbage-collection pauses in it (they stop the loop
 * too): the longest, and how many took over 100 ms.
 */
export interface ConsoleStall {
  maxMs: number;
  p99Ms: number;
  gc: { pauses: number; maxMs: number; over100Ms: number; totalMs: number };
  /** The longest stretches the loop did not turn (over LONG_STALL_MS), longest first, each with the wall-clock ms it ended. */
  longest: { endEpochMs: number; ms: number }[];
}

/** A stall worth naming the requests of: over 50 ms, seen by a timer of 10 ms. */
const LONG_STALL_MS = 50;
const TICK_MS = 10;

export type ServerMessage = { cmd: 'stall-start' } | { cmd: 'stall-stop' } | { cmd: 'close' };
export interface ServerReply {
  ready?: { port: number; token: string; openMs: number };
  stall?: ConsoleStall;
  closed?: { peakRss: number };
}

const [dbPath] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: console-server.ts DB');
const started = performance.now();
const core = openCore({ dbPath, role: 'admin', mode: 'browser', checkpointEveryMs: DAILY_CHECKPOINT_MS, demo: true, session: { via: 'console' } });
const openMs = performance.now() - started;
// The bridge needs a folder for the console's files; the bench asks only /api, so an empty one will do (removed
// when this process ends, however it ends short of a kill).
const staticDir = mkdtempSync(join(tmpdir(), 'attest-bench-static-'));
process.once('exit', () => rmSync(staticDir, { recursive: true, force: true }));
const bridge = await startHttpBridge({ core, staticDir });
const stalls = monitorEventLoopDelay({ resolution: 10 });
let gcPauses: number[] = [];
const gcWatch = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
});
// Each long stall with the moment it ended, so the bench can name the requests in flight during it.
let longStalls: { endEpochMs: number; ms: number }[] = [];
let lastTick = performance.now();
const watchdog = setInterval(() => {
  const now = performance.now();
  const late = now - lastTick - TICK_MS;
  if (late > LONG_STALL_MS) longStalls.push({ endEpochMs: performance.timeOrigin + now, ms: late });
  lastTick = now;
}, TICK_MS);
watchdog.unref();
const reply = (message: ServerReply): void => void process.send!(message);

process.on('message', (message: ServerMessage) => {
  if (message.cmd === 'stall-start') {
    stalls.reset();
    stalls.enable();
    gcPauses = [];
    gcWatch.observe({ entryTypes: ['gc'] });
    longStalls = [];
    lastTick = performance.now();
  } else if (message.cmd === 'stall-stop') {
    stalls.disable();
    gcWatch.disconnect();
    const gc = { pauses: gcPauses.length, maxMs: Math.max(0, ...gcPauses), over100Ms: gcPauses.filter((ms) => ms > 100).length, totalMs: gcPauses.reduce((sum, ms) => sum + ms, 0) };
    const longest = longStalls.sort((a, b) => b.ms - a.ms).slice(0, 3);
    reply({ stall: { maxMs: stalls.max / 1e6, p99Ms: stalls.percentile(99) / 1e6, gc, longest } });
  } else if (message.cmd === 'close') {
    void bridge
      .close()
      .then(() => core.closeAsync())
      .then(() => {
        reply({ closed: { peakRss: peakRss() } });
        process.disconnect();
      });
  }
});
// The bench is gone (closed us, or died): nothing is left to serve.
process.once('disconnect', () => process.exit(0));
reply({ ready: { port: bridge.port, token: bridge.token, openMs } });
