// Team mode from the command line: `attest team init|push|status`, and the team parts of `verify --pg` and
// `serve --team`. The PostgreSQL URL names the team ledger; a password is never taken from a flag's value (it would
// land in the shell history and `ps`): it is in the URL the administrator gives, or in ATTEST_TEAM_PASSWORD_FILE.
import type { TeamReplicaStatus } from '../../../../shared/contracts/team.ts';
import { openReadOnly, schemaState } from '../../../core/db/connection.ts';
import type { CoreHandle } from '../../../core/service-api.ts';
import { MigrationError } from '../../../core/db/migrate.ts';
import { describeTeam, isConnectionError } from '../../../core/team/team-connection.ts';
import { initTeam, pushToTeam, TeamPushError } from '../../../core/team/team-admin.ts';
import { teamLedgerStatus, TeamStatusError } from '../../../core/team/team-status.ts';
import { TeamVerifyError, verifyTeamLedger } from '../../../core/team/team-verify.ts';
import { existingDb } from '../db-args.ts';
import { checkpointOptionsFromFlags } from './checkpoint-commands.ts';
// ledger-commands dispatches `verify --pg` and `serve --team` here; the two modules only call each other's functions.
import { findingLine } from './ledger-commands.ts';
import { CliError, report } from '../output.ts';
import { passwordFromFile } from '../password-input.ts';
import type { Command, CommandArgs } from '../command.ts';

interface TeamFlags {
  db?: string;
  json: boolean;
  pg?: string;
  key?: string;
  'writer-role'?: string;
  'writer-password-file'?: string;
}

const flagsOf = (args: CommandArgs): TeamFlags => args.values as unknown as TeamFlags;

/** The environment variable holding the file whose first line is the team password (for a URL without one). */
export const TEAM_PASSWORD_FILE_ENV = 'ATTEST_TEAM_PASSWORD_FILE';

/**
 * A team ledger's URL as given (--pg, --team), checked; with ATTEST_TEAM_PASSWORD_FILE set, the password from that
 * file goes into a URL that has a user but no password.
 */
