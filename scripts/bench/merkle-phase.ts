// Phase "merkle": through the functions `attest checkpoint` and `attest prove` use — the RFC 9162 root of the demo
// ledger (ledgerRoot), a signed checkpoint appended to it (recordCheckpoint with the installation key), inclusion
// proofs of random events and consistency proofs from random earlier sizes (proveInclusion, proveConsistency).
// Every proof is checked against the checkpoint's root before its time counts.
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { ledgerRoot, proveConsistency, proveInclusion } from '../../electron/core/checkpoints/ledger-proofs.ts';
import { recordCheckpoint } from '../../electron/core/checkpoints/record-checkpoint.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { eventCount } from './bench-repository.ts';
import { count, log, millis, percentile, seconds, seededRandom, time, type BenchContext } from './bench-kit.ts';

/** Proofs stop sampling once they have taken this long in all, so a slow proof cannot stall the run (the count is printed). */
const PROOF_BUDGET_MS = 30_000;

function sample(samples: number, prove: () => void): number[] {
  const durations: number[] = [];
  let spent = 0;
  while (durations.length < samples && spent < PROOF_BUDGET_MS) {
    const [, ms] = time(prove);
    durations.push(ms);
    spent += ms;
  }
  return durations;
}

const distribution = (durations: number[], wanted: number): string =>
  `p50 ${millis(percentile(durations, 50))}, p95 ${millis(percentile(durations, 95))} over ${count(durations.length)}${durations.length < wanted ? ` (of ${count(wanted)} asked: the ${seconds(PROOF_BUDGET_MS)} budget ran out)` : ''}`;

export function merklePhase(ctx: BenchContext): void {
  const db = openDatabase(ctx.demoDbPath);
  try {
    const size = eventCount(db);
    const [root, rootMs] = time(() => ledgerRoot(db, size));
    log(`Merkle root of ${count(size)} events (ledgerRoot): ${seconds(rootMs)}`);
    const key = loadOrCreateInstallationKey();
    const [checkpoint, checkpointMs] = time(() => recordCheckpoint(db, key, new Date()));
    log(`signed checkpoint of ${count(checkpoint.treeSize)} events (recordCheckpoint, as attest checkpoint): ${seconds(checkpointMs)}`);
    const rootHex = Buffer.from(checkpoint.rootHash, 'base64').toString('hex');
    if (checkpoint.treeSize === size && rootHex !== root.toString('hex')) throw new Error('the checkpoint root differs from ledgerRoot of the same size');

    const random = seededRandom(ctx.seed);
    const inclusion = sample(ctx.samples, () => {
      const proof = proveInclusion(db, random.int(1, checkpoint.treeSize), checkpoint.treeSize);
      if (proof.rootHash !== rootHex) throw new Error(`the inclusion proof of leaf ${proof.leafIndex} does not fold to the checkpoint's root`);
    });
    log(`inclusion proof (proveInclusion, as attest prove --seq) of a random event in ${count(checkpoint.treeSize)}: ${distribution(inclusion, ctx.samples)}`);
    const consistencyWanted = Math.min(ctx.samples, 20);
    const consistency = sample(consistencyWanted, () => {
      const proof = proveConsistency(db, random.int(1, checkpoint.treeSize), checkpoint.treeSize);
      if (proof.toSize !== checkpoint.treeSize) throw new Error('consistency proof of the wrong size');
    });
    log(`consistency proof (proveConsistency, as attest prove --consistency) from a random size to ${count(checkpoint.treeSize)}: ${distribution(consistency, consistencyWanted)}`);
  } finally {
    db.close();
  }
}
