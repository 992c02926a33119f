// The crash soak's parent: prepares a ledger (encrypted by default: a key file of mode 0600 the workers get through
// ATTEST_KEY_FILE), starts the worker (soak-child.ts) again and again and kills it with SIGKILL at chosen moments, and
// after each kill checks the file as the next program to open it would find it:
//   - SQLite's PRAGMA integrity_check says ok;
//   - the chain verifies with Attest's verifyLedger and with an independent recompute (the `canonicalize` package,
//     RFC 8785, and node:crypto's SHA-256 — not Attest's hashing code) of every event since the last check, linked to
//     the hash checked before;
//   - every event the worker acknowledged (side log, fsync'd after each commit) is there with the same hash;
//   - no import is half-applied: each batch file's tickets are all there or none, and every import.file event's
//     firstSeq..lastSeq range is complete;
//   - no ticket has two AI replies.
// At the end the worker runs once more without a kill and must complete the interrupted round, with each batch's
// tickets created exactly once and every open ticket of an AI category answered exactly once.
//
// Where kills land. The worker announces each step as it starts and ends (see soak-child.ts). For every kill the
// harness draws (seeded PRNG) a step kind — open (start-up: opening the file, migrations), import, ai,
// verify-outcomes, checkpoint — and a fraction, waits for the next step of that kind that does real work, and kills
// the worker at that fraction of the step's typical duration (a moving estimate learned from the steps seen to
// complete, re-runs that committed nothing left out). A step that ends before its moment (shorter than typical, or a
// re-run with nothing to do) is let through and the next step of the kind is aimed at instead. Each kill is then
// classified from what the worker wrote up to its death: the step it was in, and whether it died mid-step (after the
// step's start and before its acknowledgement). Progress is the ledger's head and completed steps — never side-log
// lines: a re-run that commits nothing acknowledges nothing new.
//
// Kills aimed this way can hold the work at one step for a long while: when a round waits only for its checkpoint, the
// kills aimed at the checkpoint, at a re-run of its verification or AI step, or at start-up cut it again, and only
// one aimed at a later step lets it through — on a loaded machine, where a fresh worker's first steps run slower than
// the learned estimate, 20 kills in a row did so (two runs out of many, in the full suite and in CI). Such a stall
// is the aiming's, not the ledger's; so after STALL_KILLS kills in a row with the head unchanged, the next worker is
// killed right after its next step that commits events (a kill between steps, counted apart from the aimed ones).
// That the work goes on still has to be shown by the ledger: a worker that cannot commit after the kills before it
// never reaches that moment.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import CipherDatabase from 'better-sqlite3-multiple-ciphers';
import canonicalize from 'canonicalize';
import { openDatabase, type Db } from '../../../electron/core/db/connection.ts';
import { readKeyFile, type DatabaseKey } from '../../../electron/core/db/database-key.ts';
import { registerFeatures } from '../../../electron/core/features.ts';
import { importKnowledgeBase } from '../../../electron/core/kb/kb-import.ts';
import { importContract } from '../../../electron/core/outcomes/contract-import.ts';
import { loadOrCreateInstallationKey } from '../../../electron/core/checkpoints/installation-key.ts';
import { recordEvents } from '../../../electron/core/derived/record-events.ts';
import { verifyLedger } from '../../../electron/core/ledger/verify.ts';
import { GENESIS_HASH } from '../../../shared/domain.ts';
import { startOllamaStandIn, type StandIn } from '../ollama-stand-in.ts';
import { seededRandom } from '../seeded-random.ts';
import { bundleSoakWorker } from './soak-bundle.ts';
import { AUTO_CATEGORIES, batchOf, readSideLog, STEP_KINDS, type SideLogEntry } from './soak-work.ts';

const CHILD = fileURLToPath(new URL('./soak-child.ts', import.meta.url));
const KB = fileURLToPath(new URL('../../../resources/kb/', import.meta.url));
const NODE = process.execPath;
/** Workers loading ahead of their turn. */
const WORKERS_AHEAD = 2;

/** Kills in a row with the ledger's head unchanged after which the next kill lets one committing step through. */
const STALL_KILLS = 5;

