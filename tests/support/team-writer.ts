// One console of a team, in its own OS process: opens its replica file, connects to the team ledger, and appends
// batches of marked customer messages through the team write gate until it has written `events` of them (or is
// killed). Every message says who wrote it and which batch it belongs to, so a test can check on the server that
// each write is there exactly once and whole:  "team-race w=<writer> n=<counter> batch=<writer>:<b> of=<size>".
//
//   node tests/support/team-writer.ts '<json TeamWriterArgs>'
//
// Two ways in, both the real write path of a team console:
//  - via 'import': a core opened with `team: { url }`, each batch one `import.jsonl` contract call (the gate's write
//    turn, plus the import.file record naming the batch's positions: it can never be re-chained, only re-decided);
//  - via 'record': the replica and TeamWriteGate wired as openCore wires them, each batch one gate write running
//    recordEvents (no ledger-wide record: a batch on tickets nobody else touched is re-chained onto a moved head).
// It prints one JSON line per event of its life on stdout: ready, committed (per batch), refused, done.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CoreHandle } from '../../electron/core/service-api.ts';

export interface TeamWriterArgs {
  url: string;
  dbPath: string;
  writer: string;
  /** Messages to write in all (a crash test gives a number it never reaches). */
  events: number;
  /** Messages per write. */
  batch: number;
  via: 'import' | 'record';
  /** Tickets only this writer writes to (created by the test before). */
  ownTickets: readonly string[];
  /** Tickets every writer writes to: every `sharedEvery`-th batch carries one message on one of them. */
  sharedTickets: readonly string[];
  sharedEvery: number;
}

export interface WriterReport {
  kind: 'ready' | 'committed' | 'refused' | 'done';
  writer: string;
  batch?: number;
  written?: number;
  code?: string;
  message?: string;
  refusals?: number;
}

const args = JSON.parse(process.argv[2]!) as TeamWriterArgs;
// Each console has its own installation key (the replica cosigns with it), as on its own computer.
process.env.ATTEST_HOME = join(dirname(args.dbPath), `home-${args.writer}`);
mkdirSync(process.env.ATTEST_HOME, { recursive: true });

const say = (report: WriterReport): void => void process.stdout.write(`${JSON.stringify({ ...report, writer: args.writer })}\n`);

function markerOf(writer: string, counter: number, batch: number, size: number): string {
  return `team-race w=${writer} n=${counter} batch=${writer}:${batch} of=${size}`;
}

/** The lines of batch `b`: `size` customer messages, the first on a shared ticket every sharedEvery-th batch. */
function batchLines(b: number, firstCounter: number, size: number): Record<string, unknown>[] {
  const at = new Date().toISOString();
  return Array.from({ length: size }, (_, i) => {
    const counter = firstCounter + i;
    const shared = i === 0 && args.sharedTickets.length > 0 && b % args.sharedEvery === 0;
    const ticket = shared ? args.sharedTickets[b % args.sharedTickets.length]! : args.ownTickets[counter % args.ownTickets.length]!;
    return { ticket, type: 'message', at, author: { kind: 'customer', id: `cust-${args.writer}` }, public: true, body: markerOf(args.writer, counter, b, size) };
  });
}

type WriteBatch = (b: number, lines: Record<string, unknown>[]) => Promise<{ ok: true } | { ok: false; code: string; message: string }>;

async function viaImport(): Promise<{ write: WriteBatch; close: () => Promise<void> }> {
  const { openCore } = await import('../../electron/core/service.ts');
  const core: CoreHandle = openCore({ dbPath: args.dbPath, role: 'admin', user: args.writer, chainPollIntervalMs: 0, team: { url: args.url, historyCheckEveryMs: 0 } });
  await core.syncTeam();
  return {
    async write(b, lines) {
      const result = await core.invoke('import.jsonl', { fileName: `${args.writer}-${b}.jsonl`, text: lines.map((line) => JSON.stringify(line)).join('\n') });
      return result.ok ? { ok: true } : { ok: false, code: result.error.code, message: result.error.message };
    },
    close: () => core.closeAsync(),
  };
}

async function viaRecord(): Promise<{ write: WriteBatch; close: () => Promise<void> }> {
  const [{ openDatabase }, { registerFeatures }, { recordEvents }, { loadOrCreateInstallationKey }, { TeamReplica }, { TeamUnavailableError }, { TeamConflictError, TeamWriteGate }] = await Promise.all([
    import('../../electron/core/db/connection.ts'),
    import('../../electron/core/features.ts'),
    import('../../electron/core/derived/record-events.ts'),
    import('../../electron/core/checkpoints/installation-key.ts'),
    import('../../electron/core/team/replica.ts'),
    import('../../electron/core/team/team-connection.ts'),
    import('../../electron/core/team/team-write-gate.ts'),
  ]);
  registerFeatures();
  const db = openDatabase(args.dbPath);
  let gate: InstanceType<typeof TeamWriteGate> | null = null;
  const key = loadOrCreateInstallationKey();
  // As openCore wires them (service.ts): NOTIFY and the timer ask the gate for a sync in a turn of its own.
  const replica = new TeamReplica({ db, dbPath: args.dbPath, url: args.url, key: () => key, historyCheckEveryMs: 0, requestSync: () => gate?.requestSync() });
  gate = new TeamWriteGate(replica);
  replica.start();
  await gate.sync();
  return {
    async write(b, lines) {
      try {
        await gate.write(db, `batch ${b}`, () => recordEvents(db, lines));
        return { ok: true };
      } catch (error) {
        if (error instanceof TeamConflictError) return { ok: false, code: 'conflict', message: error.message };
        if (error instanceof TeamUnavailableError) return { ok: false, code: 'offline', message: error.message };
        throw error;
      }
    },
    async close() {
      await replica.close();
      db.close();
    },
  };
}

const session = args.via === 'import' ? await viaImport() : await viaRecord();
say({ kind: 'ready', writer: args.writer });
let written = 0;
let refusals = 0;
for (let b = 0; written < args.events; ) {
  const size = Math.min(args.batch, args.events - written);
  const lines = batchLines(b, written, size);
  const result = await session.write(b, lines);
  if (!result.ok) {
    // The gate re-decided as often as it could and gave up (`conflict`): nothing was recorded, so the same batch is
    // written again — what a person does with "run it again". Anything else is a failure of the run.
    refusals++;
    say({ kind: 'refused', writer: args.writer, batch: b, code: result.code, message: result.message });
    if (result.code !== 'conflict') process.exit(2);
    continue;
  }
  written += size;
  say({ kind: 'committed', writer: args.writer, batch: b, written });
  b++;
}
await session.close();
say({ kind: 'done', writer: args.writer, written, refusals });
