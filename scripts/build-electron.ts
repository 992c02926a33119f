// Bundles the Electron main process and the preload with esbuild:
//   electron/main/main.ts       -> dist-electron/main.cjs     (node, cjs; electron + the SQLite drivers external)
//   electron/core/ledger/verify-worker.ts -> dist-electron/verify-worker.cjs (chain verification threads)
//   electron/core/verification/deep-worker.ts -> dist-electron/deep-worker.cjs (the console's deep check)
//   electron/core/handlers/read-worker.ts -> dist-electron/read-worker.cjs (reads that walk every ticket, off the console's thread)
//   electron/core/handlers/job-worker.ts -> dist-electron/job-worker.cjs (the console's outcome verification and imports)
//   electron/core/interchange/parse-ahead-worker.ts -> dist-electron/parse-ahead-worker.cjs (a large demo's lines, parsed ahead)
//   electron/preload/preload.ts -> dist-electron/preload.cjs  (sandboxed preload: one cjs file, only 'electron')
// and copies electron/core/db/migrations/*.sql -> dist-electron/migrations/ and the team ledger's
// electron/core/db/pg-migrations/*.sql -> dist-electron/pg-migrations/ (main.ts points the core there).
// Usage: node scripts/build-electron.ts [--minify]   (also exported as buildElectron() for scripts/start.ts).
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface BuildElectronOptions {
  /** Minify (smaller, used for packaging). Default false: readable stack traces. */
  minify?: boolean;
  quiet?: boolean;
  /** Output directory (default <project>/dist-electron; tests build elsewhere). */
  outDir?: string;
}

export async function buildElectron(options: BuildElectronOptions = {}): Promise<void> {
  const outDir = options.outDir ?? join(root, 'dist-electron');
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const common: BuildOptions = {
    bundle: true,
    format: 'cjs',
    sourcemap: 'linked',
    minify: options.minify ?? false,
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
  };

  // Main-process code (the main bundle, the chain-verification worker).
  const nodeBundle = (entry: string, outfile: string) =>
    build({
      ...common,
      entryPoints: [join(root, entry)],
      outfile: join(outDir, outfile),
      platform: 'node',
      target: 'node22',
      // Native and data-file packages load from node_modules (pdfkit reads its font metrics from disk).
      // better-sqlite3-multiple-ciphers: the encrypting build of the same driver (encryption at rest).
      external: ['electron', 'better-sqlite3-multiple-ciphers', 'pdfkit'],
      // A package the core loads on first use (pdfkit: report-document.ts) is required like any other external one,
      // not imported through the ESM loader from the CommonJS bundle.
      supported: { 'dynamic-import': false },
      // The core is ESM that uses import.meta.url (only as a fallback once the migrations directory is
      // set); give it the bundle's own URL instead of esbuild's empty object.
      define: { 'import.meta.url': '__attestImportMetaUrl' },
      banner: { js: "const __attestImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    });

  await Promise.all([
    nodeBundle('electron/main/main.ts', 'main.cjs'),
    nodeBundle('electron/core/ledger/verify-worker.ts', 'verify-worker.cjs'),
    nodeBundle('electron/core/verification/deep-worker.ts', 'deep-worker.cjs'),
    nodeBundle('electron/core/handlers/read-worker.ts', 'read-worker.cjs'),
    nodeBundle('electron/core/handlers/job-worker.ts', 'job-worker.cjs'),
    nodeBundle('electron/core/interchange/parse-ahead-worker.ts', 'parse-ahead-worker.cjs'),
    build({
      ...common,
      entryPoints: [join(root, 'electron/preload/preload.ts')],
      outfile: join(outDir, 'preload.cjs'),
      // Sandboxed preloads get a browser-like environment with a limited `require` (electron only).
      platform: 'browser',
      target: 'chrome140',
      external: ['electron'],
    }),
  ]);

  const migrationsSrc = join(root, 'electron/core/db/migrations');
  const migrationsOut = join(outDir, 'migrations');
  mkdirSync(migrationsOut, { recursive: true });
  const migrations = readdirSync(migrationsSrc).filter((file) => file.endsWith('.sql'));
  for (const file of migrations) copyFileSync(join(migrationsSrc, file), join(migrationsOut, file));
  // A console connected to a team ledger checks the server's schema against these (pgSchemaProblem).
  const pgMigrationsSrc = join(root, 'electron/core/db/pg-migrations');
  const pgMigrationsOut = join(outDir, 'pg-migrations');
  mkdirSync(pgMigrationsOut, { recursive: true });
  for (const file of readdirSync(pgMigrationsSrc).filter((name) => name.endsWith('.sql'))) copyFileSync(join(pgMigrationsSrc, file), join(pgMigrationsOut, file));

  log(
    `build-electron: ${relative(root, join(outDir, 'main.cjs'))}, ${relative(root, join(outDir, 'preload.cjs'))}, ` +
      `${migrations.length} migration(s) in ${relative(root, migrationsOut)}/`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildElectron({ minify: process.argv.includes('--minify') }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
