// A console's local replica of the team ledger: the SQLite file it already uses, kept in step with PostgreSQL.
//
// It pulls the events after its head (on connect, on every NOTIFY, before every write, and on a timer as a
// fallback) and applies them through the ledger's exact-import path (LedgerWriter: every hash, every link, every
// rule of the rule book), so projections, queries and dashboards stay local. It is a witness of what it verified:
//  - before each pull, the server's event at the replica's head must be the replica's own, field for field;
//  - a pulled event that does not continue the replica's head, or whose hash does not match its content, or a
//    checkpoint whose root is not the root of the replica's own first treeSize events, stops syncing for good;
//  - now and then (and on connect) the whole verified history is compared with the server's, range by range;
//  - it cosigns (C2SP tlog-cosignature) every checkpoint it verified, with its own key, on the server.
// When the server cannot be reached the replica stays readable and says since when; writes are refused.
import { hash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type pg from 'pg';
import type { TeamReplicaStatus } from '../../../shared/contracts/team.ts';
import type { Db } from '../db/connection.ts';
import { pgSchemaProblem } from '../db/pg-migrate.ts';
import { LedgerRepository, type RawEventRow } from '../ledger/ledger-repository.ts';
import { allowTeamWrites } from '../ledger/replica-guard.ts';
import { rootsAtSizes } from '../ledger/merkle.ts';
import { CheckpointRepository } from '../checkpoints/checkpoint-repository.ts';
import { ledgerOrigin, parseCheckpointText } from '../checkpoints/checkpoint.ts';
import { cosignCheckpoint, formatCosignerKey, parseCosignatureLine } from '../checkpoints/cosignature.ts';
import { parseSignedNote, parseVerifierKey, verifySignedNote, type NoteSigner } from '../checkpoints/signed-note.ts';
import { ReplicaRepository } from './replica-repository.ts';
import { applyTeamRows, PulledRowError } from './replica-apply.ts';
import { describeTeam, isConnectionError, TeamUnavailableError } from './team-connection.ts';
import { credentialBindings, PASSWORD_EVENT_TYPES } from '../people/accounts.ts';
import { credentialDigest } from '../people/passwords.ts';
import { HistoryDiffersError } from './team-append.ts';
import { LEDGER_CHANNEL, teamClient, teamPool, TeamQueries, type CredentialRow } from './team-repository.ts';

/** The replica's connection as the console shows it (the contract's `team.status`). */
export type ReplicaStatus = TeamReplicaStatus;
export type ReplicaState = TeamReplicaStatus['state'];

export interface ReplicaOptions {
  db: Db;
  dbPath: string;
  url: string;
  /** The key this replica cosigns checkpoints with (the installation key). */
  key: () => NoteSigner;
  /** Called after events were applied (the console shows them). */
  onApplied?: (count: number) => void;
  onStatus?: (status: ReplicaStatus) => void;
  /** Asks the owner to run a sync in its write turn (the write gate); called on NOTIFY and by the timer. */
  requestSync?: () => void;
  /** How often the replica re-checks its whole verified history against the server (ms; default 10 min, 0 = only on connect). */
  historyCheckEveryMs?: number;
  /** Fallback pull and reconnect interval (ms; default 5 s). */
  pollEveryMs?: number;
}

// Rows applied per transaction: each one refreshes the projections of every ticket it touched, in full, so a catch-up
// in small chunks re-projects busy tickets over and over (2,000 made catch-up 0.3× a local import of the same events).
const PULL_CHUNK = 20_000;
const HISTORY_RANGE = 50_000;
/** Events compared again at every pull (see witnessRollingWindow). */
const ROLLING_RANGE = 2_000;

const sameRow = (a: RawEventRow, b: RawEventRow): boolean => a.every((value, index) => value === b[index]);

/** What a pulled checkpoint said, once this replica found it true of the events it verified. */
interface VerifiedCheckpoint {
  seq: number;
  treeSize: number;
  rootHash: string;
  note: string;
}

/** A pulled checkpoint is not true of the verified events: the history differs at `seq`. */
class CheckpointDiffersError extends Error {
  readonly seq: number;
  constructor(seq: number, detail: string) {
    super(detail);
    this.seq = seq;
  }
}

export class TeamReplica {
  readonly pool: pg.Pool;
  readonly replicaId: string;
  private readonly options: ReplicaOptions;
  private readonly local: LedgerRepository;
  private readonly replicaRepository: ReplicaRepository;
  private listener: pg.Client | null = null;
  private state: ReplicaState = 'connecting';
  private lastSyncedAt: string | null = null;
  private serverHead: number | null = null;
  private behindAtContact = 0;
  private differsAt: number | null = null;
  private stopMessage: string | null = null;
  private connected = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private lastHistoryCheck = 0;
  private historyCheck: Promise<void> | null = null;
  private reportedSize = -1;
  /** Whether the team's password hashes were read since this replica (re)connected. */
  private credentialsMirrored = false;
  /** Where the next rolling comparison of the verified history starts. */
  private rollingFrom = 1;
  /**
   * Digests of complete ranges of this replica's verified history, by "from:to". Its rows never change (the ledger only
   * appends, and only in a pull's transaction, never across an await), so each range is digested here once; the
   * server's side of every comparison is computed afresh. Each pull re-digested its 2,000-event window: with four
   * consoles writing at once, 17% of their processor time (tests/unit/team-concurrency.test.ts, profiled).
   */
  private readonly verifiedDigests = new Map<string, { digest: string; count: number }>();
  /** Server password hashes refused already (each is said once). */
  private readonly refusedCredentials = new Set<string>();
  /** The server's refusal of the URL's role or password, while it refuses them. */
  private credentialsRefused: string | null = null;
  private reportedAt = 0;

  constructor(options: ReplicaOptions) {
    this.options = options;
    this.pool = teamPool(options.url, { max: 3, application: 'attest-console' });
    // An idle pooled connection the server dropped must not crash the process: the next query reconnects.
    this.pool.on('error', () => this.wentOffline());
    // So must a checked-out client whose connection breaks between two queries (pg emits 'error' on it then).
    this.pool.on('connect', (client) => client.on('error', () => this.wentOffline()));
    this.local = new LedgerRepository(options.db);
    allowTeamWrites(options.db);
    this.replicaRepository = new ReplicaRepository(options.db);
    this.replicaId = hash('sha256', `${hostname()}\u0000${resolve(options.dbPath)}`, 'hex').slice(0, 16);
  }

  status(): ReplicaStatus {
    const localHead = this.local.lastEvent().seq;
    return {
      team: describeTeam(this.options.url),
      state: this.state,
      lastSyncedAt: this.lastSyncedAt,
      localHead,
      serverHead: this.serverHead,
      behind: this.behindAtContact,
      message: this.message(),
      differsAt: this.differsAt,
    };
  }

  private message(): string | null {
    if (this.state === 'stopped') return this.stopMessage;
    if (this.state === 'offline' && this.credentialsRefused) return `offline — the team server refused this console's credentials (${this.credentialsRefused})`;
    if (this.state === 'offline') {
      const since = this.lastSyncedAt ? `last synced ${new Date(this.lastSyncedAt).toTimeString().slice(0, 5)}` : 'never synced';
      return `offline — ${since}, ${this.behindAtContact} event${this.behindAtContact === 1 ? '' : 's'} behind at that time`;
    }
    if (this.state === 'connecting') return `connecting to the team ledger ${describeTeam(this.options.url)}…`;
    return null;
  }

  /** The refusal while the server cannot be reached: the console's own sentence, and that nothing was recorded. */
  private unreachable(): TeamUnavailableError {
    return new TeamUnavailableError(`the team ledger ${describeTeam(this.options.url)} cannot be reached (${this.message() ?? 'offline'}); nothing was recorded`);
  }

  isStopped(): boolean {
    return this.state === 'stopped';
  }

  /** Refuses a write unless the replica is online and its history agrees with the server's. */
  requireWritable(): void {
    if (this.state === 'stopped') throw new TeamUnavailableError(`not recorded: ${this.stopMessage}; syncing has stopped`);
    if (this.state === 'offline' || !this.connected) {
      throw new TeamUnavailableError(`not recorded: the team ledger ${describeTeam(this.options.url)} cannot be reached (${this.message() ?? 'offline'}); nothing was changed`);
    }
  }

  /** Starts the background part: LISTEN for appends and the fallback timer. The first sync is the owner's. */
  start(): void {
    const every = this.options.pollEveryMs ?? 5000;
    this.timer = setInterval(() => this.options.requestSync?.(), every);
    this.timer.unref();
  }

  private async listen(): Promise<void> {
    if (this.listener || this.closed) return;
    const client = teamClient(this.options.url, 'attest-console-listen');
    client.on('error', () => {
      if (this.listener === client) this.listener = null;
      this.wentOffline();
    });
    client.on('end', () => {
      if (this.listener === client) this.listener = null;
    });
    client.on('notification', (message) => {
      const seq = Number(message.payload);
      if (Number.isInteger(seq)) this.serverHead = Math.max(this.serverHead ?? 0, seq);
      this.options.requestSync?.();
    });
    await client.connect();
    await client.query(`LISTEN ${LEDGER_CHANNEL}`);
    this.listener = client;
  }

  private wentOffline(): void {
    if (this.state === 'stopped' || this.closed) return;
    this.connected = false;
    if (this.state !== 'offline') {
      this.behindAtContact = Math.max(0, (this.serverHead ?? 0) - this.local.lastEvent().seq);
      this.state = 'offline';
      this.publish();
    }
  }

  private publish(): void {
    this.options.onStatus?.(this.status());
  }

  /** First contact: the schema, the ledger's identity, this replica's registration. */
  private async connect(queries: TeamQueries): Promise<void> {
    const problem = await pgSchemaProblem(queries.client);
    if (problem) throw new TeamUnavailableError(problem);
    const teamLedgerId = await queries.ledgerId();
    const localHead = this.local.lastEvent();
    if (this.replicaRepository.ledgerId() !== teamLedgerId) {
      if (localHead.seq > 0) {
        this.stop(localHead.seq, `this file holds another ledger (${this.replicaRepository.ledgerId()}) than the team ledger (${teamLedgerId}); open an empty file as the replica`);
        return;
      }
      this.replicaRepository.adoptLedgerId(teamLedgerId);
    }
    this.replicaRepository.markReplicaOf(describeTeam(this.options.url));
    const key = this.options.key();
    await queries.registerReplica({ replicaId: this.replicaId, name: `${hostname()} ${resolve(this.options.dbPath)}`, cosigner: formatCosignerKey(this.cosignerName(), key.rawPublicKey) });
    await this.listen();
    this.connected = true;
    this.credentialsMirrored = false;
  }

  private cosignerName(): string {
    return `attest-replica-${this.replicaId}`;
  }

  /**
   * Catches up with the server. The caller holds this process's write turn: nothing else writes the replica meanwhile.
   * Returns how many events were applied; throws TeamUnavailableError when offline or stopped.
   */
  async pull(): Promise<number> {
    if (this.state === 'stopped') throw new TeamUnavailableError(`${this.stopMessage}; syncing has stopped`);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
      this.credentialsRefused = null;
    } catch (error) {
      // A wrong password or an unknown role is no network trouble: say so, or nobody would think of the password.
      const code = (error as { code?: string }).code;
      this.credentialsRefused = code === '28P01' || code === '28000' ? (error as Error).message : null;
      this.wentOffline();
      throw this.unreachable();
    }
    let applied = 0;
    let broken = false;
    try {
      const queries = new TeamQueries(client);
      if (!this.connected) await this.connect(queries);
      if (this.isStopped()) throw new TeamUnavailableError(`${this.stopMessage}; syncing has stopped`);
      await this.witnessHead(queries);
      await this.witnessRollingWindow(queries);
      const checkpoints: VerifiedCheckpoint[] = [];
      // The team's password hashes are read on connect and whenever an event that sets a password arrives (a hash is
      // only ever taken with its event): not on every pull, which every write makes twice.
      let passwordsSet = !this.credentialsMirrored;
      for (;;) {
        const head = this.local.lastEvent();
        const rows = await queries.rowsAfter(head.seq, PULL_CHUNK);
        if (rows.length === 0) break;
        try {
          // A checkpoint is judged before its rows are kept: a replica never holds one it did not find true.
          const pulledCheckpoints = rows.filter((row) => row[1] === null && row[2] === 'checkpoint');
          applyTeamRows(this.options.db, rows, () => checkpoints.push(...this.verifyCheckpoints(pulledCheckpoints)));
        } catch (error) {
          if (error instanceof CheckpointDiffersError) {
            this.stop(error.seq, error.message);
            throw new TeamUnavailableError(`${this.stopMessage}; syncing has stopped`);
          }
          if (error instanceof PulledRowError) {
            const field = error.lineError.field;
            const chain = field === 'seq' || field === 'prevHash' || field === 'hash' || field === 'recordedAt';
            this.stop(error.seq, chain ? `its event #${error.seq} does not extend the verified chain (${error.lineError.field}: ${error.lineError.reason})` : `its event #${error.seq} breaks the rule book (${error.lineError.field}: ${error.lineError.reason})`);
            throw new TeamUnavailableError(`${this.stopMessage}; syncing has stopped`);
          }
          throw error;
        }
        applied += rows.length;
        passwordsSet ||= rows.some((row) => row[1] === null && PASSWORD_EVENT_TYPES.has(row[2]));
        // A short chunk was the server's tail: asking again only to hear "nothing" cost a round trip per pull. A row
        // appended since comes with its NOTIFY (another pull), as one appended just after that empty answer always did.
        if (rows.length < PULL_CHUNK) break;
      }
      if (passwordsSet) {
        this.replicaRepository.mirrorCredentials(this.boundCredentials(await queries.credentials()));
        this.credentialsMirrored = true;
      }
      const localHead = this.local.lastEvent().seq;
      if (checkpoints.length > 0) await this.cosign(queries, checkpoints);
      // The background history check may have stopped the replica meanwhile: stopped is for good.
      if (this.isStopped()) throw new TeamUnavailableError(`${this.stopMessage}; syncing has stopped`);
      // What this replica verified is told to the server when it grew (and at least every minute: "last seen").
      if (localHead !== this.reportedSize || Date.now() - this.reportedAt > 60_000) {
        await queries.replicaVerified(this.replicaId, localHead, null);
        this.reportedSize = localHead;
        this.reportedAt = Date.now();
      }
      if (this.isStopped()) {
        await queries.replicaVerified(this.replicaId, 0, this.stopMessage);
        throw new TeamUnavailableError(`${this.stopMessage}; syncing has stopped`);
      }
      this.serverHead = Math.max(this.serverHead ?? 0, localHead);
      this.behindAtContact = 0;
      this.lastSyncedAt = new Date().toISOString();
      const wasOnline = this.state === 'online';
      this.state = 'online';
      if (!wasOnline || applied > 0) this.publish();
    } catch (error) {
      if (isConnectionError(error)) {
        broken = true;
        this.wentOffline();
        throw this.unreachable();
      }
      if (error instanceof HistoryDiffersError) {
        this.stop(error.seq, error.message.replace(/^the team ledger's history differs from what this console verified at #\d+: /, ''));
        throw new TeamUnavailableError(`${this.stopMessage}; syncing has stopped`);
      }
      throw error;
    } finally {
      client.release(broken);
    }
    if (applied > 0) this.options.onApplied?.(applied);
    if (this.options.historyCheckEveryMs !== 0 && Date.now() - this.lastHistoryCheck >= (this.options.historyCheckEveryMs ?? 600_000)) {
      // In the background: nobody awaits it, so whatever it throws is reported here, never an unhandled rejection.
      this.historyCheck ??= this.checkHistory()
        .catch((error: unknown) => console.error(`attest: the team ledger's history could not be checked: ${(error as Error).message}`))
        .finally(() => (this.historyCheck = null));
    }
    return applied;
  }

  /**
   * The server's password hashes that the verified ledger vouches for: each must match the `credential` digest of the
   * event that last set the account's password. A hash swapped in the server's table (anyone holding the writer role
   * could) is refused and the one this replica verified kept. An account whose password event predates credential
   * digests has no hash a replica could check: none is taken from the server (`team push` refuses such accounts; an
   * admin resets the password, which records a digest).
   */
  private boundCredentials(rows: readonly CredentialRow[]): CredentialRow[] {
    const bindings = credentialBindings(this.options.db);
    return rows.filter((row) => {
      const bound = bindings.get(row.account);
      if (typeof bound === 'string' && credentialDigest(row.password) === bound) return true;
      if (!this.refusedCredentials.has(`${row.account}\u0000${row.password}`)) {
        this.refusedCredentials.add(`${row.account}\u0000${row.password}`);
        console.error(`attest: the team ledger's password hash for "${row.account}" is not one its account events vouch for; this console does not take it`);
      }
      return false;
    });
  }

  /**
   * The server's event at the replica's head must still be exactly the one the replica verified. When it is not, the
   * history before it is compared too: a rewrite from some event on is named at that event, not at the head.
   */
  private async witnessHead(queries: TeamQueries): Promise<void> {
    const head = this.local.lastEvent();
    if (head.seq === 0) return;
    const server = await queries.rowAt(head.seq);
    if (server && sameRow(server, this.local.rowAtSeq(head.seq)!)) return;
    const difference = (await this.firstDifference(queries, head.seq)) ?? { seq: head.seq, detail: `its event #${head.seq} is not the one this console verified` };
    throw new HistoryDiffersError(difference.seq, difference.detail);
  }

  /**
   * A window of the verified history, moving on at every pull and starting over at #1 past the head: an event changed
   * below the head is found within a few pulls (ROLLING_RANGE events each), not only at the next full comparison.
   */
  private async witnessRollingWindow(queries: TeamQueries): Promise<void> {
    const head = this.local.lastEvent().seq;
    if (head === 0) return;
    if (this.rollingFrom > head) this.rollingFrom = 1;
    const to = Math.min(head, this.rollingFrom + ROLLING_RANGE - 1);
    const difference = await this.firstDifference(queries, to, this.rollingFrom);
    if (difference) throw new HistoryDiffersError(difference.seq, difference.detail);
    this.rollingFrom = to + 1;
  }

  /** The first of events start..upTo on the server that is not the one this replica verified (range digests first), or null. */
  private async firstDifference(queries: TeamQueries, upTo: number, start = 1): Promise<{ seq: number; detail: string } | null> {
    for (let from = start; from <= upTo; from += HISTORY_RANGE) {
      const to = Math.min(upTo, from + HISTORY_RANGE - 1);
      const [server, mine] = [await queries.rangeDigest(from, to), this.verifiedRangeDigest(from, to)];
      if (server.digest === mine.digest && server.count === mine.count) continue;
      const serverRows = new Map((await queries.rowsAfter(from - 1, to - from + 1)).map((row) => [row[0], row]));
      for (let seq = from; seq <= to; seq++) {
        const theirs = serverRows.get(seq);
        if (!theirs) return { seq, detail: `its event #${seq} is missing on the server` };
        if (!sameRow(theirs, this.local.rowAtSeq(seq)!)) return { seq, detail: `its event #${seq} was changed on the server` };
      }
    }
    return null;
  }

  /** The digest of this replica's rows from..to (remembered once the range is complete). */
  private verifiedRangeDigest(from: number, to: number): { digest: string; count: number } {
    const key = `${from}:${to}`;
    const known = this.verifiedDigests.get(key);
    if (known) return known;
    const digest = this.replicaRepository.rangeDigest(from, to);
    if (digest.count === to - from + 1) this.verifiedDigests.set(key, digest);
    return digest;
  }

  /**
   * Each pulled checkpoint (its rows already in this replica's open transaction): signed by the key it names, and its
   * root is the root of this replica's own first treeSize events. Throws CheckpointDiffersError otherwise.
   */
  private verifyCheckpoints(rows: readonly RawEventRow[]): VerifiedCheckpoint[] {
    if (rows.length === 0) return [];
    const payloads = rows.map((row) => ({ seq: row[0], payload: JSON.parse(row[6]) as { origin: string; treeSize: number; rootHash: string; note: string; key: string } }));
    const sizes = [...new Set(payloads.map((p) => p.payload.treeSize).filter((size) => size > 0))];
    const roots = rootsAtSizes(new CheckpointRepository(this.options.db).leafHashes(Math.max(0, ...sizes)), sizes);
    const origin = ledgerOrigin(this.replicaRepository.ledgerId());
    return payloads.map(({ seq, payload }) => {
      // The rule of `checkpoint` already made the note state exactly the payload and be signed by the key it names;
      // what the note states must also be true of this ledger and of the events this console verified.
      const body = parseCheckpointText(parseSignedNote(payload.note).text);
      if (body.origin !== origin) throw new CheckpointDiffersError(seq, `the checkpoint #${seq} is of another log (${body.origin}), not this ledger's ${origin}`);
      if (body.treeSize >= seq) throw new CheckpointDiffersError(seq, `the checkpoint #${seq} states a size of ${body.treeSize}, but only ${seq - 1} events came before it`);
      const root = body.treeSize === 0 ? null : roots.get(body.treeSize);
      if (body.treeSize > 0 && (!root || !root.equals(body.rootHash))) {
        throw new CheckpointDiffersError(body.treeSize, `the checkpoint #${seq} states root ${body.rootHash.toString('base64')} for size ${body.treeSize}, not the root of the events this console verified`);
      }
      if (verifySignedNote(parseSignedNote(payload.note), [parseVerifierKey(payload.key)]).status !== 'verified') {
        throw new CheckpointDiffersError(seq, `the checkpoint #${seq} is not signed by the key it names`);
      }
      return { seq, treeSize: body.treeSize, rootHash: body.rootHash.toString('base64'), note: payload.note };
    });
  }


  /** Cosigns (C2SP tlog-cosignature) the checkpoints this replica verified, with its own key, on the server. */
  private async cosign(queries: TeamQueries, checkpoints: readonly VerifiedCheckpoint[]): Promise<void> {
    const signer = this.options.key();
    for (const checkpoint of checkpoints) {
      const timestamp = Math.floor(Date.now() / 1000);
      const line = cosignCheckpoint(checkpoint.note, { name: this.cosignerName(), privateKey: signer.privateKey }, timestamp);
      await queries.recordReplicaCosignature({
        checkpointSeq: checkpoint.seq,
        replicaId: this.replicaId,
        treeSize: checkpoint.treeSize,
        rootHash: checkpoint.rootHash,
        cosigner: formatCosignerKey(this.cosignerName(), signer.rawPublicKey),
        timestamp,
        signature: parseCosignatureLine(line).line,
      });
    }
  }

  /**
   * Compares the whole history this replica verified with the server's, range by range (SHA-256 of the rows on
   * both sides); a range that differs is read back to name the first event changed on the server.
   */
  async checkHistory(): Promise<void> {
    this.lastHistoryCheck = Date.now();
    const verified = this.local.lastEvent().seq;
    const client = await this.pool.connect().catch(() => null);
    if (!client) return this.wentOffline();
    let broken = false;
    try {
      const difference = await this.firstDifference(new TeamQueries(client), verified);
      if (difference) this.stop(difference.seq, difference.detail);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      broken = true;
      this.wentOffline();
    } finally {
      client.release(broken);
    }
  }

  private stop(seq: number, detail: string): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.differsAt = seq;
    this.stopMessage = `the team ledger's history differs from what this console verified at #${seq}: ${detail}`;
    this.publish();
    // Told to the server too, so `attest team status` shows which replica stopped (best effort: it may be unreachable).
    const message = this.stopMessage;
    void this.pool
      .connect()
      .then(async (client) => {
        try {
          await new TeamQueries(client).replicaVerified(this.replicaId, 0, message);
        } finally {
          client.release();
        }
      })
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.historyCheck?.catch(() => undefined);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
