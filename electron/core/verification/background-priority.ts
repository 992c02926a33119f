// The console's whole-file checks are background work: while they run, a person clicking through the console should
// get the processor first. Linux schedules every thread on its own and lets a thread lower its own priority (raise
// its nice value) without any privilege, so the check thread does that when it starts; the chain threads it starts
// inherit the value. Elsewhere (macOS, Windows: no per-thread nice through Node) the threads keep the normal priority.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of background checks: a nice-0 thread gets about nine times the processor of one at 10. */
export const BACKGROUND_NICE = 10;

/** This thread's id as the kernel knows it (/proc/thread-self links to "<pid>/task/<tid>"), or null. */
export function kernelThreadId(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Lowers the calling thread's priority to BACKGROUND_NICE where the platform allows it; says whether it did. */
export function runAsBackgroundWork(): boolean {
  const tid = kernelThreadId();
  if (tid === null) return false;
  try {
    setPriority(tid, BACKGROUND_NICE);
    return true;
  } catch {
    return false; // a sandbox that forbids setpriority: the check still runs, at the normal priority
  }
}
