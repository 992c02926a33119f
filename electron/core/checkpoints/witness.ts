// The witness discipline of a cosigner (after c2sp.org/tlog-witness): a cosignature says "as of time T, the
// largest tree of this log I have seen has this root", so a cosigner that signs whatever note it is handed can be
// shown a forked history (same origin, same installation key, another root) and vouch for it — a split view.
// A witness therefore keeps, per origin, the last size and root it cosigned and the installation key the log
// signs with, and cosigns a new checkpoint only if it is that log's signature and a later state of the same
// history: same size and root, or a larger size with an RFC 9162 consistency proof from the remembered one.
// The state is a small JSON file beside the cosigner's key; checking and updating it happen under a lock file,
// and it is written before the cosignature is handed out (the spec's order).
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { EMPTY_TREE_ROOT, verifyConsistency } from '../ledger/merkle.ts';
import { parseCheckpointText, type CheckpointBody } from './checkpoint.ts';
import { cosignCheckpoint, type CosignerSigner } from './cosignature.ts';
import { formatVerifierKey, NoteFormatError, parseSignedNote, parseVerifierKey, verifySignedNote, type VerifierKey } from './signed-note.ts';

export const WITNESS_STATE_FORMAT = 'attest-witness/v1';

/** What the cosigner remembers of one log. */
export interface WitnessedLog {
  /** The size of the last checkpoint of this origin it cosigned. */
  treeSize: number;
  /** That checkpoint's root hash, base64 (as in the note). */
  rootHash: string;
  /**
   * The installation verifier key (type 0x01) the origin's checkpoints are signed with; null when the first
   * cosignature was given without --installation-key (then only its name and key ID are known, see installationKeyId).
   */
  installationKey: string | null;
  /** `<name>+<hex key ID>` of the installation key: every later checkpoint of the origin must carry its signature. */
  installationKeyId: string;
  /** The timestamp of the last cosignature (POSIX seconds). */
  timestamp: number;
}

export interface WitnessState {
  format: typeof WITNESS_STATE_FORMAT;
  origins: Record<string, WitnessedLog>;
}

/** RFC 9162 consistency proof as `attest prove --consistency --json` prints it. */
export interface ConsistencyProofInput {
  fromSize: number;
  toSize: number;
  /** Hex hashes. */
  proof: string[];
}

/** The cosigner refuses: nothing is signed and the state is not changed. */
export class WitnessRefusal extends Error {}

/** auditor.key → auditor.key.witness.json */
export function witnessStateFileOf(privateKeyFile: string): string {
  return `${privateKeyFile}.witness.json`;
}

export function emptyWitnessState(): WitnessState {
  return { format: WITNESS_STATE_FORMAT, origins: {} };
}

const isSize = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** The state in a file (an absent file is a cosigner that has cosigned nothing yet); a damaged file is refused, never overwritten. */
export function readWitnessState(file: string): WitnessState {
  if (!existsSync(file)) return emptyWitnessState();
  const damaged = (why: string): WitnessRefusal => new WitnessRefusal(`the witness state ${file} is damaged (${why}); it is never overwritten — restore it from a copy`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw damaged((error as Error).message);
  }
  const state = parsed as Partial<WitnessState> | null;
  if (!state || state.format !== WITNESS_STATE_FORMAT || typeof state.origins !== 'object' || state.origins === null || Array.isArray(state.origins)) {
    throw damaged(`not ${WITNESS_STATE_FORMAT}`);
  }
  for (const [origin, log] of Object.entries(state.origins)) {
    const entry = log as Partial<WitnessedLog> | null;
    if (!entry || !isSize(entry.treeSize) || typeof entry.rootHash !== 'string' || (entry.installationKey !== null && typeof entry.installationKey !== 'string') || typeof entry.installationKeyId !== 'string' || !isSize(entry.timestamp)) {
      throw damaged(`origin ${origin}: treeSize, rootHash, installationKey, installationKeyId and timestamp are required`);
    }
  }
  return state as WitnessState;
}

/** Written beside its final name with mode 0600, then renamed over it: a crash leaves the old state or the new one. */
export function writeWitnessState(file: string, state: WitnessState): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/** Checks a parsed `attest prove --consistency --json` object; throws NoteFormatError naming what is wrong. */
export function parseConsistencyProof(value: unknown): ConsistencyProofInput {
  const proof = value as Partial<ConsistencyProofInput> | null;
  if (!proof || typeof proof !== 'object') throw new NoteFormatError('a consistency proof is {"fromSize","toSize","proof":[hex…]}');
  if (!isSize(proof.fromSize) || !isSize(proof.toSize)) throw new NoteFormatError('fromSize and toSize of a consistency proof are whole numbers');
  if (!Array.isArray(proof.proof) || !proof.proof.every((hash) => typeof hash === 'string' && /^[0-9a-f]{64}$/i.test(hash))) {
    throw new NoteFormatError('the proof of a consistency proof is an array of 64-hex-digit hashes');
  }
  return { fromSize: proof.fromSize, toSize: proof.toSize, proof: proof.proof };
}

