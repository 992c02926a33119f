import { existsSync } from 'node:fs';
import { PUBLIC_FILE_MODE, writeFileAtomic } from '../../../core/files/atomic-file.ts';
import type { DisputeRow, Explanation, PeriodState, Statement } from '../../../../shared/contracts/outcomes.ts';
import type { Db } from '../../../core/db/connection.ts';
import { ContractError, importContractFile } from '../../../core/outcomes/contract-import.ts';
import { decideDispute, listDisputes, openDisputeOn } from '../../../core/outcomes/disputes.ts';
import { explainTicket, TicketNotFoundError } from '../../../core/outcomes/explain.ts';
import { OutcomeInputError } from '../../../core/outcomes/outcome-book.ts';
import { OutcomeRepository } from '../../../core/outcomes/outcome-repository.ts';
import { statementCsv, statementDocument } from '../../../core/outcomes/statement.ts';
import { issueStatement, periodStates } from '../../../core/outcomes/issued-statements.ts';
import { loadOrCreateInstallationKey } from '../../../core/checkpoints/installation-key.ts';
import { statementPdf } from '../../../core/outcomes/statement-pdf.ts';
import { statementPdfContext } from '../../../core/outcomes/statement-pdf-context.ts';
import { runVerificationJob } from '../../../core/outcomes/verification.ts';
import { openDatabase } from '../../../core/db/connection.ts';
import { AsOfError, resolveAsOf } from '../../../core/outcomes/as-of.ts';
import type { Command, CommandArgs } from '../command.ts';
import { cliWrite, cliWriteTurn, existingDb, positiveInt, withDb } from '../db-args.ts';
import { CLI_OPERATIONS, personFor, SIGN_IN_OPTIONS, withPersonWrite, type CliPerson } from '../cli-person.ts';
import type { Operation } from '../../../../shared/permissions.ts';
import { parseInput, type MethodName } from '../../../../shared/contract.ts';
import { CliError, report } from '../output.ts';
import { cliSignature, SIGNATURE_OPTIONS, signCliAct, type SignatureFlags } from '../cli-signature.ts';
import { recordHeadCheckpoint } from './checkpoint-commands.ts';
import { recordExportAccess } from './ledger-commands.ts';
import { LedgerRepository } from '../../../core/ledger/ledger-repository.ts';

interface Flags extends SignatureFlags {
  db?: string;
  json: boolean;
  'as-of'?: string;
  ticket?: string;
  period?: string;
  format?: string;
  out?: string;
  contract?: string;
  reason?: string;
  user?: string;
  dispute?: string;
}

const flagsOf = (args: CommandArgs): Flags => args.values as unknown as Flags;

/** Domain errors become CLI errors (exit 1) with their message; anything else stays a crash. */
function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ContractError || error instanceof OutcomeInputError || error instanceof TicketNotFoundError) throw new CliError(error.message);
    throw error;
  }
}

/** `guarded` for a write by a person (see cli-person.ts), which waits its turn (see cliWriteGate). */
async function guardedWrite<T>(path: string, flags: Flags, operation: Operation, what: string, work: (db: Db, who: CliPerson) => T): Promise<T> {
  try {
    return await withPersonWrite(path, flags, operation, what, work);
  } catch (error) {
    return guarded(() => {
      throw error;
    });
  }
}

/** --as-of: defaults to now and may not be later than now; anything else is a usage error (exit 2). */
function asOfOf(flags: Flags): string {
  try {
    return resolveAsOf(flags['as-of']).iso;
  } catch (error) {
    if (error instanceof AsOfError) throw new CliError(`--${error.message}`, 2);
    throw error;
  }
}

/** The contract's own schema checks the CLI's input, as it checks the console's (exit 2 on a bad one). */
function checked<M extends MethodName>(method: M, input: unknown): void {
  const parsed = parseInput(method, input);
  if (!parsed.ok) throw new CliError(parsed.error.details?.join('; ') ?? parsed.error.message, 2);
}

function requireText(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new CliError(`${flag} is required`, 2);
  return value.trim();
}

async function contractImportCommand(flags: Flags, files: string[]): Promise<number> {
  const path = existingDb(flags);
  if (files.length !== 1) throw new CliError('contract import: name exactly one contract file (CONTRACT.json)', 2);
  const file = files[0]!;
  if (!existsSync(file)) throw new CliError(`${file}: no such file`);
  // A new contract version is signed (ledgers with accounts); an identical re-import records nothing to sign.
  const result = await guardedWrite(path, flags, CLI_OPERATIONS['contract import'], `contract import ${file}`, (db, who) => {
    const imported = importContractFile(db, file, who.actor);
    if (imported.added) signCliAct(db, cliSignature(flags, who), imported.seq);
    return imported;
  });
  report(
    flags.json,
    result,
    result.added
      ? `${result.file}: contract ${result.id} version ${result.version}, effective from ${result.effectiveFrom}: ledger event #${result.seq}`
      : `${result.file}: contract ${result.id} version ${result.version} is already in the ledger (event #${result.seq}); nothing added`,
  );
  return 0;
}

