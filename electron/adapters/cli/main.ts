import { parseArgs } from 'node:util';
import { demoCommand, exportCommand, importCommand, rebuildCommand, serveCommand, verifyCommand, type Flags } from './commands.ts';
import { CliError } from './output.ts';

const USAGE = `attest — tamper-evident helpdesk ledger

Usage:
  attest demo    --db FILE [--tickets N] [--seed S] [--json]
  attest import  --db FILE --format jsonl PATH... [--json]
  attest export  --db FILE --format jsonl --out PATH [--json]
  attest verify  --db FILE [--json]
  attest rebuild --db FILE [--json]
  attest serve   --db FILE [--port P] [--role admin|supervisor|auditor] [--json]
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      format: { type: 'string' },
      out: { type: 'string' },
      port: { type: 'string' },
      tickets: { type: 'string' },
      seed: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  const flags = values as Flags & { help: boolean };
  if (flags.help || !command || command === 'help') {
    process.stdout.write(USAGE);
    return command || flags.help ? 0 : 2;
  }
  switch (command) {
    case 'demo':
      return demoCommand(flags);
    case 'import':
      return importCommand(flags, rest);
    case 'export':
      return exportCommand(flags);
    case 'verify':
      return verifyCommand(flags);
    case 'rebuild':
      return rebuildCommand(flags);
    case 'serve':
      return serveCommand(flags);
    default:
      throw new CliError(`unknown command "${command}"\n${USAGE}`, 2);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const exitCode = error instanceof CliError ? error.exitCode : (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1;
    process.stderr.write(`attest: ${(error as Error).message}\n`);
    process.exitCode = exitCode;
  },
);
