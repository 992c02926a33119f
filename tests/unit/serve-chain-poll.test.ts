// `attest serve` takes the chain monitor's poll interval from ATTEST_CHAIN_POLL_MS (a tuning knob the browser tests
// set low); a value that is not a whole number of milliseconds is a usage error before anything is served.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

function attest(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('attest serve ATTEST_CHAIN_POLL_MS', () => {
  it.each(['soon', '-5', '1.5'])('refuses %j with exit 2 and names the variable', (value) => {
    const db = join(tempDir(), 'a.db');
    expect(attest({}, 'import', '--db', db, '--format', 'jsonl', SMALL_FIXTURE).code).toBe(0);

    const served = attest({ ATTEST_CHAIN_POLL_MS: value }, 'serve', '--db', db, '--port', '0');
    expect(served.code).toBe(2);
    expect(served.stderr).toContain(`ATTEST_CHAIN_POLL_MS: must be a non-negative integer, got "${value}"`);
    expect(served.stdout).not.toContain('http://');
  });
});