async function outcomesCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const asOf = asOfOf(flags);
  // Batch by batch, each its own write: another process's writes get their turn in between.
  checked('outcomes.verify', { asOf });
  const db = openDatabase(path);
  const result = await personFor(db, flags, CLI_OPERATIONS.outcomes)
    .then(() => runVerificationJob(db, asOf, () => {}, { write: cliWriteTurn(db) }))
    .catch((error: unknown) => guarded(() => {
      throw error;
    }))
    .finally(() => db.close());
  report(
    flags.json,
    result,
    result.contracts.length === 0
      ? 'no outcome contract in this database; load one with "attest contract import"'
      : `outcome verification as of ${result.asOf} (${result.contracts.join(', ')}): ${result.examined} tickets examined; ${result.verifiedAdded} verified, ${result.reversedAdded} reversed, ${result.discrepanciesAdded} discrepancies flagged`,
  );
  return 0;
}

function evidenceText(db: Db, seqs: number[]): string[] {
  const rows = new OutcomeRepository(db).eventSummaries(seqs);
  return rows.map((row) => `  #${row.seq} ${row.at} ${row.type}${row.detail ? ` (${row.detail})` : ''}`);
}

function explainCommand(flags: Flags): number {
  const path = existingDb(flags);
  const ticket = requireText(flags.ticket, '--ticket');
  const asOf = flags['as-of'] === undefined ? undefined : asOfOf(flags);
  const { explanation, evidence } = guarded(() =>
    withDb(path, (db) => {
      const explanation: Explanation = explainTicket(db, ticket, { contract: flags.contract, asOf });
      return { explanation, evidence: evidenceText(db, explanation.evidence) };
    }),
  );
  const { ticket: id, state, reason, evidence: seqs } = explanation;
  const clause = explanation.clause ? `\ncontract ${explanation.contract} v${explanation.version ?? '—'}, clause ${explanation.clause}` : '';
  const basis = explanation.basis === 'dry_evaluation' ? `\nnot yet verified — dry evaluation as of ${explanation.asOf} (nothing written)` : `\nfrom the ledger's outcome events, as of ${explanation.asOf}`;
  report(flags.json, { ticket: id, state, reason, evidence: seqs, contract: explanation.contract, version: explanation.version, clause: explanation.clause, dispute: explanation.dispute, discrepancies: explanation.discrepancies }, `${id}: ${state} — ${reason}${clause}${basis}\nevidence:\n${evidence.join('\n')}`);
  return 0;
}

function statementText(s: Statement): string {
  const lines = [
    `Statement ${s.period} — ${s.contract.id} (versions ${s.contract.versions.join(', ')}, ${s.contract.timezone})`,
    `  verified resolutions ${s.verified}   subtotal ${s.subtotal} ${s.currency}`,
    `  reversals            ${s.reversed}   credits  ${s.credits} ${s.currency}`,
    `  disputed, held back  ${s.disputed}   held     ${s.heldBack} ${s.currency}`,
    `  total ${s.total} ${s.currency}`,
  ];
  for (const [name, t] of Object.entries(s.byCategory)) lines.push(`  ${name.padEnd(20)} verified ${t.verified}, reversed ${t.reversed}, disputed ${t.disputed}: ${t.total} ${s.currency}`);
  for (const g of s.signatures) {
    lines.push(`  signed by ${g.display} — ${g.meaning} — ${g.at} — ${g.reason} (#${g.signedSeq} ${g.signedType || 'missing'}${g.valid ? '' : ', DOES NOT MATCH the record'})`);
  }
  return lines.join('\n');
}

/** Whether the period is issued (by whom, when, its SHA-256) or still open. */
function issuedNote(state: PeriodState | null): string {
  if (state?.state === 'issued') return `  ISSUED ${state.issuedAt} by ${state.issuedByName ?? state.issuedBy} (event #${state.seq}, SHA-256 ${state.sha256}, checkpoint of ${state.treeSize} events): this document never changes`;
  if (state?.state === 'closed') return '  CLOSED: a period before the last issued one; later changes are adjustments of the first period not yet issued';
  return '  OPEN: not issued; its figures change as the ledger does';
}

