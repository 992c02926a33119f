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
// Node's compile cache (in the system's temp folder, keyed by each file's content) keeps the stripped and compiled
// TypeScript between runs: a command starts in about two thirds of the time. Worker threads and child processes find
// the folder in the environment.
const { enableCompileCache } = await import('node:module');
const compileCache = enableCompileCache?.();
if (compileCache?.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = compileCache.directory;
await import('../electron/adapters/cli/main.ts');
