// Layering rules: the domain core knows nothing of Electron or React; the renderer nothing of Node or
// Electron; shared/ nothing of either. These rules keep the architecture true as the code grows.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net', 'url', 'events', 'worker_threads', 'better-sqlite3'];

export default tseslint.config(
  { ignores: ['node_modules/', 'tmp/', 'dist/', 'dist-electron/', 'release/', 'test-results/', 'playwright-report/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The domain core must not depend on Electron.' }],
          patterns: [
            { group: ['react', 'react-dom', 'react/*', 'zustand', 'recharts'], message: 'The domain core must not depend on UI libraries.' },
            { group: ['**/adapters/**', '**/main/**', '**/preload/**', '**/renderer/**'], message: 'The core must not import its adapters or the UI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the core only through the contract.' }],
          patterns: [
            { group: NODE_BUILTINS, message: 'The renderer must not use Node APIs.' },
            { group: ['**/electron/**'], message: 'The renderer reaches the core only through shared/contract.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ is imported by both sides.' }],
          patterns: [
            { group: [...NODE_BUILTINS, 'react', 'react-dom'], message: 'shared/ must run in both the renderer and Node.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ depends on nothing else in the project.' },
          ],
        },
      ],
    },
  },
);
