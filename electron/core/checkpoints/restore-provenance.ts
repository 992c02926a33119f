// A whole export restored into an empty ledger may carry events only Attest writes (verifications, disputes, AI
// decisions, import records). Hashes prove nothing about who wrote them — anyone can append a well-hashed line to
// a genuine export — so such a restore must come with the export's signed checkpoint: it must cover every restored
// event (same size, same Merkle root) and be signed by a key the importer trusts (--key, else this installation's).
import type { Db } from '../db/connection.ts';
import { MerkleTreeBuilder } from '../ledger/merkle.ts';
import { parseCheckpointText } from './checkpoint.ts';
import { CheckpointRepository } from './checkpoint-repository.ts';
import { NoteFormatError, parseSignedNote, verifySignedNote, type VerifierKey } from './signed-note.ts';

export interface RestoreCheckpoint {
  /** Where the note came from (FILE.checkpoint), for messages. */
  name: string;
  text: string;
}

/** Why the restored ledger is not covered by a trusted checkpoint, or null when it is. */
export function restoreProvenanceProblem(db: Db, checkpoint: RestoreCheckpoint | undefined, trusted: readonly VerifierKey[], attestOnlyTypes: readonly string[]): string | null {
  const what = `the file carries events only Attest writes (${attestOnlyTypes.join(', ')})`;
  if (!checkpoint) return `${what}; restoring it needs the export's signed checkpoint beside it (the FILE.checkpoint "attest export" writes)`;
  let body;
  let note;
  try {
    note = parseSignedNote(checkpoint.text);
    body = parseCheckpointText(note.text);
  } catch (error) {
    if (error instanceof NoteFormatError) return `${checkpoint.name} is not a signed checkpoint note (${error.message})`;
    throw error;
  }
  const repository = new CheckpointRepository(db);
  const head = repository.headSeq();
  if (body.treeSize !== head) return `${checkpoint.name} covers ${body.treeSize} events, the file restores ${head}: ${what} beyond what was signed`;
  const tree = new MerkleTreeBuilder();
  for (const leaf of repository.leafHashes(head)) tree.appendLeafHash(leaf);
  if (!tree.root().equals(body.rootHash)) return `${checkpoint.name} does not match the restored events (another Merkle root): the file is not the export that was signed`;
  if (trusted.length === 0) return `${checkpoint.name} cannot be checked here: give the exporting installation's public key with --key`;
  const verdict = verifySignedNote(note, trusted);
  if (verdict.status !== 'verified') {
    return verdict.status === 'bad_signature'
      ? `${checkpoint.name}: its signature by ${verdict.key.name} does not verify (the note was altered)`
      : `${checkpoint.name} is not signed by a trusted key (${trusted.map((k) => k.name).join(', ')}); give the exporting installation's public key with --key`;
  }
  return null;
}
