// The crash soak's parent: prepares a ledger, starts the worker (soak-child.ts) again and again and kills it with
// SIGKILL at random moments (a seeded PRNG: the seed is printed, and ATTEST_SOAK_SEED replays the same choice of moments;
// what the worker reaches by then still depends on the machine), and after each
// kill checks the file as the next program to open it would find it:
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
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { openDatabase, type Db } from '../../../electron/core/db/connection.ts';
import { registerFeatures } from '../../../electron/core/features.ts';
import { importKnowledgeBase } from '../../../electron/core/kb/kb-import.ts';
import { importContract } from '../../../electron/core/outcomes/contract-import.ts';
import { loadOrCreateInstallationKey } from '../../../electron/core/checkpoints/installation-key.ts';
import { recordEvents } from '../../../electron/core/derived/record-events.ts';
import { verifyLedger } from '../../../electron/core/ledger/verify.ts';
import { GENESIS_HASH } from '../../../shared/domain.ts';
import { startOllamaStandIn, type StandIn } from '../ollama-stand-in.ts';
import { bundleSoakWorker } from './soak-bundle.ts';
import { AUTO_CATEGORIES, batchOf, readSideLog } from './soak-work.ts';

const CHILD = fileURLToPath(new URL('./soak-child.ts', import.meta.url));
const KB = fileURLToPath(new URL('../../../resources/kb/', import.meta.url));
const NODE = process.execPath;
/** Workers loading ahead of their turn. */
const WORKERS_AHEAD = 2;
const MAX_WINDOW_MS = 2_400;

