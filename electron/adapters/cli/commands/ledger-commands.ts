import { existsSync, readdirSync, statSync } from 'node:fs';
import { PUBLIC_FILE_MODE, writeFileAtomic } from '../../../core/files/atomic-file.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROLES, type Role } from '../../../../shared/domain.ts';
import { openDatabase, type Db } from '../../../core/db/connection.ts';
import { accountNameSchema } from '../../../../shared/contracts/people.ts';
import { SchemaVersionError, verifyDatabaseFile, type DatabaseVerification, type VerifyDatabaseOptions } from '../../../core/verification/verify-database.ts';
import type { ChainFinding } from '../../../../shared/contract.ts';
import { DAILY_CHECKPOINT_MS } from '../../../core/checkpoints/checkpoint-schedule.ts';
import { rebuildAllProjections } from '../../../core/derived/refresh.ts';
import { TicketRepository } from '../../../core/tickets/ticket-repository.ts';
import { CliError, report } from '../output.ts';
import { cliWrite, existingDb, positiveInt, requireDb } from '../db-args.ts';
import { CLI_OPERATIONS, personFor, SIGN_IN_OPTIONS, withPersonWrite } from '../cli-person.ts';
import { newPassword } from '../password-input.ts';
import { announceSession, recordEvents } from '../../../core/derived/record-events.ts';
import { LedgerRepository } from '../../../core/ledger/ledger-repository.ts';
import { loadOrCreateInstallationKey } from '../../../core/checkpoints/installation-key.ts';
import { checkpointOptionsFromFlags, checkpointSummary, checkpointsJson, recordHeadCheckpoint } from './checkpoint-commands.ts';
import { replicaAtStart, serveTeamOption, verifyTeamCommand } from './team-commands.ts';

import type { Command, CommandArgs } from '../command.ts';

interface Flags {
  db?: string;
  json: boolean;
  format?: string;
  out?: string;
  port?: string;
  tickets?: string;
  seed?: string;
  role?: string;
  checkpoint?: string[];
  key?: string;
  deep?: boolean;
  'allow-broken'?: boolean;
  user?: string;
  admin?: string;
  'password-file'?: string;
  /** serve: list the demo accounts on the sign-in screen. */
  demo?: boolean;
  /** export --pack DIR: the auditor's pack, optionally of one period and one contract. */
  pack?: string;
  period?: string;
  contract?: string;
  /** verify --pg URL: the team ledger on the server. */
  pg?: string;
  /** serve --team URL: this file is a replica of that team ledger. */
  team?: string;
}

const flagsOf = (args: CommandArgs): Flags => args.values as unknown as Flags;

// The demo generator, the export and the auditor's pack are loaded by the commands that use them (import() below), not
// by every command of this module: `attest verify` and `attest serve` never need them (command-modules.ts).

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../../../dist/renderer/', import.meta.url));

async function demoCommand(flags: Flags): Promise<number> {
  const path = requireDb(flags);
  const tickets = positiveInt(flags.tickets, '--tickets', 5000);
  if (tickets < 1) throw new CliError('--tickets: must be at least 1', 2);
  const seed = positiveInt(flags.seed, '--seed', 1);
  if (flags['password-file'] !== undefined && flags.admin === undefined) throw new CliError('--password-file goes with --admin NAME (the demo admin it is for)', 2);
  const parsedAdmin = flags.admin === undefined ? null : accountNameSchema.safeParse(flags.admin);
  if (parsedAdmin && !parsedAdmin.success) throw new CliError(`--admin ${flags.admin}: ${parsedAdmin.error.issues[0]!.message}`, 2);
  // A script's own admin instead of the published one; the policy is checked by the core before anything is written.
  const admin = parsedAdmin ? { name: parsedAdmin.data, password: await newPassword(flags['password-file'], parsedAdmin.data) } : undefined;
  const [{ createDemoDatabase }, { demoProgressPrinter }] = await Promise.all([import('../../../core/demo-database.ts'), import('../demo-progress.ts')]);
  const started = performance.now();
  const progress = flags.json ? null : demoProgressPrinter((text) => process.stderr.write(text));
  const result = createDemoDatabase(path, { tickets, seed, admin, onProgress: progress?.onProgress, onStage: progress?.onStage });
  progress?.finish();
  const seconds = (performance.now() - started) / 1000;
  const accounts = result.accounts.map((a) => `  ${a.account.padEnd(12)} ${a.role.padEnd(10)} ${a.display.padEnd(20)} password: ${a.password ?? '(the one you gave)'}`);
  const human = [
    `demo: ${result.tickets} tickets, ${result.events} events in ${path} (${seconds.toFixed(1)} s); head ${result.headHash}`,
    ...(accounts.length ? ['demo accounts (published passwords: a demo file is never a ledger of record):', ...accounts] : []),
  ];
  report(flags.json, { db: path, ...result, seed, seconds }, human.join('\n'));
  return 0;
}

