// `attest user add|list|disable|enable|passwd|role`: accounts from the terminal, through the same core functions
// and the same permission table as the console's users.* methods. Hashes are never printed.
import { parseInput, type MethodName } from '../../../../shared/contract.ts';
import type { AccountRow } from '../../../../shared/contracts/people.ts';
import { ROLES, type Role } from '../../../../shared/domain.ts';
import { openDatabase, type Db } from '../../../core/db/connection.ts';
import { accountRow, addAccount, changeRole, peopleState, setEnabled, setPassword, type AccountState } from '../../../core/people/accounts.ts';
import { lockoutOf } from '../../../core/people/authentication.ts';
import { operatingSystemUser } from '../../../core/people/operator.ts';
import type { Command, CommandArgs } from '../command.ts';
import { cliWrite, existingDb, requireDb, withDb } from '../db-args.ts';
import { CliError, report } from '../output.ts';
import { newPassword } from '../password-input.ts';
import { CLI_OPERATIONS, personFor, signInName, SIGN_IN_OPTIONS, withPersonWrite, type CliPerson } from '../cli-person.ts';

interface Flags {
  db?: string;
  json: boolean;
  name?: string;
  display?: string;
  role?: string;
  user?: string;
  'password-file'?: string;
}

const flagsOf = (args: CommandArgs): Flags => args.values as unknown as Flags;

function rowOf(db: Db, account: AccountState): AccountRow {
  return accountRow(db, account, lockoutOf(db, account.account, new Date().toISOString()).lockedUntil);
}

function rowLine(row: AccountRow): string {
  const state = [row.enabled ? 'enabled' : 'disabled', ...(row.lockedUntil ? [`locked until ${row.lockedUntil}`] : [])].join(', ');
  return `${row.account.padEnd(16)} ${row.role.padEnd(10)} ${row.display} (${state}; created ${row.createdAt} by ${row.createdBy}; last sign-in ${row.lastLoginAt ?? 'never'})`;
}

/** The contract's own schema checks the CLI's input, as it checks the console's (exit 2 on a bad one). */
function checked<M extends MethodName>(method: M, input: unknown): void {
  const parsed = parseInput(method, input);
  if (!parsed.ok) throw new CliError(`${parsed.error.details?.join('; ') ?? parsed.error.message}`, 2);
}

function requireName(flags: Flags): string {
  if (!flags.name) throw new CliError('--name NAME (the login name) is required', 2);
  return flags.name;
}

function roleOf(flags: Flags): Role {
  if (!flags.role) throw new CliError(`--role ${ROLES.join('|')} is required`, 2);
  if (!ROLES.includes(flags.role as Role)) throw new CliError(`--role ${flags.role}: must be one of ${ROLES.join(', ')}`, 2);
  return flags.role as Role;
}

async function addCommand(flags: Flags): Promise<number> {
  const path = requireDb(flags);
  const name = requireName(flags);
  const role = roleOf(flags);
  const display = flags.display?.trim() ?? '';
  // Checked before any password is asked for: a typo in the name should not cost a sign-in.
  checked('users.add', { name, display, role, password: 'x' });
  const db = openDatabase(path);
  try {
    const first = !peopleState(db).required;
    // The first account needs no sign-in: nobody could sign in yet. It is created by the operating-system user.
    const who: Pick<CliPerson, 'actor'> = first ? { actor: operatingSystemUser() } : await personFor(db, flags, CLI_OPERATIONS['user add']);
    if (first && (signInName(flags) || process.env.ATTEST_PASSWORD_FILE)) {
      process.stderr.write('attest: note: this ledger has no accounts yet (single-user mode): --user, ATTEST_USER and ATTEST_PASSWORD_FILE are ignored for its first account\n');
    }
    const password = await newPassword(flags['password-file'], name);
    const row = await cliWrite(db, `account ${name}`, () => rowOf(db, addAccount(db, { name, display, role, password }, who.actor)));
    const ended = first ? '\nsingle-user mode has ended: from now on, commands that change this ledger need --user NAME (or ATTEST_USER) and its password' : '';
    report(flags.json, row, `account ${row.account} (${row.display}, ${row.role}) created${ended}`);
    return 0;
  } finally {
    db.close();
  }
}