async function statementCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const period = requireText(flags.period, '--period');
  const format = flags.format ?? 'json';
  if (!['json', 'csv', 'pdf'].includes(format)) throw new CliError(`--format ${format}: must be json, csv or pdf`, 2);
  if (format === 'pdf' && !flags.out) throw new CliError('--format pdf needs --out PATH', 2);
  // The statement and the ledger head it was computed from, read in one snapshot.
  const { document, headSeq, state, pdfContext } = guarded(() =>
    withDb(path, (db) =>
      db.transaction(() => {
        const document = statementDocument(db, period, flags.contract);
        return {
          document,
          headSeq: new LedgerRepository(db).lastEvent().seq,
          state: periodStates(db, flags.contract).find((p) => p.period === period) ?? null,
          pdfContext: format === 'pdf' ? statementPdfContext(db, document) : {},
        };
      })(),
    ),
  );
  const { statement } = document;
  const body = format === 'json' ? document.text : format === 'csv' ? statementCsv(statement) : await statementPdf(statement, pdfContext);
  if (!flags.out) {
    process.stdout.write(body);
    return 0;
  }
  // A statement written to a file is handed on like an export: with accounts a signed-in person does it and the
  // access log says so (access.export); the signed checkpoint of the ledger it was computed from goes beside it,
  // so whoever receives it can later check that ledger was not rewritten.
  let checkpoint: string | null = null;
  const db = openDatabase(path);
  try {
    await recordExportAccess(db, flags, flags.out, `statement ${statement.period}`);
    writeFileAtomic(flags.out, body);
    if (headSeq > 0) {
      const recorded = await cliWrite(db, 'checkpoint of the statement', () => recordHeadCheckpoint(db, headSeq));
      checkpoint = `${flags.out}.checkpoint`;
      writeFileAtomic(checkpoint, recorded.note, { mode: PUBLIC_FILE_MODE });
    }
  } finally {
    db.close();
  }
  report(
    flags.json,
    { file: flags.out, format, period: statement.period, total: statement.total, currency: statement.currency, checkpoint },
    `${statementText(statement)}\n${issuedNote(state)}\nwritten to ${flags.out} (${format})${checkpoint ? `; checkpoint of the ledger it was computed from: ${checkpoint}` : ''}`,
  );
  return 0;
}

/**
 * `attest statement issue`: closes the period — a checkpoint of the head, the statement computed from it and the
 * `statement.issued` event, signed "approved" by the issuing person (ledgers with accounts), in one write turn.
 */
async function statementIssueCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const period = requireText(flags.period, '--period');
  checked('outcomes.issueStatement', { period, contract: flags.contract });
  if (flags.meaning !== undefined && flags.meaning !== 'approved') throw new CliError(`--meaning ${flags.meaning}: issuing a statement is signed with the meaning "approved"`, 2);
  const signing = { ...flags, meaning: 'approved' };
  const issued = await guardedWrite(path, flags, CLI_OPERATIONS['statement issue'], `issue of the ${period} statement`, (db, who) => {
    const signature = cliSignature(who.person ? signing : flags, who, `issued as the final statement of ${period}`);
    const result = issueStatement(db, { period, contract: flags.contract, key: loadOrCreateInstallationKey(), actor: who.actor });
    signCliAct(db, signature, result.seq);
    return result;
  });
  report(
    flags.json,
    issued,
    `statement ${issued.contract} ${issued.period} issued: event #${issued.seq}, total ${issued.total} ${issued.currency}, SHA-256 ${issued.sha256}\ncomputed under checkpoint #${issued.checkpoint.seq} (first ${issued.checkpoint.treeSize} events, root ${issued.checkpoint.rootHash}); it never changes — later changes are adjustments of the next period`,
  );
  return 0;
}

const disputeText = (d: DisputeRow): string =>
  `dispute #${d.seq} on ${d.ticket} (outcome #${d.verifiedSeq}): ${d.state}; opened ${d.openedAt} by ${d.openedBy}: ${d.reason}` +
  (d.decidedAt ? `; ${d.state} ${d.decidedAt} by ${d.decidedBy}: ${d.decisionReason}` : '');

async function disputeOpenCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const ticket = requireText(flags.ticket, '--ticket');
  const reason = requireText(flags.reason, '--reason');
  checked('outcomes.disputeOpen', { ticket, reason, contract: flags.contract });
  const row = await guardedWrite(path, flags, CLI_OPERATIONS['dispute open'], `dispute on ${ticket}`, (db, who) => openDisputeOn(db, ticket, reason, who.actor, { contract: flags.contract }));
  report(flags.json, row, disputeText(row));
  return 0;
}