export interface WitnessRequest {
  /** The whole signed checkpoint note (its installation signature is checked). */
  checkpoint: string;
  signer: CosignerSigner;
  timestamp: number;
  /**
   * The installation key the origin's checkpoints must be signed with; remembered from the first cosignature that
   * gives it, and from then on it must be that key. Without it the first cosignature trusts the note's signer by
   * name and key ID (its signature cannot be checked without the key) — the history rule still holds.
   */
  installationKey?: VerifierKey;
  /** Required when the checkpoint is larger than the last cosigned size of its origin. */
  consistency?: ConsistencyProofInput;
}

export interface WitnessedCosignature {
  /** The cosignature line, without its newline. */
  line: string;
  checkpoint: CheckpointBody;
  /** The size this key had cosigned of the origin before (0: never). */
  previousSize: number;
  /** The installation signature was not checked (no installation key given or remembered yet). */
  installationSignatureUnchecked: boolean;
  state: WitnessState;
}

const verifierKeyText = (key: VerifierKey): string => formatVerifierKey(key.name, key.rawPublicKey);

function parsedCheckpoint(note: string): { body: CheckpointBody; note: ReturnType<typeof parseSignedNote> } {
  if (!note.includes('\n\n')) {
    throw new WitnessRefusal('the checkpoint is a bare text without signature lines: give the signed note, whose installation signature is checked before cosigning');
  }
  const parsed = parseSignedNote(note);
  return { note: parsed, body: parseCheckpointText(parsed.text) };
}

const keyIdText = (key: VerifierKey): string => `${key.name}+${key.keyId.toString('hex')}`;

interface InstallationIdentity {
  /** The key to check the note's signature with; null: not known yet (trust on first use by name and key ID). */
  key: VerifierKey | null;
  text: string | null;
  id: string;
}

function installationKeyOf(origin: string, known: WitnessedLog | undefined, given: VerifierKey | undefined, note: ReturnType<typeof parseSignedNote>): InstallationIdentity {
  if (given) {
    if (known?.installationKey && verifierKeyText(given) !== known.installationKey) {
      throw new WitnessRefusal(`${origin} is signed with ${known.installationKey} (remembered from this key's first cosignature of it); --installation-key ${verifierKeyText(given)} is another key`);
    }
    if (known && keyIdText(given) !== known.installationKeyId) {
      throw new WitnessRefusal(`${origin} was first cosigned as signed by ${known.installationKeyId}; --installation-key ${keyIdText(given)} is another key`);
    }
    return { key: given, text: verifierKeyText(given), id: keyIdText(given) };
  }
  if (known?.installationKey) return { key: storedKey(origin, known.installationKey), text: known.installationKey, id: known.installationKeyId };
  if (known) return { key: null, text: null, id: known.installationKeyId };
  const first = note.signatures[0]!;
  return { key: null, text: null, id: `${first.keyName}+${first.keyId.toString('hex')}` };
}

function storedKey(origin: string, text: string): VerifierKey {
  try {
    return parseVerifierKey(text);
  } catch (error) {
    throw new WitnessRefusal(`the witness state's installation key of ${origin} is damaged (${(error as Error).message})`);
  }
}

function checkInstallationSignature(origin: string, note: ReturnType<typeof parseSignedNote>, installation: InstallationIdentity): void {
  if (!installation.key) {
    // Without the key only its identity can be compared: the note must carry a signature line by that name and key ID.
    if (!note.signatures.some((s) => `${s.keyName}+${s.keyId.toString('hex')}` === installation.id)) {
      throw new WitnessRefusal(`the checkpoint of ${origin} carries no signature by ${installation.id}, the installation key this cosigner first saw it signed with`);
    }
    return;
  }
  const result = verifySignedNote(note, [installation.key]);
  if (result.status === 'bad_signature') throw new WitnessRefusal(`the checkpoint of ${origin} has a signature by ${installation.key.name} that does not verify: the note was altered`);
  if (result.status === 'no_known_signature') throw new WitnessRefusal(`the checkpoint of ${origin} carries no signature by its installation key ${installation.key.name}`);
}