/** Where a kill is aimed: start-up (open) or one of a round's committed steps. */
export const KILL_KINDS = ['open', ...STEP_KINDS] as const;
export type KillKind = (typeof KILL_KINDS)[number];
/**
 * How often each kind is aimed at, in every 40 aimed kills (the deck's cards): start-up less often (it is one short step
 * per worker), the four steps alike (a tenth and 22.5% each). The kinds are dealt from a shuffled deck of these cards,
 * not drawn one by one: drawn independently, a kind's share of 200 kills varied by about ±6 kills, and a run that aimed
 * only 31 kills at the AI failed the test's floor of 30 kills mid-step per kind (by the binomial, a chance of roughly
 * one run in ten for the four kinds; an estimate, not a count of runs).
 */
const KILL_DECK: Record<KillKind, number> = { open: 4, import: 9, ai: 9, 'verify-outcomes': 9, checkpoint: 9 };

/** Deals kill kinds from KILL_DECK, shuffled anew (Fisher–Yates, with the soak's seeded generator) each time it runs out. */
export function killKindDealer(random: () => number): () => KillKind {
  let deck: KillKind[] = [];
  return () => {
    if (deck.length === 0) {
      deck = KILL_KINDS.flatMap((kind) => Array<KillKind>(KILL_DECK[kind]).fill(kind));
      for (let i = deck.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [deck[i], deck[j]] = [deck[j]!, deck[i]!];
      }
    }
    return deck.pop()!;
  };
}

export interface SoakOptions {
  dir: string;
  kills: number;
  seed: number;
  /** Encrypt the ledger (default true): a fresh random key in a 0600 key file, handed to workers via ATTEST_KEY_FILE. */
  encrypted?: boolean;
  log?: (line: string) => void;
}

export interface KillTally {
  /** Kills aimed at this kind. */
  aimed: number;
  /** Kills that found the worker in a step of this kind (started, whether or not yet acknowledged). */
  landed: number;
  /** Of those, the kills that cut the step: after its start and before its acknowledgement. */
  midStep: number;
}

export interface SoakReport {
  seed: number;
  encrypted: boolean;
  /** The key file of an encrypted ledger (mode 0600), null for a plain one. */
  keyFile: string | null;
  killsSurvived: number;
  /** Per step kind: kills aimed, landed and landed mid-step. */
  kills: Record<KillKind, KillTally>;
  /** The ledger's head after each kill (index 0: after kill 1). */
  heads: number[];
  /** Kills after which the head was higher than after the kill before (work got committed in between). */
  killsAfterProgress: number;
  /** Kills not aimed but let through one committing step, after STALL_KILLS kills in a row with the head unchanged. */
  letThrough: number;
  roundsCompleted: number;
  events: number;
  acknowledgedEvents: number;
  /** Side-log lines of steps that committed nothing (re-runs finding their work done): not acknowledgements. */
  emptyAcknowledgements: number;
  aiReplies: number;
  importedTickets: number;
}

/**
 * Opens the soaked ledger without Attest's connection module: better-sqlite3 for a plain file; for an encrypted one
 * better-sqlite3-multiple-ciphers keyed the way SQLite3MultipleCiphers documents it (cipher chacha20, a raw 32-byte
 * key) — the library Attest uses, since no other reads the format, but none of Attest's code.
 */
export function openIndependently(path: string, key: DatabaseKey | null, options: { readonly?: boolean } = {}): Database.Database {
  if (!key) return new Database(path, options);
  const db = new CipherDatabase(path, options);
  db.pragma("cipher = 'chacha20'");
  db.key(Buffer.concat([Buffer.from('raw:', 'latin1'), key]));
  return db as unknown as Database.Database;
}

/** A new random key in a key file only its owner may read, as `openssl rand -hex 32 > F && chmod 600 F` makes one. */
function makeKeyFile(path: string): DatabaseKey {
  writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  return readKeyFile(path);
}

/** The soak's ledger: the shipped KB, a contract over the AI categories, and those categories in auto mode. */
function prepareLedger(path: string, keyDir: string, key: DatabaseKey | null): void {
  registerFeatures();
  const db = openDatabase(path, { key });
  try {
    importKnowledgeBase(db, KB);
    const contract = {
      id: 'soak-2026', version: 1, effectiveFrom: '2026-01-01', timezone: 'UTC', currency: 'EUR', pricePerResolution: 0.99,
      categories: [...AUTO_CATEGORIES], criteria: { noHumanPublicReply: true, noEscalation: true, verificationWindowHours: 72, minCsat: 3, requireSla: [] }, clawbackDays: 30,
    };
    importContract(db, 'soak-contract.json', JSON.stringify(contract), { kind: 'human', id: 'soak-buyer' }, '2026-01-01T00:00:00Z');
    recordEvents(db, AUTO_CATEGORIES.map((category) => ({ type: 'category.mode', at: '2026-01-01T00:00:00.000Z', actor: { kind: 'human', id: 'soak-supervisor' }, category, mode: 'auto', reason: 'crash soak' })));
  } finally {
    db.close();
  }
  // The installation key the workers sign checkpoints with, made once here (workers load it before their turn).
  loadOrCreateInstallationKey({ dir: keyDir });
}

