// RFC 9162 roots and proofs over this ledger's events, from the connection's incremental tree (ledger-tree.ts):
// O(log n + one block) each once the tree is built. These are the functions `attest prove`, receipts, reports and the
// bench call.
import type { Db } from '../db/connection.ts';
import { consistencyProofRanges, inclusionProofRanges, rootFromInclusionProof } from '../ledger/merkle.ts';
import { CheckpointRepository } from './checkpoint-repository.ts';
import { ledgerTreeRangeRoots, ledgerTreeRoots } from './ledger-tree.ts';

export { forgetLedgerTree, ledgerTreeStatus, type LedgerTreeStatus } from './ledger-tree.ts';

export class ProofError extends Error {}

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  rootHash: string;
  proof: string[];
}

export interface ConsistencyProof {
  fromSize: number;
  toSize: number;
  proof: string[];
}

function checkTreeSize(repository: CheckpointRepository, size: number): void {
  const head = repository.headSeq();
  if (size > head) throw new ProofError(`tree size ${size} is beyond the ledger's head (${head} events)`);
}

/** The root of the first `treeSize` events. */
export function ledgerRoot(db: Db, treeSize: number): Buffer {
  const repository = new CheckpointRepository(db);
  checkTreeSize(repository, treeSize);
  return ledgerTreeRoots(db, [treeSize]).get(treeSize)!;
}

/** Inclusion proof of event #seq (leaf seq-1) in the tree of the first `treeSize` events (default: the head). */
export function proveInclusion(db: Db, seq: number, treeSize?: number): InclusionProof {
  const repository = new CheckpointRepository(db);
  const size = treeSize ?? repository.headSeq();
  checkTreeSize(repository, size);
  if (seq < 1 || seq > size) throw new ProofError(`event #${seq} is not in a tree of ${size} events`);
  const leafIndex = seq - 1;
  // The proof's subtree hashes and the leaf's own hash; the root then follows from the proof exactly as a verifier
  // computes it.
  const ranges = [...inclusionProofRanges(leafIndex, size), { start: leafIndex, end: leafIndex + 1 }];
  const hashes = ledgerTreeRangeRoots(db, ranges);
  const ownLeafHash = hashes.pop()!;
  const root = rootFromInclusionProof(leafIndex, size, ownLeafHash, hashes);
  if (!root) throw new ProofError(`internal: the inclusion proof for event #${seq} does not fold to a root`);
  return { leafIndex, treeSize: size, rootHash: root.toString('hex'), proof: hashes.map((h) => h.toString('hex')) };
}

/** Consistency proof between the trees of the first `fromSize` and `toSize` events. */
export function proveConsistency(db: Db, fromSize: number, toSize: number): ConsistencyProof {
  const repository = new CheckpointRepository(db);
  checkTreeSize(repository, toSize);
  if (fromSize < 1 || fromSize > toSize) throw new ProofError(`no consistency proof from size ${fromSize} to size ${toSize} (need 1 ≤ from ≤ to)`);
  const roots = ledgerTreeRangeRoots(db, consistencyProofRanges(fromSize, toSize));
  return { fromSize, toSize, proof: roots.map((h) => h.toString('hex')) };
}
