import { boardThresholdsSchema, KPI_GROUPINGS, type KpiGrouping, type KpiReport, type KpiValues, type MigrationBoard } from '../../../../shared/contracts/kpis.ts';
import { formatMoney } from '../../../../shared/format.ts';
import { findBaseline, freezeBaseline, listBaselines } from '../../../core/kpis/baselines.ts';
import { migrationBoard } from '../../../core/kpis/board.ts';
import { KpiInputError, kpiReport } from '../../../core/kpis/kpi-report.ts';
import { prepareKpiExport } from '../../../core/kpis/kpi-export.ts';
import { writeFileAtomic } from '../../../core/files/atomic-file.ts';
import { openDatabase } from '../../../core/db/connection.ts';
import { recordExportAccess } from './ledger-commands.ts';
import type { Command, CommandArgs } from '../command.ts';
import { existingDb, withDb } from '../db-args.ts';
import { CLI_OPERATIONS, SIGN_IN_OPTIONS, withPersonWrite } from '../cli-person.ts';
import { CliError, report } from '../output.ts';
import { cliSignature, SIGNATURE_OPTIONS, signCliAct, type SignatureFlags } from '../cli-signature.ts';

interface Flags extends SignatureFlags {
  db?: string;
  json: boolean;
  from?: string;
  to?: string;
  by?: string;
  name?: string;
  baseline?: string;
  user?: string;
  'fcr-max-drop'?: string;
  'csat-max-drop'?: string;
  'reopen-max-rise'?: string;
  'min-sample'?: string;
  'include-flagged'?: boolean;
  view?: string;
  format?: string;
  out?: string;
  category?: string[];
}

const flagsOf = (args: CommandArgs): Flags => args.values as unknown as Flags;

function period(flags: Flags): { from: string; to: string } {
  if (!flags.from) throw new CliError('--from DATE is required (YYYY-MM-DD or an ISO 8601 timestamp)', 2);
  if (!flags.to) throw new CliError('--to DATE is required (YYYY-MM-DD, inclusive, or an ISO 8601 timestamp)', 2);
  return { from: flags.from, to: flags.to };
}

/** KpiInputError is bad input: exit 2 with its message. */
function usageErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof KpiInputError) throw new CliError(error.message, 2);
    throw error;
  }
}

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const fixed = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits));

function humanLine(label: string, v: KpiValues): string {
  return [
    `${label}: ${v.tickets} tickets`,
    `FCR ${pct(v.fcr)}`,
    `deflection ${pct(v.deflection)}`,
    `AHT ${fixed(v.ahtMinutes)} min${v.ahtSource ? ` (${v.ahtSource})` : ''}`,
    `CSAT ${fixed(v.csatMean, 2)} (${pct(v.csatSatisfiedShare)} 4–5, n=${v.csatResponses})`,
    `SLA ${pct(v.slaCompliance)}`,
    `reopen ${pct(v.reopenRate)}`,
    `escalation ${pct(v.escalationRate)}`,
    costLine(v),
  ].join(', ');
}

/** Amounts in the values' currency (formatMoney, code not symbol); without one, plain numbers said to have none. */
function costLine(v: KpiValues): string {
  const cost = v.costPerResolution;
  if (!v.currency) return `cost/resolution human ${fixed(cost.human, 2)} ai ${fixed(cost.ai, 2)} (no currency)`;
  const amount = (minor: number | null | undefined): string => (minor == null ? '—' : formatMoney(minor, v.currency!));
  return `cost/resolution human ${amount(cost.humanMinor)} ai ${amount(cost.aiMinor)}, AI spend ${amount(cost.aiSpendMinor)} (infrastructure ${amount(cost.infrastructureMinor)})`;
}

