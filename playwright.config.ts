import { availableParallelism } from 'node:os';
import { defineConfig } from '@playwright/test';

// No webServer: every test starts its own `attest serve` on a fresh demo database (tests/e2e/fixtures.ts).
// The console must be built first (`npm run build:renderer`), which `npm run test:e2e` does.
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  // One test already keeps about two cores busy (its browser, its `attest serve` and the runner): on two cores, two
  // workers took as long as one (the whole suite: 8.5 min either way, each test twice as slow) and made every timing
  // in a test twice as tight. One core is left for that, the rest run tests side by side.
  workers: Math.max(1, availableParallelism() - 1),
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    // No trace by default: recording one for every test cost about a fifth of the run's time on two cores (measured
    // on the navigation and search specs: 40–42 s without, 51–59 s with); `--trace retain-on-failure` records them.
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.ATTEST_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
