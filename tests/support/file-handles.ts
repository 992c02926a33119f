// What this process holds open on a database, read from the operating system's own table of open files
// (/proc/self/fd, Linux), not from what the code under test says about itself.
import { readdirSync, readlinkSync } from 'node:fs';

/** Descriptors this process holds open on the file or its -wal/-shm companions. */
export function handlesOn(path: string): string[] {
  const held: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target === path || target === `${path}-wal` || target === `${path}-shm`) held.push(target);
    } catch {
      // the descriptor closed between the listing and the look
    }
  }
  return held;
}
