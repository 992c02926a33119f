// Private temporary folders for files that hold ticket text (uploads). Each is named after the process that made it
// (`attest-<purpose>-<pid>-XXXXXX`, mode 0700) so that a later process can tell an abandoned folder — its maker was
// killed before it could clean up — from one still in use, and remove it.
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

export function makePrivateTempDir(purpose: string, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, `attest-${purpose}-${process.pid}-`));
  chmodSync(dir, 0o700);
  return dir;
}

/**
 * Removes this user's folders of `purpose` whose process is gone; returns how many. Folders of live processes, of
 * other users, and anything not named like ours are left alone.
 */
export function removeAbandonedTempDirs(purpose: string, parent = tmpdir()): number {
  const pattern = new RegExp(`^attest-${purpose}-(\\d+)-`);
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return 0;
  }
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processIsAlive(pid)) continue;
    const path = join(parent, name);
    try {
      const stat = statSync(path);
      if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) continue;
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
  return removed;
}
