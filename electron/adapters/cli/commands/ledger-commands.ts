import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROLES, type Role } from '../../../../shared/domain.ts';
import { openDatabase } from '../../../core/db/connection.ts';
import { createDemoDatabase } from '../../../core/demo-database.ts';
import { exportJsonl } from '../../../core/interchange/jsonl-export.ts';
import { verifyLedgerParallel } from '../../../core/ledger/verify-parallel.ts';
import { openCore } from '../../../core/service.ts';
import { DAILY_CHECKPOINT_MS } from '../../../core/checkpoints/checkpoint-schedule.ts';
import { rebuildAllProjections } from '../../../core/derived/refresh.ts';
import { TicketRepository } from '../../../core/tickets/ticket-repository.ts';
import { startHttpBridge } from '../../http/server.ts';
import { CliError, report } from '../output.ts';
import { cliWrite, existingDb, positiveInt, requireDb, withWriteDb } from '../db-args.ts';
import { checkpointsJson, recordHeadCheckpoint, verifyCheckpoints, type CheckpointVerdict } from './checkpoint-commands.ts';

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
}

const flagsOf = (args: CommandArgs): Flags => args.values as unknown as Flags;

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../../../dist/renderer/', import.meta.url));

function demoCommand(flags: Flags): number {
  const path = requireDb(flags);
  const tickets = positiveInt(flags.tickets, '--tickets', 5000);
  if (tickets < 1) throw new CliError('--tickets: must be at least 1', 2);
  const seed = positiveInt(flags.seed, '--seed', 1);
  const started = performance.now();
  const result = createDemoDatabase(path, {
    tickets,
    seed,
    onProgress: flags.json ? undefined : (events) => process.stderr.write(`\r${events} events written`),
  });
  if (!flags.json) process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  report(flags.json, { db: path, ...result, seed, seconds }, `demo: ${result.tickets} tickets, ${result.events} events in ${path} (${seconds.toFixed(1)} s); head ${result.headHash}`);
  return 0;
}

async function exportCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  if ((flags.format ?? 'jsonl') !== 'jsonl') throw new CliError(`--format ${flags.format}: unsupported format (supported: jsonl)`, 2);
  if (!flags.out) throw new CliError('--out PATH is required', 2);
  // The export first, then a signed checkpoint of the head it exported, written beside it.
  const checkpointFile = `${flags.out}.checkpoint`;
  const db = openDatabase(path);
  const result = await (async () => {
    const exported = exportJsonl(db, flags.out!);
    // The checkpoint is a write: it waits its turn if another process writes (the export itself only read).
    const checkpoint = await cliWrite(db, 'checkpoint of the export', () => recordHeadCheckpoint(db, exported.events));
    writeFileSync(checkpointFile, checkpoint.note);
    return { ...exported, checkpoint: checkpointFile, checkpointSeq: checkpoint.seq };
  })().finally(() => db.close());
  report(flags.json, result, `exported ${result.events} events to ${result.file}; head ${result.headHash}; checkpoint ${checkpointFile}`);
  return 0;
}

async function verifyCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const db = openDatabase(path);
  let checkpoints: CheckpointVerdict | undefined;
  const status = await verifyLedgerParallel(db, path)
    .then((chain) => {
      checkpoints = verifyCheckpoints(db, flags);
      return chain;
    })
    .finally(() => db.close());
  const verdict = checkpoints!;
  const human = [
    status.intact ? `intact: ${status.eventCount} events, head ${status.headHash}` : `BROKEN at #${status.firstBadSeq}: ${status.problem} — ${status.message}`,
    ...verdict.lines,
  ].join('\n');
  for (const warning of verdict.warnings) process.stderr.write(`attest: warning: ${warning}\n`);
  report(flags.json, { ...status, checkpoints: checkpointsJson(verdict.checks) }, human);
  return status.intact && verdict.ok ? 0 : 1;
}

async function rebuildCommand(flags: Flags): Promise<number> {
  const result = await withWriteDb(existingDb(flags), 'rebuild of the projections', (db) => {
    const started = performance.now();
    const rebuilt = rebuildAllProjections(db);
    return { tickets: rebuilt.tickets, totalTickets: new TicketRepository(db).count(), seconds: (performance.now() - started) / 1000, projections: rebuilt.seconds };
  });
  const parts = Object.entries(result.projections).map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ');
  report(flags.json, result, `rebuilt projections of ${result.tickets} tickets in ${result.seconds.toFixed(1)} s (${parts})`);
  return 0;
}

async function serveCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const role = (flags.role ?? 'supervisor') as Role;
  if (!ROLES.includes(role)) throw new CliError(`--role ${flags.role}: must be one of ${ROLES.join(', ')}`, 2);
  const port = positiveInt(flags.port, '--port', 0);
  const core = openCore({ dbPath: path, role, mode: 'browser', checkpointEveryMs: DAILY_CHECKPOINT_MS });
  const bridge = await startHttpBridge({ core, staticDir: DEFAULT_STATIC_DIR, port });
  report(flags.json, { url: bridge.url, port: bridge.port, db: path, role }, `Attest console: ${bridge.url}`);
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
    usage: 'attest demo    --db FILE [--tickets N] [--seed S] [--json]',
    options: { tickets: { type: 'string' }, seed: { type: 'string' } },
    run: (args) => demoCommand(flagsOf(args)),
  },
  {
    name: 'export',
    usage: 'attest export  --db FILE --format jsonl --out PATH [--json]',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    run: (args) => exportCommand(flagsOf(args)),
  },
  {
    name: 'verify',
    usage: 'attest verify  --db FILE [--checkpoint FILE]... [--key PUBKEY] [--json]',
    options: { checkpoint: { type: 'string', multiple: true }, key: { type: 'string' } },
    run: (args) => verifyCommand(flagsOf(args)),
  },
  { name: 'rebuild', usage: 'attest rebuild --db FILE [--json]', run: (args) => rebuildCommand(flagsOf(args)) },
  {
    name: 'serve',
    usage: 'attest serve   --db FILE [--port P] [--role admin|supervisor|auditor] [--json]',
    options: { port: { type: 'string' }, role: { type: 'string' } },
    run: (args) => serveCommand(flagsOf(args)),
  },
];
