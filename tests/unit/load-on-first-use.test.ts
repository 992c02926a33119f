// Packages most commands never use are loaded at their first use, not when `attest` starts (load-on-first-use.ts):
// a command that only reads the ledger loads none of them, and the ones that need them still work (the KB, team,
// AI and import tests use each of them).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { loadOnFirstUse } from '../../electron/core/load-on-first-use.ts';
import { tempDb, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const RECORDER = new URL('../fixtures/loaded-modules/record-loaded.mjs', import.meta.url).href;
const LOADED_ON_FIRST_USE = ['gray-matter', 'node-html-parser', 'pg', 'ollama', 'csv-parse'];

/** The packages (names under node_modules) that `attest …args` loaded. */
function packagesLoadedBy(args: string[]): Set<string> {
  const out = join(tempDir(), 'loaded.txt');
  const run = spawnSync(process.execPath, ['--import', RECORDER, BIN, ...args], { encoding: 'utf8', env: { ...process.env, ATTEST_LOADED_MODULES_OUT: out } });
  expect(run.status, run.stderr).toBe(0);
  const packages = readFileSync(out, 'utf8')
    .split('\n')
    .map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1])
    .filter((name): name is string => name !== undefined);
  return new Set(packages);
}

describe('packages loaded on first use', () => {
  it('are not loaded by `attest --help` or by `attest verify`, which load the others they need', () => {
    const { db, path } = tempDb();
    recordEvents(db, [{ type: 'created', ticket: 'T-1', at: '2026-11-02T09:00:00.000Z', subject: 'Cannot sign in', channel: 'email', priority: 'normal', category: 'password_reset' }]);
    db.close();
    for (const args of [['--help'], ['verify', '--db', path]]) {
      const loaded = packagesLoadedBy(args);
      // The recorder sees packages (the contract's schemas and the SQLite driver are loaded at start-up)…
      expect(loaded.has('zod'), args.join(' ')).toBe(true);
      // …and not these.
      expect(LOADED_ON_FIRST_USE.filter((name) => loaded.has(name)), args.join(' ')).toEqual([]);
    }
  });

  it('loads a package once, at the first call', () => {
    const getter = loadOnFirstUse<{ parse: (text: string) => string[][] }>('csv-parse/sync');
    expect(getter()).toBe(getter());
    expect(getter().parse('a,b\n1,2\n')).toEqual([['a', 'b'], ['1', '2']]);
  });
});
