// `attest NAME` loads the module of that command alone (command-modules.ts): the table must name, for every command
// of the full list, the module that defines it — and nothing else — and the CLI must find each command through it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../electron/adapters/cli/command-list.ts';
import { COMMAND_MODULES, findCommand } from '../../electron/adapters/cli/command-modules.ts';
import { tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const RECORDER = new URL('../fixtures/loaded-modules/record-loaded.mjs', import.meta.url).href;

describe('the table of command modules', () => {
  it('names every command of the full list, and no other, with the module that defines it', async () => {
    expect(Object.keys(COMMAND_MODULES).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
    for (const command of COMMANDS) {
      const defined = await COMMAND_MODULES[command.name]!();
      expect(defined.includes(command), command.name).toBe(true);
    }
  });

  it('finds the longest name first, and the words after it', async () => {
    expect(await findCommand(['checkpoint', 'add-cosignature'])).toMatchObject({ command: { name: 'checkpoint add-cosignature' }, rest: [] });
    expect(await findCommand(['checkpoint', 'ledger.db'])).toMatchObject({ command: { name: 'checkpoint' }, rest: ['ledger.db'] });
    expect(await findCommand(['statement'])).toMatchObject({ command: { name: 'statement' }, rest: [] });
    expect(await findCommand(['toString'])).toBeNull();
    expect(await findCommand(['nonsense', 'verify'])).toBeNull();
  });

  it('`attest verify` loads its own command module and none of the others; `attest --help` lists every command', () => {
    const out = join(tempDir(), 'loaded.txt');
    const run = spawnSync(process.execPath, ['--import', RECORDER, BIN, 'verify', '--help'], { encoding: 'utf8', env: { ...process.env, ATTEST_LOADED_MODULES_OUT: out } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Usage: attest verify/);
    const commandModules = readFileSync(out, 'utf8')
      .split('\n')
      .filter((url) => url.includes('/electron/adapters/cli/commands/'))
      .map((url) => url.slice(url.lastIndexOf('/') + 1));
    // ledger-commands.ts uses two others (checkpoint and team options); the other eleven stay unloaded.
    expect(commandModules.sort()).toEqual(['checkpoint-commands.ts', 'ledger-commands.ts', 'team-commands.ts']);

    const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toContain(`  ${command.usage}`);
  });
});
