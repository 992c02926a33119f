// The person behind every CLI write. A ledger without accounts (single-user mode) records the operating-system
// user, as the console does; a ledger with accounts needs a sign-in (--user NAME or ATTEST_USER, the password from
// ATTEST_PASSWORD_FILE or typed at the terminal), recorded in the access log like the console's, and the signed-in
// role is checked against the one permission table (shared/permissions.ts) before anything is written.
import type { ParseArgsOptionsConfig } from 'node:util';
import type { Person } from '../../../shared/contracts/people.ts';
import type { Actor, Role } from '../../../shared/domain.ts';
import { mayDo, PERMISSIONS, refusal, type Operation } from '../../../shared/permissions.ts';
import { openDatabase, type Db } from '../../core/db/connection.ts';
import { actorOfPerson, peopleState } from '../../core/people/accounts.ts';
import { signIn } from '../../core/people/authentication.ts';
import { operatingSystemUser } from '../../core/people/operator.ts';
import { cliWrite, cliWriteTurn } from './db-args.ts';
import { CliError } from './output.ts';
import { hasTerminal, passwordFromFile, promptHidden } from './password-input.ts';

/**
 * Every CLI command that writes to a ledger, and the operation of the permission table it is checked against.
 * A command missing here that writes is a gap a test catches (see tests/unit/cli-people.test.ts).
 */
export const CLI_OPERATIONS = {
  'categories set': 'categories.setMode',
  'baseline freeze': 'kpis.freezeBaseline',
  'contract import': 'cli.contractImport',
  'dispute open': 'outcomes.disputeOpen',
  'dispute uphold': 'outcomes.disputeUphold',
  'dispute reject': 'outcomes.disputeReject',
  'sla import': 'sla.importPolicies',
  'kb import': 'cli.kbImport',
  // A JSONL file; a helpdesk export (--format zendesk|freshdesk|csv) is HELPDESK_IMPORT_OPERATION.
  import: 'import.jsonl',
  resolve: 'ai.resolve',
  // `attest outcomes` runs the outcome verification, which records outcome events.
  outcomes: 'outcomes.verify',
  // Closes a period for good: a checkpoint, the `statement.issued` event and its signature.
  'statement issue': 'outcomes.issueStatement',
  checkpoint: 'cli.checkpoint',
  'checkpoint add-cosignature': 'cli.checkpoint.addCosignature',
  rebuild: 'cli.rebuild',
  // Reads the ledger, but with accounts it is recorded in the access log (access.export) and needs a person.
  export: 'cli.export',
  // A receipt hands one ticket's events on like an export, and may sign a checkpoint that covers them.
  receipt: 'cli.export',
  // The KPI overview or board report written to a file: handed on like an export.
  'kpis export': 'cli.export',
  'user add': 'users.add',
  'user role': 'users.setRole',
  'user disable': 'users.disable',
  'user enable': 'users.enable',
  'user passwd': 'users.setPassword',
} as const satisfies Record<string, Operation>;

export type WritingCommand = keyof typeof CLI_OPERATIONS;

/** `attest import --format zendesk|freshdesk|csv`: the console's helpdesk import. */
export const HELPDESK_IMPORT_OPERATION: Operation = 'imports.start';

/**
 * Commands that never change a ledger and need no sign-in. `statement --out` hands a file on like `export`: with
 * accounts it needs a person (cli.export), is in the access log, and seals the ledger it was computed from with a
 * checkpoint event of Attest's own.
 */
export const CLI_READS = ['verify', 'prove', 'explain', 'categories', 'kpis', 'baseline list', 'board', 'sla', 'kb search', 'ai health', 'disputes', 'statement', 'user list', 'audit gaps'] as const;

/**
 * Commands that bring their own people: `demo` writes only an empty file (no accounts yet), `serve` signs people in
 * itself; `team push` only reads the file (as a copy of it would) and is authorized by the team database's own
 * credentials, which the administrator who runs it holds. `encrypt` and `rekey` append no event and change no
 * record: they are authorized by what they need anyway — the plain file, or the current key — which already gives
 * whoever holds it every record, so a sign-in would protect nothing more.
 */
