// The signed checkpoints the ledger stored and the cosignatures recorded for each (`checkpoint.cosigned`), as the
// auditor screen lists them. Whether they still match the ledger is the chain monitor's verdict (its full check
// recomputes every stored checkpoint's root), not this list's.
import type { CheckpointRow, CosignatureRow } from '../../../shared/contracts/audit-console.ts';
import type { Db } from '../db/connection.ts';
import { CheckpointRepository } from '../checkpoints/checkpoint-repository.ts';
import { AuditRepository } from './audit-repository.ts';

interface CheckpointPayload {
  origin: string;
  treeSize: number;
  rootHash: string;
  key: string;
}

interface CosignedPayload {
  checkpointSeq: number;
  treeSize: number;
  cosigner: string;
  timestamp: number;
}

export function storedCheckpoints(db: Db): CheckpointRow[] {
  const cosignatures: CosignatureRow[] = new AuditRepository(db).ledgerEventsOfType('checkpoint.cosigned').map((row) => {
    const payload = JSON.parse(row.payload) as CosignedPayload;
    return {
      seq: row.seq,
      at: row.at,
      checkpointSeq: payload.checkpointSeq,
      treeSize: payload.treeSize,
      cosigner: payload.cosigner,
      name: payload.cosigner.split('+')[0]!,
      timestamp: payload.timestamp,
    };
  });
  const byCheckpoint = Map.groupBy(cosignatures, (cosignature) => cosignature.checkpointSeq);
  return new CheckpointRepository(db)
    .storedCheckpoints()
    .map((row) => {
      const payload = JSON.parse(row.payload) as CheckpointPayload;
      return { seq: row.seq, at: row.at, origin: payload.origin, treeSize: payload.treeSize, rootHash: payload.rootHash, key: payload.key, cosignatures: byCheckpoint.get(row.seq) ?? [] };
    })
    .reverse();
}
