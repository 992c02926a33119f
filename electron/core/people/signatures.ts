// Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200): an act that needs one is given with the signer's
// password again, a meaning and a reason. The signature is its own ledger event naming the signed event by sequence
// number and hash, recorded in the same transaction as the act, so neither exists without the other and the
// signature cannot be moved to another record. In single-user mode there is no person, so nothing is signed.
import { SIGNATURE_NEEDED, type SignatureInput, type SignatureRow } from '../../../shared/contracts/people.ts';
import type { SignatureMeaning } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import type { WriteTurn } from '../db/write-gate.ts';
import { recordEvents } from '../derived/record-events.ts';
import { ForbiddenError, InputError } from '../errors.ts';
import type { Caller } from '../handlers/context.ts';
import { actorOfPerson } from './accounts.ts';
import { confirmPassword, lockoutOf, MAX_FAILURES, recordPasswordFailure } from './authentication.ts';
import { SignatureRepository } from './signature-repository.ts';

export { SIGNATURE_NEEDED };

/** A signature whose password was checked: who signs, what it means and why (the password is not kept). */
export interface ConfirmedSignature {
  readonly signer: NonNullable<Caller['person']>;
  readonly meaning: SignatureMeaning;
  readonly reason: string;
}

/** The event a signature signs. */
export interface SignedEvent {
  seq: number;
  hash: string;
}

/**
 * Checks a signed-in person's password again (a signature, a password change). Refused while the account is locked;
 * a wrong one is in the access log as a failed sign-in and counts towards the lockout (five in a row lock the
 * account), in its own write turn so the refusal of the act cannot undo it. `refused` names what did not happen.
 */
export async function confirmPasswordAgain(db: Db, caller: Caller, password: string, write: WriteTurn, refused: string, now = () => new Date().toISOString()): Promise<NonNullable<Caller['person']>> {
  const person = caller.person;
  if (!person) throw new InputError('this ledger is in single-user mode: there are no accounts, so nobody can sign; leave the signature out');
  const { lockedUntil } = lockoutOf(db, person.account, now());
  if (lockedUntil) throw new ForbiddenError(`the account "${person.account}" is locked after ${MAX_FAILURES} failed password checks until ${lockedUntil}; ${refused}`);
  if (await confirmPassword(db, person, password)) return person;
  const locked = await write(`failed password check of ${person.account}`, () => {
    const at = now();
    return recordPasswordFailure(db, person.account, caller.via, at, lockoutOf(db, person.account, at).failures);
  });
  throw new ForbiddenError(locked ? `wrong password: ${refused}, and the account is now locked after ${MAX_FAILURES} failures` : `wrong password: ${refused}`);
}

/** Checks the signer's password again (see confirmPasswordAgain); null when no signature was given. */
export async function confirmSignature(db: Db, caller: Caller, signature: SignatureInput | undefined, write: WriteTurn, now = () => new Date().toISOString()): Promise<ConfirmedSignature | null> {
  if (!signature) return null;
  const signer = await confirmPasswordAgain(db, caller, signature.password, write, 'the signature was not given', now);
  return { signer, meaning: signature.meaning, reason: signature.reason };
}

/** Records the signature of `signed`; call inside the transaction that recorded the signed event. */
export function signAct(db: Db, signature: ConfirmedSignature, signed: SignedEvent, at = new Date().toISOString()): SignatureRow {
  const [recorded] = recordEvents(
    db,
    [{ type: 'signature', at, actor: actorOfPerson(signature.signer), signedSeq: signed.seq, signedHash: signed.hash, meaning: signature.meaning, reason: signature.reason }],
    at,
  );
  return new SignatureRepository(db).ofSignedSeqs([signed.seq]).find((row) => row.seq === recorded!.seq)!;
}

/** The event at `seq` as a signature names it (seq and current hash). */
export function signedEventAt(db: Db, seq: number): SignedEvent {
  const hash = new SignatureRepository(db).hashAtSeq(seq);
  if (hash === null) throw new Error(`#${seq} is not in the ledger: nothing to sign`);
  return { seq, hash };
}

/** What an act that may need a signature did: its result, and the event to sign (null: nothing was recorded). */
export interface ActOutcome<T> {
  value: T;
  signed: number | null;
  /** Whether this act, as it turned out, needs a signature once the ledger has accounts. */
  needsSignature: boolean;
}

/**
 * Runs an act that needs a signature when the ledger has accounts (and `needs` says so for this act), with its
 * signature, as one write turn: the password is checked first (outside the turn: scrypt is slow), then the act
 * and its signature are recorded in one transaction. Without a needed signature the act is refused and nothing
 * is written. In single-user mode `caller.person` is null and the act runs unsigned.
 */
export async function runSigned<T>(
  db: Db,
  write: WriteTurn,
  caller: Caller,
  signature: SignatureInput | undefined,
  what: string,
  act: () => ActOutcome<T>,
): Promise<T> {
  // Without a signature to check nothing is awaited, so the act joins the write queue in the tick it was asked.
  const confirmed = signature ? await confirmSignature(db, caller, signature, write) : null;
  return write(what, () => {
    const outcome = act();
    if (outcome.signed === null) return outcome.value;
    if (caller.person && outcome.needsSignature && !confirmed) throw new InputError(SIGNATURE_NEEDED);
    // A signature given for an act that needs none is still recorded: the person chose to sign it.
    if (confirmed) signAct(db, confirmed, signedEventAt(db, outcome.signed));
    return outcome.value;
  });
}

/** The signatures of the given events. */
export function signaturesOf(db: Db, seqs: readonly number[]): SignatureRow[] {
  return new SignatureRepository(db).ofSignedSeqs(seqs);
}

/** The signatures of one ticket's events. */
export function signaturesOfTicket(db: Db, ticket: string): SignatureRow[] {
  return new SignatureRepository(db).ofTicket(ticket);
}

/** Every signature in the ledger. */
export function allSignatures(db: Db): SignatureRow[] {
  return new SignatureRepository(db).all();
}
