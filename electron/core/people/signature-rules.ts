// The rule book of a signature: it names an event that is in the ledger, by that event's own hash, so it can
// never be moved to another record or survive a change of the one it signed.
import { LineError } from '../ledger/line-error.ts';
import type { EventRule } from '../ledger/event-types/types.ts';
import type { LedgerReader } from '../ledger/ledger-reader.ts';

const signsAnExistingEvent: EventRule = (event, ledger: LedgerReader) => {
  const signedSeq = event.payload.signedSeq as number;
  const signed = ledger.bySeq(signedSeq);
  if (!signed) throw new LineError('signedSeq', `#${signedSeq} is not in the ledger: a signature signs a recorded event`);
  if (signed.type === 'signature') throw new LineError('signedSeq', `#${signedSeq} is itself a signature: a signature signs a record, not another signature`);
  // Linked, not copied (§11.70): the hash must be the signed event's own, so a signature cannot be moved to another record.
  if (event.payload.signedHash !== signed.hash) throw new LineError('signedHash', `is not the hash of #${signedSeq}: a signature names the event it signs by that event's own hash`);
  if (event.actor.kind !== 'human' || !event.actor.id?.startsWith('acct:')) {
    throw new LineError('actor', 'a signature is given by a person with an account');
  }
};

export const signatureRules: readonly EventRule[] = [signsAnExistingEvent];
