// Every test process (and every CLI it spawns, which inherits the environment) keeps installation keys
// in a temporary folder, never in the user's real ~/.config/attest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

if (!process.env.ATTEST_HOME?.includes('attest-home-')) {
  const home = mkdtempSync(join(tmpdir(), 'attest-home-'));
  process.env.ATTEST_HOME = home;
  afterAll(() => rmSync(home, { recursive: true, force: true }));
}