function listCommand(flags: Flags): number {
  const rows = withDb(existingDb(flags), (db) => [...peopleState(db).accounts.values()].map((account) => rowOf(db, account)));
  report(flags.json, rows, rows.length ? rows.map(rowLine).join('\n') : 'no accounts: single-user mode (create the first admin with "attest user add")');
  return 0;
}

async function enabledCommand(flags: Flags, enabled: boolean): Promise<number> {
  const path = existingDb(flags);
  const name = requireName(flags);
  const operation = enabled ? CLI_OPERATIONS['user enable'] : CLI_OPERATIONS['user disable'];
  checked(operation, { name });
  const row = await withPersonWrite(path, flags, operation, `account ${name}`, (db, who) => rowOf(db, setEnabled(db, name, enabled, who.actor)));
  report(flags.json, row, `account ${row.account} ${row.enabled ? 'enabled' : 'disabled (its history stays)'}`);
  return 0;
}

async function roleCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const name = requireName(flags);
  const role = roleOf(flags);
  checked('users.setRole', { name, role });
  const row = await withPersonWrite(path, flags, CLI_OPERATIONS['user role'], `account ${name}`, (db, who) => rowOf(db, changeRole(db, name, role, who.actor)));
  report(flags.json, row, `account ${row.account} is now ${row.role}`);
  return 0;
}

/**
 * One's own password (signing in as oneself proves the current one; --user defaults to --name), or an admin
 * resetting another person's.
 */
async function passwdCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const name = requireName(flags);
  checked('users.setPassword', { name, password: 'x' });
  const db = openDatabase(path);
  try {
    if (!peopleState(db).accounts.has(name)) throw new CliError(`no account named "${name}"`);
    const who = await personFor(db, { user: signInName(flags) ?? name }, CLI_OPERATIONS['user passwd']);
    if (who.person && who.person.account !== name && who.role !== 'admin') {
      throw new CliError(`forbidden: only an admin may reset another person's password; sign in as "${name}" to change your own`);
    }
    const password = await newPassword(flags['password-file'], name);
    const row = await cliWrite(db, `password of ${name}`, () => rowOf(db, setPassword(db, name, password, who.actor)));
    report(flags.json, row, `password of ${row.account} changed`);
    return 0;
  } finally {
    db.close();
  }
}

const passwordFile = { 'password-file': { type: 'string' } } as const;

export const USER_COMMANDS: Command[] = [
  {
    name: 'user add',
    usage: 'attest user add --db FILE --name NAME --display "Printed Name" --role admin|supervisor|auditor [--password-file F] [--user ADMIN] [--json]',
    options: { ...SIGN_IN_OPTIONS, ...passwordFile, name: { type: 'string' }, display: { type: 'string' }, role: { type: 'string' } },
    run: (args) => addCommand(flagsOf(args)),
  },
  { name: 'user list', usage: 'attest user list --db FILE [--json]', run: (args) => listCommand(flagsOf(args)) },
  {
    name: 'user disable',
    usage: 'attest user disable --db FILE --name NAME [--user ADMIN] [--json]',
    options: { ...SIGN_IN_OPTIONS, name: { type: 'string' } },
    run: (args) => enabledCommand(flagsOf(args), false),
  },
  {
    name: 'user enable',
    usage: 'attest user enable --db FILE --name NAME [--user ADMIN] [--json]',
    options: { ...SIGN_IN_OPTIONS, name: { type: 'string' } },
    run: (args) => enabledCommand(flagsOf(args), true),
  },
  {
    name: 'user passwd',
    usage: 'attest user passwd --db FILE --name NAME [--password-file F] [--user ADMIN] [--json]',
    options: { ...SIGN_IN_OPTIONS, ...passwordFile, name: { type: 'string' } },
    run: (args) => passwdCommand(flagsOf(args)),
  },
  {
    name: 'user role',
    usage: 'attest user role --db FILE --name NAME --role admin|supervisor|auditor [--user ADMIN] [--json]',
    options: { ...SIGN_IN_OPTIONS, name: { type: 'string' }, role: { type: 'string' } },
    run: (args) => roleCommand(flagsOf(args)),
  },
];
