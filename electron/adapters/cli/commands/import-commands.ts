// `attest import`: Attest JSONL, Zendesk JSON, Freshdesk CSV, or any CSV with a mapping file.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { IMPORT_FORMATS, type ImportFileReport, type ImportFormat } from '../../../../shared/contracts/importers.ts';
import { openDatabase } from '../../../core/db/connection.ts';
import { checkMapping, MappingError } from '../../../core/importers/csv-mapping.ts';
import { isValidZone } from '../../../core/importers/import-timestamps.ts';
import { importFile, type ImportProgress } from '../../../core/importers/import-run.ts';
import { ImportCancelled } from '../../../core/importers/import-types.ts';
import { importJsonlFile } from '../../../core/interchange/jsonl-import.ts';
import type { Command, CommandArgs } from '../command.ts';
import { cliBeginWrite, cliWrite, requireDb } from '../db-args.ts';
import { CliError, report } from '../output.ts';
import { parseKeyOption } from '../../../core/checkpoints/checkpoint-check.ts';
import type { VerifierKey } from '../../../core/checkpoints/signed-note.ts';
import { CLI_OPERATIONS, HELPDESK_IMPORT_OPERATION, personFor, SIGN_IN_OPTIONS } from '../cli-person.ts';

interface Flags {
  db?: string;
  json: boolean;
  format?: string;
  mapping?: string;
  timezone?: string;
  key?: string;
  user?: string;
}

const FORMATS = ['jsonl', ...IMPORT_FORMATS] as const;

/** --key: the exporting installation's public key a restored export's checkpoint must be signed by. */
function trustedKeysOf(flags: Flags): VerifierKey[] | undefined {
  if (flags.key === undefined) return undefined;
  const text = existsSync(flags.key) ? readFileSync(flags.key, 'utf8').trim() : flags.key.trim();
  try {
    return [parseKeyOption(text)];
  } catch (error) {
    throw new CliError(`--key: not a verifier key (name+id+key) or an Ed25519 public key PEM: ${(error as Error).message}`, 2);
  }
}

async function jsonlImport(flags: Flags, files: string[]): Promise<number> {
  const trustedKeys = trustedKeysOf(flags);
  const db = openDatabase(requireDb(flags));
  const reports: ReturnType<typeof importJsonlFile>[] = [];
  try {
    // The importing person: a file may state only their own acts (people-rules.ts).
    const who = await personFor(db, flags, CLI_OPERATIONS.import);
    // One write per file, each waiting its turn if another process writes.
    for (const file of files) reports.push(await cliWrite(db, `import of ${basename(file)}`, () => importJsonlFile(db, file, { importedBy: who.actor, trustedKeys })));
  } finally {
    db.close();
  }
  report(
    flags.json,
    reports.length === 1 ? reports[0] : { files: reports },
    reports.map((r) => `${r.file}: ${r.eventsAdded} events added, ${r.duplicatesSkipped} duplicates skipped, ${r.ticketsTouched} tickets; head ${r.headHash}`).join('\n'),
  );
  return 0;
}

function loadMapping(path: string | undefined): ReturnType<typeof checkMapping> | undefined {
  if (path === undefined) return undefined;
  if (!existsSync(path)) throw new CliError(`${path}: no such mapping file`, 2);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`${path}: invalid JSON: ${(error as Error).message}`, 2);
  }
  try {
    return checkMapping(value, path);
  } catch (error) {
    if (error instanceof MappingError) throw new CliError(error.message, 2);
    throw error;
  }
}

function progressLine(file: string, progress: ImportProgress): string {
  const percent = progress.totalBytes > 0 ? Math.floor((progress.bytesRead / progress.totalBytes) * 100) : 100;
  const width = 30;
  const filled = Math.round((percent / 100) * width);
  const line = `\r${file} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${progress.rows.toLocaleString('en-US')} rows`;
  // After the rows: the finishing steps (projections, commit), so the bar is not left silent at 100%.
  const finishing = progress.finishing ? ` · finishing ${progress.finishing.done}/${progress.finishing.total}: ${progress.finishing.step}` : '';
  return `${line}${finishing}\x1b[K`;
}

