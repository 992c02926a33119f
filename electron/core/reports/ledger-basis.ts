// Which ledger a document was computed from, read from the ledger itself (never the clock): the head event
// (its number, chain hash and recorded time) and a checkpoint over it.
import type { Db } from '../db/connection.ts';
import { CheckpointRepository } from '../checkpoints/checkpoint-repository.ts';
import { ledgerRoot } from '../checkpoints/ledger-proofs.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import type { LedgerBasis } from './report-document.ts';

/** Event #size as a head: its chain hash and recorded time (an empty ledger: size 0, the genesis hash). */
export function headAt(db: Db, size?: number): LedgerBasis['head'] {
  const repository = new LedgerRepository(db);
  if (size === undefined) {
    const last = repository.lastEvent();
    return { size: last.seq, hash: last.hash, at: last.recordedAt };
  }
  const event = repository.eventAtSeq(size);
  if (!event) throw new Error(`the ledger has no event #${size}`);
  return { size, hash: event.hash, at: event.recorded_at };
}

/** The newest signed checkpoint stored in the ledger (a `checkpoint` event), or null. */
export function latestSignedCheckpoint(db: Db): LedgerBasis['checkpoint'] {
  const stored = new CheckpointRepository(db).lastCheckpoint();
  if (!stored) return null;
  const payload = JSON.parse(stored.payload) as { treeSize: number; rootHash: string };
  return { treeSize: payload.treeSize, rootHash: payload.rootHash, signed: true };
}

/**
 * The basis of a document computed from the whole ledger as it stands: the head, and the checkpoint the document
 * rests on — the RFC 9162 root of exactly the events it saw (`exactRoot`: computed over every leaf, as the statement
 * does) or the newest signed checkpoint (cheap; it may cover fewer events than the head, and says which).
 */
export function currentBasis(db: Db, checkpoint: 'exactRoot' | 'latestSigned'): LedgerBasis {
  const head = headAt(db);
  if (checkpoint === 'latestSigned') return { head, checkpoint: latestSignedCheckpoint(db) };
  return { head, checkpoint: head.size > 0 ? { treeSize: head.size, rootHash: ledgerRoot(db, head.size).toString('base64'), signed: false } : null };
}
