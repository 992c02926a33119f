// What the team race tests share: a team ledger seeded with tickets, writer processes (tests/support/team-writer.ts)
// spawned and watched, and the test's own reading of the result — the server's rows through node-postgres as the
// superuser and each replica's rows through better-sqlite3, checked with node:crypto SHA-256 over the RFC 8785
// canonical JSON of the `canonicalize` library, never with the app's hashing or verification code.
import { spawn, type ChildProcess } from 'node:child_process';
import { hash } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3-multiple-ciphers';
import canonicalize from 'canonicalize';
import pg from 'pg';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { initTeam, pushToTeam } from '../../electron/core/team/team-admin.ts';
import type { PgCluster } from './pg-cluster.ts';
import type { TeamWriterArgs, WriterReport } from './team-writer.ts';

export const WRITER_PASSWORD = 'race-writer-pw';
const NODE = join(process.cwd(), 'node_modules/.bin/node');
const WRITER_SCRIPT = join(process.cwd(), 'tests/support/team-writer.ts');
const GENESIS = '0'.repeat(64);

/** One stored event, as the database columns hold it. */
export type EventRow = [seq: number, ticket: string | null, type: string, at: string, recordedAt: string, actor: string, payload: string, prevHash: string, hash: string];

export interface SeededTeam {
  /** The writer role's URL: what consoles connect with. */
  url: string;
  /** The database owner's URL: what the test reads with. */
  superuserUrl: string;
}

/** A team ledger created with `initTeam` and seeded (by `pushToTeam`) with the tickets the writers will write to. */
export async function seedTeam(cluster: PgCluster, dir: string, name: string, tickets: readonly string[]): Promise<SeededTeam> {
  const superuserUrl = cluster.createDatabase(name);
  await initTeam(superuserUrl, { writerPassword: WRITER_PASSWORD });
  const db = openDatabase(join(dir, `${name}-seed.db`));
  try {
    const at = '2025-01-15T09:00:00.000Z';
    recordEvents(
      db,
      tickets.map((ticket) => ({ ticket, type: 'created', at, channel: 'email', priority: 'normal', category: 'how_to', subject: `race ${ticket}`, requester: `cust@${ticket}.example` })),
    );
    await pushToTeam(db, superuserUrl);
  } finally {
    db.close();
  }
  return { url: `postgres://attest_writer:${WRITER_PASSWORD}@127.0.0.1:${cluster.port}/${name}`, superuserUrl };
}

/** Every event on the server, in seq order, read by the test itself. */
export async function serverRows(superuserUrl: string): Promise<EventRow[]> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    const result = await client.query({ text: 'SELECT seq::int, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash FROM events ORDER BY seq', rowMode: 'array' });
    return result.rows as EventRow[];
  } finally {
    await client.end();
  }
}

/** Every event of a replica file, in seq order. */
export function replicaRows(dbPath: string): EventRow[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash FROM events ORDER BY seq').raw().all() as EventRow[];
  } finally {
    db.close();
  }
}

/**
 * The first problem of the chain, or null: seq 1, 2, 3… without a gap, each prev_hash the previous hash, each hash
 * SHA-256 of the canonical JSON of {actor, at, payload, prevHash, recordedAt, seq, ticket, type}.
 */
export function chainProblem(rows: readonly EventRow[]): string | null {
  let previous = GENESIS;
  for (let i = 0; i < rows.length; i++) {
    const [seq, ticket, type, at, recordedAt, actor, payload, prevHash, stored] = rows[i]!;
    if (seq !== i + 1) return `row ${i} has seq ${seq}, expected ${i + 1}`;
    if (prevHash !== previous) return `#${seq}: prev_hash ${prevHash} does not link to ${previous}`;
    const preimage = canonicalize({ actor: JSON.parse(actor), at, payload: JSON.parse(payload), prevHash, recordedAt, seq, ticket, type });
    if (preimage === undefined) return `#${seq}: not canonicalizable`;
    const computed = hash('sha256', preimage, 'hex');
    if (computed !== stored) return `#${seq}: hash ${stored} is not SHA-256 of its canonical JSON (${computed})`;
    previous = stored;
  }
  return null;
}

export interface Marked {
  writer: string;
  counter: number;
  batch: string;
  of: number;
  seq: number;
}

const MARKER = /^team-race w=(\S+) n=(\d+) batch=(\S+) of=(\d+)$/;

/** The marked messages of the writers (team-writer.ts), in seq order. */
export function markedEvents(rows: readonly EventRow[]): Marked[] {
  const marked: Marked[] = [];
  for (const row of rows) {
    if (row[2] !== 'message') continue;
    const match = MARKER.exec((JSON.parse(row[6]) as { body?: string }).body ?? '');
    if (match) marked.push({ writer: match[1]!, counter: Number(match[2]), batch: match[3]!, of: Number(match[4]), seq: row[0] });
  }
  return marked;
}

/** Batches whose marked messages on the server are not exactly `of` of them (a partial or doubled write). */
export function unevenBatches(marked: readonly Marked[]): string[] {
  const counts = new Map<string, { count: number; of: number }>();
  for (const event of marked) {
    const entry = counts.get(event.batch) ?? { count: 0, of: event.of };
    entry.count++;
    counts.set(event.batch, entry);
  }
  return [...counts].filter(([, { count, of }]) => count !== of).map(([batch, { count, of }]) => `${batch}: ${count} of ${of}`);
}

export interface WriterProcess {
  child: ChildProcess;
  reports: WriterReport[];
  /** Resolves with the first report of that kind. */
  next(kind: WriterReport['kind']): Promise<WriterReport>;
  /** Resolves when the process has exited: its exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Spawns tests/support/team-writer.ts as its own OS process. */
export function spawnWriter(args: TeamWriterArgs): WriterProcess {
  const child = spawn(NODE, [WRITER_SCRIPT, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const reports: WriterReport[] = [];
  const waiting: { kind: WriterReport['kind']; resolve: (report: WriterReport) => void }[] = [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const report = JSON.parse(line) as WriterReport;
    reports.push(report);
    for (const waiter of waiting.filter((w) => w.kind === report.kind)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(report);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    child,
    reports,
    exited,
    next(kind) {
      const seen = reports.find((report) => report.kind === kind);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiting.push({ kind, resolve });
        void exited.then(({ code, signal }) => reject(new Error(`writer ${args.writer} exited (${code ?? signal}) before reporting ${kind}:\n${stderr}`)));
      });
    },
  };
}