async function disputeDecideCommand(flags: Flags, decision: 'upheld' | 'rejected'): Promise<number> {
  const path = existingDb(flags);
  const dispute = positiveInt(requireText(flags.dispute, '--dispute'), '--dispute', 0);
  const reason = requireText(flags.reason, '--reason');
  const operation = decision === 'upheld' ? CLI_OPERATIONS['dispute uphold'] : CLI_OPERATIONS['dispute reject'];
  checked(operation, { dispute, reason });
  // Signed once the ledger has accounts: a missing --meaning refuses the decision (its transaction rolls back).
  const row = await guardedWrite(path, flags, operation, `dispute #${dispute} decision`, (db, who) => {
    const decided = decideDispute(db, dispute, decision, reason, who.actor);
    signCliAct(db, cliSignature(flags, who, reason), decided.decisionSeq);
    return decided;
  });
  report(flags.json, row, disputeText(row));
  return 0;
}

function disputesCommand(flags: Flags): number {
  const list = withDb(existingDb(flags), (db) => listDisputes(db));
  const text = [
    ...list.disputes.map(disputeText),
    ...list.discrepancies.map((d) => `discrepancy #${d.seq} on ${d.ticket} (outcome #${d.verifiedSeq}), ${d.at}: ${d.reason}`),
  ];
  report(flags.json, list, text.length ? text.join('\n') : 'no disputes or discrepancies');
  return 0;
}

const who = { ...SIGN_IN_OPTIONS, reason: { type: 'string' } } as const;
/** Signed acts: the person's sign-in plus the signature's meaning and reason. */
const signer = { ...who, ...SIGNATURE_OPTIONS } as const;

export const OUTCOME_COMMANDS: Command[] = [
  { name: 'contract import', usage: 'attest contract import --db FILE CONTRACT.json [--user NAME --meaning M --sign-reason TEXT] [--json]', options: { ...SIGN_IN_OPTIONS, ...SIGNATURE_OPTIONS }, run: (a) => contractImportCommand(flagsOf(a), a.positionals) },
  { name: 'outcomes', usage: 'attest outcomes --db FILE [--as-of TIMESTAMP] [--user NAME] [--json]', options: { ...SIGN_IN_OPTIONS, 'as-of': { type: 'string' } }, run: (a) => outcomesCommand(flagsOf(a)) },
  {
    name: 'explain',
    usage: 'attest explain --db FILE --ticket T-1 [--contract ID] [--as-of TIMESTAMP] [--json]',
    options: { ticket: { type: 'string' }, contract: { type: 'string' }, 'as-of': { type: 'string' } },
    run: (a) => explainCommand(flagsOf(a)),
  },
  {
    name: 'statement',
    usage: 'attest statement --db FILE --period YYYY-MM [--format json|csv|pdf] [--out PATH [--user NAME]] [--contract ID] [--json]',
    options: { period: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, contract: { type: 'string' }, ...SIGN_IN_OPTIONS },
    run: (a) => statementCommand(flagsOf(a)),
  },
  {
    name: 'statement issue',
    usage: 'attest statement issue --db FILE --period YYYY-MM [--contract ID] [--user NAME [--meaning approved] [--sign-reason TEXT]] [--json]',
    options: { period: { type: 'string' }, contract: { type: 'string' }, ...SIGN_IN_OPTIONS, ...SIGNATURE_OPTIONS },
    run: (a) => statementIssueCommand(flagsOf(a)),
  },
  {
    name: 'dispute open',
    usage: 'attest dispute open --db FILE --ticket T-1 --reason TEXT [--user NAME] [--contract ID] [--json]',
    options: { ...who, ticket: { type: 'string' }, contract: { type: 'string' } },
    run: (a) => disputeOpenCommand(flagsOf(a)),
  },
  {
    name: 'dispute uphold',
    usage: 'attest dispute uphold --db FILE --dispute SEQ --reason TEXT [--user NAME --meaning M [--sign-reason TEXT]] [--json]',
    options: { ...signer, dispute: { type: 'string' } },
    run: (a) => disputeDecideCommand(flagsOf(a), 'upheld'),
  },
  {
    name: 'dispute reject',
    usage: 'attest dispute reject --db FILE --dispute SEQ --reason TEXT [--user NAME --meaning M [--sign-reason TEXT]] [--json]',
    options: { ...signer, dispute: { type: 'string' } },
    run: (a) => disputeDecideCommand(flagsOf(a), 'rejected'),
  },
  { name: 'disputes', usage: 'attest disputes --db FILE [--json]', run: (a) => disputesCommand(flagsOf(a)) },
];
