// A Vitest reporter that names the test files whose test process died under them. Vitest reports such a death only as
// "Worker exited unexpectedly", without the file, the exit code or the signal (a native crash, an abort or an
// out-of-memory kill of the fork all look the same). This reporter records which files started and never finished,
// and how many tests failed, in the JSON file named by ATTEST_UNFINISHED_REPORT, for scripts/unit-tests.ts.
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export interface UnfinishedReport {
  unfinished: string[];
  failedTests: number;
}

export default class UnfinishedFilesReporter implements Reporter {
  private readonly started = new Set<string>();
  private readonly ended = new Set<string>();

  onTestModuleStart(module: TestModule): void {
    this.started.add(module.moduleId);
  }

  onTestModuleEnd(module: TestModule): void {
    this.ended.add(module.moduleId);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const unfinished = [...this.started].filter((id) => !this.ended.has(id)).sort();
    let failedTests = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) if (test.result().state === 'failed') failedTests++;
      // A file that failed to load has no tests but did fail.
      if (module.state() === 'failed' && !module.children.size) failedTests++;
    }
    for (const file of unfinished) process.stderr.write(`\nattest: the test process running ${file} died before the file finished\n`);
    const target = process.env.ATTEST_UNFINISHED_REPORT;
    if (target) writeFileSync(target, JSON.stringify({ unfinished, failedTests } satisfies UnfinishedReport));
  }
}
