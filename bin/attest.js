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
await import('../electron/adapters/cli/main.ts');
