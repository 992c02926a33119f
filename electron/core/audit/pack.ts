// The auditor's pack: a folder an auditor carries away and checks with attest-verify.mjs alone. One signed
// checkpoint (the pack's own) fixes what is in it — the events #1..treeSize, the checkpoints and cosignatures, the
// contracts, SLA policies and statements as of that tree — and manifest.json lists every file with its SHA-256,
// signed as a C2SP note by the installation key. Written into DIR.partial-<pid> and renamed at the end: a pack is
// there whole or not at all.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { buildFolderAtomic, PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE, writeNewFileDurably } from '../files/atomic-file.ts';
import { dirname, join, relative, sep } from 'node:path';
import type { Db } from '../db/connection.ts';
import type { InstallationKey } from '../checkpoints/installation-key.ts';
import { recordCheckpoint, type RecordedCheckpoint } from '../checkpoints/record-checkpoint.ts';
import { signNote } from '../checkpoints/signed-note.ts';
import { ledgerReader } from '../ledger/ledger-reader.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { contractIds, OutcomeInputError, resolveContract } from '../outcomes/outcome-book.ts';
import { OutcomeRepository } from '../outcomes/outcome-repository.ts';
import { checkPeriod, statementCsv, statementDocument, statementPeriods } from '../outcomes/statement.ts';
import { statementPdf, type StatementPdfContext } from '../outcomes/statement-pdf.ts';
import { statementPdfContext } from '../outcomes/statement-pdf-context.ts';
import type { Statement } from '../../../shared/contracts/outcomes.ts';
import { resourcePath } from '../resources.ts';
import { writeEventLines } from '../interchange/jsonl-export.ts';

export const PACK_FORMAT = 'attest-pack/v1';

export class PackError extends OutcomeInputError {}

export interface PackOptions {
  key: InstallationKey;
  /** One month "YYYY-MM"; default every period with a statement. */
  period?: string;
  /** One contract; default every contract of the ledger. */
  contract?: string;
  now?: Date;
  /** Runs the pack's one write, its checkpoint (the CLI: its write gate); default an IMMEDIATE transaction. */
  write?: (work: () => RecordedCheckpoint) => Promise<RecordedCheckpoint>;
  /** Where README.txt, evidence.md and attest-verify.mjs come from; default resources/. */
  resources?: { readme: string; evidence: string; verifier: string };
  /** Asked between the pack's steps (and every 10,000 events): true stops it with PackStopped, leaving no folder. */
  stopped?: () => boolean;
}

/** The pack was asked to stop (a closing console) before it was finished: no folder was left. */
export class PackStopped extends Error {
  constructor() {
    super('the auditor pack was stopped before it was finished; no folder was written');
  }
}

export interface PackSummary {
  dir: string;
  origin: string;
  treeSize: number;
  rootHash: string;
  checkpointSeq: number;
  events: number;
  statements: { contract: string; period: string; state: 'issued' | 'open'; total: string; currency: string }[];
  files: number;
  /** Hex SHA-256 of manifest.json, the text manifest.sig signs. */
  manifestSha256: string;
  /** Files the pack would carry that this installation does not have (evidence.md, attest-verify.mjs). */
  missing: string[];
}

interface PlannedStatement {
  contract: string;
  period: string;
  text: string;
  statement: Statement;
  context: StatementPdfContext;
  state: 'issued' | 'open';
}

const sha256Hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** A pack goes into an empty or absent folder only: nothing of an earlier pack or anything else is mixed in. */
function checkTarget(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new PackError(`${dir} exists and is not a folder`);
  if (readdirSync(dir).length > 0) throw new PackError(`${dir} is not empty: a pack is written into an empty or new folder`);
}

function writeFile(root: string, path: string, bytes: string | Buffer): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true, mode: PRIVATE_FOLDER_MODE });
  writeNewFileDurably(full, bytes);
}

