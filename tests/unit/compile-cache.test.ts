// `attest` keeps Node's compile cache (code that will run) in the user's own cache folder, private to them, and
// never in the shared temp folder unless NODE_COMPILE_CACHE says so (bin/attest.js).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

function attestUsage(env: Record<string, string | undefined>): number | null {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.NODE_COMPILE_CACHE;
  return spawnSync(process.execPath, [BIN, 'help'], { encoding: 'utf8', env: { ...inherited, ...env } }).status;
}

describe.skipIf(process.platform === 'win32' || process.platform === 'darwin')('the compile cache of `attest`', () => {
  it('is a folder of the user’s cache home with mode 700, holding the compiled code after a run', () => {
    const cacheHome = tempDir();
    expect(attestUsage({ XDG_CACHE_HOME: cacheHome })).toBe(0);
    const folder = join(cacheHome, 'attest', 'compile-cache');
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheHome, 'attest')).mode & 0o777).toBe(0o700);
    expect(readdirSync(folder).length).toBeGreaterThan(0);
  });

  it('goes where NODE_COMPILE_CACHE says instead', () => {
    const cacheHome = tempDir();
    const named = join(tempDir(), 'elsewhere');
    expect(attestUsage({ XDG_CACHE_HOME: cacheHome, NODE_COMPILE_CACHE: named })).toBe(0);
    expect(existsSync(join(cacheHome, 'attest'))).toBe(false);
    expect(readdirSync(named).length).toBeGreaterThan(0);
  });
});
