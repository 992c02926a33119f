import { defineConfig } from '@playwright/test';

// Real-Electron smoke tests (tests/electron/*.spec.ts). Not part of the default Playwright run
// (tests/e2e, browser mode). Needs `npm run build` first; every test SKIPS with
// "Electron binary not available: …" on machines without the Electron binary.
//   npx playwright test -c tests/electron/playwright.config.ts
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  reporter: 'list',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  outputDir: '../../test-results/electron',
});