/** How `verify` names one finding: a chain break by its event, a checkpoint by its own words. */
export function findingLine(finding: ChainFinding): string {
  if (finding.problem === 'checkpoint_mismatch') return `BROKEN: ${finding.message}`;
  const where = finding.ticket ? ` (ticket ${finding.ticket})` : '';
  return finding.seq !== null ? `BROKEN at #${finding.seq}: ${finding.problem} — ${finding.message}${where}` : `BROKEN: ${finding.problem} — ${finding.message}`;
}

async function verifyFile(path: string, options: VerifyDatabaseOptions): Promise<DatabaseVerification> {
  try {
    return await verifyDatabaseFile(path, options);
  } catch (error) {
    if (error instanceof SchemaVersionError) throw new CliError(error.message, 2);
    throw error;
  }
}

/**
 * With accounts, an export is done by a signed-in person and recorded in the access log before the file is
 * written — so the export holds its own access record. Single-user mode records nothing (nobody to name).
 */
export async function recordExportAccess(db: Db, flags: { user?: string }, file: string, what = 'ledger export', beforeRecord?: () => void): Promise<void> {
  const who = await personFor(db, flags, CLI_OPERATIONS.export);
  // What the signed-in person asked for is checked before the access log says it was handed on.
  beforeRecord?.();
  if (!who.person) return;
  const account = who.person.account;
  await cliWrite(db, 'access record of the export', () => {
    const at = new Date().toISOString();
    const headSeq = new LedgerRepository(db).lastEvent().seq;
    recordEvents(db, [{ type: 'access.export', at, actor: who.actor, account, via: 'cli', what, file, headSeq }], at);
  });
}

/**
 * `export --pack DIR`: the auditor's pack. Verified first like any export (a broken ledger is never packed), then the
 * access record, then the pack's signed checkpoint, then the files, manifest.json and manifest.sig.
 */
