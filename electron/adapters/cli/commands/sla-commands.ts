import { existsSync, readFileSync } from 'node:fs';
import { parseInput } from '../../../../shared/contract.ts';
import { basename } from 'node:path';
import { SLA_GROUPINGS, SLA_METRICS, type SlaComplianceReport, type SlaGrouping, type SlaMetricCounts, type SlaTicketReport } from '../../../../shared/contracts/sla.ts';
import { importPolicyText, PolicyFileError } from '../../../core/sla/policy-file.ts';
import { slaCompliance, SlaRangeError, ticketSlaReport } from '../../../core/sla/sla-queries.ts';
import type { Command, CommandArgs } from '../command.ts';
import { existingDb, withDb } from '../db-args.ts';
import { CLI_OPERATIONS, SIGN_IN_OPTIONS, withPersonWrite } from '../cli-person.ts';
import { CliError, report } from '../output.ts';

interface Flags {
  db?: string;
  json: boolean;
  from?: string;
  to?: string;
  by?: string;
  ticket?: string;
  user?: string;
}

const flagsOf = (args: CommandArgs): Flags => args.values as unknown as Flags;

async function importCommand(flags: Flags, files: string[]): Promise<number> {
  const path = existingDb(flags);
  if (files.length !== 1) throw new CliError('sla import: name exactly one policy file (POLICIES.json)', 2);
  const file = files[0]!;
  if (!existsSync(file)) throw new CliError(`${file}: no such file`);
  try {
    const text = readFileSync(file, 'utf8');
    const parsed = parseInput('sla.importPolicies', { fileName: basename(file), text });
    if (!parsed.ok) throw new CliError(parsed.error.details?.join('; ') ?? parsed.error.message, 2);
    const result = await withPersonWrite(path, flags, CLI_OPERATIONS['sla import'], `sla import ${basename(file)}`, (db, who) => importPolicyText(db, basename(file), text, who.actor));
    report(flags.json, result, `${result.file}: SLA policies version ${result.version} (${result.policies} policies, ${result.calendars} calendars) effective from ${result.effectiveFrom}, ledger event #${result.seq}`);
    return 0;
  } catch (error) {
    if (error instanceof PolicyFileError) throw new CliError(error.message);
    throw error;
  }
}

const percent = (c: SlaMetricCounts): string => (c.compliance === null ? '   —  ' : `${(c.compliance * 100).toFixed(1).padStart(5)}%`);
const row = (label: string, c: SlaMetricCounts): string =>
  `  ${label.padEnd(18)} ${percent(c)}  achieved ${String(c.achieved).padStart(7)}  breached ${String(c.breached).padStart(7)}  in progress ${String(c.inProgress).padStart(6)}`;

function complianceText(r: SlaComplianceReport): string {
  const lines = [`SLA compliance of tickets created ${r.from} … ${r.to}`];
  for (const metric of SLA_METRICS) lines.push(row(metric, r.metrics[metric]));
  for (const [key, metrics] of Object.entries(r.groups)) {
    lines.push(`${key}:`);
    for (const metric of SLA_METRICS) lines.push(row(metric, metrics[metric]));
  }
  return lines.join('\n');
}

function ticketText(r: SlaTicketReport): string {
  const lines = [`SLA clocks of ${r.ticket} as of ${r.asOf}`];
  for (const metric of SLA_METRICS) {
    const m = r.metrics[metric];
    lines.push(`${metric}: ${m.outcome}`);
    for (const c of m.clocks) {
      lines.push(
        `  #${c.instance} ${c.status}: ${c.elapsedMinutes} of ${c.targetMinutes} ${c.business ? `business (${c.calendar})` : 'calendar'} minutes; policy ${c.policyId} v${c.policyVersion}` +
          (c.breachAt ? `; breach ${c.breachAt}` : ''),
      );
      for (const e of c.events) lines.push(`     ${e.at} ${e.kind.padEnd(8)} ${e.seq === null ? '' : `#${e.seq} `}${e.cause}`);
    }
  }
  return lines.join('\n');
}

function slaCommand(flags: Flags, positionals: string[]): number {
  if (positionals.length > 0) throw new CliError(`sla: unexpected argument "${positionals[0]}"`, 2);
  const path = existingDb(flags);
  if (flags.ticket !== undefined) {
    if (flags.from || flags.to || flags.by) throw new CliError('sla: --ticket cannot be combined with --from, --to or --by', 2);
    const result = withDb(path, (db) => ticketSlaReport(db, flags.ticket!));
    if (!result) throw new CliError(`ticket ${flags.ticket} not found`);
    report(flags.json, result, ticketText(result));
    return 0;
  }
  if (!flags.from || !flags.to) throw new CliError('sla: --from DATE and --to DATE are required (or --ticket ID)', 2);
  if (flags.by !== undefined && !SLA_GROUPINGS.includes(flags.by as SlaGrouping)) throw new CliError(`--by ${flags.by}: must be one of ${SLA_GROUPINGS.join(', ')}`, 2);
  try {
    const result = withDb(path, (db) => slaCompliance(db, { from: flags.from!, to: flags.to!, by: flags.by as SlaGrouping | undefined }));
    report(flags.json, result, complianceText(result));
  } catch (error) {
    if (error instanceof SlaRangeError) throw new CliError(error.message, 2);
    throw error;
  }
  return 0;
}

export const SLA_COMMANDS: Command[] = [
  {
    name: 'sla import',
    usage: 'attest sla import --db FILE POLICIES.json [--user NAME] [--json]',
    options: SIGN_IN_OPTIONS,
    run: (args) => importCommand(flagsOf(args), args.positionals),
  },
  {
    name: 'sla',
    usage: 'attest sla    --db FILE (--from DATE --to DATE [--by priority|category|actor] | --ticket ID) [--json]',
    options: { from: { type: 'string' }, to: { type: 'string' }, by: { type: 'string' }, ticket: { type: 'string' } },
    run: (args) => slaCommand(flagsOf(args), args.positionals),
  },
];
