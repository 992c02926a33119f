// Electronic signatures checked with every verification: each names the event it signs by sequence number and
// hash; an event that no longer holds that hash (its record was changed, even with the whole chain recomputed so
// the links hold) or a sequence number beyond the head makes the signature a finding naming both events.
import type { ChainFinding } from '../../../shared/contract.ts';
import type { Db } from '../db/connection.ts';
import { SignatureRepository } from '../people/signature-repository.ts';
import { eventTypeSpec, knownEventTypes } from '../ledger/event-registry.ts';
import { ACCOUNT_ACTOR_PREFIX } from '../../../shared/domain.ts';

/**
 * Acts that are signed once the ledger has accounts (the event types that say so in the registry) but carry no
 * signature: a person's act recorded after `accounts.required` without the signature event that must come with it —
 * written around the signed paths (straight into the file), or with its signature removed and the chain recomputed.
 */
function missingSignatureFindings(repository: SignatureRepository): ChainFinding[] {
  const since = repository.accountsRequiredSeq();
  if (since === null) return [];
  const types = knownEventTypes().filter((type) => eventTypeSpec(type)?.signedOnceAccounts);
  const signed = repository.signedSeqs();
  return repository
    .eventsOfTypesAfter(types, since)
    .filter((event) => event.actor.id?.startsWith(ACCOUNT_ACTOR_PREFIX) && eventTypeSpec(event.type)!.signedOnceAccounts!(event.payload) && !signed.has(event.seq))
    .map((event) => ({
      problem: 'signature_missing' as const,
      seq: event.seq,
      ticket: event.ticket,
      message: `#${event.seq} (${event.type} by ${event.actor.name ?? event.actor.id}) is an act signed once the ledger has accounts, but no signature names it`,
    }));
}

export function signatureFindings(db: Db): ChainFinding[] {
  const repository = new SignatureRepository(db);
  return [...mismatchFindings(repository), ...missingSignatureFindings(repository)];
}

function mismatchFindings(repository: SignatureRepository): ChainFinding[] {
  return repository
    .all()
    .filter((signature) => !signature.valid)
    .map((signature) => {
      const now = repository.hashAtSeq(signature.signedSeq);
      const what =
        now === null
          ? `signs #${signature.signedSeq}, which is not in the ledger (beyond its last event)`
          : `signs #${signature.signedSeq} with hash ${signature.signedHash.slice(0, 12)}…, but #${signature.signedSeq} now has hash ${now.slice(0, 12)}…: the signed record was changed`;
      return {
        problem: 'signature_mismatch' as const,
        seq: signature.seq,
        ticket: null,
        message: `signature #${signature.seq} by ${signature.display} (${signature.meaning}) ${what}`,
      };
    });
}
