import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { makePrivateTempDir, removeAbandonedTempDirs } from './electron/core/files/private-temp.ts';
import LongFilesFirst, { LONG_FILES } from './tests/support/long-files-first.ts';

// Node's compile cache for the worker threads and `attest` processes the tests start (bin/attest.js enables it for
// itself too): the TypeScript they load is stripped and compiled once, not in every one of them. The cache holds code
// that will run, so each test run makes a private folder of its own (mode 700, a name nobody could take first) and
// removes it when it ends, rather than a fixed name in the shared temp folder; a run that was killed leaves its folder
// to the next run, which removes it (files/private-temp.ts).
if (!process.env.NODE_COMPILE_CACHE) {
  removeAbandonedTempDirs('test-compile-cache');
  const cache = makePrivateTempDir('test-compile-cache');
  process.env.NODE_COMPILE_CACHE = cache;
  process.on('exit', () => rmSync(cache, { recursive: true, force: true }));
}

/**
 * Files that need a test process of their own: one mocks a module (vi.mock would not reach a module another file
 * loaded first), one measures the heap, and the few that run for minutes gain nothing from sharing one.
 */
const OWN_PROCESS = [
  'tests/unit/ipc-adapter.test.ts',
  'tests/unit/ai-load.test.ts',
  ...LONG_FILES.map((name) => `tests/unit/${name}`),
];

export default defineConfig({
  test: {
    root: '.',
    setupFiles: ['tests/unit/setup-attest-home.ts', 'tests/unit/setup-features.ts'],
    environment: 'node',
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: a single worker on a 2-core machine. Many suites wait on
    // child processes, servers and PostgreSQL rather than compute, so two workers there cut the run by about a third
    // (measured on a fresh clone: 850 s with one, 598 s with two).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    sequence: { sequencer: LongFilesFirst },
    // A fork that dies of a V8 fatal error (out of memory, an abort in a native addon) prints Node's diagnostic report
    // to stderr first, so the log says why; scripts/unit-tests.ts names the file it was running.
    execArgv: ['--report-on-fatalerror', '--report-compact', '--report-filename=stderr'],
    projects: [
      // Most files run one after another in a few long-lived test processes: a new process per file loaded the core
      // again (the setup files import every feature): Vitest's setup time over a whole run was 62 s, 0.45 s a file,
      // and is 10 s this way.
      // The setup files still run before every file, each file gets its own ATTEST_HOME and the environment back as
      // it was (setup-attest-home.ts).
      { extends: true, test: { name: 'shared', include: ['tests/unit/**/*.test.ts'], exclude: OWN_PROCESS, isolate: false } },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true } },
    ],
  },
});