export function teamUrl(value: string | undefined, flag: string): string {
  if (!value) throw new CliError(`${flag} URL is required (postgres://USER@HOST:PORT/DATABASE)`, 2);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${flag}: not a URL (postgres://USER@HOST:PORT/DATABASE)`, 2);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new CliError(`${flag}: a PostgreSQL URL starts with postgres:// (got ${url.protocol}//)`, 2);
  const file = process.env[TEAM_PASSWORD_FILE_ENV];
  if (file && url.password === '') {
    if (url.username === '') throw new CliError(`${TEAM_PASSWORD_FILE_ENV} is set but ${flag} names no user (postgres://USER@HOST:PORT/DATABASE)`, 2);
    url.password = encodeURIComponent(passwordFromFile(file, TEAM_PASSWORD_FILE_ENV));
    return url.toString();
  }
  return value;
}

/** Errors of the team ledger that are the user's to act on (exit 1, the message alone). */
function plainly(error: unknown): never {
  if (error instanceof MigrationError || error instanceof TeamPushError || error instanceof TeamStatusError || error instanceof TeamVerifyError) throw new CliError(error.message);
  const code = (error as { code?: string }).code;
  // Connection refused, unknown host, dropped, authentication failed, no such database: say so, never with the password.
  if (isConnectionError(error) || code === '28P01' || code === '3D000' || code === '28000') throw new CliError(`the team ledger cannot be reached: ${(error as Error).message}`);
  // 42501 insufficient_privilege: e.g. `team init` as the writer role, which may not create the schema.
  if (code === '42501') throw new CliError(`the team ledger refused this (${(error as Error).message}): run "attest team init" and "attest team push" as the database's owner`);
  throw error;
}

async function initCommand(flags: TeamFlags): Promise<number> {
  const url = teamUrl(flags.pg, '--pg');
  const writerPassword = flags['writer-password-file'] === undefined ? null : passwordFromFile(flags['writer-password-file'], '--writer-password-file');
  const result = await initTeam(url, { writerRole: flags['writer-role'], writerPassword }).catch(plainly);
  const human = [
    `team ledger ${result.team}: ${result.applied.length > 0 ? `applied ${result.applied.join(', ')}` : 'schema up to date, nothing applied'}`,
    `writer role ${result.writerRole}: ${result.writerPrivileges.join(', ')} on events${writerPassword === null ? ' (password unchanged)' : ' (password set from the file)'}`,
  ];
  report(flags.json, result, human.join('\n'));
  return 0;
}

async function pushCommand(flags: TeamFlags): Promise<number> {
  const path = existingDb(flags);
  const url = teamUrl(flags.pg, '--pg');
  // Read-only: a push copies the file as it is and never changes it.
  const db = openReadOnly(path);
  let pushed;
  try {
    const schema = schemaState(db);
    if (schema.kind !== 'current') throw new CliError(`${path}: ${schema.kind === 'not_attest' ? 'not an Attest ledger' : `schema ${schema.version}, not this version's ${schema.latest}: open it with "attest rebuild --db ${path}" first`}`);
    pushed = await pushToTeam(db, url, flags.json ? undefined : ({ copied, total }) => process.stderr.write(`\rpushed ${copied} of ${total} events`)).catch(plainly);
    if (!flags.json && pushed.events > 0) process.stderr.write('\n');
  } finally {
    db.close();
  }
  // Then verified where it now is: the server's copy, not the file it came from.
  const verified = await verifyTeamLedger(url).catch(plainly);
  const local = { seq: pushed.headSeq, hash: pushed.headHash };
  const team = { seq: verified.status.eventCount, hash: verified.status.headHash };
  const result = { ...pushed, local, teamHead: team, verified: verified.status };
  const human = [
    `pushed ${pushed.events} events to ${pushed.team}${pushed.alreadyThere > 0 ? ` (${pushed.alreadyThere} were already there)` : ''}, ${pushed.credentials} account credentials`,
    `head here:  #${local.seq} ${local.hash}`,
    `head there: #${team.seq} ${team.hash}`,
    verified.status.intact ? `verified there: intact, ${verified.status.eventCount} events` : verified.status.problems.map(findingLine).join('\n'),
  ];
  report(flags.json, result, human.join('\n'));
  return verified.status.intact && team.seq === local.seq && team.hash === local.hash ? 0 : 1;
}

async function statusCommand(flags: TeamFlags): Promise<number> {
  const url = teamUrl(flags.pg, '--pg');
  const status = await teamLedgerStatus(url).catch(plainly);
  const replicas = status.replicas.map(
    (r) =>
      `  ${r.name} (${r.replicaId}): last seen ${r.lastSeen}, verified ${r.verifiedSize}, last cosigned ${r.cosignedSize}${r.stopped ? `, STOPPED: ${r.stopped}` : ''}`,
  );
  const human = [
    `team ledger ${status.team} (ledger ${status.ledgerId}, schema ${status.schemaVersion}${status.schemaProblem ? `: ${status.schemaProblem}` : ''})`,
    status.head.seq > 0 ? `head #${status.head.seq} ${status.head.hash} recorded ${status.head.recordedAt}` : 'empty: no events yet',
    replicas.length > 0 ? `replicas (${replicas.length}):` : 'replicas: none has connected yet',
    ...replicas,
  ];
  report(flags.json, status, human.join('\n'));
  return 0;
}

/** `attest verify --pg URL [--key K]`: the team ledger verified on the server, read-only. */
export async function verifyTeamCommand(flags: { pg?: string; key?: string; json: boolean; db?: string; deep?: boolean; checkpoint?: string[] }): Promise<number> {
  if (flags.db !== undefined) throw new CliError('--pg URL verifies the team ledger on the server: it takes no --db (verify a replica file with --db alone)', 2);
  if (flags.deep || (flags.checkpoint ?? []).length > 0) throw new CliError('--pg: --deep and --checkpoint apply to a ledger file (--db)', 2);
  const url = teamUrl(flags.pg, '--pg');
  const { key } = checkpointOptionsFromFlags({ key: flags.key });
  const result = await verifyTeamLedger(url, {
    key,
    onProgress: flags.json || !process.stderr.isTTY ? undefined : (checked, total) => process.stderr.write(`\rverified ${checked} of ${total} events`),
  }).catch(plainly);
  if (!flags.json && process.stderr.isTTY) process.stderr.write('\n');
  const { status, checkpoints, cosignatures } = result;
  const chainLine = `${status.eventCount} events, head ${status.headHash}`;
  const checkpointLine = checkpoints.length > 0 && checkpoints.every((c) => c.ok) ? [`checkpoints: ${checkpoints.length} match (sizes ${checkpoints.map((c) => c.treeSize).join(', ')})`] : [];
  const cosignatureLine = cosignatures.length > 0 && cosignatures.every((c) => c.ok) ? [`cosignatures: ${cosignatures.length} by ${new Set(cosignatures.map((c) => c.replicaId)).size} replica(s) verify`] : [];
  const human = status.intact
    ? [`intact: ${result.team}: ${chainLine}`, ...checkpointLine, ...cosignatureLine]
    : [...status.problems.map(findingLine), ...(status.chainIntact ? [`chain: ${chainLine} (links and hashes hold; see above)`] : [])];
  for (const check of checkpoints.filter((c) => c.signature === 'unverified')) {
    process.stderr.write(`attest: warning: checkpoint #${check.seq} of size ${check.treeSize}: signed by the key it names; unverified against a key you trust (no --key)\n`);
  }
  const json = {
    ...status,
    team: result.team,
    ledgerId: result.ledgerId,
    checkpoints: checkpoints.map(({ seq, origin, treeSize, ok, source, signature, problem }) => (problem ? { seq, origin, treeSize, ok, source, signature, problem } : { seq, origin, treeSize, ok, source, signature })),
    cosignatures,
  };
  report(flags.json, json, human.join('\n'));
  return status.intact ? 0 : 1;
}

/** The team URL of `serve --team`, checked, and the line `serve` prints about it (never the password). */
export function serveTeamOption(value: string | undefined): { url: string; team: string } | null {
  if (value === undefined) return null;
  const url = teamUrl(value, '--team');
  return { url, team: describeTeam(url) };
}

/**
 * `serve --team` at start: the first catch-up with the team ledger, and the replica's state after it. Offline or
 * stopped, the console still serves its replica read-only; the line says why.
 */
export async function replicaAtStart(core: CoreHandle, team: string): Promise<{ status: TeamReplicaStatus | null; line: string }> {
  let status: TeamReplicaStatus | null = null;
  const unsubscribe = core.subscribe('team.status', (latest) => (status = latest));
  let failure: string | null = null;
  try {
    await core.syncTeam();
  } catch (error) {
    failure = (error as Error).message;
  } finally {
    unsubscribe();
  }
  const seen = status as TeamReplicaStatus | null;
  if (!failure && seen) return { status: seen, line: `team ledger ${team}: replica ${seen.state}, ${seen.localHead} events verified and in step` };
  return { status: seen, line: `team ledger ${team}: ${seen?.message ?? failure ?? 'connecting'} (the console serves its replica read-only until it is in step)` };
}

export const TEAM_COMMANDS: Command[] = [
  {
    name: 'team init',
    usage: 'attest team init --pg URL [--writer-role NAME] [--writer-password-file F] [--json]',
    options: { pg: { type: 'string' }, 'writer-role': { type: 'string' }, 'writer-password-file': { type: 'string' } },
    run: (args) => initCommand(flagsOf(args)),
  },
  {
    name: 'team push',
    usage: 'attest team push --db FILE --pg URL [--json]',
    options: { pg: { type: 'string' } },
    run: (args) => pushCommand(flagsOf(args)),
  },
  {
    name: 'team status',
    usage: 'attest team status --pg URL [--json]',
    options: { pg: { type: 'string' } },
    run: (args) => statusCommand(flagsOf(args)),
  },
];
