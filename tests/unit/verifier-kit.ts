// Builders for the independent verifier's tests: auditor packs and receipts written by the app itself (writePack,
// buildReceipt), tamperings of them (a forger holding the installation key re-seals the manifest), independent
// cosignatures, and a runner for resources/verifier/attest-verify.mjs. The app BUILDS the inputs here; the verifier never imports it.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrCreateInstallationKey, type InstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { buildReceipt, type Receipt } from '../../electron/core/audit/receipt.ts';
import { signNote } from '../../electron/core/checkpoints/signed-note.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { writePack } from '../../electron/core/audit/pack.ts';
import { rehashed, type Line } from './trust-kit.ts';

export const VERIFIER = fileURLToPath(new URL('../../resources/verifier/attest-verify.mjs', import.meta.url));

export interface VerifierRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the verifier as an auditor would: plain `node attest-verify.mjs …`. */
export function runVerifier(...args: string[]): VerifierRun {
  const result = spawnSync(process.execPath, [VERIFIER, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface VerifierJson {
  ok: boolean;
  events: number;
  statements: number;
  problems: { kind: string; message: string; seq?: number; ticket?: string | null; period?: string; file?: string }[];
  notes: string[];
}

export function runVerifierJson(...args: string[]): VerifierJson {
  return JSON.parse(runVerifier(...args, '--json').stdout) as VerifierJson;
}

const sha256Hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir`, as sorted '/'-separated paths relative to it. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export interface Manifest {
  format: string;
  origin: string;
  treeSize: number;
  rootHash: string;
  createdAt: string;
  contract: string | null;
  period: string | null;
  installationKey: string;
  files: { path: string; sha256: string; bytes: number }[];
}

export const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

/**
 * Lists every file of the pack in manifest.json (keeping its head fields) and signs manifest.sig with `key`:
 * what the pack writer does last, and what a forger holding the installation key does after a change.
 */
export function sealManifest(dir: string, key: InstallationKey, head: Partial<Manifest> = {}): void {
  const previous: Partial<Manifest> = (() => {
    try {
      return readManifest(dir);
    } catch {
      return {};
    }
  })();
  const files = filesUnder(dir)
    .filter((path) => path !== 'manifest.json' && path !== 'manifest.sig')
    .map((path) => {
      const bytes = readFileSync(join(dir, path));
      return { path, sha256: sha256Hex(bytes), bytes: bytes.length };
    });
  const manifest = { ...previous, ...head, installationKey: key.verifierKey, files } as Manifest;
  const bytes = JSON.stringify(manifest, null, 2) + '\n';
  writeFileSync(join(dir, 'manifest.json'), bytes);
  const text = `attest-pack/v1\n${manifest.origin}\n${manifest.treeSize}\n${manifest.rootHash}\nmanifest sha256 ${sha256Hex(bytes)}\n`;
  writeFileSync(join(dir, 'manifest.sig'), signNote(text, key));
}

export interface BuiltPack {
  dir: string;
  key: InstallationKey;
  contract: string;
  /** The exported lines of events.jsonl (without the final newline). */
  lines: string[];
  treeSize: number;
  /** Periods with a statement file. */
  periods: string[];
}

/** The app's own pack of the ledger (`attest export --pack`: writePack) for one contract, signed with the test key. */
export async function writeTestPack(db: Db, dir: string, contract: string): Promise<BuiltPack> {
  const key = loadOrCreateInstallationKey();
  const summary = await writePack(db, dir, { key, contract });
  // The pack carries this very verifier (evidence.md comes with another part of issue 12).
  if (summary.missing.includes('attest-verify.mjs')) throw new Error('the pack lacks attest-verify.mjs');
  const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
  return { dir, key, contract, lines, treeSize: summary.treeSize, periods: summary.statements.map((s) => s.period).sort() };
}

// ─── Tampering a pack's events ─────────────────────────────────────────────────────────────────────────

export function readLines(dir: string): string[] {
  return readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
}

export function writeEventLines(dir: string, lines: readonly (string | Line)[]): void {
  writeFileSync(join(dir, 'events.jsonl'), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
}

export const lineAt = (lines: readonly string[], seq: number): Line => JSON.parse(lines[seq - 1]!) as Line;

/** The seq of the first line matching. */
export function seqWhere(lines: readonly string[], match: (line: Line) => boolean): number {
  const index = lines.findIndex((l) => match(JSON.parse(l) as Line));
  if (index < 0) throw new Error('no such line');
  return index + 1;
}

/** Changes the line at seq and re-hashes and re-links every line from it on: a self-consistent rewritten history. */
export function rechain(lines: readonly string[], seq: number, change: (line: Line) => Line): string[] {
  const copy = lines.map((l) => JSON.parse(l) as Line);
  copy[seq - 1] = change(copy[seq - 1]!);
  for (let i = seq - 1; i < copy.length; i++) {
    if (i > seq - 1) copy[i] = { ...copy[i]!, prevHash: copy[i - 1]!.hash };
    copy[i] = rehashed(copy[i]!);
  }
  return copy.map((l) => JSON.stringify(l));
}

// ─── Cosigners (C2SP tlog-cosignature, written here from the spec, not by the app) ────────────────────

export interface Cosigner {
  name: string;
  privateKey: KeyObject;
  raw: Buffer;
  /** The verifier key line, type 0x04. */
  vkey: string;
}

export function makeCosigner(name: string): Cosigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ type: 'spki', format: 'der' }).subarray(-32));
  const id = createHash('sha256').update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([0x04]), raw])).digest().subarray(0, 4);
  return { name, privateKey, raw, vkey: `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([0x04]), raw]).toString('base64')}` };
}

/** A cosignature line for a checkpoint note: "— name base64(keyID ‖ u64 timestamp ‖ Ed25519 signature)". */
export function cosignatureLine(cosigner: Cosigner, checkpointNote: string, timestamp: number): string {
  const text = checkpointNote.slice(0, checkpointNote.indexOf('\n\n') + 1);
  const signature = sign(null, Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`), cosigner.privateKey);
  const id = Buffer.from(cosigner.vkey.split('+')[1]!, 'hex');
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(timestamp));
  return `\u2014 ${cosigner.name} ${Buffer.concat([id, ts, signature]).toString('base64')}`;
}

/** Appends a signature line to a checkpoint file of the pack. */
export function appendSignatureLine(dir: string, treeSize: number, line: string): void {
  const path = join(dir, 'checkpoints', `${treeSize}.checkpoint`);
  writeFileSync(path, `${readFileSync(path, 'utf8')}${line}\n`);
}

// ─── Receipts: the app's own (`attest receipt`), written to a file ───────────────────────────────────────

export type { Receipt } from '../../electron/core/audit/receipt.ts';

/** The app's receipt of one ticket (under the newest cosigned, else newest, covering checkpoint), as a file. */
export function writeTestReceipt(db: Db, pack: BuiltPack, ticket: string, path: string): Receipt {
  const receipt = buildReceipt(db, ticket, pack.contract);
  writeFileSync(path, JSON.stringify(receipt, null, 2) + '\n');
  return receipt;
}
