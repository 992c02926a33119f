import { checkHealth, resolveTickets, type ResolveProgress, type ResolveSummary } from '../../../core/ai/resolver.ts';
import { importKnowledgeBase } from '../../../core/kb/kb-import.ts';
import { ArticleError } from '../../../core/kb/parse-article.ts';
import { MAX_KB_REASON_LENGTH } from '../../../core/kb/kb-event-types.ts';
import { searchArticles } from '../../../core/kb/kb-search.ts';
import { openDatabase } from '../../../core/db/connection.ts';
import type { Command, CommandArgs } from '../command.ts';
import { cliWriteTurn, existingDb, positiveInt, requireDb, withDb } from '../db-args.ts';
import { CLI_OPERATIONS, personFor, SIGN_IN_OPTIONS, withPersonWrite } from '../cli-person.ts';
import { parseInput } from '../../../../shared/contract.ts';
import { CliError, report } from '../output.ts';

interface Flags {
  db?: string;
  json: boolean;
  limit?: string;
  category?: string;
  'dry-run'?: boolean;
  parallel?: string;
  user?: string;
  reason?: string;
}

const flagsOf = (args: CommandArgs): Flags => args.values as unknown as Flags;

function progressBar(p: ResolveProgress): string {
  const width = 30;
  const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
  const paused = p.paused ? `  paused since ${p.paused.since.slice(11, 16)} UTC: ${p.paused.reason}, retrying` : '';
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total}  sent ${p.sent}  review ${p.awaitingReview}  handed off ${p.handedOff}  skipped ${p.skipped}${paused}`;
}

function humanSummary(s: ResolveSummary): string {
  const handOffs = Object.entries(s.handedOff).map(([reason, n]) => `${reason} ${n}`).join(', ') || 'none';
  const lines = [
    `${s.dryRun ? 'dry run (nothing recorded): ' : ''}${s.processed} ticket(s) processed with ${s.model} at ${s.host} in ${(s.durationMs / 1000).toFixed(1)} s`,
    `  sent and solved ${s.sentSolved}, sent and pending ${s.sentPending}, awaiting review ${s.awaitingReview}`,
    `  handed off: ${handOffs}`,
    `  skipped ${s.skipped}, already handled ${s.duplicates}, failed ${s.failed}, still queued ${s.unavailable}`,
    `  slots: ${s.slots.parallel}, busy ${s.slots.utilisation.map((u) => `${Math.round(u * 100)}%`).join(' ') || '-'}, retries ${s.slots.retried}`,
  ];
  if (s.message) lines.push(s.message);
  return lines.join('\n');
}

async function resolveCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const limit = flags.limit === undefined ? undefined : positiveInt(flags.limit, '--limit', 0);
  if (limit === 0) throw new CliError('--limit: must be at least 1', 2);
  const parallel = flags.parallel === undefined ? undefined : positiveInt(flags.parallel, '--parallel', 1);
  if (parallel === 0) throw new CliError('--parallel: must be at least 1', 2);
  const parsed = parseInput('ai.resolve', { limit, category: flags.category });
  if (!parsed.ok) throw new CliError(parsed.error.details?.join('; ') ?? parsed.error.message, 2);
  const db = openDatabase(path);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  try {
    // A dry run records nothing, but it still runs the model on the ledger's tickets: the same permission.
    await personFor(db, flags, CLI_OPERATIONS.resolve);
    const summary = await resolveTickets(db, {
      limit,
      category: flags.category,
      dryRun: Boolean(flags['dry-run']),
      parallel,
      signal: controller.signal,
      write: cliWriteTurn(db),
      onProgress: (p) => process.stderr.write(progressBar(p)),
    });
    process.stderr.write('\n');
    const { decisions, ...rest } = summary;
    report(flags.json, flags.json ? { ...rest, decisions } : rest, humanSummary(summary));
    if (summary.message && !flags.json) process.stderr.write(`attest: ${summary.message}\n`);
    // Every failed ticket is named with its reason, and any failure makes the command fail.
    for (const failure of summary.failures) process.stderr.write(`attest: ${failure.ticketId}: failed: ${failure.reason}\n`);
    return summary.message || summary.failed > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', stop);
    db.close();
  }
}

async function kbImportCommand(flags: Flags, dirs: string[]): Promise<number> {
  const path = requireDb(flags);
  if (dirs.length !== 1) throw new CliError('kb import: name exactly one directory of articles', 2);
  const reason = flags.reason?.trim();
  if (flags.reason !== undefined && !reason) throw new CliError('--reason: must not be empty (leave it out to record the file and its SHA-256 as the reason)', 2);
  if (reason && reason.length > MAX_KB_REASON_LENGTH) throw new CliError(`--reason: must be at most ${MAX_KB_REASON_LENGTH} characters`, 2);
  try {
    const result = await withPersonWrite(path, flags, CLI_OPERATIONS['kb import'], `kb import ${dirs[0]!}`, (db, who) => importKnowledgeBase(db, dirs[0]!, who.actor, { reason }));
    report(flags.json, result, `${result.dir}: ${result.filesRead} files, ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged`);
    return 0;
  } catch (error) {
    if (error instanceof ArticleError) throw new CliError(`kb import: ${error.message} (nothing imported)`);
    throw error;
  }
}

function kbSearchCommand(flags: Flags, words: string[]): number {
  const path = existingDb(flags);
  if (words.length === 0) throw new CliError('kb search: give the words to search for', 2);
  const limit = positiveInt(flags.limit, '--limit', 5) || 5;
  const result = withDb(path, (db) => searchArticles(db, words.join(' '), limit));
  report(flags.json, result, result.hits.map((h, i) => `${i + 1}. ${h.id} v${h.version} (${h.score}) ${h.title}`).join('\n') || 'no matching article');
  return 0;
}

async function healthCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const db = openDatabase(path);
  try {
    const health = await checkHealth(db);
    const human = health.reachable
      ? `Ollama ${health.version} at ${health.host}; models: ${health.models.map((m) => m.name).join(', ') || 'none'}; ${health.model} ${health.modelPresent ? `present (${health.digest})` : 'missing'}`
      : `${health.message}`;
    report(flags.json, health, human + (health.reachable && health.message ? `\n${health.message}` : ''));
    return health.reachable && health.modelPresent ? 0 : 1;
  } finally {
    db.close();
  }
}

export const AI_COMMANDS: Command[] = [
  {
    name: 'resolve',
    usage: 'attest resolve --db FILE [--limit N] [--category C] [--parallel N] [--dry-run] [--user NAME] [--json]',
    options: { ...SIGN_IN_OPTIONS, limit: { type: 'string' }, category: { type: 'string' }, parallel: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
    run: (args) => resolveCommand(flagsOf(args)),
  },
  {
    name: 'kb import',
    usage: 'attest kb import --db FILE DIR [--reason TEXT] [--user NAME] [--json]',
    options: { ...SIGN_IN_OPTIONS, reason: { type: 'string' } },
    run: (args) => kbImportCommand(flagsOf(args), args.positionals),
  },
  {
    name: 'kb search',
    usage: 'attest kb search --db FILE WORDS… [--limit N] [--json]',
    options: { limit: { type: 'string' } },
    run: (args) => kbSearchCommand(flagsOf(args), args.positionals),
  },
  {
    name: 'ai health',
    usage: 'attest ai health --db FILE [--json]',
    run: (args) => healthCommand(flagsOf(args)),
  },
];
