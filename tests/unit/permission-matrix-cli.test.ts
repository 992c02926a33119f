// The permission matrix's CLI leg, generated from the CLI's map of writing commands (CLI_OPERATIONS) and the one
// permission table: every writing command × every role, and without a sign-in, on a copy of a real demo ledger
// with accounts. Refused: exit 1 and "forbidden: <the table's sentence>", and the ledger unchanged but for the
// access log's record of the sign-in. Without --user: exit 2 and nothing written at all. Allowed: the command
// passes the gate (it may still fail on its own terms, never with a refusal). Commands run in this process through
// the CLI's own command modules (one real `attest` process checks the exit code and stderr the shell sees), and
// every command of the CLI is either a mapped write, a read that writes nothing, or one that brings its own people.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROLES, type Role } from '../../shared/domain.ts';
import { PERMISSIONS, mayDo, refusal, type Operation } from '../../shared/permissions.ts';
import { COMMANDS } from '../../electron/adapters/cli/command-list.ts';
import { CLI_NO_LEDGER, CLI_OPERATIONS, CLI_OWN_ACCESS, CLI_READS, HELPDESK_IMPORT_OPERATION } from '../../electron/adapters/cli/cli-person.ts';
import { CliError } from '../../electron/adapters/cli/output.ts';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { resourcePath } from '../../electron/core/resources.ts';
import { DEMO_DEFAULT_START } from '../../electron/core/demo/generator.ts';
import { cosignCheckpoint } from '../../electron/core/checkpoints/cosignature.ts';
import { generateKeyPairSync } from 'node:crypto';
import { contentDigest, demoAccountOf, firstTicket, storedEvents } from './people-kit.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

let dir: string;
let demo: string;
let ticket: string;
let copies = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-matrix-cli-'));
  demo = join(dir, 'demo.db');
  createDemoDatabase(demo, { tickets: 3, seed: 13 });
  ticket = firstTicket(demo);
  writeFileSync(join(dir, 'new-password.txt'), 'a-long-enough-passphrase-7\n');
  writeFileSync(
    join(dir, 'tickets.jsonl'),
    `${JSON.stringify({ ticket: 'CLI-1', type: 'created', at: '2026-01-05T09:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: 'Matrix', requester: 'c-1' })}\n`,
  );
  // The demo's policies again as the next version, in force from tomorrow.
  const policies = JSON.parse(readFileSync(resourcePath('sla-policies.json'), 'utf8')) as { version: number };
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  writeFileSync(join(dir, 'policies.json'), JSON.stringify({ ...policies, version: policies.version + 1, effectiveFrom: tomorrow }));
  // A well-formed cosignature (of a checkpoint this ledger does not hold): past the gate it is refused on its own terms.
  const cosigner = { name: 'auditor', privateKey: generateKeyPairSync('ed25519').privateKey };
  writeFileSync(join(dir, 'cosignature.txt'), `${cosignCheckpoint(`attest.local/other\n1\n${Buffer.alloc(32).toString('base64')}\n`, cosigner, 1_800_000_000)}\n`);
  for (const role of ROLES) writeFileSync(join(dir, `${role}.password`), `${demoAccountOf(role).password}\n`);
  // Four scrypt hashes and the demo history, on a machine other test files share.
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh copy of the demo ledger: each case starts from the same state. */
function freshLedger(): string {
  const path = join(dir, `copy-${++copies}.db`);
  copyFileSync(demo, path);
  return path;
}