/** One line the worker announced (see soak-child.ts). */
type Announcement =
  | { what: 'start'; kind: KillKind; round: number }
  | { what: 'done'; kind: KillKind; round: number; events: number; ms: number }
  | { what: 'ready' }
  | { what: 'other' };

function parseAnnouncement(line: string): Announcement {
  const [what, kind, round, events, ms] = line.split(' ');
  if (what === 'start') return { what, kind: kind as KillKind, round: Number(round) };
  if (what === 'done') return { what, kind: kind as KillKind, round: Number(round), events: Number(events), ms: Number(ms) };
  if (what === 'ready') return { what };
  return { what: 'other' };
}

interface Worker {
  child: ChildProcess;
  /** Tells the loaded worker to start on the ledger. */
  go(): void;
  /** Every line the worker has written so far, and a listener for the ones to come. */
  lines: string[];
  onLine: ((line: string) => void) | null;
  /** Resolves when the worker has ended and all it wrote has been read. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startWorker(script: string, args: string[], compileCache: string, keyFile: string | null): Worker {
  // Node's compile cache keeps the TypeScript it has stripped and compiled: the workers after the first start in a
  // fraction of the time.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_COMPILE_CACHE: compileCache };
  if (keyFile) env.ATTEST_KEY_FILE = keyFile;
  else delete env.ATTEST_KEY_FILE;
  const child = spawn(NODE, ['--disable-warning=ExperimentalWarning', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const worker: Worker = { child, go: () => child.stdin!.write('go\n'), lines: [], onLine: null, closed: undefined! };
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      worker.lines.push(line);
      worker.onLine?.(line);
    }
  });
  // 'close': the process has ended and its stdout has been read to the end, so `lines` is all it wrote.
  worker.closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  return worker;
}

/**
 * Typical step durations (ms): an exponential moving average over the steps seen to complete with work done. A kill
 * that cuts a step teaches nothing about its length (the step never ended), so a kind whose steps are cut again and
 * again before one completes has its estimate widened — else a step longer than its estimate would be cut forever,
 * always at the same place, and the run would stop making progress.
 */
class StepDurations {
  private readonly estimate = new Map<KillKind, number>();
  private readonly cutsSinceCompletion = new Map<KillKind, number>();

  observe(kind: KillKind, ms: number): void {
    const previous = this.estimate.get(kind);
    this.estimate.set(kind, previous === undefined ? ms : previous * 0.8 + ms * 0.2);
    this.cutsSinceCompletion.set(kind, 0);
  }

  /** A step of `kind` was cut `elapsedMs` after it started. */
  cut(kind: KillKind, elapsedMs: number): void {
    const cuts = (this.cutsSinceCompletion.get(kind) ?? 0) + 1;
    this.cutsSinceCompletion.set(kind, cuts);
    if (cuts >= 2) this.estimate.set(kind, Math.min(Math.max(this.typical(kind) ?? FIRST_GUESS_MS, elapsedMs) * 1.5, MAX_ESTIMATE_MS));
  }

  typical(kind: KillKind): number | undefined {
    return this.estimate.get(kind);
  }

