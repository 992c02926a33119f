import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { findCommand } from './command-modules.ts';
import { CliError } from './output.ts';
import { failureLine, useKeyFileFor } from './db-args.ts';
import { registerFeatures } from '../../core/features.ts';
import { declareSession } from '../../core/sessions/session-start.ts';

const COMMON_OPTIONS: ParseArgsOptionsConfig = {
  db: { type: 'string' },
  // The key file of an encrypted --db (or ATTEST_KEY_FILE); see db-args.ts useKeyFileFor.
  'key-file': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

const SIGN_IN_HELP = `On a ledger with accounts, commands that change it (and export) sign in: --user NAME or ATTEST_USER, the
password from the first line of ATTEST_PASSWORD_FILE or typed at the terminal. Without accounts (single-user mode)
they act as the operating-system user and ignore both, with a note.
Exit codes: 0 done; 1 failed or refused (sign-in refused, "forbidden: …" for a role that may not); 2 usage error
(a missing sign-in included).
An encrypted database opens with the key in --key-file FILE or ATTEST_KEY_FILE (32 bytes or 64 hex digits, mode 600);
without one a plain file opens as before.
`;

/** Every command's usage, in the order of command-list.ts: the one time all command modules are loaded. */
async function usage(): Promise<string> {
  const { COMMANDS } = await import('./command-list.ts');
  return `attest — tamper-evident helpdesk ledger\n\nUsage:\n${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}\n\n${SIGN_IN_HELP}`;
}

/** The command's --db, for naming it in a failure (db-args.ts failureLine). */
let dbInUse: string | undefined;

async function main(argv: string[]): Promise<number> {
  const words = argv.filter((arg) => !arg.startsWith('-')).slice(0, 2);
  if (words.length === 0 || words[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    const found = await findCommand(words.filter((w) => w !== 'help'));
    process.stdout.write(found ? `Usage: ${found.command.usage}\n` : await usage());
    return words.length === 0 && !argv.includes('--help') && !argv.includes('-h') ? 2 : 0;
  }
  const found = await findCommand(words);
  if (!found) throw new CliError(`unknown command "${words[0]}"\n${await usage()}`, 2);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { ...COMMON_OPTIONS, ...found.command.options },
  });
  // A command that writes says who it is in its session.started, with its first event of the day; one that only
  // reads opens the file read-only and writes nothing (`attest serve` declares itself a console instead).
  declareSession({ via: 'cli', command: found.command.name });
  if (typeof values.db === 'string') dbInUse = values.db;
  if (!found.command.managesKeys) useKeyFileFor(values);
  const nameLength = found.command.name.split(' ').length;
  return found.command.run({ values, positionals: positionals.slice(nameLength) });
}

registerFeatures();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = (error as { code?: string }).code;
    const exitCode = error instanceof CliError ? error.exitCode : code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
    process.stderr.write(`attest: ${failureLine(error, dbInUse)}\n`);
    process.exitCode = exitCode;
  },
);