/** The words after `attest` for each writing command (a helpdesk import is a case of its own). */
function argsOf(command: WritingCase, signer: Role | null): string[] {
  const self = signer ? demoAccountOf(signer).account : 'admin';
  const cases: Record<WritingCase, string[]> = {
    'categories set': ['categories', 'set', 'billing', 'draft', '--reason', 'matrix'],
    'baseline freeze': ['baseline', 'freeze', '--from', DEMO_DEFAULT_START.slice(0, 10), '--to', '2026-11-01', '--name', 'matrix'],
    'contract import': ['contract', 'import', resourcePath('contracts/demo-contract.json')],
    'dispute open': ['dispute', 'open', '--ticket', ticket, '--reason', 'matrix'],
    'dispute uphold': ['dispute', 'uphold', '--dispute', '1', '--reason', 'matrix'],
    'dispute reject': ['dispute', 'reject', '--dispute', '1', '--reason', 'matrix'],
    'sla import': ['sla', 'import', join(dir, 'policies.json')],
    'kb import': ['kb', 'import', resourcePath('kb')],
    import: ['import', '--format', 'jsonl', join(dir, 'tickets.jsonl')],
    'import --format csv': ['import', '--format', 'csv', '--mapping', join(FIXTURES, 'importers/generic-mapping.json'), join(FIXTURES, 'importers/generic.csv')],
    resolve: ['resolve', '--limit', '1'],
    outcomes: ['outcomes'],
    'statement issue': ['statement', 'issue', '--period', '2026-09'],
    checkpoint: ['checkpoint', '--out', join(dir, `checkpoint-${copies}.txt`)],
    'checkpoint add-cosignature': ['checkpoint', 'add-cosignature', join(dir, 'cosignature.txt')],
    rebuild: ['rebuild'],
    export: ['export', '--format', 'jsonl', '--out', join(dir, `export-${copies}.jsonl`)],
    receipt: ['receipt', '--ticket', ticket, '--out', join(dir, `receipt-${copies}.json`)],
    'kpis export': ['kpis', 'export', '--from', '2026-08-01', '--to', '2026-10-31', '--format', 'csv', '--out', join(dir, `kpis-${copies}.csv`)],
    'user add': ['user', 'add', '--name', 'newhire', '--display', 'New Hire', '--role', 'auditor', '--password-file', join(dir, 'new-password.txt')],
    'user role': ['user', 'role', '--name', 'tokafor', '--role', 'auditor'],
    'user disable': ['user', 'disable', '--name', 'tokafor'],
    'user enable': ['user', 'enable', '--name', 'tokafor'],
    // One's own password (anyone may change it), set to what it was so later sign-ins still work.
    'user passwd': ['user', 'passwd', '--name', self, '--password-file', join(dir, `${signer ?? 'admin'}.password`)],
  };
  return cases[command];
}

type WritingCase = keyof typeof CLI_OPERATIONS | 'import --format csv';
const WRITING_CASES: { command: WritingCase; operation: Operation }[] = [
  ...(Object.entries(CLI_OPERATIONS) as [keyof typeof CLI_OPERATIONS, Operation][]).map(([command, operation]) => ({ command, operation })),
  { command: 'import --format csv', operation: HELPDESK_IMPORT_OPERATION },
];

const COMMON_OPTIONS: ParseArgsOptionsConfig = { db: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } };

/** Runs one CLI command in this process as bin/attest.js would: its exit code, or the CliError it ends with. */
async function runCli(words: string[], dbPath: string, signer: Role | null): Promise<{ exitCode: number; message: string }> {
  // The longest command name the words start with ("sla import" before "sla"), as bin/attest.js chooses.
  const found = COMMANDS.filter((candidate) => candidate.name.split(' ').every((word, i) => words[i] === word)).sort((a, b) => b.name.length - a.name.length)[0];
  if (!found) throw new Error(`no CLI command for ${words.join(' ')}`);
  const args = [...words, '--db', dbPath, '--json', ...(signer ? ['--user', demoAccountOf(signer).account] : [])];
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { ...COMMON_OPTIONS, ...found.options } });
  process.env.ATTEST_PASSWORD_FILE = signer ? join(dir, `${signer}.password`) : '';
  try {
    const exitCode = await found.run({ values, positionals: positionals.slice(found.name.split(' ').length) });
    return { exitCode, message: '' };
  } catch (error) {
    if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
    return { exitCode: 1, message: (error as Error).message };
  } finally {
    delete process.env.ATTEST_PASSWORD_FILE;
  }
}

beforeAll(() => {
  // The commands report on stdout; the matrix reads exit codes and errors.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  delete process.env.ATTEST_USER;
});
afterEach(() => {
  delete process.env.ATTEST_PASSWORD_FILE;
});

