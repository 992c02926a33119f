// `attest audit gaps`: the session gap report (audit/session-gaps.ts). A read: the file is opened read-only.
import { sessionGapReport } from '../../../core/audit/session-gaps.ts';
import { auditInputs } from '../../../../shared/contracts/audit.ts';
import type { Command } from '../command.ts';
import { existingDb, withDb } from '../db-args.ts';
import { CliError, report } from '../output.ts';

function gapsCommand(values: Record<string, unknown>): number {
  const path = existingDb(values as { db?: string });
  const range = auditInputs['audit.gaps'].safeParse({
    ...(typeof values.from === 'string' ? { from: values.from } : {}),
    ...(typeof values.to === 'string' ? { to: values.to } : {}),
  });
  if (!range.success) throw new CliError(`--from/--to: ${range.error.issues.map((issue) => issue.message).join('; ')}`, 2);
  const gaps = withDb(path, (db) => sessionGapReport(db, range.data));
  const span = `${gaps.days[0]?.day ?? gaps.from ?? '—'} to ${gaps.days.at(-1)?.day ?? gaps.to ?? '—'}`;
  const lines = [
    `${gaps.events} event(s) on ${gaps.days.length} day(s) (${span}), ${gaps.sessionStarts} session start(s): ${gaps.findings.length === 0 ? 'no gaps' : `${gaps.findings.length} finding(s)`}`,
    ...gaps.findings.map((finding) => `  ${finding.kind}  ${finding.message}`),
  ];
  report(values.json === true, gaps, lines.join('\n'));
  return 0;
}

export const AUDIT_GAP_COMMANDS: Command[] = [
  {
    name: 'audit gaps',
    usage: 'attest audit gaps --db FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]',
    options: { from: { type: 'string' }, to: { type: 'string' } },
    run: (args) => gapsCommand(args.values),
  },
];
