// The rule of `checkpoint.cosigned`, on every append path (the CLI, a JSONL restore, team sync): the line names a
// stored checkpoint event, repeats its size and root, and carries a cosignature line that verifies over that
// checkpoint's note text with the cosigner key it names. A forged line, or one that signs another checkpoint,
// never enters the ledger, so a statement that counts cosignatures counts only real ones.
import type { EventRule } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';
import { cosignatureVerifies, parseCosignatureLine, parseCosignerKey, type Cosignature, type CosignerKey } from './cosignature.ts';
import { parseSignedNote } from './signed-note.ts';

/** How far a cosignature's time may lie after the moment it is recorded (the cosigner's clock may run ahead). */
export const COSIGNATURE_CLOCK_SKEW_SECONDS = 600;

function parsed<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new LineError(field, (error as Error).message);
  }
}

export const checkpointCosignedRule: EventRule = (event, ledger) => {
  const payload = event.payload as { checkpointSeq: number; treeSize: number; rootHash: string; cosigner: string; timestamp: number; signature: string };
  const checkpoint = ledger.bySeq(payload.checkpointSeq);
  if (!checkpoint || checkpoint.type !== 'checkpoint' || checkpoint.ticket !== null) {
    throw new LineError('checkpointSeq', `#${payload.checkpointSeq} is not a checkpoint of this ledger`);
  }
  if (checkpoint.payload.treeSize !== payload.treeSize) throw new LineError('treeSize', `must be ${String(checkpoint.payload.treeSize)}, the size of checkpoint #${checkpoint.seq}`);
  if (checkpoint.payload.rootHash !== payload.rootHash) throw new LineError('rootHash', `must be ${String(checkpoint.payload.rootHash)}, the root of checkpoint #${checkpoint.seq}`);
  const key: CosignerKey = parsed('cosigner', () => parseCosignerKey(payload.cosigner));
  const cosignature: Cosignature = parsed('signature', () => parseCosignatureLine(payload.signature));
  if (cosignature.keyName !== key.name || !cosignature.keyId.equals(key.keyId)) {
    throw new LineError('signature', `is by ${cosignature.keyName} (key ID ${cosignature.keyId.toString('hex')}), not by the cosigner ${key.name}+${key.keyId.toString('hex')}`);
  }
  if (cosignature.timestamp !== payload.timestamp) throw new LineError('timestamp', `must be ${cosignature.timestamp}, the time the signature line carries`);
  const text = parsed('checkpointSeq', () => parseSignedNote(String(checkpoint.payload.note)).text);
  if (!cosignatureVerifies(cosignature, text, key)) {
    throw new LineError('signature', `does not verify: it is not ${key.name}'s cosignature of checkpoint #${checkpoint.seq} (size ${payload.treeSize}) at time ${payload.timestamp}`);
  }
  const recordedSeconds = Math.floor(Date.parse(event.recordedAt) / 1000);
  if (payload.timestamp > recordedSeconds + COSIGNATURE_CLOCK_SKEW_SECONDS) {
    throw new LineError('timestamp', `${payload.timestamp} is later than the moment it is recorded (${event.recordedAt}): a cosignature is not made in the future`);
  }
  const same = ledger.ledgerWide('checkpoint.cosigned').find((e) => e.payload.signature === payload.signature);
  if (same) throw new LineError('signature', `this cosignature is already recorded (#${same.seq})`);
};
