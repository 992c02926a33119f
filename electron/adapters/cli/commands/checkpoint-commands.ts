// `attest checkpoint` and `attest prove`, and the checkpoint part of `attest verify` and `attest export`.
import { existsSync, readFileSync } from 'node:fs';
import { PUBLIC_FILE_MODE, writeFileAtomic } from '../../../core/files/atomic-file.ts';
import { openDatabase, type Db } from '../../../core/db/connection.ts';
import { parseKeyOption, type CheckpointCheck, type CheckpointCheckOptions } from '../../../core/checkpoints/checkpoint-check.ts';
import { loadOrCreateInstallationKey } from '../../../core/checkpoints/installation-key.ts';
import { ProofError, proveConsistency, proveInclusion } from '../../../core/checkpoints/ledger-proofs.ts';
import { recordCheckpoint, type RecordedCheckpoint } from '../../../core/checkpoints/record-checkpoint.ts';
import type { Command, CommandArgs } from '../command.ts';
import { existingDb } from '../db-args.ts';
import { CLI_OPERATIONS, SIGN_IN_OPTIONS, withPersonWrite } from '../cli-person.ts';
import { CliError, report } from '../output.ts';

interface Flags {
  db?: string;
  json: boolean;
  out?: string;
  seq?: string;
  size?: string;
  consistency?: boolean;
  from?: string;
  to?: string;
  user?: string;
}

const flagsOf = (args: CommandArgs): Flags => args.values as unknown as Flags;

/** Signs the first `treeSize` events (default: the head) of the open database and records the checkpoint event. */
export function recordHeadCheckpoint(db: Db, treeSize?: number): RecordedCheckpoint {
  return recordCheckpoint(db, loadOrCreateInstallationKey(), new Date(), treeSize);
}

async function checkpointCommand(flags: Flags): Promise<number> {
  const path = existingDb(flags);
  const checkpoint = await withPersonWrite(path, flags, CLI_OPERATIONS.checkpoint, 'checkpoint', (db) => recordHeadCheckpoint(db));
  if (flags.out) writeFileAtomic(flags.out, checkpoint.note, { mode: PUBLIC_FILE_MODE });
  const { origin, treeSize, rootHash, note, keyId, seq } = checkpoint;
  const human = flags.out
    ? `checkpoint of ${treeSize} events (${origin}) recorded as event #${seq}; note written to ${flags.out}`
    : note.trimEnd();
  report(flags.json, { origin, treeSize, rootHash, note, keyId, seq }, human);
  return 0;
}

function wholeNumber(value: string | undefined, flag: string, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < minimum) throw new CliError(`${flag}: must be a whole number ≥ ${minimum}, got "${value}"`, 2);
  return parsed;
}

/** Reads only: the database is opened read-only, so proving never changes the file. */
function withReadOnlyDb<T>(path: string, work: (db: Db) => T): T {
  const db = openDatabase(path, { readonly: true });
  try {
    return work(db);
  } catch (error) {
    if (error instanceof ProofError) throw new CliError(error.message, 2);
    throw error;
  } finally {
    db.close();
  }
}

function proveCommand(flags: Flags): number {
  const path = existingDb(flags);
  if (flags.consistency) {
    if (flags.seq !== undefined || flags.size !== undefined) throw new CliError('--consistency takes --from M --to N, not --seq/--size', 2);
    const from = wholeNumber(flags.from, '--from', 1);
    const to = wholeNumber(flags.to, '--to', 1);
    if (from === undefined || to === undefined) throw new CliError('--consistency needs --from M and --to N', 2);
    if (from > to) throw new CliError(`--from ${from} is larger than --to ${to}`, 2);
    const proof = withReadOnlyDb(path, (db) => proveConsistency(db, from, to));
    report(flags.json, proof, [`consistency of the first ${from} events with the first ${to}:`, ...proof.proof].join('\n'));
    return 0;
  }
  if (flags.from !== undefined || flags.to !== undefined) throw new CliError('--from/--to need --consistency', 2);
  const seq = wholeNumber(flags.seq, '--seq', 1);
  if (seq === undefined) throw new CliError('--seq N (inclusion) or --consistency --from M --to N is required', 2);
  const size = wholeNumber(flags.size, '--size', 1);
  const proof = withReadOnlyDb(path, (db) => proveInclusion(db, seq, size));
  report(flags.json, proof, [`event #${seq} (leaf ${proof.leafIndex}) in the tree of ${proof.treeSize} events, root ${proof.rootHash}:`, ...proof.proof].join('\n'));
  return 0;
}

export interface CheckpointOptionFlags {
  checkpoint?: string[];
  key?: string;
}

/** The checkpoint options of `verify` (--checkpoint FILE…, --key), read and checked before anything is verified. */
export function checkpointOptionsFromFlags(flags: CheckpointOptionFlags): CheckpointCheckOptions {
  const external = (flags.checkpoint ?? []).map((file) => {
    if (!existsSync(file)) throw new CliError(`--checkpoint ${file}: no such file`, 2);
    return { name: file, text: readFileSync(file, 'utf8') };
  });
  let key: string | undefined;
  if (flags.key !== undefined) {
    key = existsSync(flags.key) ? readFileSync(flags.key, 'utf8').trim() : flags.key.trim();
    try {
      parseKeyOption(key);
    } catch (error) {
      throw new CliError(`--key: not a verifier key (name+id+key) or an Ed25519 public key PEM: ${(error as Error).message}`, 2);
    }
  }
  return { external, key };
}

/** What `verify` says about checkpoints besides the BROKEN lines: a summary when all match, and unverified signatures. */
export function checkpointSummary(checks: readonly CheckpointCheck[]): { lines: string[]; warnings: string[] } {
  const lines = checks.length > 0 && checks.every((check) => check.ok) ? [`checkpoints: ${checks.length} match (sizes ${checks.map((c) => c.treeSize).join(', ')})`] : [];
  const warnings = checks
    .filter((check) => check.signature === 'unverified')
    .map((check) => `checkpoint of size ${check.treeSize} (${check.origin}) from ${check.source}: unverified signature (no --key and no installation key here)`);
  return { lines, warnings };
}

/** The JSON form `verify --json` adds as `checkpoints`. */
export function checkpointsJson(checks: readonly CheckpointCheck[]): object[] {
  return checks.map(({ origin, treeSize, ok, source, signature, problem }) => (problem ? { origin, treeSize, ok, source, signature, problem } : { origin, treeSize, ok, source, signature }));
}

export const CHECKPOINT_COMMANDS: Command[] = [
  {
    name: 'checkpoint',
    usage: 'attest checkpoint --db FILE [--out FILE] [--user NAME] [--json]',
    options: { ...SIGN_IN_OPTIONS, out: { type: 'string' } },
    run: (args) => checkpointCommand(flagsOf(args)),
  },
  {
    name: 'prove',
    usage: 'attest prove  --db FILE (--seq N [--size M] | --consistency --from M --to N) [--json]',
    options: { seq: { type: 'string' }, size: { type: 'string' }, consistency: { type: 'boolean', default: false }, from: { type: 'string' }, to: { type: 'string' } },
    run: (args) => proveCommand(flagsOf(args)),
  },
];