/** The history rule: the checkpoint must be the remembered state, or a later state of the same history. */
function checkLaterState(origin: string, body: CheckpointBody, known: WitnessedLog | undefined, consistency: ConsistencyProofInput | undefined): void {
  const root = body.rootHash.toString('base64');
  if (body.treeSize === 0 && !body.rootHash.equals(EMPTY_TREE_ROOT)) throw new WitnessRefusal(`a checkpoint of size 0 has the root of the empty tree, not ${root}`);
  if (!known) {
    if (consistency) throw new WitnessRefusal(`this key has never cosigned ${origin}: there is no earlier size for --consistency to start from; cosign without it`);
    return;
  }
  const size = body.treeSize;
  if (size < known.treeSize) {
    throw new WitnessRefusal(`this key already cosigned size ${known.treeSize} of ${origin}; a checkpoint of size ${size} < ${known.treeSize} is not a later state of that log`);
  }
  if (size === known.treeSize && root !== known.rootHash) {
    throw new WitnessRefusal(`this key already cosigned size ${size} of ${origin} with root ${known.rootHash}; this checkpoint of the same size has root ${root}: two histories of one log (a split view)`);
  }
  // Every tree extends the empty one, and a checkpoint equal to the remembered one needs no proof.
  if (known.treeSize === 0 || (size === known.treeSize && !consistency)) return;
  if (!consistency) {
    throw new WitnessRefusal(`this key already cosigned size ${known.treeSize} of ${origin}; size ${size} needs --consistency with a proof from ${known.treeSize} to ${size} (attest prove --consistency --from ${known.treeSize} --to ${size} --json)`);
  }
  if (consistency.fromSize !== known.treeSize || consistency.toSize !== size) {
    throw new WitnessRefusal(`the consistency proof is from size ${consistency.fromSize} to ${consistency.toSize}; needed: from ${known.treeSize} (last cosigned) to ${size} (this checkpoint)`);
  }
  const proof = consistency.proof.map((hash) => Buffer.from(hash, 'hex'));
  if (!verifyConsistency(known.treeSize, size, Buffer.from(known.rootHash, 'base64'), body.rootHash, proof)) {
    throw new WitnessRefusal(`the consistency proof does not show that size ${known.treeSize} of ${origin} (root ${known.rootHash}) is a prefix of size ${size} (root ${root}): not a later state of the history this key cosigned`);
  }
}

/**
 * Decides and signs: throws WitnessRefusal (or NoteFormatError for an unreadable note) without signing, else
 * returns the cosignature line and the state to persist before the line is handed out. Pure: the caller owns the file.
 */
export function witnessCosign(state: WitnessState, request: WitnessRequest): WitnessedCosignature {
  const { note, body } = parsedCheckpoint(request.checkpoint);
  const known = Object.hasOwn(state.origins, body.origin) ? state.origins[body.origin] : undefined;
  const installation = installationKeyOf(body.origin, known, request.installationKey, note);
  checkInstallationSignature(body.origin, note, installation);
  checkLaterState(body.origin, body, known, request.consistency);
  // A cosignature states the largest tree seen "as of" its time: times of one log never go backwards.
  if (known && request.timestamp < known.timestamp) {
    throw new WitnessRefusal(`this key cosigned ${body.origin} at time ${known.timestamp}; a cosignature dated ${request.timestamp} would go back in time`);
  }
  const line = cosignCheckpoint(note.text, request.signer, request.timestamp);
  const next: WitnessState = {
    format: WITNESS_STATE_FORMAT,
    origins: {
      ...state.origins,
      [body.origin]: { treeSize: body.treeSize, rootHash: body.rootHash.toString('base64'), installationKey: installation.text, installationKeyId: installation.id, timestamp: request.timestamp },
    },
  };
  return { line, checkpoint: body, previousSize: known?.treeSize ?? 0, installationSignatureUnchecked: installation.key === null, state: next };
}

/**
 * Runs `decide` on the state of `file` under an exclusive lock file, and persists the state it returns — check and
 * update are one step, so two cosign runs cannot both pass the check and one roll the other back.
 */
export function withWitnessState<T extends { state: WitnessState }>(file: string, decide: (state: WitnessState) => T): T {
  const lock = `${file}.lock`;
  try {
    writeFileSync(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') throw new WitnessRefusal(`${lock} exists: another cosign is running with this key (remove the file if none is)`);
    throw error;
  }
  try {
    const result = decide(readWitnessState(file));
    writeWitnessState(file, result.state);
    return result;
  } finally {
    rmSync(lock, { force: true });
  }
}
