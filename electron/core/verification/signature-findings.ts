// Electronic signatures checked with every verification: each names the event it signs by sequence number and
// hash; an event that no longer holds that hash (its record was changed, even with the whole chain recomputed so
// the links hold) or a sequence number beyond the head makes the signature a finding naming both events.
import type { ChainFinding } from '../../../shared/contract.ts';
import type { Db } from '../db/connection.ts';
import { SignatureRepository } from '../people/signature-repository.ts';

export function signatureFindings(db: Db): ChainFinding[] {
  const repository = new SignatureRepository(db);
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
