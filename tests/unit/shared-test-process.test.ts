// Most unit test files share a long-lived test process (vitest.config.ts, project "shared"): one file must still find
// neither another file's ATTEST_HOME nor what another file put in the environment (setup-attest-home.ts). Two fixture
// files run in one process by a real Vitest, each reporting what it found and then leaving a variable and a file
// behind for the other.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const CONFIG = fileURLToPath(new URL('../fixtures/shared-process/vitest.config.ts', import.meta.url));

interface Report {
  file: string;
  pid: number;
  home: string;
  homeExists: boolean;
  homeEntries: string[];
  left: string | null;
}

describe('test files sharing one test process', () => {
  it('each gets a new ATTEST_HOME and the environment as it was before the file before it', () => {
    const run = spawnSync(process.execPath, [VITEST, 'run', '--config', CONFIG, '--reporter=verbose'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const reports = [...run.stdout.matchAll(/REPORT (\{.*\})/g)].map((match) => JSON.parse(match[1]!) as Report);
    expect(reports.map((r) => r.file).sort()).toEqual(['first', 'second']);
    // One process ran both: the case this is about.
    expect(reports[0]!.pid).toBe(reports[1]!.pid);
    expect(reports[0]!.home).not.toBe(reports[1]!.home);
    for (const report of reports) {
      expect(report).toMatchObject({ homeExists: true, homeEntries: [], left: null });
      // Removed when its file ended.
      expect(existsSync(report.home)).toBe(false);
    }
  });
});
