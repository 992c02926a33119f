// `npm run test:unit`: Vitest over tests/unit, with one allowance for a test process that dies. Vitest runs each file in
// a forked process; when one dies (Vitest says only "Worker exited unexpectedly") the run fails without naming the file.
// (The deaths CI saw came from two copies of SQLite in one test process — see eslint.config.js — and are gone; this
// stays so that a new one is named.) Here the file is named, and — only when no test failed — run
// once more on its own: a file that dies again, or fails, fails the run. Every death is printed, never hidden.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnfinishedReport } from '../tests/support/unfinished-files-reporter.ts';

const REPORTER = 'tests/support/unfinished-files-reporter.ts';
const scratch = mkdtempSync(join(tmpdir(), 'attest-unit-run-'));

function vitest(label: string, files: string[]): { code: number; report: UnfinishedReport | null } {
  const reportPath = join(scratch, `${label}.json`);
  const run = spawnSync('vitest', ['run', '--reporter=default', `--reporter=./${REPORTER}`, ...process.argv.slice(2), ...files], {
    stdio: 'inherit',
    env: { ...process.env, ATTEST_UNFINISHED_REPORT: reportPath },
  });
  let report: UnfinishedReport | null = null;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8')) as UnfinishedReport;
  } catch {
    // No report: Vitest itself failed before the end of the run; its exit code says so.
  }
  return { code: run.status ?? 1, report };
}

let exitCode: number;
try {
  const first = vitest('all', []);
  exitCode = first.code;
  const died = first.report?.unfinished ?? [];
  if (first.code !== 0 && died.length > 0 && first.report?.failedTests === 0) {
    console.error(`\nattest: ${died.length} test file(s) lost their test process with no failing test: ${died.join(', ')}`);
    console.error('attest: running them once more on their own; a second death or any failure fails the run\n');
    const again = vitest('again', died);
    exitCode = again.code !== 0 || (again.report?.unfinished.length ?? 1) > 0 ? 1 : 0;
    console.error(exitCode === 0 ? `attest: the re-run of ${died.join(', ')} passed` : 'attest: the re-run failed too');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);
