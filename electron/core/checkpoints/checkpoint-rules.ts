// The rule of `checkpoint`, on every append path (the console, the CLI, a JSONL restore, team sync): the signed note it
// stores states exactly the origin, size and root of its payload, and is signed by the key the payload names. So
// nobody can store — and no replica can ever be asked to cosign — a note that says something else than the event.
// (Whether the root is the ledger's is judged by verification and, in team mode, by every replica on arrival.)
import type { EventRule } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';
import { parseCheckpointText } from './checkpoint.ts';
import { parseSignedNote, parseVerifierKey, verifySignedNote } from './signed-note.ts';

export const checkpointNoteRule: EventRule = (event) => {
  const payload = event.payload as { origin: string; treeSize: number; rootHash: string; note: string; key: string };
  let body;
  let note;
  try {
    note = parseSignedNote(payload.note);
    body = parseCheckpointText(note.text);
  } catch (error) {
    throw new LineError('note', `is not a signed checkpoint note (${(error as Error).message})`);
  }
  if (body.origin !== payload.origin) throw new LineError('origin', `must be ${body.origin}, the origin its note states`);
  if (body.treeSize !== payload.treeSize) throw new LineError('treeSize', `must be ${body.treeSize}, the size its note states`);
  if (body.rootHash.toString('base64') !== payload.rootHash) throw new LineError('rootHash', `must be ${body.rootHash.toString('base64')}, the root its note states`);
  let key;
  try {
    key = parseVerifierKey(payload.key);
  } catch (error) {
    throw new LineError('key', (error as Error).message);
  }
  if (verifySignedNote(note, [key]).status !== 'verified') throw new LineError('note', `is not signed by the key the event names (${key.name})`);
};
