#!/usr/bin/env node
// Entry point of the `attest` command. The sources are TypeScript run directly by Node's type stripping.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `attest: needs Node >= 22.18 (this is ${process.version}). Run it through npm ("npx attest …" or "npm exec attest"), ` +
      'which uses the Node 24 installed with the project.\n',
  );
  process.exit(1);
}
// Node's compile cache keeps the stripped and compiled TypeScript between runs, keyed by each file's content: a command
// starts in about half the time. It holds code that will run, so it lives in this user's own cache folder (created
// with mode 700), not in the shared temp folder where another account could plant code; NODE_COMPILE_CACHE names
// another. Worker threads and child processes find the folder in the environment.
const { enableCompileCache } = await import('node:module');
const { mkdirSync } = await import('node:fs');
const { homedir } = await import('node:os');
const { join } = await import('node:path');
function usersCacheFolder() {
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'attest', 'compile-cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'attest', 'compile-cache');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'attest', 'compile-cache');
}
let compileCache = process.env.NODE_COMPILE_CACHE;
if (!compileCache) {
  try {
    compileCache = usersCacheFolder();
    mkdirSync(compileCache, { recursive: true, mode: 0o700 });
  } catch {
    compileCache = undefined; // no writable home folder: run without the cache
  }
}
if (compileCache && enableCompileCache?.(compileCache)?.directory) process.env.NODE_COMPILE_CACHE = compileCache;
await import('../electron/adapters/cli/main.ts');
