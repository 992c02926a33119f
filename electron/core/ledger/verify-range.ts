// Checks one contiguous slice of the chain; slices are checked in parallel and then stitched together.
import type { Db } from '../db/connection.ts';
import { hashPreimage, sha256Hex } from './hashing.ts';
import { LedgerRepository } from './ledger-repository.ts';

export interface RangeCheck {
  count: number;
  first: { seq: number; prevHash: string } | null;
  last: { seq: number; hash: string } | null;
  /** Every event in the slice hashes to its stored hash, numbers are contiguous and links hold. */
  intact: boolean;
}

/** How often (in events) a range check reports how far it got. */
export const PROGRESS_EVERY = 50_000;
/** How often (in events) a range check asks whether it should stop: a few milliseconds of hashing. */
const STOP_CHECK_EVERY = 2_000;

/** A check stopped at its caller's request (a console closing): no verdict, nothing found. */
export class VerificationStopped extends Error {
  constructor() {
    super('the verification was stopped before it finished');
  }
}

/** A stop flag shared between threads: 0 runs on, anything else stops at the next question. */
export function stopRequested(flag: Int32Array | undefined): boolean {
  return flag !== undefined && Atomics.load(flag, 0) !== 0;
}

/**
 * Consecutive checks of one stretch, as one check of it: intact only if every part is and each part begins with the
 * event after the one before ended, linked to its hash.
 */
export function joinRanges(parts: readonly RangeCheck[]): RangeCheck {
  const joined: RangeCheck = { count: 0, first: null, last: null, intact: true };
  for (const part of parts) {
    if (!part.intact) joined.intact = false;
    if (!part.first || !part.last) continue;
    if (joined.last && (part.first.seq !== joined.last.seq + 1 || part.first.prevHash !== joined.last.hash)) joined.intact = false;
    joined.first ??= part.first;
    joined.last = part.last;
    joined.count += part.count;
  }
  return joined;
}

/** The preimage of a row SQLite could not write one for (a value of an unexpected storage type), built from the row. */
export function preimageOfRow(ledger: LedgerRepository, seq: number): string {
  const [, ticket, type, at, recordedAt, actor, payload, prevHash] = ledger.rowAtSeq(seq)!;
  return hashPreimage({ seq, ticket, type, at, recordedAt, actor, payload, prevHash });
}

export function checkRange(db: Db, fromSeq: number, toSeq: number, onProgress?: (checked: number) => void, stop?: Int32Array): RangeCheck {
  const result: RangeCheck = { count: 0, first: null, last: null, intact: true };
  const ledger = new LedgerRepository(db);
  for (const rows of ledger.chainRowsInBatches(fromSeq, toSeq)) {
    for (const [seq, prevHash, hash, preimage] of rows) {
      if (result.last === null) result.first = { seq, prevHash };
      else if (seq !== result.last.seq + 1 || prevHash !== result.last.hash) result.intact = false;
      if (sha256Hex(preimage ?? preimageOfRow(ledger, seq)) !== hash) result.intact = false;
      result.count++;
      if (onProgress && result.count % PROGRESS_EVERY === 0) onProgress(PROGRESS_EVERY);
      if (result.count % STOP_CHECK_EVERY === 0 && stopRequested(stop)) throw new VerificationStopped();
      result.last = { seq, hash };
      if (!result.intact) return result;
    }
  }
  return result;
}