describe('the CLI’s commands', () => {
  it('are each a mapped write, a read, or a command that brings its own people — and nothing else', () => {
    const writes = Object.keys(CLI_OPERATIONS);
    const reads: readonly string[] = CLI_READS;
    const own: readonly string[] = CLI_OWN_ACCESS;
    const noLedger: readonly string[] = CLI_NO_LEDGER;
    for (const command of COMMANDS) {
      const kinds = [writes.includes(command.name), reads.includes(command.name), own.includes(command.name), noLedger.includes(command.name)].filter(Boolean);
      expect(kinds, `attest ${command.name}`).toHaveLength(1);
    }
    const names = COMMANDS.map((command) => command.name);
    for (const listed of [...writes, ...reads, ...own, ...noLedger]) expect(names, listed).toContain(listed);
  });

  it('map every CLI operation of the permission table to a command', () => {
    const cliOperations = Object.keys(PERMISSIONS).filter((operation) => operation.startsWith('cli.'));
    const mapped = new Set<string>(Object.values(CLI_OPERATIONS));
    expect(cliOperations.filter((operation) => !mapped.has(operation))).toEqual([]);
  });

  it.each(CLI_READS.map((name) => [name]))('the read "attest %s" needs no sign-in and writes nothing', async (name) => {
    const path = freshLedger();
    const before = contentDigest(path);
    const words = readArgs(name);
    const result = await runCli(words, path, null);
    expect(result.message).not.toMatch(/forbidden|sign in/);
    expect(contentDigest(path)).toBe(before);
  });
});

/** Arguments that make each read do its work on the demo ledger. */
function readArgs(name: (typeof CLI_READS)[number]): string[] {
  const range = ['--from', '2025-01-01', '--to', '2027-01-01'];
  const args: Record<(typeof CLI_READS)[number], string[]> = {
    verify: ['verify'],
    prove: ['prove', '--seq', '1'],
    explain: ['explain', '--ticket', ticket],
    categories: ['categories'],
    kpis: ['kpis', ...range],
    'baseline list': ['baseline', 'list'],
    board: ['board', ...range],
    sla: ['sla', ...range],
    'kb search': ['kb', 'search', 'password', 'reset'],
    'ai health': ['ai', 'health'],
    disputes: ['disputes'],
    statement: ['statement', '--period', '2026-01'],
    'user list': ['user', 'list'],
    'audit gaps': ['audit', 'gaps', '--from', '2025-01-01', '--to', '2027-01-01'],
  };
  return args[name];
}

describe.each([...ROLES, null] as (Role | null)[])('every writing command by %s', (signer) => {
  it.each(WRITING_CASES)('attest $command', async ({ command, operation }) => {
    const path = freshLedger();
    const before = contentDigest(path, { exceptAccessLog: true });
    const untouched = contentDigest(path);
    const result = await runCli(argsOf(command, signer), path, signer);
    if (signer === null) {
      expect(result.exitCode).toBe(2);
      // `user passwd` signs in as the account it changes; the others ask who signs in.
      if (command === 'user passwd') expect(result.message).toContain('the password of "admin" is needed: set ATTEST_PASSWORD_FILE');
      else expect(result.message).toMatch(/^this ledger has accounts: to .*, sign in with --user NAME/);
      expect(contentDigest(path)).toBe(untouched);
    } else if (!mayDo(signer, operation)) {
      expect(result).toEqual({ exitCode: 1, message: `forbidden: ${refusal(signer, operation)}` });
      expect(contentDigest(path, { exceptAccessLog: true })).toBe(before);
      expect(contentDigest(path)).not.toBe(untouched); // the sign-in itself is in the access log
    } else {
      // Past the gate: the person signed in, and whatever the command then says is not a refusal.
      expect(result.message).not.toMatch(/^forbidden|^sign-in refused|this ledger has accounts/);
      const signIns = storedEvents(path).filter((event) => event.type === 'access.login');
      expect(JSON.parse(signIns.at(-1)!.payload)).toMatchObject({ account: demoAccountOf(signer).account, via: 'cli' });
    }
  });
});

describe('the attest command itself', () => {
  it('exits 1 with "forbidden" and the reason on stderr when the role may not', () => {
    const path = freshLedger();
    const before = contentDigest(path, { exceptAccessLog: true });
    const result = spawnSync(process.execPath, [BIN, 'categories', 'set', '--db', path, 'billing', 'auto', '--reason', 'matrix', '--user', 'jlindqvist'], {
      encoding: 'utf8',
      env: { ...process.env, ATTEST_PASSWORD_FILE: join(dir, 'auditor.password'), ATTEST_USER: '' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`attest: forbidden: ${refusal('auditor', 'categories.setMode')}\n`);
    expect(contentDigest(path, { exceptAccessLog: true })).toBe(before);
  });
});
