// The SQLite driver Attest uses (better-sqlite3-multiple-ciphers), for test code that reads a file with SQL of its
// own. Loaded by the absolute path of its entry file: Playwright's module hooks resolve the package name (by import
// or require) to its index.d.ts, which Node cannot run. Never plain better-sqlite3: see eslint.config.js (one copy
// of SQLite per process).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);
const entry = join(dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json')), 'lib', 'index.js');
const Database = require(entry) as typeof BetterSqlite3;
export default Database;