  summary(): string {
    return KILL_KINDS.map((kind) => `${kind} ${this.estimate.get(kind)?.toFixed(0) ?? '?'} ms`).join(', ');
  }
}

/** Steps whose work is mostly reading: their durations count even when they commit nothing. */
const READ_MOSTLY = new Set<KillKind>(['open', 'verify-outcomes']);

/** A step's duration before any was seen (the first kills of a run; later ones learn from the steps that completed). */
const FIRST_GUESS_MS = 50;
/** The widest estimate: no step of the soak's small batches takes longer on a loaded machine. */
const MAX_ESTIMATE_MS = 5_000;

/** Tells the loaded worker to start; one that ends by itself while still waiting for its kill fails the soak. */
function goUntilKilled(worker: Worker, reject: (error: Error) => void): void {
  void worker.closed.then((end) => {
    if (worker.onLine) reject(new SoakFailure(`the worker ended by itself (code ${end.code}, signal ${end.signal}) before its kill: ${end.stderr}`));
  });
  worker.go();
}

/**
 * Starts the worker and kills it `fraction` of the way into the next step of kind `aim` that takes its typical time;
 * resolves once the kill is sent. A step of that kind that ends first is let through (its duration learned) and the
 * next one is aimed at. Resolves with the time from the aimed step's start to the kill (ms).
 */
function killInStep(worker: Worker, aim: KillKind, fraction: number, durations: StepDurations, completed: ReadonlySet<string>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let timer: NodeJS.Timeout | null = null;
    let startedAt = 0;
    const kill = (): void => {
      worker.onLine = null;
      worker.child.kill('SIGKILL');
      resolve(performance.now() - startedAt);
    };
    worker.onLine = (line) => {
      const said = parseAnnouncement(line);
      // A re-run of a step acknowledged with its events before this worker started has nothing left to do: not aimed at.
      if (said.what === 'start' && said.kind === aim && !completed.has(`${said.round}:${said.kind}`)) {
        startedAt = performance.now();
        timer = setTimeout(kill, fraction * (durations.typical(aim) ?? FIRST_GUESS_MS));
      } else if (said.what === 'done') {
        // Steps that committed nothing (re-runs, an AI step with no ticket of its categories) say little about how long
        // the work takes — except the steps whose work is mostly reading (open; verification while no outcome is due).
        if (said.events > 0 || READ_MOSTLY.has(said.kind) || durations.typical(said.kind) === undefined) durations.observe(said.kind, said.ms);
        if (said.kind === aim && timer) {
          clearTimeout(timer);
          timer = null;
          // Start-up comes once per worker: a kill aimed at it that it outran lands right after it instead.
          if (aim === 'open') kill();
        }
      }
    };
    goUntilKilled(worker, reject);
  });
}

/**
 * Starts the worker and kills it right after the next step that committed events has acknowledged them (its "done"
 * line comes after the side log's fsync): the kill that follows a stall of the aimed ones.
 */
function killAfterCommit(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    worker.onLine = (line) => {
      const said = parseAnnouncement(line);
      if (said.what !== 'done' || said.events === 0) return;
      worker.onLine = null;
      worker.child.kill('SIGKILL');
      resolve();
    };
    goUntilKilled(worker, reject);
  });
}

/** Where a kill found the worker, from all it wrote and acknowledged before it died. */
function whereKilled(worker: Worker, sideLog: SideLogEntry[]): { kind: KillKind; midStep: boolean } | null {
  const said = worker.lines.map(parseAnnouncement);
  const lastStart = [...said].reverse().find((a) => a.what === 'start');
  if (!lastStart || lastStart.what !== 'start') return null;
  if (lastStart.kind === 'open') return { kind: 'open', midStep: !said.some((a) => a.what === 'ready') };
  const pid = worker.child.pid;
  // Acknowledged: its line in the side log (fsync'd before "done" is written, so the side log decides).
  const acknowledged = sideLog.some((e) => e.worker === pid && e.op === lastStart.kind && e.round === lastStart.round);
  return { kind: lastStart.kind, midStep: !acknowledged };
}

/** The steps ("round:kind") acknowledged with the events they committed: a later re-run of one finds nothing to do. */
function completedSteps(entries: SideLogEntry[]): Set<string> {
  return new Set(entries.filter((e) => e.op !== 'round-done' && e.events.length > 0).map((e) => `${e.round}:${e.op}`));
}

/** What the checks carry from one kill to the next: the chain checked so far, independently. */
interface ChainCursor {
  seq: number;
  hash: string;
}

function independentHash(row: { seq: number; ticket_id: string | null; type: string; at: string; recorded_at: string; actor: string; payload: string; prev_hash: string }): string {
  const preimage = canonicalize({
    actor: JSON.parse(row.actor), at: row.at, payload: JSON.parse(row.payload), prevHash: row.prev_hash, recordedAt: row.recorded_at, seq: row.seq, ticket: row.ticket_id, type: row.type,
  })!;
  return createHash('sha256').update(preimage).digest('hex');
}

export class SoakFailure extends Error {}

