// Two-party metering from the CLI: `attest keygen` makes a cosigner's Ed25519 key, `attest cosign` signs a
// checkpoint with it as a witness does — only the log's own signature, and only a later state of the history it
// cosigned before, remembered in `<key>.witness.json` (no database: the buyer's auditor runs them on their own
// machine) — and `attest checkpoint add-cosignature` records a cosignature in the ledger after checking it.
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { PUBLIC_FILE_MODE, writeFileAtomic } from '../../../core/files/atomic-file.ts';
import {
  cosignerKeyFromPem,
  cosignerPrivateKey,
  formatCosignerKey,
  generateCosignerKey,
  KeyFileExistsError,
  parseCosignatureLine,
  parseCosignerKey,
  publicKeyFileOf,
  type CosignerKey,
} from '../../../core/checkpoints/cosignature.ts';
import { parseKeyOption } from '../../../core/checkpoints/checkpoint-check.ts';
import { CosignatureRefusedError, recordCosignature } from '../../../core/checkpoints/record-cosignature.ts';
import { NoteFormatError, rawEd25519PublicKey, type VerifierKey } from '../../../core/checkpoints/signed-note.ts';
import {
  parseConsistencyProof,
  withWitnessState,
  witnessCosign,
  WitnessRefusal,
  witnessStateFileOf,
  type ConsistencyProofInput,
} from '../../../core/checkpoints/witness.ts';
import type { Command, CommandArgs } from '../command.ts';
import { existingDb } from '../db-args.ts';
import { CLI_OPERATIONS, SIGN_IN_OPTIONS, withPersonWrite } from '../cli-person.ts';
import { CliError, report } from '../output.ts';
import { COSIGNATURE_CLOCK_SKEW_SECONDS } from '../../../core/checkpoints/cosignature-rules.ts';

interface Flags {
  db?: string;
  json: boolean;
  out?: string;
  name?: string;
  checkpoint?: string;
  key?: string;
  time?: string;
  user?: string;
  'installation-key'?: string;
  consistency?: string;
}

const flagsOf = (args: CommandArgs): Flags => args.values as unknown as Flags;
const DEFAULT_NAME = 'auditor';

function readInput(file: string | undefined, flag: string): string {
  if (!file) throw new CliError(`${flag} FILE is required`, 2);
  if (!existsSync(file)) throw new CliError(`${flag} ${file}: no such file`, 2);
  return readFileSync(file, 'utf8');
}

/** A format error in what the user handed in is a usage error (exit 2) naming the flag. */
function parsedInput<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof NoteFormatError || error instanceof TypeError || (error as { code?: string }).code?.startsWith('ERR_')) throw new CliError(`${flag}: ${(error as Error).message}`, 2);
    throw error;
  }
}

function keygenCommand(flags: Flags): number {
  if (!flags.out) throw new CliError('--out FILE is required (the private key file, e.g. auditor.key)', 2);
  const name = flags.name ?? DEFAULT_NAME;
  let generated;
  try {
    generated = parsedInput('--name', () => generateCosignerKey(flags.out!, name));
  } catch (error) {
    if (error instanceof KeyFileExistsError) throw new CliError(error.message);
    throw error;
  }
  report(flags.json, generated, `${generated.verifierKey}\nprivate key: ${generated.privateKeyFile} (keep it to yourself); verifier key: ${generated.publicKeyFile} (give it to the supplier for the contract's buyerKeys)`);
  return 0;
}

function unixTime(value: string | undefined): number {
  if (value === undefined) return Math.floor(Date.now() / 1000);
  if (!/^(0|[1-9][0-9]*)$/.test(value) || !Number.isSafeInteger(Number(value))) throw new CliError(`--time ${value}: must be POSIX seconds (a whole number without leading zeros)`, 2);
  // A cosignature is not made in the future: the ledger would refuse it, and the witness state would then refuse every
  // honest cosignature of that log until that time. The same tolerance as the rule book's.
  const latest = Math.floor(Date.now() / 1000) + COSIGNATURE_CLOCK_SKEW_SECONDS;
  if (Number(value) > latest) throw new CliError(`refused: --time ${value} is more than ${COSIGNATURE_CLOCK_SKEW_SECONDS} seconds after now (${latest - COSIGNATURE_CLOCK_SKEW_SECONDS}); a cosignature is not made in the future`);
  return Number(value);
}

/** --installation-key: a verifier key line (type 0x01), or a file holding one or an Ed25519 public key PEM. */
function installationKeyOption(value: string | undefined): VerifierKey | undefined {
  if (value === undefined) return undefined;
  const text = existsSync(value) ? readFileSync(value, 'utf8').trim() : value.trim();
  return parsedInput('--installation-key', () => parseKeyOption(text));
}

/** --consistency PROOF.json: what `attest prove --consistency --from M --to N --json` prints. */
function consistencyOption(file: string | undefined): ConsistencyProofInput | undefined {
  if (file === undefined) return undefined;
  const text = readInput(file, '--consistency');
  return parsedInput('--consistency', () => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new NoteFormatError(`${file} is not JSON (expected the output of attest prove --consistency --json)`);
    }
    return parseConsistencyProof(value);
  });
}

