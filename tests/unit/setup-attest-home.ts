// Every test file (and every CLI it spawns, which inherits the environment) keeps installation keys in a temporary
// folder of its own, never in the user's real ~/.config/attest. Files may share a test process (vitest.config.ts):
// each gets a fresh folder, and the environment is put back as it was when the file ends, so no file sees what
// another one set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { cleanUpAfterTest } from './helpers.ts';

afterEach(cleanUpAfterTest);

const environment = { ...process.env };
const home = mkdtempSync(join(tmpdir(), 'attest-home-'));
process.env.ATTEST_HOME = home;
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
  Object.assign(process.env, environment);
});