/** Every check of one moment after a kill; throws SoakFailure naming the first thing wrong. */
export function checkLedger(path: string, sideLogPath: string, cursor: ChainCursor, context: string, key: DatabaseKey | null = null): ChainCursor {
  const fail = (what: string): never => {
    throw new SoakFailure(`${context}: ${what}`);
  };
  // Opened read-write, as the next program would (SQLite recovers from the write-ahead log on open), but nothing is written.
  const raw = openIndependently(path, key);
  try {
    const integrity = raw.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') fail(`PRAGMA integrity_check: ${String(integrity)}`);
    const status = verifyLedger(raw as unknown as Db);
    if (!status.intact) fail(`attest verify: ${status.message}`);
    // Independent recompute of what is new since the last check, linked to the hash checked then.
    const head = raw.prepare('SELECT seq, hash FROM events WHERE seq = ?').get(cursor.seq) as { seq: number; hash: string } | undefined;
    if (cursor.seq > 0 && head?.hash !== cursor.hash) fail(`event #${cursor.seq} changed or vanished since the previous check`);
    let previous = cursor.seq === 0 ? GENESIS_HASH : cursor.hash;
    let last = cursor;
    for (const row of raw.prepare('SELECT seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash FROM events WHERE seq > ? ORDER BY seq').iterate(cursor.seq) as Iterable<
      { seq: number; ticket_id: string | null; type: string; at: string; recorded_at: string; actor: string; payload: string; prev_hash: string; hash: string }
    >) {
      if (row.seq !== last.seq + 1) fail(`gap in the sequence after #${last.seq}`);
      if (row.prev_hash !== previous) fail(`event #${row.seq} does not link to #${row.seq - 1}`);
      if (independentHash(row) !== row.hash) fail(`event #${row.seq}: its hash does not match an independent recompute`);
      previous = row.hash;
      last = { seq: row.seq, hash: row.hash };
    }
    // Every acknowledged event, with the hash the worker saw. The ledger's hashes are read in one pass over the seq
    // key: a lookup per acknowledged event cost the soak as much as every other check together.
    const hashAt: (string | undefined)[] = [];
    for (const [seq, hash] of raw.prepare('SELECT seq, hash FROM events ORDER BY seq').raw().iterate() as Iterable<[number, string]>) hashAt[seq] = hash;
    for (const entry of readSideLog(existsSync(sideLogPath) ? readFileSync(sideLogPath, 'utf8') : '')) {
      if (entry.op === 'round-done') continue;
      for (const [seq, hash] of entry.events) if (hashAt[seq] !== hash) fail(`acknowledged event #${seq} (${entry.op} of round ${entry.round}) is missing or changed`);
    }
    // No half-applied import: every import.file's range complete, and each batch's tickets all there or none.
    const countInRange = raw.prepare('SELECT count(*) FROM events WHERE seq BETWEEN ? AND ?').pluck();
    for (const payload of raw.prepare("SELECT payload FROM events WHERE type = 'import.file'").pluck().all() as string[]) {
      const { firstSeq, lastSeq, events, file } = JSON.parse(payload) as { firstSeq: number; lastSeq: number; events: number; file: string };
      const inRange = countInRange.get(firstSeq, lastSeq) as number;
      if (inRange !== events || lastSeq - firstSeq + 1 !== events) fail(`import of ${file}: ${inRange} events of ${events} in #${firstSeq}..#${lastSeq}`);
    }
    const created = new Map(raw.prepare("SELECT ticket_id, count(*) FROM events WHERE type = 'created' GROUP BY ticket_id").raw().all() as [string, number][]);
    for (let round = 0; ; round++) {
      const batch = batchOf(round);
      const counts = batch.tickets.map((ticket) => created.get(ticket) ?? 0);
      if (counts.every((n) => n === 0)) break;
      if (!counts.every((n) => n === 1)) fail(`round ${round}'s ${batch.fileName} is half-applied or doubled: created events per ticket ${counts.join(',')}`);
    }
    // No AI reply twice (counted from the events, the record itself, not from a projection).
    const twice = raw
      .prepare("SELECT ticket_id, count(*) AS n FROM events WHERE type = 'message' AND json_extract(actor, '$.kind') = 'ai' GROUP BY ticket_id HAVING n > 1")
      .all() as { ticket_id: string; n: number }[];
    if (twice.length) fail(`AI replied ${twice[0]!.n} times to ${twice[0]!.ticket_id}`);
    return last;
  } finally {
    raw.close();
  }
}

