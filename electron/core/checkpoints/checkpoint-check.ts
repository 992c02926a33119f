// Checks the ledger against checkpoints: the ones it stored itself and any notes handed in (an auditor's
// copy). A rewritten history changes the root at some checkpoint's size; a truncated one no longer
// reaches it. All roots come from one streaming pass over the event hashes, so this stays O(n).
import type { Db } from '../db/connection.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { RootsAtSizes } from '../ledger/merkle.ts';
import { parseCheckpointText, type CheckpointBody } from './checkpoint.ts';
import { CheckpointRepository, MissingLeavesError } from './checkpoint-repository.ts';
import { installationVerifierKeys, verifierKeyFromPem } from './installation-key.ts';
import { NoteFormatError, parseSignedNote, parseVerifierKey, verifySignedNote, type VerifierKey } from './signed-note.ts';

export interface ExternalCheckpoint {
  /** Where it came from (the file name), reported as its source. */
  name: string;
  text: string;
}

export interface CheckpointCheckOptions {
  external?: readonly ExternalCheckpoint[];
  /** A verifier key string or an Ed25519 public key PEM; when given, every checkpoint must be signed by it. */
  key?: string;
  /** Where installation keys are looked for (external notes without `key`); default: the user data folder. */
  installationKeyDir?: string;
}

export interface CheckpointCheck {
  origin: string;
  treeSize: number;
  /** "stored" for the ledger's own checkpoint events, else the external note's name. */
  source: string;
  ok: boolean;
  /** 'unverified': no key to check the signature with (the root is still checked). */
  signature: 'verified' | 'unverified' | 'invalid';
  /** `checkpoint of size N (ORIGIN) does not match the ledger: …` */
  problem?: string;
}

interface PendingCheck {
  source: string;
  body: CheckpointBody | null;
  signature: CheckpointCheck['signature'];
  reasons: string[];
}

/** A verifier key string, or a PEM public key named the way installation keys are named. */
export function parseKeyOption(key: string): VerifierKey {
  return key.includes('-----BEGIN') ? verifierKeyFromPem(key) : parseVerifierKey(key);
}

function checkSignature(pending: PendingCheck, note: ReturnType<typeof parseSignedNote>, keys: readonly VerifierKey[], whose: string): void {
  if (keys.length === 0) {
    pending.signature = 'unverified';
    return;
  }
  const result = verifySignedNote(note, keys);
  if (result.status === 'verified') pending.signature = 'verified';
  else {
    pending.signature = 'invalid';
    pending.reasons.push(
      result.status === 'bad_signature'
        ? `its signature by ${result.key.name} does not verify (the note was altered)`
        : `it is not signed by ${whose} (${keys.map((k) => `${k.name}+${k.keyId.toString('hex')}`).join(', ')})`,
    );
  }
}

/**
 * A stored checkpoint proves nothing by the key it carries (whoever rewrote the file could have re-signed it): its
 * signature is checked with the key given (--key), else with this installation's keys, else left unverified.
 */
function storedCheck(payloadText: string, seq: number, keys: readonly VerifierKey[], whose: string): PendingCheck {
  const pending: PendingCheck = { source: 'stored', body: null, signature: 'unverified', reasons: [] };
  try {
    const payload = JSON.parse(payloadText) as { origin: string; treeSize: number; rootHash: string; note: string; key: string };
    const note = parseSignedNote(payload.note);
    pending.body = parseCheckpointText(note.text);
    const { body } = pending;
    if (body.origin !== payload.origin || body.treeSize !== payload.treeSize || body.rootHash.toString('base64') !== payload.rootHash) {
      pending.reasons.push(`event #${seq} states another origin, size or root than the note it stores`);
    }
    checkSignature(pending, note, keys, whose);
  } catch (error) {
    if (!(error instanceof NoteFormatError) && !(error instanceof SyntaxError)) throw error;
    pending.signature = 'invalid';
    pending.reasons.push(`event #${seq} does not hold a valid checkpoint note (${error.message})`);
  }
  return pending;
}

