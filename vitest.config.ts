import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: '.',
    include: ['tests/unit/**/*.test.ts'],
    setupFiles: ['tests/unit/setup-attest-home.ts', 'tests/unit/setup-features.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
  },
});