export const CLI_OWN_ACCESS = ['demo', 'serve', 'team push', 'encrypt', 'rekey'] as const;

/**
 * Commands that open no ledger file at all: a cosigner's key and cosignature are made on the cosigner's own machine;
 * `team init` and `team status` talk to the team's PostgreSQL only, with its credentials.
 */
export const CLI_NO_LEDGER = ['keygen', 'cosign', 'team init', 'team status'] as const;

/** The option every writing command accepts. */
export const SIGN_IN_OPTIONS: ParseArgsOptionsConfig = { user: { type: 'string' } };

export interface SignInFlags {
  user?: string;
}

/** Who a CLI write is done by: the Caller of the core, as far as the CLI needs it. */
export interface CliPerson {
  /** The signed-in person; null in single-user mode. */
  person: Person | null;
  /** How the ledger names them on every event they cause. */
  actor: Actor;
  role: Role;
  /** The password the person signed in with (null in single-user mode), for acts that ask for it again (signatures). */
  password: string | null;
}

let noteSaid = false;

/** The account to sign in as: --user, else ATTEST_USER (empty counts as unset). */
export function signInName(flags: SignInFlags): string | undefined {
  return flags.user || process.env.ATTEST_USER || undefined;
}

async function signInPassword(name: string): Promise<string> {
  const file = process.env.ATTEST_PASSWORD_FILE;
  if (file) return passwordFromFile(file, 'ATTEST_PASSWORD_FILE');
  if (!hasTerminal()) throw new CliError(`the password of "${name}" is needed: set ATTEST_PASSWORD_FILE to a file holding it (first line), or run on a terminal to type it`, 2);
  return promptHidden(`Password for ${name}: `);
}

/**
 * The person `operation` is done by, signed in and allowed — or a CliError: 2 when the sign-in is missing,
 * 1 when it is refused or the role may not do `operation` ("forbidden: …"). Nothing but the access log's events
 * (access.login, access.loginFailed, access.lockout) is written before the caller's own write.
 */
export async function personFor(db: Db, flags: SignInFlags, operation: Operation): Promise<CliPerson> {
  const name = signInName(flags);
  if (!peopleState(db).required) {
    if ((name || process.env.ATTEST_PASSWORD_FILE) && !noteSaid) {
      noteSaid = true;
      process.stderr.write(`attest: note: this ledger has no accounts (single-user mode): --user, ATTEST_USER and ATTEST_PASSWORD_FILE are ignored; acts are recorded as ${operatingSystemUser().id}\n`);
    }
    return { person: null, actor: operatingSystemUser(), role: 'admin', password: null };
  }
  if (!name) {
    throw new CliError(`this ledger has accounts: to ${PERMISSIONS[operation].what}, sign in with --user NAME (or ATTEST_USER) and the password (ATTEST_PASSWORD_FILE, or typed at the prompt)`, 2);
  }
  const password = await signInPassword(name);
  const result = await signIn(db, name, password, 'cli', cliWriteTurn(db));
  if (!result.ok) throw new CliError(`sign-in refused: ${result.message}`, 1);
  const { person } = result;
  if (!mayDo(person.role, operation)) throw new CliError(`forbidden: ${refusal(person.role, operation)}`, 1);
  return { person, actor: actorOfPerson(person), role: person.role, password };
}

/** Opens the database, finds the person (personFor), runs `work` as one write of the command's gate, closes. */
export async function withPersonWrite<T>(path: string, flags: SignInFlags, operation: Operation, what: string, work: (db: Db, who: CliPerson) => T): Promise<T> {
  const db = openDatabase(path);
  try {
    const who = await personFor(db, flags, operation);
    return await cliWrite(db, what, () => work(db, who));
  } finally {
    db.close();
  }
}
