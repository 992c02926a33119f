// The body of a C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): origin, tree size, base64 root hash.
import { decodeBase64Strictly, NoteFormatError } from './signed-note.ts';

export interface CheckpointBody {
  /** Names the log: "attest.local/<ledger id>". */
  origin: string;
  treeSize: number;
  /** The RFC 9162 root of the first treeSize events (32 bytes). */
  rootHash: Buffer;
}

export const ORIGIN_PREFIX = 'attest.local/';

export function ledgerOrigin(ledgerId: string): string {
  return `${ORIGIN_PREFIX}${ledgerId}`;
}

export function formatCheckpointText(body: CheckpointBody): string {
  if (body.origin.length === 0 || body.origin.includes('\n')) throw new NoteFormatError('a checkpoint origin is one non-empty line');
  if (!Number.isSafeInteger(body.treeSize) || body.treeSize < 0) throw new NoteFormatError(`tree size ${body.treeSize} is not a non-negative integer`);
  if (body.rootHash.length !== 32) throw new NoteFormatError('a root hash has 32 bytes');
  return `${body.origin}\n${body.treeSize}\n${body.rootHash.toString('base64')}\n`;
}

/** Parses a checkpoint's note text strictly; extension lines (optional, non-empty) are allowed and ignored. */
export function parseCheckpointText(text: string): CheckpointBody {
  if (!text.endsWith('\n')) throw new NoteFormatError('a checkpoint text ends with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteFormatError('a checkpoint has an origin, a tree size and a root hash line');
  const [origin, size, root] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new NoteFormatError('the checkpoint origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new NoteFormatError(`the checkpoint tree size "${size}" is not a decimal number without leading zeros`);
  }
  const rootHash = decodeBase64Strictly(root, 'the checkpoint root hash');
  if (rootHash.length !== 32) throw new NoteFormatError(`the checkpoint root hash has ${rootHash.length} bytes, not 32`);
  if (lines.slice(3).some((line) => line.length === 0)) throw new NoteFormatError('checkpoint extension lines must not be empty');
  return { origin, treeSize: Number(size), rootHash };
}