export interface SoakOptions {
  dir: string;
  kills: number;
  seed: number;
  /** The kill window after the worker says it is ready (ms): a kill at a random moment within it. */
  windowMs?: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  seed: number;
  killsSurvived: number;
  /** Kills that landed before the worker had begun (it exited or was killed before saying ready). */
  killsBeforeReady: number;
  roundsCompleted: number;
  events: number;
  acknowledgedEvents: number;
  aiReplies: number;
  importedTickets: number;
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The soak's ledger: the shipped KB, a contract over the AI categories, and those categories in auto mode. */
function prepareLedger(path: string, keyDir: string): void {
  registerFeatures();
  const db = openDatabase(path);
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

interface Worker {
  child: ChildProcess;
  /** Tells the loaded worker to start on the ledger. */
  go(): void;
  ready: Promise<boolean>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startWorker(script: string, args: string[], compileCache: string): Worker {
  // Node's compile cache keeps the TypeScript it has stripped and compiled: the workers after the first start in a
  // fraction of the time.
  const env = { ...process.env, NODE_COMPILE_CACHE: compileCache };
  const child = spawn(NODE, ['--disable-warning=ExperimentalWarning', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const ready = new Promise<boolean>((resolve) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  return { child, go: () => child.stdin!.write('go\n'), ready, exited };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
export function checkLedger(path: string, sideLogPath: string, cursor: ChainCursor, context: string): ChainCursor {
  const fail = (what: string): never => {
    throw new SoakFailure(`${context}: ${what}`);
  };
  // Opened read-write, as the next program would (SQLite recovers from the write-ahead log on open), but nothing is written.
  const raw = new Database(path);
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
    // Every acknowledged event, with the hash the worker saw.
    const hashOf = raw.prepare('SELECT hash FROM events WHERE seq = ?').pluck();
    for (const entry of readSideLog(existsSync(sideLogPath) ? readFileSync(sideLogPath, 'utf8') : '')) {
      if (entry.op === 'round-done') continue;
      for (const [seq, hash] of entry.events) if (hashOf.get(seq) !== hash) fail(`acknowledged event #${seq} (${entry.op} of round ${entry.round}) is missing or changed`);
    }
    // No half-applied import: every import.file's range complete, and each batch's tickets all there or none.
    for (const payload of raw.prepare("SELECT payload FROM events WHERE type = 'import.file'").pluck().all() as string[]) {
      const { firstSeq, lastSeq, events, file } = JSON.parse(payload) as { firstSeq: number; lastSeq: number; events: number; file: string };
      const inRange = raw.prepare('SELECT count(*) FROM events WHERE seq BETWEEN ? AND ?').pluck().get(firstSeq, lastSeq) as number;
      if (inRange !== events || lastSeq - firstSeq + 1 !== events) fail(`import of ${file}: ${inRange} events of ${events} in #${firstSeq}..#${lastSeq}`);
    }
    const createdCount = raw.prepare("SELECT count(*) FROM events WHERE type = 'created' AND ticket_id = ?").pluck();
    for (let round = 0; ; round++) {
      const batch = batchOf(round);
      const counts = batch.tickets.map((ticket) => createdCount.get(ticket) as number);
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
  const random = seededRandom(options.seed);
  const baseWindow = options.windowMs ?? 300;
  const dbPath = join(options.dir, 'soak.db');
  const sideLog = join(options.dir, 'acknowledged.jsonl');
  const workDir = join(options.dir, 'batches');
  const keyDir = join(options.dir, 'keys');
  mkdirSync(workDir, { recursive: true });
  prepareLedger(dbPath, keyDir);
  const standIn: StandIn = await startOllamaStandIn();
  const args = (mode: string): string[] => [dbPath, sideLog, workDir, keyDir, standIn.host, mode];
  const compileCache = join(options.dir, 'compile-cache');
  // ATTEST_SOAK_UNBUNDLED=1: the worker's TypeScript run directly (slower start-up: fewer kills per second).
  const bundle = process.env.ATTEST_SOAK_UNBUNDLED === '1' ? null : await bundleSoakWorker();
  const script = bundle?.file ?? CHILD;
  let cursor: ChainCursor = { seq: 0, hash: GENESIS_HASH };
  let killsBeforeReady = 0;
  // Workers are started ahead (they load, then wait for "go"), so a kill is followed by the next worker at once.
  // Worker n (1-based) is killed for kill n; worker kills + 1 is the completing run.
  const spawnFor = (n: number): Worker => startWorker(script, args(n > options.kills ? 'finish' : 'run'), compileCache);
  const waiting: Worker[] = [];
  let spawned = 0;
  const topUp = (): void => {
    while (waiting.length < WORKERS_AHEAD && spawned < options.kills + 1) waiting.push(spawnFor(++spawned));
  };
  // The kill window: random moments within it; it widens while kills land before anything new is acknowledged (a
  // step longer than the window would otherwise be cut forever) and narrows again once work gets through.
  let window = baseWindow;
  let acknowledged = 0;
  try {
    topUp();
    for (let kill = 1; kill <= options.kills; kill++) {
      const worker = waiting.shift()!;
      const t0 = performance.now();
      worker.go();
      topUp();
      // Most kills land in the work; about one in ten while the worker is still starting (opening the file, migrating).
      const early = random() < 0.1;
      const delay = Math.floor(random() * window);
      if (early) await sleep(Math.floor(delay / 8));
      else if (!(await worker.ready)) throw new SoakFailure(`worker stopped before it was ready: ${(await worker.exited).stderr}`);
      else await sleep(delay);
      worker.child.kill('SIGKILL');
      const end = await worker.exited;
      if (end.signal !== 'SIGKILL') throw new SoakFailure(`kill ${kill}: the worker ended by itself (code ${end.code}): ${end.stderr}`);
      if (early) killsBeforeReady++;
      const t1 = performance.now();
      cursor = checkLedger(dbPath, sideLog, cursor, `after kill ${kill} (seed ${options.seed})`);
      const lines = existsSync(sideLog) ? readFileSync(sideLog, 'utf8').split('\n').length : 0;
      if (!early) window = lines > acknowledged ? baseWindow : Math.min(window * 2, MAX_WINDOW_MS);
      acknowledged = lines;
      if (process.env.ATTEST_SOAK_TRACE) log(`kill ${kill}: worker ${(t1 - t0).toFixed(0)} ms (delay ${delay}), check ${(performance.now() - t1).toFixed(0)} ms, head #${cursor.seq}`);
      if (kill % 50 === 0) log(`crash soak: ${kill} kills survived (seed ${options.seed}), ${cursor.seq} events`);
    }
    // The interrupted round completed by a run that is not killed.
    const last = waiting.shift()!;
    last.go();
    const end = await last.exited;
    if (end.code !== 0) throw new SoakFailure(`the run after the last kill failed (code ${end.code}, signal ${end.signal}): ${end.stderr}`);
    cursor = checkLedger(dbPath, sideLog, cursor, `after the completing run (seed ${options.seed})`);
  } finally {
    for (const worker of waiting) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await standIn.close();
    if (bundle) rmSync(bundle.dir, { recursive: true, force: true });
  }
  return summarize(dbPath, sideLog, options, killsBeforeReady);
}

/** The counts of the finished soak, and the completeness of the work the completing run finished. */
function summarize(dbPath: string, sideLog: string, options: SoakOptions, killsBeforeReady: number): SoakReport {
  const entries = readSideLog(readFileSync(sideLog, 'utf8'));
  const rounds = entries.filter((e) => e.op === 'round-done').map((e) => e.round);
  const roundsCompleted = rounds.length ? Math.max(...rounds) + 1 : 0;
  const raw = new Database(dbPath, { readonly: true });
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
      killsBeforeReady,
      roundsCompleted,
      events: raw.prepare('SELECT count(*) FROM events').pluck().get() as number,
      acknowledgedEvents: entries.reduce((n, e) => n + (e.op === 'round-done' ? 0 : e.events.length), 0),
      aiReplies: raw.prepare("SELECT count(*) FROM events WHERE type = 'message' AND json_extract(actor, '$.kind') = 'ai'").pluck().get() as number,
      importedTickets,
    };
  } finally {
    raw.close();
  }
}
