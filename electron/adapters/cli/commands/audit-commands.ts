// `attest receipt`: one ticket's outcome with the inclusion proofs of every event it rests on, for the buyer.
import { writeFileAtomic } from '../../../core/files/atomic-file.ts';
import { openDatabase } from '../../../core/db/connection.ts';
import { buildReceipt, receiptNeedsCheckpoint } from '../../../core/audit/receipt.ts';
import { OutcomeInputError } from '../../../core/outcomes/outcome-book.ts';
import type { Command, CommandArgs } from '../command.ts';
import { cliWrite, existingDb } from '../db-args.ts';
import { SIGN_IN_OPTIONS } from '../cli-person.ts';
import { CliError, report } from '../output.ts';
import { recordHeadCheckpoint } from './checkpoint-commands.ts';
import { recordExportAccess } from './ledger-commands.ts';

interface Flags {
  db?: string;
  json: boolean;
  ticket?: string;
  contract?: string;
  out?: string;
  user?: string;
}

const flagsOf = (args: CommandArgs): Flags => args.values as unknown as Flags;

async function receiptCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const ticket = flags.ticket?.trim();
  if (!ticket) throw new CliError('--ticket T is required', 2);
  if (!flags.out) throw new CliError('--out FILE is required (e.g. T-1.receipt.json)', 2);
  const db = openDatabase(path);
  try {
    // Handed on like an export: with accounts a signed-in person, and an access.export record — none for a
    // ticket without an outcome, which is refused before the record.
    let needsCheckpoint = false;
    await recordExportAccess(db, flags, flags.out, `receipt ${ticket}`, () => {
      needsCheckpoint = receiptNeedsCheckpoint(db, ticket, flags.contract);
    });
    // No stored checkpoint covers the events yet: sign one of the head (a write, in its turn).
    if (needsCheckpoint) await cliWrite(db, `checkpoint for the receipt of ${ticket}`, () => recordHeadCheckpoint(db));
    const receipt = db.transaction(() => buildReceipt(db, ticket, flags.contract))();
    writeFileAtomic(flags.out, JSON.stringify(receipt, null, 2) + '\n');
    const { state, price, currency, period } = receipt.outcome;
    report(
      flags.json,
      { file: flags.out, ticket, contract: receipt.contract, treeSize: receipt.treeSize, events: receipt.events.length, outcome: receipt.outcome },
      `receipt of ${ticket}: ${state} ${price} ${currency} in ${period}; ${receipt.events.length} events proven under the checkpoint of size ${receipt.treeSize}; written to ${flags.out}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof OutcomeInputError) throw new CliError(error.message);
    throw error;
  } finally {
    db.close();
  }
}

export const AUDIT_COMMANDS: Command[] = [
  {
    name: 'receipt',
    usage: 'attest receipt --db FILE --ticket T-1 [--contract ID] --out FILE [--user NAME] [--json]',
    options: { ...SIGN_IN_OPTIONS, ticket: { type: 'string' }, contract: { type: 'string' }, out: { type: 'string' } },
    run: (args) => receiptCommand(flagsOf(args)),
  },
];