/** Runs the soak; throws SoakFailure on the first defect found. */
export async function runCrashSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const trace = process.env.ATTEST_SOAK_TRACE ? log : () => {};
  const random = seededRandom(options.seed);
  const encrypted = options.encrypted ?? true;
  const dbPath = join(options.dir, 'soak.db');
  const sideLog = join(options.dir, 'acknowledged.jsonl');
  const workDir = join(options.dir, 'batches');
  const keyDir = join(options.dir, 'keys');
  const keyFile = encrypted ? join(options.dir, 'soak.key') : null;
  mkdirSync(workDir, { recursive: true });
  const key = keyFile ? makeKeyFile(keyFile) : null;
  prepareLedger(dbPath, keyDir, key);
  const standIn: StandIn = await startOllamaStandIn();
  const args = (mode: string): string[] => [dbPath, sideLog, workDir, keyDir, standIn.host, mode];
  const compileCache = join(options.dir, 'compile-cache');
  // ATTEST_SOAK_UNBUNDLED=1: the worker's TypeScript run directly (slower start-up: fewer kills per second).
  const bundle = process.env.ATTEST_SOAK_UNBUNDLED === '1' ? null : await bundleSoakWorker();
  const script = bundle?.file ?? CHILD;
  let cursor: ChainCursor = { seq: 0, hash: GENESIS_HASH };
  const tally = Object.fromEntries(KILL_KINDS.map((kind) => [kind, { aimed: 0, landed: 0, midStep: 0 }])) as Record<KillKind, KillTally>;
  const heads: number[] = [];
  let letThrough = 0;
  /** The head has not moved over the last STALL_KILLS kills. */
  const stalledAt = (kill: number): boolean => kill > STALL_KILLS && heads[kill - 2] === heads[kill - 2 - STALL_KILLS];
  const durations = new StepDurations();
  let completed = new Set<string>();
  // Workers are started ahead (they load, then wait for "go"), so a kill is followed by the next worker at once.
  // Worker n (1-based) is killed for kill n; worker kills + 1 is the completing run.
  const spawnFor = (n: number): Worker => startWorker(script, args(n > options.kills ? 'finish' : 'run'), compileCache, keyFile);
  const waiting: Worker[] = [];
  let spawned = 0;
  const topUp = (): void => {
    while (waiting.length < WORKERS_AHEAD && spawned < options.kills + 1) waiting.push(spawnFor(++spawned));
  };
  const pickKind = killKindDealer(random);
  try {
    topUp();
    for (let kill = 1; kill <= options.kills; kill++) {
      const worker = waiting.shift()!;
      const t0 = performance.now();
      // After a stall, one committing step let through; otherwise a kill aimed at a kind and a fraction of its step.
      const aimed = stalledAt(kill) ? null : { kind: pickKind(), fraction: random() };
      if (aimed) tally[aimed.kind].aimed++;
      else letThrough++;
      const killed = aimed ? killInStep(worker, aimed.kind, aimed.fraction, durations, completed) : killAfterCommit(worker).then(() => 0);
      topUp();
      const waitingFor = aimed ? `a ${aimed.kind} step` : 'a step to commit';
      const stalled = setInterval(() => trace(`kill ${kill}: still waiting for ${waitingFor}; the worker's last lines: ${worker.lines.slice(-4).join(' | ')}`), 10_000);
      const elapsed = await killed.finally(() => clearInterval(stalled));
      const end = await worker.closed;
      if (end.signal !== 'SIGKILL') throw new SoakFailure(`kill ${kill}: the worker ended by itself (code ${end.code}): ${end.stderr}`);
      const t1 = performance.now();
      cursor = checkLedger(dbPath, sideLog, cursor, `after kill ${kill} (seed ${options.seed})`, key);
      const entries = readSideLog(existsSync(sideLog) ? readFileSync(sideLog, 'utf8') : '');
      const landed = whereKilled(worker, entries);
      completed = completedSteps(entries);
      if (aimed && landed) {
        tally[landed.kind].landed++;
        if (landed.midStep) tally[landed.kind].midStep++;
        if (landed.midStep && landed.kind === aimed.kind) durations.cut(aimed.kind, elapsed);
      }
      heads.push(cursor.seq);
      const how = aimed
        ? `aimed at ${aimed.kind} ${(aimed.fraction * 100).toFixed(0)}%, landed ${landed ? `${landed.midStep ? 'mid-' : 'after '}${landed.kind}` : 'before start-up'}`
        : `let through a committing step after ${STALL_KILLS} kills with the head at #${heads[kill - 2]}`;
      trace(`kill ${kill}: ${how}; worker ${(t1 - t0).toFixed(0)} ms, check ${(performance.now() - t1).toFixed(0)} ms, head #${cursor.seq}`);
      if (kill % 50 === 0) log(`crash soak: ${kill} kills survived (seed ${options.seed}), ${cursor.seq} events; typical steps: ${durations.summary()}`);
    }
    // The interrupted round completed by a run that is not killed.
    const last = waiting.shift()!;
    last.go();
    const end = await last.closed;
    if (end.code !== 0) throw new SoakFailure(`the run after the last kill failed (code ${end.code}, signal ${end.signal}): ${end.stderr}`);
    cursor = checkLedger(dbPath, sideLog, cursor, `after the completing run (seed ${options.seed})`, key);
  } finally {
    for (const worker of waiting) {
      worker.child.kill('SIGKILL');
      await worker.closed;
    }
    await standIn.close();
    if (bundle) rmSync(bundle.dir, { recursive: true, force: true });
  }
  const killsAfterProgress = heads.filter((head, i) => head > (i === 0 ? 0 : heads[i - 1]!)).length;
  return summarize(dbPath, sideLog, options, key, { encrypted, keyFile, kills: tally, heads, killsAfterProgress, letThrough });
}

