// Electronic signatures on the command line. The acts that are signed in the console (deciding a dispute, freezing
// a baseline, switching a category to auto) and importing a contract are signed on the CLI too once the ledger has
// accounts: --meaning M and --sign-reason TEXT (default: the act's --reason), with the password the person signed
// in with for this very command (ATTEST_PASSWORD_FILE or the prompt), so it is not asked twice. In single-user mode
// there is no person, so nothing is signed and the flags are ignored with a note.
import type { ParseArgsOptionsConfig } from 'node:util';
import { signatureInputSchema, type Person } from '../../../shared/contracts/people.ts';
import { SIGNATURE_MEANINGS } from '../../../shared/domain.ts';
import type { Db } from '../../core/db/connection.ts';
import { signAct, signedEventAt, type ConfirmedSignature } from '../../core/people/signatures.ts';
import { CliError } from './output.ts';

/** The options of every command whose act is signed. */
export const SIGNATURE_OPTIONS = { meaning: { type: 'string' }, 'sign-reason': { type: 'string' } } as const satisfies ParseArgsOptionsConfig;

export interface SignatureFlags {
  meaning?: string;
  'sign-reason'?: string;
}

/** Who runs the command, as far as signing goes: the signed-in person and the password their sign-in just checked. */
export interface SigningPerson {
  person: Person | null;
  password: string | null;
}

/**
 * The signature a command gives with its act, from its flags; null in single-user mode. Call it after the sign-in
 * (its password was just checked against the account, so it is the signer's) and before the write turn: a missing
 * or unknown meaning is a usage error (exit 2) before anything is written.
 */
export function cliSignature(flags: SignatureFlags, who: SigningPerson, actReason?: string): ConfirmedSignature | null {
  if (!who.person) {
    if (flags.meaning || flags['sign-reason']) process.stderr.write('attest: note: this ledger has no accounts (single-user mode): nothing is signed; --meaning and --sign-reason are ignored\n');
    return null;
  }
  if (!flags.meaning) throw new CliError(`this act needs your electronic signature: add --meaning ${SIGNATURE_MEANINGS.join('|')} (and --sign-reason TEXT unless the act's --reason says why)`, 2);
  if (who.password === null) throw new CliError('this act needs your electronic signature: sign in with your password first', 2);
  const parsed = signatureInputSchema.safeParse({ password: who.password, meaning: flags.meaning, reason: flags['sign-reason'] ?? actReason ?? '' });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = issue.path[0] === 'meaning' ? `--meaning ${flags.meaning}: must be one of ${SIGNATURE_MEANINGS.join(', ')}` : `--sign-reason: ${issue.message}`;
    throw new CliError(flag, 2);
  }
  return { signer: who.person, meaning: parsed.data.meaning, reason: parsed.data.reason };
}

/** Inside the command's write turn, after its act: the signature of the event the act recorded (nothing when null). */
export function signCliAct(db: Db, signature: ConfirmedSignature | null, signedSeq: number | null): void {
  if (signature && signedSeq !== null) signAct(db, signature, signedEventAt(db, signedSeq));
}