export function humanReport(r: ImportFileReport): string {
  const lines = [
    `${r.file}: ${r.rows} rows, ${r.imported} tickets imported, ${r.updated} updated, ${r.duplicates} duplicates skipped, ${r.skipped} skipped, ${r.events} events (sha256 ${r.sha256.slice(0, 12)}…)`,
  ];
  if (r.partialHistory > 0) lines.push(`  ${r.partialHistory} tickets without comments/audits: history derived from fields (partial)`);
  for (const a of r.anomalies) lines.push(`  row ${a.row} ${a.ticket}: ${a.kind}${a.detail ? ` (${a.detail})` : ''}${a.excludes.length ? ` — excluded from ${a.excludes.join(', ')}` : ''}`);
  if (r.anomaliesOmitted > 0) lines.push(`  … and ${r.anomaliesOmitted} more anomalies`);
  const exclusions = Object.entries(r.kpiExclusions).map(([kpi, n]) => `${kpi} ${n}`);
  if (exclusions.length) lines.push(`  tickets excluded per KPI: ${exclusions.join(', ')}`);
  return lines.join('\n');
}

async function helpdeskImport(flags: Flags, format: ImportFormat, files: string[]): Promise<number> {
  const mapping = loadMapping(flags.mapping);
  if (format === 'csv' && !mapping) throw new CliError('--format csv needs --mapping MAP.json', 2);
  if (format !== 'csv' && mapping) throw new CliError(`--mapping applies to --format csv only`, 2);
  if (flags.timezone !== undefined && !isValidZone(flags.timezone)) throw new CliError(`--timezone ${flags.timezone}: not an IANA time zone`, 2);
  const signal = { cancelled: false };
  const onSigint = (): void => {
    signal.cancelled = true;
  };
  process.once('SIGINT', onSigint);
  const db = openDatabase(requireDb(flags));
  const reports: ImportFileReport[] = [];
  try {
    const who = await personFor(db, flags, HELPDESK_IMPORT_OPERATION);
    for (const file of files) {
      const showProgress = !flags.json && process.stderr.isTTY === true;
      const result = await importFile(db, {
        format,
        path: file,
        mapping,
        timezone: flags.timezone,
        actor: who.actor,
        signal,
        begin: cliBeginWrite,
        onProgress: showProgress ? (progress) => process.stderr.write(progressLine(file, progress)) : undefined,
      });
      if (showProgress) process.stderr.write(`${progressLine(file, { bytesRead: result.bytes, totalBytes: result.bytes, rows: result.rows, phase: 'finishing', finishing: null })}\n`);
      reports.push(result);
    }
  } catch (error) {
    if (error instanceof ImportCancelled) throw new CliError(`import cancelled: ${reports.length} file(s) imported before, the current one rolled back`, 130);
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    db.close();
  }
  report(flags.json, reports.length === 1 ? reports[0] : { files: reports }, reports.map(humanReport).join('\n'));
  return 0;
}

function importCommand(flags: Flags, files: string[]): Promise<number> {
  requireDb(flags);
  const format = flags.format ?? 'jsonl';
  if (!(FORMATS as readonly string[]).includes(format)) throw new CliError(`--format ${format}: unsupported format (supported: ${FORMATS.join(', ')})`, 2);
  if (files.length === 0) throw new CliError('import: name at least one file to import', 2);
  for (const file of files) if (!existsSync(file)) throw new CliError(`${file}: no such file`);
  if (format === 'jsonl') return jsonlImport(flags, files);
  return helpdeskImport(flags, format as ImportFormat, files);
}

export const IMPORT_COMMANDS: Command[] = [
  {
    name: 'import',
    usage: 'attest import  --db FILE --format jsonl|zendesk|freshdesk|csv [--mapping MAP.json] [--timezone ZONE] [--key PUBKEY] [--user NAME] PATH... [--json]',
    options: { ...SIGN_IN_OPTIONS, format: { type: 'string' }, mapping: { type: 'string' }, timezone: { type: 'string' }, key: { type: 'string' } },
    run: (args: CommandArgs) => importCommand(args.values as unknown as Flags, args.positionals),
  },
];
