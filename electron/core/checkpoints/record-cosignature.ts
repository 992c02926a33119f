// `attest checkpoint add-cosignature`: a cosignature line handed in by the buyer's auditor is matched to the stored
// checkpoint it signs and to a key the ledger trusts for it (a contract's buyerKeys, or the key the operator names),
// then recorded as a `checkpoint.cosigned` event — whose rule checks the signature once more on the append path.
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import { recordEvents } from '../derived/record-events.ts';
import { ledgerReader, type StoredEvent } from '../ledger/ledger-reader.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { cosignatureVerifies, parseCosignatureLine, parseCosignerKey, type Cosignature, type CosignerKey } from './cosignature.ts';
import { parseSignedNote } from './signed-note.ts';

export class CosignatureRefusedError extends Error {}

export interface RecordedCosignature {
  /** The `checkpoint.cosigned` event (an earlier one when this line was already recorded). */
  seq: number;
  added: boolean;
  checkpointSeq: number;
  treeSize: number;
  rootHash: string;
  cosigner: string;
  timestamp: number;
  signature: string;
}

/** The cosigner keys every contract version of the ledger names (`buyerKeys`), each once, in ledger order. */
export function ledgerBuyerKeys(db: Db): string[] {
  const keys = new Set<string>();
  for (const version of ledgerReader(new LedgerRepository(db)).ledgerWide('contract.version')) {
    const named = version.payload.buyerKeys;
    if (Array.isArray(named)) for (const key of named) if (typeof key === 'string') keys.add(key);
  }
  return [...keys];
}

function trustedKeyFor(cosignature: Cosignature, trusted: readonly CosignerKey[], source: string): CosignerKey {
  const key = trusted.find((k) => k.name === cosignature.keyName && k.keyId.equals(cosignature.keyId));
  if (!key) {
    throw new CosignatureRefusedError(`the cosignature is by ${cosignature.keyName} (key ID ${cosignature.keyId.toString('hex')}), which is not ${source}`);
  }
  return key;
}

/**
 * Records `line` after checking it: its key must be one of `keys` (default: every contract's buyerKeys) and it must
 * verify over the note text of a stored checkpoint. A line already recorded is reported, not recorded twice.
 */
export function recordCosignature(db: Db, line: string, options: { keys?: readonly CosignerKey[]; actor?: Actor; now?: Date } = {}): RecordedCosignature {
  const cosignature = parseCosignatureLine(line.trim());
  const work = (): RecordedCosignature => {
    const reader = ledgerReader(new LedgerRepository(db));
    const trusted = options.keys ?? ledgerBuyerKeys(db).map((text) => parseCosignerKey(text));
    const source = options.keys ? 'the key given with --key' : trusted.length === 0 ? 'a buyer key: no contract of this ledger names buyerKeys (give the cosigner key with --key)' : 'a buyer key of any contract of this ledger (buyerKeys)';
    const key = trustedKeyFor(cosignature, trusted, source);
    const checkpoint: StoredEvent | undefined = reader
      .ledgerWide('checkpoint')
      .reverse()
      .find((stored) => cosignatureVerifies(cosignature, parseSignedNote(String(stored.payload.note)).text, key));
    if (!checkpoint) throw new CosignatureRefusedError(`the cosignature by ${key.name} signs no checkpoint stored in this ledger (or it was altered)`);
    const payload = {
      checkpointSeq: checkpoint.seq,
      treeSize: checkpoint.payload.treeSize as number,
      rootHash: checkpoint.payload.rootHash as string,
      cosigner: key.text,
      timestamp: cosignature.timestamp,
      signature: cosignature.line,
    };
    const earlier = reader.ledgerWide('checkpoint.cosigned').find((e) => e.payload.signature === cosignature.line);
    if (earlier) return { seq: earlier.seq, added: false, ...payload };
    const at = (options.now ?? new Date()).toISOString();
    const [recorded] = recordEvents(db, [{ type: 'checkpoint.cosigned', at, ...(options.actor ? { actor: options.actor } : {}), ...payload }], at);
    return { seq: recorded!.seq, added: true, ...payload };
  };
  return inWriteTransaction(db, work);
}
