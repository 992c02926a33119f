// Every CLI command once, for tests/unit/no-egress.test.ts. `CLI_SWEEP` holds one invocation per command of the
// command list, in an order where each finds what it needs; the test checks it names every command (a new command
// fails the test until it has one).
//
// Run as a script (`node --import egress-preload.ts cli-sweep.ts PLAN.json RESULTS.jsonl`) it runs the sweep in this
// one process, each command dispatched as bin/attest.js's main does (parseArgs with the common options, the
// session declaration, the command's run), so the whole command list costs one process start instead of forty.
// The test can also start one `attest` process per command (ATTEST_EGRESS_EACH_PROCESS=1).
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';

export interface SweepContext {
  root: string;
  dbPath: string;
  /** A private folder for the files the commands write and read. */
  files: string;
  /** The team ledger's URL (a PostgreSQL server that is not running). */
  pg: string;
  /** Its "host:port": the one extra destination the team commands may try. */
  pgTarget: string;
  password: string;
}

export interface Invocation {
  args: (ctx: SweepContext) => string[];
  /** The exit code the command gives here (default 0). */
  exit?: number;
  /** Destinations besides the model server this command may contact. */
  allowed?: (ctx: SweepContext) => string[];
}

/** One value of the ledger, read directly (the sweep's later commands name what earlier ones recorded). */
function ledgerValue(ctx: SweepContext, sql: string): unknown {
  const db = new Database(ctx.dbPath, { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
}
const billedTicket = (ctx: SweepContext): string => String(ledgerValue(ctx, "SELECT ticket_id FROM events WHERE type = 'outcome.verified' ORDER BY seq LIMIT 1") ?? 'EGRESS-1');
const latestDispute = (ctx: SweepContext): string => String(ledgerValue(ctx, "SELECT seq FROM events WHERE type = 'outcome.disputed' ORDER BY seq DESC LIMIT 1"));

const db = (ctx: SweepContext): string[] => ['--db', ctx.dbPath];

/** A new 256-bit key file (64 hex digits, readable by its owner only), for encrypt and rekey. */
function newKeyFile(ctx: SweepContext, name: string): string {
  const path = join(ctx.files, name);
  writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600 });
  return path;
}

/** `resolve` and `serve` run in tests of their own (the AI pipeline, the console). */
export const COVERED_ELSEWHERE = ['resolve', 'serve'] as const;