/** events.jsonl: the exported lines of events #1..treeSize, streamed. */
function writeEvents(db: Db, root: string, treeSize: number, afterEachChunk: () => void): number {
  const fd = openSync(join(root, 'events.jsonl'), 'wx', PRIVATE_FILE_MODE);
  let count: number;
  try {
    count = writeEventLines(db, fd, treeSize, afterEachChunk).events;
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (count !== treeSize) throw new PackError(`the ledger holds ${count} events in sequence up to #${treeSize}`);
  return count;
}

/** checkpoints/<treeSize>.checkpoint: each stored checkpoint note with its recorded cosignature lines appended. */
function writeCheckpoints(db: Db, root: string, lastSeq: number): void {
  const reader = ledgerReader(new LedgerRepository(db));
  const cosignatures = reader.ledgerWide('checkpoint.cosigned');
  for (const checkpoint of reader.ledgerWide('checkpoint')) {
    if (checkpoint.seq > lastSeq) break;
    const path = `checkpoints/${Number(checkpoint.payload.treeSize)}.checkpoint`;
    // Two checkpoints of one size have the same root (a checkpoint is never signed over another history) and,
    // Ed25519 being deterministic, the same note when one key signed both: the first is kept.
    if (existsSync(join(root, path))) continue;
    const lines = cosignatures.filter((c) => c.payload.checkpointSeq === checkpoint.seq).map((c) => `${String(c.payload.signature)}\n`);
    writeFile(root, path, String(checkpoint.payload.note) + lines.join(''));
  }
}

/** contracts/<id>.v<version>.json and sla-policies/policies.v<version>.json: the payloads of their events. */
function writeTerms(db: Db, root: string, treeSize: number, contract: string | undefined): void {
  const reader = ledgerReader(new LedgerRepository(db));
  for (const version of reader.ledgerWide('contract.version')) {
    if (version.seq > treeSize || (contract !== undefined && version.payload.id !== contract)) continue;
    writeFile(root, `contracts/${String(version.payload.id)}.v${Number(version.payload.version)}.json`, JSON.stringify(version.payload, null, 2) + '\n');
  }
  for (const policy of reader.ledgerWide('sla.policy')) {
    if (policy.seq > treeSize) continue;
    writeFile(root, `sla-policies/policies.v${Number(policy.payload.version)}.json`, JSON.stringify(policy.payload, null, 2) + '\n');
  }
}

/** Every statement of the range: issued ones as issued (byte for byte), open ones computed at the pack's tree. */
function planStatements(db: Db, treeSize: number, rootHash: string, options: PackOptions): PlannedStatement[] {
  const repository = new OutcomeRepository(db);
  if (repository.contractVersions().length === 0) return [];
  const ids = options.contract !== undefined ? [resolveContract(repository, options.contract).id] : contractIds(repository);
  const planned: PlannedStatement[] = [];
  for (const id of ids) {
    const periods = options.period !== undefined ? [options.period] : statementPeriods(db, id).sort();
    for (const period of periods) {
      const document = statementDocument(db, period, id, treeSize);
      planned.push({ contract: id, period, text: document.text, statement: document.statement, context: statementPdfContext(db, document, rootHash), state: document.issued ? 'issued' : 'open' });
    }
  }
  return planned;
}

/** Every file under root, relative with "/" separators, sorted. */
function listFiles(root: string, dir = root): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(root, full));
    else files.push(relative(root, full).split(sep).join('/'));
  }
  return files.sort();
}

/** Writes the pack of the ledger into `dir` (empty or absent), signing the pack's checkpoint first. */
export async function writePack(db: Db, dir: string, options: PackOptions): Promise<PackSummary> {
  if (options.period !== undefined) checkPeriod(options.period);
  checkTarget(dir);
  if (options.contract !== undefined) resolveContract(new OutcomeRepository(db), options.contract);
  const now = options.now ?? new Date();
  const resources = options.resources ?? { readme: resourcePath('auditor', 'README.txt'), evidence: resourcePath('auditor', 'evidence.md'), verifier: resourcePath('verifier', 'attest-verify.mjs') };
  const sign = (): RecordedCheckpoint => recordCheckpoint(db, options.key, now);
  const checkpoint = await (options.write ? options.write(sign) : Promise.resolve(db.transaction(sign).immediate()));
  const { treeSize, rootHash, origin } = checkpoint;
  // Built in a temporary folder beside `dir` and renamed into place: a full disk or a crash leaves no partial pack.
  return buildFolderAtomic(dir, async (partial) => {
    // Everything read in one snapshot, and bounded by the checkpoint: writes by others meanwhile change nothing here.
    const stopIfAsked = (): void => {
      if (options.stopped?.()) throw new PackStopped();
    };
    stopIfAsked();
    const { events, planned } = db.transaction(() => {
      const events = writeEvents(db, partial, treeSize, stopIfAsked);
      writeCheckpoints(db, partial, checkpoint.seq);
      writeTerms(db, partial, treeSize, options.contract);
      return { events, planned: planStatements(db, treeSize, rootHash, options) };
    })();
    writeFile(partial, 'installation.pub', `${options.key.verifierKey}\n`);
    writeFile(partial, 'installation.pub.pem', options.key.publicKeyPem);
    for (const s of planned) {
      stopIfAsked();
      const base = `statements/${s.contract}/${s.period}`;
      writeFile(partial, `${base}.json`, s.text);
      writeFile(partial, `${base}.csv`, statementCsv(s.statement));
      writeFile(partial, `${base}.pdf`, await statementPdf(s.statement, s.context));
    }
    writeFile(partial, 'README.txt', readFileSync(resources.readme));
    const missing: string[] = [];
    for (const [name, source] of [['evidence.md', resources.evidence], ['attest-verify.mjs', resources.verifier]] as const) {
      if (existsSync(source)) writeNewFileDurably(join(partial, name), readFileSync(source));
      else missing.push(name);
    }
    stopIfAsked();
    const files = listFiles(partial).map((path) => {
      const bytes = readFileSync(join(partial, path));
      return { path, sha256: sha256Hex(bytes), bytes: bytes.length };
    });
    const manifest = {
      format: PACK_FORMAT,
      origin,
      treeSize,
      rootHash,
      createdAt: now.toISOString(),
      contract: options.contract ?? null,
      period: options.period ?? null,
      installationKey: options.key.verifierKey,
      files,
    };
    const manifestText = JSON.stringify(manifest, null, 2) + '\n';
    const manifestSha256 = sha256Hex(manifestText);
    writeFile(partial, 'manifest.json', manifestText);
    writeFile(partial, 'manifest.sig', signNote(`${PACK_FORMAT}\n${origin}\n${treeSize}\n${rootHash}\nmanifest sha256 ${manifestSha256}\n`, options.key));
    return {
      dir,
      origin,
      treeSize,
      rootHash,
      checkpointSeq: checkpoint.seq,
      events,
      statements: planned.map((s) => ({ contract: s.contract, period: s.period, state: s.state, total: s.statement.total, currency: s.statement.currency })),
      files: files.length + 2,
      manifestSha256,
      missing,
    };
  }, () => checkTarget(dir));
}
