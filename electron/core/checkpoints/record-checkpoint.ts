// Makes a checkpoint of the ledger's current head: the RFC 9162 root of every event so far, in a C2SP
// checkpoint note signed with the installation key, appended to the ledger as a `checkpoint` event.
import { dirname } from 'node:path';
import type { Db } from '../db/connection.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import { announceSession, recordEvents } from '../derived/record-events.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { namedKey } from './checkpoint-check.ts';
import { formatCheckpointText, ledgerOrigin, parseCheckpointText } from './checkpoint.ts';
import { CheckpointRepository } from './checkpoint-repository.ts';
import { ledgerTreeRoots } from './ledger-tree.ts';
import { installationVerifierKeys, type InstallationKey } from './installation-key.ts';
import { ed25519KeyId, parseSignedNote, parseVerifierKey, signNote, verifySignedNote, type VerifierKey } from './signed-note.ts';

export interface RecordedCheckpoint {
  origin: string;
  treeSize: number;
  /** base64, as in the note. */
  rootHash: string;
  note: string;
  /** Hex key ID of the signing key. */
  keyId: string;
  /** The verifier key string of the signing key. */
  key: string;
  /** The sequence number of the `checkpoint` event (treeSize + 1). */
  seq: number;
}

export class CheckpointRefusedError extends Error {}

/**
 * The root of the first treeSize events, after re-checking the roots of the checkpoints already stored: a log must never
 * sign a tree inconsistent with one it signed before, so a rewritten history is refused here rather than blessed with
 * a fresh signature. All roots come from the connection's incremental tree (ledger-tree.ts), which rebuilds from the
 * events whenever the file may have changed other than by this connection's appends.
 */
function rootConsistentWithStored(db: Db, repository: CheckpointRepository, head: number, treeSize: number, trusted: readonly VerifierKey[], teamReplica: boolean): Buffer {
  const stored = new Map<number, Buffer>();
  for (const row of repository.storedCheckpoints()) {
    const payload = JSON.parse(row.payload) as { note: string };
    const note = parseSignedNote(payload.note);
    // A team replica took each stored checkpoint only after checking its root against its own events; each console
    // signs with its own key, so there the key a checkpoint names counts as well (see checkCheckpoints).
    const keys = teamReplica ? [...trusted, ...namedKey(row.payload)] : trusted;
    // A stored checkpoint this installation did not sign may be a forgery over a rewritten history: never
    // countersign past it (the genuine notes are the ones kept outside the file).
    if (verifySignedNote(note, keys).status !== 'verified') {
      throw new CheckpointRefusedError(
        `refusing to sign: the stored checkpoint #${row.seq} is not signed by this installation's key; the ledger was altered, or comes from another installation — check it with "attest verify --key <that installation's public key>"`,
      );
    }
    const body = parseCheckpointText(note.text);
    if (body.treeSize > head) {
      throw new CheckpointRefusedError(`refusing to sign: checkpoint of size ${body.treeSize} (${body.origin}) is beyond the head (${head} events); the ledger was truncated`);
    }
    stored.set(body.treeSize, body.rootHash);
  }
  if (treeSize > head) throw new CheckpointRefusedError(`the ledger has fewer than ${treeSize} events`);
  const roots = ledgerTreeRoots(db, [...stored.keys(), treeSize]);
  for (const [size, expected] of [...stored].sort(([a], [b]) => a - b)) {
    if (!expected.equals(roots.get(size)!)) {
      throw new CheckpointRefusedError(`refusing to sign: the ledger's first ${size} events no longer have the root of the stored checkpoint of that size; the history was rewritten`);
    }
  }
  return roots.get(treeSize)!;
}

/**
 * Signs the root of the first `size` events (default: the head) and appends it as the next event, in one
 * write transaction. An export passes the size it exported, in case another writer appended since.
 */
export function recordCheckpoint(db: Db, key: InstallationKey, now: Date = new Date(), size?: number): RecordedCheckpoint {
  const work = (): RecordedCheckpoint => {
    // The process's session.started, if due today, goes before the head is read: the checkpoint stays #treeSize + 1.
    announceSession(db, now.toISOString());
    const repository = new CheckpointRepository(db);
    const ledgerId = repository.ledgerId();
    if (!ledgerId) throw new CheckpointRefusedError('this database has no ledger identity (open it once for writing so its migrations run)');
    const origin = ledgerOrigin(ledgerId);
    const head = repository.headSeq();
    const treeSize = size ?? head;
    if (treeSize > head) throw new CheckpointRefusedError(`cannot sign a tree of ${treeSize} events: the ledger has ${head}`);
    const trusted = [parseVerifierKey(key.verifierKey), ...installationVerifierKeys(dirname(key.privateKeyFile))];
    const root = rootConsistentWithStored(db, repository, head, treeSize, trusted, new LedgerRepository(db).replicaOf() !== null);
    const note = signNote(formatCheckpointText({ origin, treeSize, rootHash: root }), key);
    const rootHash = root.toString('base64');
    const at = now.toISOString();
    const [recorded] = recordEvents(db, [{ type: 'checkpoint', at, origin, treeSize, rootHash, note, key: key.verifierKey }], at);
    return { origin, treeSize, rootHash, note, keyId: ed25519KeyId(key.name, key.rawPublicKey).toString('hex'), key: key.verifierKey, seq: recorded!.seq };
  };
  // IMMEDIATE: the head read for the root must still be the head when the checkpoint is appended.
  return inWriteTransaction(db, work);
}