export const CLI_SWEEP: Record<string, Invocation> = {
  demo: { args: (c) => ['demo', '--db', join(c.files, 'demo.db'), '--tickets', '20'] },
  export: { args: (c) => ['export', ...db(c), '--format', 'jsonl', '--out', join(c.files, 'export.jsonl')] },
  verify: { args: (c) => ['verify', ...db(c)] },
  rebuild: { args: (c) => ['rebuild', ...db(c)] },
  categories: { args: (c) => ['categories', ...db(c)] },
  'categories set': { args: (c) => ['categories', 'set', ...db(c), 'billing', 'draft', '--reason', 'egress'] },
  kpis: { args: (c) => ['kpis', ...db(c), '--from', '2026-05-01', '--to', '2026-11-01'] },
  'kpis export': { args: (c) => ['kpis', 'export', ...db(c), '--from', '2026-05-01', '--to', '2026-11-01', '--out', join(c.files, 'kpis.pdf')] },
  'baseline freeze': { args: (c) => ['baseline', 'freeze', ...db(c), '--from', '2026-05-01', '--to', '2026-07-01', '--name', 'before'] },
  'baseline list': { args: (c) => ['baseline', 'list', ...db(c)] },
  board: { args: (c) => ['board', ...db(c), '--from', '2026-05-01', '--to', '2026-11-01'] },
  import: { args: (c) => ['import', '--db', join(c.files, 'imported.db'), '--format', 'jsonl', join(c.root, 'tests', 'fixtures', 'small.jsonl')] },
  'sla import': {
    args: (c) => {
      // The demo recorded version 1 of these policies; the sweep records version 2, effective from tomorrow.
      const file = join(c.files, 'sla-policies-v2.json');
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const text = readFileSync(join(c.root, 'resources', 'sla-policies.json'), 'utf8')
        .replace(/"version":\s*1\b/, '"version": 2')
        .replace(/"effectiveFrom":\s*"[^"]*"/, `"effectiveFrom": "${tomorrow}T00:00:00Z"`);
      writeFileSync(file, text);
      return ['sla', 'import', ...db(c), file];
    },
  },
  sla: { args: (c) => ['sla', ...db(c), '--from', '2026-05-01', '--to', '2026-11-01'] },
  'kb import': { args: (c) => ['kb', 'import', ...db(c), join(c.root, 'resources', 'kb')] },
  'kb search': { args: (c) => ['kb', 'search', ...db(c), 'password', 'reset'] },
  'ai health': { args: (c) => ['ai', 'health', ...db(c)] },
  'contract import': { args: (c) => ['contract', 'import', ...db(c), join(c.root, 'resources', 'contracts', 'demo-contract.json')] },
  outcomes: { args: (c) => ['outcomes', ...db(c)] },
  explain: { args: (c) => ['explain', ...db(c), '--ticket', billedTicket(c)] },
  statement: { args: (c) => ['statement', ...db(c), '--period', '2026-09', '--format', 'csv', '--out', join(c.files, 'statement.csv')] },
  'statement issue': { args: (c) => ['statement', 'issue', ...db(c), '--period', '2026-08'] },
  'dispute open': { args: (c) => ['dispute', 'open', ...db(c), '--ticket', billedTicket(c), '--reason', 'egress'] },
  'dispute reject': { args: (c) => ['dispute', 'reject', ...db(c), '--dispute', latestDispute(c), '--reason', 'egress'] },
  // The dispute was just rejected: a second decision is refused (the command still reads the ledger to say so).
  'dispute uphold': { args: (c) => ['dispute', 'uphold', ...db(c), '--dispute', latestDispute(c), '--reason', 'egress'], exit: 1 },
  disputes: { args: (c) => ['disputes', ...db(c)] },
  checkpoint: { args: (c) => ['checkpoint', ...db(c), '--out', join(c.files, 'checkpoint.txt')] },
  prove: { args: (c) => ['prove', ...db(c), '--seq', '1'] },
  keygen: { args: (c) => ['keygen', '--out', join(c.files, 'auditor.key'), '--name', 'auditor.example'] },
  cosign: { args: (c) => ['cosign', '--checkpoint', join(c.files, 'checkpoint.txt'), '--key', join(c.files, 'auditor.key'), '--name', 'auditor.example', '--out', join(c.files, 'cosignature.txt')] },
  'checkpoint add-cosignature': {
    args: (c) => ['checkpoint', 'add-cosignature', ...db(c), join(c.files, 'cosignature.txt'), '--key', readFileSync(join(c.files, 'auditor.pub'), 'utf8').trim()],
  },
  receipt: { args: (c) => ['receipt', ...db(c), '--ticket', billedTicket(c), '--out', join(c.files, 'receipt.json')] },
  'audit gaps': { args: (c) => ['audit', 'gaps', ...db(c)] },
  // Accounts last: the first account ends single-user mode; the commands after it sign in as it.
  'user add': { args: (c) => ['user', 'add', ...db(c), '--name', 'egress', '--display', 'Egress Admin', '--role', 'admin', '--password-file', c.password] },
  'user list': { args: (c) => ['user', 'list', ...db(c)] },
  'user passwd': { args: (c) => ['user', 'passwd', ...db(c), '--name', 'egress', '--password-file', c.password] },
  // The only admin may neither lose the role nor be disabled: refused, after reading the accounts.
  'user role': { args: (c) => ['user', 'role', ...db(c), '--name', 'egress', '--role', 'supervisor'], exit: 1 },
  'user disable': { args: (c) => ['user', 'disable', ...db(c), '--name', 'egress'], exit: 1 },
  'user enable': { args: (c) => ['user', 'enable', ...db(c), '--name', 'egress'] },
  // The team ledger's server is not running: each fails, having tried that server and nothing else.
  'team init': { args: (c) => ['team', 'init', '--pg', c.pg], exit: 1, allowed: (c) => [c.pgTarget] },
  'team push': { args: (c) => ['team', 'push', ...db(c), '--pg', c.pg], exit: 1, allowed: (c) => [c.pgTarget] },
  'team status': { args: (c) => ['team', 'status', '--pg', c.pg], exit: 1, allowed: (c) => [c.pgTarget] },
  // Last, as they change how the database opens: encrypted in place, then moved to a second key.
  encrypt: { args: (c) => ['encrypt', ...db(c), '--key-file', newKeyFile(c, 'first.key')] },
  rekey: { args: (c) => ['rekey', ...db(c), '--key-file', join(c.files, 'first.key'), '--new-key-file', newKeyFile(c, 'second.key')] },
};

export interface SweepResult {
  name: string;
  code: number;
  stderr: string;
}

const COMMON_OPTIONS: ParseArgsOptionsConfig = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

/** Runs one command in this process as bin/attest.js would, capturing what it writes. */
async function runInProcess(name: string, argv: string[]): Promise<SweepResult> {
  const { COMMANDS } = await import('../../electron/adapters/cli/command-list.ts');
  const { CliError } = await import('../../electron/adapters/cli/output.ts');
  const { declareSession, endSessionDeclaration } = await import('../../electron/core/sessions/session-start.ts');
  const command = COMMANDS.find((c) => c.name === name)!;
  let stderr = '';
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...COMMON_OPTIONS, ...command.options } });
    endSessionDeclaration();
    declareSession({ via: 'cli', command: name });
    code = await command.run({ values, positionals: positionals.slice(name.split(' ').length) });
  } catch (error) {
    const errorCode = (error as { code?: string }).code;
    code = error instanceof CliError ? error.exitCode : errorCode?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
    stderr += `attest: ${(error as Error).message}\n`;
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
  return { name, code, stderr };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [planFile, resultsFile] = process.argv.slice(2) as [string, string];
  const ctx = JSON.parse(readFileSync(planFile, 'utf8')) as SweepContext;
  const { registerFeatures } = await import('../../electron/core/features.ts');
  registerFeatures();
  const log = process.env.ATTEST_EGRESS_LOG;
  for (const [name, invocation] of Object.entries(CLI_SWEEP)) {
    // Marks where each command's attempts begin in the egress log.
    if (log) appendFileSync(log, `${JSON.stringify({ pid: process.pid, kind: 'command', target: name })}\n`);
    const result = await runInProcess(name, invocation.args(ctx));
    appendFileSync(resultsFile, `${JSON.stringify(result)}\n`);
  }
  // Commands may leave idle handles (pools, timers) behind; the sweep is over.
  process.exit(0);
}
