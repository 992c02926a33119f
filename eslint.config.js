// Layering rules: the domain core knows nothing of Electron or React; the renderer nothing of Node or
// Electron; shared/ nothing of either. These rules keep the architecture true as the code grows.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net', 'url', 'events', 'worker_threads', 'better-sqlite3', 'better-sqlite3-multiple-ciphers'];

const CORE_RESTRICTIONS = {
  paths: [{ name: 'electron', message: 'The domain core must not depend on Electron.' }],
  patterns: [
    { group: ['react', 'react-dom', 'react/*', 'zustand', 'recharts'], message: 'The domain core must not depend on UI libraries.' },
    { group: ['**/adapters/**', '**/main/**', '**/preload/**', '**/renderer/**'], message: 'The core must not import its adapters or the UI.' },
  ],
};

/** The folders of electron/core above the ledger and db layers. */
const CORE_FEATURE_FOLDERS = ['ai', 'categories', 'kb', 'kpis', 'outcomes', 'sla', 'importers', 'tickets', 'checkpoints', 'handlers', 'derived', 'interchange', 'demo'];

export default tseslint.config(
  { ignores: ['node_modules/', 'tmp/', 'dist/', 'dist-electron/', 'release/', 'test-results/', 'playwright-report/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // One copy of SQLite per process. A second one (plain better-sqlite3 beside better-sqlite3-multiple-ciphers)
      // does not share the first one's POSIX locks or its WAL index: opening the same file with both let one truncate
      // the shared-memory file the other had mapped, and the process died of SIGBUS (sqlite.org/howtocorrupt.html
      // §2.2.1). Its types describe the API both share and may still be imported.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'better-sqlite3', message: 'Open SQLite with better-sqlite3-multiple-ciphers (the driver Attest uses): a second copy of SQLite in the process breaks the first one\'s locks.', allowTypeImports: true }] },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', CORE_RESTRICTIONS],
      // A statement from preparedOnce is shared by every holder on its connection (db/statement-cache.ts): a mode set
      // on it would change it for all of them, and an iteration would make it busy for all of them.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.callee.name='preparedOnce'][callee.property.name=/^(raw|pluck|expand|bind|iterate|safeIntegers)$/]",
          message: 'A statement from preparedOnce is shared: give the mode as its third argument, and prepare one of your own to iterate.',
        },
      ],
    },
  },
  {
    // Inside the core the ledger and the database sit at the bottom: features register with them
    // (electron/core/features.ts), they never import a feature. (This block replaces the core's rule for
    // these folders, so it repeats the core's restrictions.)
    files: ['electron/core/ledger/**/*.ts', 'electron/core/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...CORE_RESTRICTIONS,
          patterns: [
            ...CORE_RESTRICTIONS.patterns,
            {
              regex: `^(\\.\\./)+(core/)?(${CORE_FEATURE_FOLDERS.join('|')})(/|$)|^(\\.\\./)+(core/)?(features|service|service-api|demo-database)\\.ts$`,
              message: 'The ledger and db layers know no feature: a feature registers its event types and projections in electron/core/features.ts.',
            },
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