type KillFigures = Pick<SoakReport, 'encrypted' | 'keyFile' | 'kills' | 'heads' | 'killsAfterProgress' | 'letThrough'>;

/** The counts of the finished soak, and the completeness of the work the completing run finished. */
function summarize(dbPath: string, sideLog: string, options: SoakOptions, key: DatabaseKey | null, figures: KillFigures): SoakReport {
  const entries = readSideLog(readFileSync(sideLog, 'utf8'));
  const rounds = entries.filter((e) => e.op === 'round-done').map((e) => e.round);
  const roundsCompleted = rounds.length ? Math.max(...rounds) + 1 : 0;
  const raw = openIndependently(dbPath, key, { readonly: true });
  try {
    const createdCount = raw.prepare("SELECT count(*) FROM events WHERE type = 'created' AND ticket_id = ?").pluck();
    let importedTickets = 0;
    for (let round = 0; round < roundsCompleted; round++) {
      for (const ticket of batchOf(round).tickets) {
        const n = createdCount.get(ticket) as number;
        if (n !== 1) throw new SoakFailure(`seed ${options.seed}: ticket ${ticket} of finished round ${round} was created ${n} times`);
        importedTickets++;
      }
    }
    // Every open ticket of an AI category was dealt with by the AI exactly once (a decision each; no ticket left queued).
    const undecided = raw
      .prepare(
        `SELECT t.id FROM tickets t WHERE t.category IN (${AUTO_CATEGORIES.map(() => '?').join(',')}) AND t.id LIKE 'S%'
           AND (SELECT count(*) FROM events e WHERE e.ticket_id = t.id AND e.type = 'ai.decision') <> 1`,
      )
      .pluck()
      .all(...AUTO_CATEGORIES) as string[];
    if (undecided.length) throw new SoakFailure(`seed ${options.seed}: ${undecided.length} AI tickets without exactly one AI decision, e.g. ${undecided[0]}`);
    const touchedOff = raw.prepare("SELECT count(*) FROM events WHERE type LIKE 'ai.%' AND ticket_id IN (SELECT id FROM tickets WHERE category = 'billing_question')").pluck().get() as number;
    if (touchedOff > 0) throw new SoakFailure(`seed ${options.seed}: the AI worked on tickets of a category whose mode is off`);
    return {
      seed: options.seed,
      killsSurvived: options.kills,
      ...figures,
      roundsCompleted,
      events: raw.prepare('SELECT count(*) FROM events').pluck().get() as number,
      acknowledgedEvents: entries.reduce((n, e) => n + (e.op === 'round-done' ? 0 : e.events.length), 0),
      emptyAcknowledgements: entries.filter((e) => e.op !== 'round-done' && e.events.length === 0).length,
      aiReplies: raw.prepare("SELECT count(*) FROM events WHERE type = 'message' AND json_extract(actor, '$.kind') = 'ai'").pluck().get() as number,
      importedTickets,
    };
  } finally {
    raw.close();
  }
}