function externalCheck(checkpoint: ExternalCheckpoint, keys: readonly VerifierKey[], whose: string): PendingCheck {
  const pending: PendingCheck = { source: checkpoint.name, body: null, signature: 'unverified', reasons: [] };
  try {
    const note = parseSignedNote(checkpoint.text);
    pending.body = parseCheckpointText(note.text);
    checkSignature(pending, note, keys, whose);
  } catch (error) {
    if (!(error instanceof NoteFormatError)) throw error;
    pending.signature = 'invalid';
    pending.reasons.push(`${checkpoint.name} is not a signed checkpoint note (${error.message})`);
  }
  return pending;
}

/** The verifier key a stored checkpoint names, if it is one. */
export function namedKey(payloadText: string): VerifierKey[] {
  try {
    return [parseVerifierKey((JSON.parse(payloadText) as { key: string }).key)];
  } catch {
    return [];
  }
}

/** The root at each wanted size, in one pass; sizes the ledger no longer reaches are absent. */
function rootsInOnePass(repository: CheckpointRepository, sizes: readonly number[]): { roots: Map<number, Buffer>; available: number; gap: string | null } {
  const collector = new RootsAtSizes(sizes);
  let gap: string | null = null;
  if (collector.wantsMore) {
    try {
      for (const leaf of repository.leafHashes(collector.largest)) collector.appendLeafHash(leaf);
    } catch (error) {
      if (!(error instanceof MissingLeavesError)) throw error;
      gap = error.message;
    }
  }
  return { roots: collector.roots, available: collector.size, gap };
}

export function checkCheckpoints(db: Db, options: CheckpointCheckOptions = {}): CheckpointCheck[] {
  const repository = new CheckpointRepository(db);
  const optionKey = options.key ? parseKeyOption(options.key) : null;
  const keys = optionKey ? [optionKey] : installationVerifierKeys(options.installationKeyDir);
  const whose = optionKey ? 'the given key' : "this installation's key";
  // On a replica of a team ledger each console signs with its own installation key, and this replica checked every
  // stored checkpoint's root against its own events when it took it: the key a checkpoint names counts there too.
  const teamReplica = !optionKey && new LedgerRepository(db).replicaOf() !== null;
  const pending = repository
    .storedCheckpoints()
    .map((row) => (teamReplica ? storedCheck(row.payload, row.seq, [...keys, ...namedKey(row.payload)], "this installation's key or the team console's that signed it") : storedCheck(row.payload, row.seq, keys, whose)));
  if (options.external?.length) pending.push(...options.external.map((checkpoint) => externalCheck(checkpoint, keys, whose)));
  const sizes = pending.flatMap((p) => (p.body ? [p.body.treeSize] : []));
  const { roots, available, gap } = rootsInOnePass(repository, sizes);
  return pending.map((p): CheckpointCheck => {
    const origin = p.body?.origin ?? '?';
    const treeSize = p.body?.treeSize ?? 0;
    const reasons = [...p.reasons];
    if (p.body) {
      const root = roots.get(treeSize);
      if (!root) {
        reasons.push(gap ? `${gap}; only the first ${available} events are in sequence` : `the ledger has only ${available} events (its history was truncated)`);
      } else if (!root.equals(p.body.rootHash)) {
        reasons.push(`the checkpoint's root is ${p.body.rootHash.toString('base64')}, the ledger's first ${treeSize} events have root ${root.toString('base64')} (its history was rewritten)`);
      }
    }
    const check: CheckpointCheck = { origin, treeSize, source: p.source, ok: reasons.length === 0, signature: p.signature };
    if (reasons.length > 0) check.problem = `checkpoint of size ${treeSize} (${origin}) does not match the ledger: ${reasons.join('; ')}`;
    return check;
  });
}
