// `npm start`: builds the console (vite) and the Electron bundles, then opens the desktop app.
// When the Electron binary is not available (not downloaded, blocked, unsupported platform) it says so
// and serves the same console in the browser via `attest serve` on the per-user demo database.
//
//   npm start                       demo database (created on first run)
//   npm start -- --db=path/to.db    another database
//   npm start -- --skip-build       reuse dist/ and dist-electron/ as they are
//   npm start -- --browser          browser mode even when Electron is available
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const OWN_FLAGS = new Set(['--skip-build', '--browser']);
const argv = process.argv.slice(2);
const skipBuild = argv.includes('--skip-build');
const forceBrowser = argv.includes('--browser');
// npm runs scripts in the package root; resolve --db against the directory `npm start` was typed in.
const userCwd = process.env.INIT_CWD ?? process.cwd();
const passthrough = argv
  .filter((arg) => !OWN_FLAGS.has(arg))
  .map((arg, i, all) => {
    if (arg.startsWith('--db=')) return `--db=${resolve(userCwd, arg.slice(5))}`;
    if (all[i - 1] === '--db') return resolve(userCwd, arg);
    return arg;
  });

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

async function buildAll(): Promise<void> {
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  console.log('start: building the console (vite build)…');
  await run(process.execPath, [viteBin, 'build']);
  console.log('start: bundling the Electron main process and preload…');
  await buildElectron();
}

/** The Electron executable, or the reason there is none. */
function findElectron(): { path: string } | { reason: string } {
  try {
    const path: unknown = require('electron');
    if (typeof path !== 'string' || path === '') return { reason: "require('electron') did not return a path" };
    if (!existsSync(path)) return { reason: `${path} does not exist` };
    return { path };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { reason: message.split('\n')[0] ?? message };
  }
}

function forwardSignals(child: ChildProcess): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startElectron(electronPath: string): void {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electronPath, [root, ...passthrough], { cwd: root, stdio: 'inherit', env });
  child.on('error', (error) => {
    console.error(`start: could not launch Electron: ${error.message}`);
    process.exit(1);
  });
  forwardSignals(child);
}

/** `--db=FILE` / `--db FILE` from the arguments, if any. */
function dbArgument(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--db=')) return arg.slice(5);
    if (arg === '--db') return args[i + 1];
  }
  return undefined;
}

async function startBrowser(): Promise<void> {
  const { DEMO_DATABASE_NAME, ensureDemoDatabase, userDataDir } = await import('../electron/main/database-path.ts');
  let serveArgs = passthrough;
  if (!dbArgument(passthrough)) {
    const demo = join(userDataDir(), DEMO_DATABASE_NAME);
    if (!existsSync(demo)) console.log(`start: creating the demo database ${demo} (first run)…`);
    if (ensureDemoDatabase(demo)) console.log('start: demo database ready.');
    // The demo's sign-in screen lists its demo accounts (their passwords are published).
    serveArgs = ['--db', demo, '--demo', ...passthrough];
  }
  const child = spawn(process.execPath, [join(root, 'bin', 'attest.js'), 'serve', ...serveArgs], {
    cwd: root,
    stdio: 'inherit',
  });
  child.on('error', (error) => {
    console.error(`start: could not start attest serve: ${error.message}`);
    process.exit(1);
  });
  forwardSignals(child);
}

async function main(): Promise<void> {
  if (!skipBuild) await buildAll();
  const electron = forceBrowser ? { reason: '--browser was given' } : findElectron();
  if ('path' in electron) {
    console.log(`start: opening Attest (${electron.path})`);
    startElectron(electron.path);
    return;
  }
  console.log(
    `Electron binary is not available on this machine (${electron.reason}); opening the console in browser mode instead.`,
  );
  await startBrowser();
}

main().catch((error: unknown) => {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