function cosignCommand(flags: Flags): number {
  const checkpoint = readInput(flags.checkpoint, '--checkpoint');
  const pem = readInput(flags.key, '--key');
  if (!flags.name) throw new CliError('--name NAME is required (the cosigner name of your verifier key)', 2);
  warnIfNamedOtherwise(flags.key!, flags.name);
  const timestamp = unixTime(flags.time);
  const privateKey = parsedInput('--key', () => cosignerPrivateKey(pem));
  const installationKey = installationKeyOption(flags['installation-key']);
  const consistency = consistencyOption(flags.consistency);
  const stateFile = witnessStateFileOf(flags.key!);
  let witnessed;
  try {
    // The state is persisted before the line is written anywhere: a cosignature handed out is always remembered.
    witnessed = withWitnessState(stateFile, (state) =>
      parsedInput('--checkpoint', () => witnessCosign(state, { checkpoint, signer: { name: flags.name!, privateKey }, timestamp, installationKey, consistency })),
    );
  } catch (error) {
    if (error instanceof WitnessRefusal) throw new CliError(`refused: ${error.message}`);
    throw error;
  }
  const { line, checkpoint: body, previousSize, installationSignatureUnchecked } = witnessed;
  // The verifier key this line is checked with (what a contract lists in buyerKeys), whatever tool made the key.
  const cosigner = formatCosignerKey(flags.name, rawEd25519PublicKey(createPublicKey(privateKey)));
  if (installationSignatureUnchecked) {
    process.stderr.write(
      `attest: note: the installation signature of ${body.origin} was not checked (no --installation-key yet): its signer's name and key ID are remembered, and the history rule holds from now on; pass --installation-key once to check and remember the key\n`,
    );
  }
  if (flags.out) writeFileAtomic(flags.out, `${line}\n`, { mode: PUBLIC_FILE_MODE });
  if (flags.json) {
    report(true, { signature: line, timestamp, file: flags.out ?? null, origin: body.origin, treeSize: body.treeSize, previousSize, witnessState: stateFile, cosigner }, '');
  } else if (flags.out) process.stderr.write(`attest: cosignature written to ${flags.out}; it verifies with ${cosigner}\n`);
  else process.stdout.write(`${line}\n`);
  return 0;
}

/**
 * The key ID of a cosignature depends on its name: a line signed under another name than the verifier key `keygen`
 * wrote beside the key (the one a contract lists in buyerKeys) will not be recognised as that buyer key. Said, not
 * refused: the name is the cosigner's to choose.
 */
function warnIfNamedOtherwise(privateKeyFile: string, name: string): void {
  const publicFile = publicKeyFileOf(privateKeyFile);
  if (!existsSync(publicFile)) return;
  const named = readFileSync(publicFile, 'utf8').trim().split('+')[0];
  if (named && named !== name) {
    process.stderr.write(`attest: warning: ${publicFile} names this key "${named}"; signed as "${name}", the cosignature has another key ID and will match only a verifier key named "${name}" (not ${publicFile})\n`);
  }
}

/** --key: a cosigner verifier key (type 0x04), a file holding one, or an Ed25519 public key PEM (named by the line's key name). */
function givenKey(value: string, keyName: string): CosignerKey {
  const text = existsSync(value) ? readFileSync(value, 'utf8').trim() : value.trim();
  return parsedInput('--key', () => (text.includes('BEGIN PUBLIC KEY') ? cosignerKeyFromPem(text, keyName) : parseCosignerKey(text)));
}

async function addCosignatureCommand(flags: Flags, positionals: string[]): Promise<number> {
  const path = existingDb(flags);
  if (positionals.length !== 1) throw new CliError('checkpoint add-cosignature: name exactly one cosignature file (SIG)', 2);
  const line = readInput(positionals[0], 'SIG').trim();
  const cosignature = parsedInput('SIG', () => parseCosignatureLine(line));
  const keys = flags.key === undefined ? undefined : [givenKey(flags.key, cosignature.keyName)];
  let recorded;
  try {
    recorded = await withPersonWrite(path, flags, CLI_OPERATIONS['checkpoint add-cosignature'], 'cosignature of a checkpoint', (db, who) =>
      recordCosignature(db, line, { keys, actor: who.actor }),
    );
  } catch (error) {
    if (error instanceof CosignatureRefusedError || error instanceof NoteFormatError) throw new CliError(`refused: ${error.message}`);
    throw error;
  }
  const what = `cosignature by ${recorded.cosigner.split('+')[0]} of checkpoint #${recorded.checkpointSeq} (size ${recorded.treeSize}) at ${new Date(recorded.timestamp * 1000).toISOString()}`;
  report(flags.json, recorded, recorded.added ? `${what}: recorded as event #${recorded.seq}` : `${what}: already recorded as event #${recorded.seq}; nothing added`);
  return 0;
}

export const COSIGN_COMMANDS: Command[] = [
  {
    name: 'keygen',
    usage: 'attest keygen  --out auditor.key [--name NAME] [--json]',
    options: { out: { type: 'string' }, name: { type: 'string' } },
    run: (args) => keygenCommand(flagsOf(args)),
  },
  {
    name: 'cosign',
    usage: 'attest cosign  --checkpoint C.txt --key auditor.key --name NAME [--installation-key VKEY|FILE] [--consistency PROOF.json] [--time UNIX] [--out FILE] [--json]',
    options: {
      checkpoint: { type: 'string' },
      key: { type: 'string' },
      name: { type: 'string' },
      time: { type: 'string' },
      out: { type: 'string' },
      'installation-key': { type: 'string' },
      consistency: { type: 'string' },
    },
    run: (args) => cosignCommand(flagsOf(args)),
  },
  {
    name: 'checkpoint add-cosignature',
    usage: 'attest checkpoint add-cosignature --db FILE SIG [--key VKEY] [--user NAME] [--json]',
    options: { ...SIGN_IN_OPTIONS, key: { type: 'string' } },
    run: (args) => addCosignatureCommand(flagsOf(args), args.positionals),
  },
];