function kpisText(r: KpiReport): string {
  const lines = [humanLine(`${r.from} to ${r.to}`, r)];
  for (const [key, values] of Object.entries(r.groups)) lines.push(humanLine(`  ${r.by} ${key}`, values));
  for (const [kpi, note] of Object.entries(r.notes)) lines.push(`  note (${kpi}): ${note}`);
  if (r.flagged.tickets > 0) {
    const spoiled = Object.entries(r.flagged.byKpi).map(([kpi, n]) => `${kpi} ${n}`).join(', ');
    lines.push(`  import-flagged tickets: ${r.flagged.tickets}, ${r.flagged.included ? 'counted (--include-flagged)' : 'left out of the KPIs their flags spoil'} (${spoiled})`);
  }
  return lines.join('\n');
}

function boardText(board: MigrationBoard): string {
  const lines = [
    `pilot ${board.pilot.from} to ${board.pilot.to} vs ${board.baseline ? `baseline "${board.baseline.name}" (${board.baseline.from} to ${board.baseline.to}, #${board.baseline.seq})` : 'no baseline (freeze one: attest baseline freeze)'}`,
  ];
  for (const row of board.rows) {
    lines.push(`tier ${row.tier} ${row.category}: mode ${row.mode}${row.reason ? ` ("${row.reason}" — ${row.changedBy})` : ''}; verdict ${row.verdict}`);
    for (const c of row.checks) {
      const ci = c.difference.ci ? ` [${c.difference.ci.low.toFixed(3)}, ${c.difference.ci.high.toFixed(3)}]` : '';
      lines.push(`    ${c.rule}: baseline ${fixed(c.baseline.value, 3)} pilot ${fixed(c.pilot.value, 3)} diff ${fixed(c.difference.value, 3)}${ci} → ${c.verdict}`);
    }
  }
  return lines.join('\n');
}

function boardThresholds(flags: Flags) {
  const parsed = boardThresholdsSchema.safeParse({
    fcrMaxDrop: number(flags['fcr-max-drop'], '--fcr-max-drop'),
    csatMaxDrop: number(flags['csat-max-drop'], '--csat-max-drop'),
    reopenMaxRise: number(flags['reopen-max-rise'], '--reopen-max-rise'),
    minSample: number(flags['min-sample'], '--min-sample'),
  });
  if (!parsed.success) throw new CliError(`thresholds: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 2);
  return parsed.data;
}

const THRESHOLD_OPTIONS = {
  'fcr-max-drop': { type: 'string' },
  'csat-max-drop': { type: 'string' },
  'reopen-max-rise': { type: 'string' },
  'min-sample': { type: 'string' },
} as const;

/**
 * `attest kpis export`: the console's "CSV" and "PDF report" of the overview or the migration board, written to a
 * file. Handed on like any export: with accounts a signed-in person does it and the access log says so.
 */
async function kpisExportCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const range = period(flags);
  const view = flags.view ?? 'overview';
  if (view !== 'overview' && view !== 'board') throw new CliError(`--view ${view}: must be overview or board (the ROI report is made in the console, from the calculator's inputs)`, 2);
  const format = flags.format ?? 'pdf';
  if (format !== 'csv' && format !== 'pdf') throw new CliError(`--format ${format}: must be csv or pdf`, 2);
  if (!flags.out) throw new CliError('--out PATH is required (where the report is written)', 2);
  const baselineSeq = number(flags.baseline, '--baseline');
  const thresholds = boardThresholds(flags);
  // Read in one snapshot, then rendered with the database closed.
  const render = usageErrors(() => withDb(path, (db) => prepareKpiExport(db, { view, format, ...range, category: flags.category ?? [], baselineSeq, thresholds })));
  const file = await render();
  const db = openDatabase(path);
  try {
    await recordExportAccess(db, flags, flags.out, `kpi ${view} report ${range.from} to ${range.to}`);
    writeFileAtomic(flags.out, file.encoding === 'base64' ? Buffer.from(file.data, 'base64') : file.data);
  } finally {
    db.close();
  }
  report(flags.json, { file: flags.out, view, format, from: range.from, to: range.to }, `written to ${flags.out} (${view}, ${format})`);
  return 0;
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliError(`${flag}: must be a number, got "${value}"`, 2);
  return n;
}

export const KPI_COMMANDS: Command[] = [
  {
    name: 'kpis',
    usage: 'attest kpis --db FILE --from DATE --to DATE [--by category|channel|actor] [--include-flagged] [--json]',
    options: { from: { type: 'string' }, to: { type: 'string' }, by: { type: 'string' }, 'include-flagged': { type: 'boolean', default: false } },
    run(args) {
      const flags = flagsOf(args);
      const path = existingDb(flags);
      const range = period(flags);
      if (flags.by !== undefined && !(KPI_GROUPINGS as readonly string[]).includes(flags.by)) {
        throw new CliError(`--by ${flags.by}: must be one of ${KPI_GROUPINGS.join(', ')}`, 2);
      }
      const result = usageErrors(() => withDb(path, (db) => kpiReport(db, { ...range, by: flags.by as KpiGrouping | undefined, includeFlagged: flags['include-flagged'] === true })));
      report(flags.json, result, kpisText(result));
      return 0;
    },
  },
  {
    name: 'kpis export',
    usage:
      'attest kpis export --db FILE --from DATE --to DATE --out PATH [--view overview|board] [--format pdf|csv] [--category NAME]... [--baseline SEQ] [--user NAME] [--json]',
    options: {
      ...SIGN_IN_OPTIONS,
      from: { type: 'string' },
      to: { type: 'string' },
      view: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      category: { type: 'string', multiple: true },
      baseline: { type: 'string' },
      ...THRESHOLD_OPTIONS,
    },
    run: (args) => kpisExportCommand(flagsOf(args)),
  },
  {
    name: 'baseline freeze',
    usage: 'attest baseline freeze --db FILE --from DATE --to DATE --name NAME [--user NAME --meaning M --sign-reason TEXT] [--json]',
    options: { ...SIGN_IN_OPTIONS, ...SIGNATURE_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, name: { type: 'string' } },
    async run(args) {
      const flags = flagsOf(args);
      const path = existingDb(flags);
      const range = period(flags);
      if (!flags.name?.trim()) throw new CliError('--name NAME is required (e.g. "pre-pilot 2026")', 2);
      // Signed once the ledger has accounts; read again after the signature so the row carries it.
      const row = await withPersonWrite(path, flags, CLI_OPERATIONS['baseline freeze'], 'baseline freeze', (db, who) => {
        const frozen = usageErrors(() => freezeBaseline(db, { ...range, name: flags.name!.trim() }, who.actor));
        signCliAct(db, cliSignature(flags, who), frozen.seq);
        return findBaseline(db, frozen.seq)!;
      });
      report(flags.json, row, `baseline "${row.name}" (${row.from} to ${row.to}) frozen at #${row.seq}: ${row.overall.tickets} tickets; definitions ${row.definitionsHash}`);
      return 0;
    },
  },
  {
    name: 'baseline list',
    usage: 'attest baseline list --db FILE [--json]',
    run(args) {
      const flags = flagsOf(args);
      const rows = withDb(existingDb(flags), (db) => listBaselines(db));
      report(
        flags.json,
        rows,
        rows.length === 0
          ? 'no baselines frozen'
          : rows.map((r) => `#${r.seq} "${r.name}" ${r.from} to ${r.to}, ${r.overall.tickets} tickets, frozen ${r.frozenAt} by ${r.frozenBy}${r.definitionsMatch ? '' : ' (KPI definitions changed since)'}`).join('\n'),
      );
      return 0;
    },
  },
  {
    name: 'board',
    usage:
      'attest board --db FILE --from DATE --to DATE [--baseline SEQ] [--fcr-max-drop X] [--csat-max-drop X] [--reopen-max-rise X] [--min-sample N] [--json]',
    options: { from: { type: 'string' }, to: { type: 'string' }, baseline: { type: 'string' }, ...THRESHOLD_OPTIONS },
    run(args) {
      const flags = flagsOf(args);
      const path = existingDb(flags);
      const range = period(flags);
      const baselineSeq = number(flags.baseline, '--baseline');
      const board = usageErrors(() => withDb(path, (db) => migrationBoard(db, { ...range, baselineSeq, thresholds: boardThresholds(flags) })));
      report(flags.json, board, boardText(board));
      return 0;
    },
  },
];
