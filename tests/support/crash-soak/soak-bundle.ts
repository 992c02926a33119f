// The soak's worker, compiled once per soak into one JavaScript file with esbuild. A worker is started again after
// every kill; loading Attest's few hundred TypeScript modules one by one (type stripping each) costs about a second
// on a busy CI machine, a single bundle a small fraction of it — which is what lets the regular suite afford 200 kills.
// The bundle runs exactly the sources it was built from, with the installed packages.
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const CHILD = fileURLToPath(new URL('./soak-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Builds the worker into a new folder under the project's git-ignored tmp/ (inside the project, so Node finds the
 * packages in its node_modules) and returns the bundle's path and folder; the caller removes the folder.
 */
export async function bundleSoakWorker(): Promise<{ file: string; dir: string }> {
  await mkdir(join(ROOT, 'tmp'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, 'tmp', 'crash-soak-'));
  const outfile = join(dir, 'soak-worker.mjs');
  await build({
    entryPoints: [CHILD],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Packages bundled too (one file to load), except the native driver and what loads files beside itself.
    external: ['better-sqlite3-multiple-ciphers', 'pg', 'pdfkit'],
    // CommonJS packages in an ES module bundle need a require of their own.
    banner: { js: "import { createRequire as soakCreateRequire } from 'node:module'; const require = soakCreateRequire(import.meta.url);" },
    logLevel: 'error',
    plugins: [
      {
        // Each module finds its files (migrations, resources, package.json) relative to itself: its own
        // import.meta.url is kept, not the bundle's.
        name: 'keep-module-urls',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            const source = await readFile(args.path, 'utf8');
            return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
          });
        },
      },
    ],
  });
  return { file: outfile, dir };
}