async function packCommand(flags: Flags, path: string): Promise<number> {
  const dir = flags.pack!;
  if (flags.out || flags.format) throw new CliError('--pack DIR writes a folder: it takes no --out or --format', 2);
  if (flags['allow-broken']) throw new CliError('--pack: a pack is never made of a ledger that does not verify (no --allow-broken)', 2);
  if (flags.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(flags.period)) throw new CliError(`--period ${flags.period}: must be a month YYYY-MM`, 2);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) throw new CliError(`--pack ${dir}: must be an empty folder or not exist yet`, 2);
  const verified = (await verifyFile(path, {})).status;
  if (!verified.intact) throw new CliError(`refusing to pack a ledger that does not verify: ${findingLine(verified.problems[0]!)}`);
  const [{ writePack }, { OutcomeInputError }] = await Promise.all([import('../../../core/audit/pack.ts'), import('../../../core/outcomes/outcome-book.ts')]);
  const db = openDatabase(path);
  try {
    await recordExportAccess(db, flags, dir, `pack ${dir}`);
    const summary = await writePack(db, dir, {
      key: loadOrCreateInstallationKey(),
      period: flags.period,
      contract: flags.contract,
      write: (work) => cliWrite(db, 'checkpoint of the pack', work),
    });
    for (const name of summary.missing) process.stderr.write(`attest: warning: ${name} is not part of this installation; the pack has none\n`);
    const issued = summary.statements.filter((s) => s.state === 'issued').length;
    report(
      flags.json,
      summary,
      `pack written to ${dir}: ${summary.events} events under the checkpoint of size ${summary.treeSize} (root ${summary.rootHash}), ${summary.statements.length} statements (${issued} issued), ${summary.files} files; manifest SHA-256 ${summary.manifestSha256}\ncheck it with: node ${join(dir, 'attest-verify.mjs')} ${dir}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof OutcomeInputError) throw new CliError(error.message);
    throw error;
  } finally {
    db.close();
  }
}

async function exportCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  if (flags.pack !== undefined) return packCommand(flags, path);
  if (flags.period !== undefined || flags.contract !== undefined) throw new CliError('--period and --contract go with --pack DIR', 2);
  if ((flags.format ?? 'jsonl') !== 'jsonl') throw new CliError(`--format ${flags.format}: unsupported format (supported: jsonl)`, 2);
  if (!flags.out) throw new CliError('--out PATH is required', 2);
  // A broken ledger is not handed on as if it were sound: refused unless the operator says so explicitly.
  const verified = (await verifyFile(path, {})).status;
  if (!verified.intact && !flags['allow-broken']) {
    throw new CliError(`refusing to export a ledger that does not verify: ${findingLine(verified.problems[0]!)} (use --allow-broken to export it anyway, marked as broken)`);
  }
  // The export first, then a signed checkpoint of the head it exported, written beside it — never over a broken ledger.
  const checkpointFile = `${flags.out}.checkpoint`;
  const { exportJsonl } = await import('../../../core/interchange/jsonl-export.ts');
  const db = openDatabase(path);
  const result = await (async () => {
    await recordExportAccess(db, flags, flags.out!);
    // This command writes (the checkpoint): its session.started goes before the export, so the export holds it and the
    // checkpoint that follows is the event right after the exported head. A broken ledger gets no write at all.
    if (verified.intact) await cliWrite(db, 'session start', () => announceSession(db));
    const exported = exportJsonl(db, flags.out!);
    if (!verified.intact) return { ...exported, intact: false, problem: verified.message, checkpoint: null, checkpointSeq: null };
    // The checkpoint is a write: it waits its turn if another process writes (the export itself only read).
    const checkpoint = await cliWrite(db, 'checkpoint of the export', () => recordHeadCheckpoint(db, exported.events));
    writeFileAtomic(checkpointFile, checkpoint.note, { mode: PUBLIC_FILE_MODE });
    return { ...exported, intact: true, checkpoint: checkpointFile, checkpointSeq: checkpoint.seq };
  })().finally(() => db.close());
  report(
    flags.json,
    result,
    result.checkpoint
      ? `exported ${result.events} events to ${result.file}; head ${result.headHash}; checkpoint ${checkpointFile}`
      : `exported ${result.events} events to ${result.file}; head ${result.headHash}; BROKEN ledger exported as is (no checkpoint signed): ${verified.message}`,
  );
  return 0;
}

async function verifyCommand(flags: Flags): Promise<number> {
  if (flags.pg !== undefined) return verifyTeamCommand(flags);
  const path = existingDb(flags);
  const options = checkpointOptionsFromFlags(flags);
  const result = await verifyFile(path, { checkpoints: options, deep: flags.deep });
  const { status } = result;
  const checkpoints = checkpointSummary(result.checkpoints);
  const chainLine = `${status.eventCount} events, head ${status.headHash}`;
  const deepLine = result.deep ? [`deep: ${result.deep.tablesCompared} projection tables, ${result.deep.rowsCompared} rows compared with a rebuild from the events`] : [];
  const human = status.intact
    ? [`intact: ${chainLine}`, ...checkpoints.lines, ...deepLine]
    : [...status.problems.map(findingLine), ...(status.chainIntact ? [`chain: ${chainLine} (links and hashes hold; see above)`] : []), ...deepLine];
  for (const warning of checkpoints.warnings) process.stderr.write(`attest: warning: ${warning}\n`);
  if (result.schema.kind === 'older') {
    process.stderr.write(`attest: note: schema version ${result.schema.version} (this Attest writes ${result.schema.latest}); verified as it is, without upgrading\n`);
  }
  const deep = result.deep ? { tablesCompared: result.deep.tablesCompared, rowsCompared: result.deep.rowsCompared, differences: result.deep.differences } : undefined;
  report(flags.json, { ...status, checkpoints: checkpointsJson(result.checkpoints), ...(deep ? { deep } : {}), threads: result.threads }, human.join('\n'));
  return status.intact ? 0 : 1;
}

async function rebuildCommand(flags: Flags): Promise<number> {
  const result = await withPersonWrite(existingDb(flags), flags, CLI_OPERATIONS.rebuild, 'rebuild of the projections', (db) => {
    const started = performance.now();
    const rebuilt = rebuildAllProjections(db);
    return { tickets: rebuilt.tickets, totalTickets: new TicketRepository(db).count(), seconds: (performance.now() - started) / 1000, projections: rebuilt.seconds };
  });
  const parts = Object.entries(result.projections).map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ');
  report(flags.json, result, `rebuilt projections of ${result.tickets} tickets in ${result.seconds.toFixed(1)} s (${parts})`);
  return 0;
}

async function serveCommand(flags: Flags): Promise<number> {
  // --team: the file is this console's replica of the team ledger (a new file is created and filled from the server).
  const team = serveTeamOption(flags.team);
  const path = team ? requireDb(flags) : existingDb(flags);
  // Single-user mode: the one person at this machine owns the file (admin) unless --role narrows it.
  const role = (flags.role ?? 'admin') as Role;
  if (!ROLES.includes(role)) throw new CliError(`--role ${flags.role}: must be one of ${ROLES.join(', ')}`, 2);
  const port = positiveInt(flags.port, '--port', 0);
  // A tuning knob (tests set it low): how often the console's chain monitor looks for events other processes
  // appended; unset keeps the monitor's own default, 0 turns the poll off.
  const pollEnv = process.env.ATTEST_CHAIN_POLL_MS;
  const chainPollIntervalMs = pollEnv === undefined || pollEnv === '' ? undefined : positiveInt(pollEnv, 'ATTEST_CHAIN_POLL_MS', 0);
  // --demo: the sign-in screen lists the demo accounts whose published password still works.
  // Loaded here, not with the command list: the console's core and HTTP bridge are about 70 modules every other
  // command would load at each start for nothing.
  const [{ openCore }, { startHttpBridge }] = await Promise.all([import('../../../core/service.ts'), import('../../http/server.ts')]);
  const core = openCore({
    dbPath: path,
    role,
    mode: 'browser',
    checkpointEveryMs: DAILY_CHECKPOINT_MS,
    chainPollIntervalMs,
    demo: flags.demo === true,
    session: { via: 'console' },
    team: team ? { url: team.url } : undefined,
  });
  const teamState = team ? await replicaAtStart(core, team.team) : null;
  const auth = await core.invoke('auth.state', {});
  // With accounts every person signs in and acts in their own role; --role only sets single-user mode's role.
  if (auth.ok && auth.value.mode === 'accounts' && flags.role !== undefined) {
    process.stderr.write(`attest serve: --role ${flags.role} is ignored: this ledger has accounts, so each person signs in with their own role\n`);
  }
  const bridge = await startHttpBridge({ core, staticDir: DEFAULT_STATIC_DIR, port });
  report(
    flags.json,
    { url: bridge.url, port: bridge.port, db: path, role, ...(teamState ? { team: teamState.status } : {}) },
    [`Attest console: ${bridge.url}`, ...(teamState ? [teamState.line] : [])].join('\n'),
  );
  const stop = async (): Promise<void> => {
    await bridge.close();
    core.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}

export const LEDGER_COMMANDS: Command[] = [
  {
    name: 'demo',
    usage: 'attest demo    --db FILE [--tickets N] [--seed S] [--admin NAME [--password-file F]] [--json]',
    options: { tickets: { type: 'string' }, seed: { type: 'string' }, admin: { type: 'string' }, 'password-file': { type: 'string' } },
    run: (args) => demoCommand(flagsOf(args)),
  },
  {
    name: 'export',
    usage: 'attest export  --db FILE (--format jsonl --out PATH [--allow-broken] | --pack DIR [--period YYYY-MM] [--contract ID]) [--user NAME] [--json]',
    options: {
      ...SIGN_IN_OPTIONS,
      format: { type: 'string' },
      out: { type: 'string' },
      'allow-broken': { type: 'boolean', default: false },
      pack: { type: 'string' },
      period: { type: 'string' },
      contract: { type: 'string' },
    },
    run: (args) => exportCommand(flagsOf(args)),
  },
  {
    name: 'verify',
    usage: 'attest verify  (--db FILE [--deep] [--checkpoint FILE]... | --pg URL) [--key PUBKEY] [--json]',
    options: { checkpoint: { type: 'string', multiple: true }, key: { type: 'string' }, deep: { type: 'boolean', default: false }, pg: { type: 'string' } },
    run: (args) => verifyCommand(flagsOf(args)),
  },
  { name: 'rebuild', usage: 'attest rebuild --db FILE [--user NAME] [--json]', options: SIGN_IN_OPTIONS, run: (args) => rebuildCommand(flagsOf(args)) },
  {
    name: 'serve',
    usage: 'attest serve   --db FILE [--team URL] [--port P] [--role admin|supervisor|auditor] [--demo] [--json]',
    options: { port: { type: 'string' }, role: { type: 'string' }, demo: { type: 'boolean', default: false }, team: { type: 'string' } },
    run: (args) => serveCommand(flagsOf(args)),
  },
];
