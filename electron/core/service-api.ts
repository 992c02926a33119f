// The surface every adapter (Electron IPC, HTTP bridge, CLI) uses to reach the core.
import type { CoreEventName, CoreEvents, MethodName, MethodOutput, Result } from '../../shared/contract.ts';
import type { Role } from '../../shared/domain.ts';
import type { KeyProtector } from './checkpoints/installation-key.ts';
import type { JsonText } from './json-text.ts';
import type { DatabaseKey } from './db/database-key.ts';
import type { Via } from './people/authentication.ts';

import type { SessionDeclaration } from './sessions/session-start.ts';

/** What invokeForWire answers: a Result whose value may be JSON text already written by a read thread. */
export type WireResult<T> = Result<T> | { ok: true; value: T | JsonText<T> };

export interface CoreOptions {
  dbPath: string;
  /**
   * The database's encryption key (db/database-key.ts): a new file is created encrypted with it. Every connection this
   * core opens to the file (imports, the chain monitor, verification threads, the team replica) uses it too. Omitted:
   * the key already named for the file in this process (a CLI --key-file), else a plain file.
   */
  key?: DatabaseKey | null;
  /**
   * Single-user mode only (a ledger without accounts): the role of the one person using it (default admin). Once
   * the ledger has accounts the role is the signed-in person's and this is ignored.
   */
  role?: Role;
  /** Single-user mode only: the actor id recorded for that person (default "os:<operating-system user>"). */
  user?: string;
  /** A demo database: the sign-in screen lists the demo accounts whose password is still the published one. */
  demo?: boolean;
  /**
   * The console this core serves: its window (electron) or `attest serve` (browser). A console names it; so named, the
   * core starts a read thread for the queue's first page at once and warms the Merkle tree on a read thread (each
   * thread loads the core's modules: most of a second, which a core opened for one task need not pay).
   */
  mode?: 'electron' | 'browser';
  /** How often the chain monitor looks for events other processes appended (ms; 0 = never; default 15 s). */
  chainPollIntervalMs?: number;
  /**
   * Opt-in: while the core is open, record a signed checkpoint whenever the ledger moved since the last
   * one and that one is at least this old (Electron and `attest serve` pass a day).
   */
  checkpointEveryMs?: number;
  /**
   * Build the ledger's Merkle tree in the background after opening, a slice at a time (default true), so the first
   * receipt, proof or checkpoint finds it warm (checkpoints/ledger-tree.ts). It only reads.
   */
  warmLedgerTree?: boolean;
  /**
   * A console (`mode` set) has its live attribution judge the unverified tickets as it opens when the ledger holds at
   * least this many events (default 200,000, about 20,000 tickets: below that the first Outcomes tab judges them in a
   * fraction of a second, and the thread would only be started early). Tests lower it.
   */
  warmAttributionFromEvents?: number;
  /** Encrypts the installation key at rest (Electron main passes safeStorage). */
  keyProtector?: KeyProtector;
  /** Milliseconds since the epoch that sessions are timed by (default Date.now); tests pass a clock they move. */
  clock?: () => number;
  /**
   * How this process writes, for its `session.started` (sessions/session-start.ts): Electron and `attest serve`
   * pass {via: 'console'}. Nothing is written on opening: the first event the console records each UTC day is
   * preceded by it, so a console that only looks never changes the file.
   */
  session?: SessionDeclaration;
  /**
   * Team mode: `dbPath` is this console's replica of the team ledger at `team.url` (PostgreSQL). Writes go to the
   * team ledger and come back through the replica (electron/core/team/).
   */
  team?: TeamOptions;
}

export interface TeamOptions {
  /** postgres://writer:password@host:port/database */
  url: string;
  /** How often the replica re-compares its whole verified history with the server's (ms; default 10 min). */
  historyCheckEveryMs?: number;
  /** Fallback pull and reconnect interval (ms; default 5 s). */
  pollEveryMs?: number;
  /** How long an AI lease on a ticket lives without renewal (s; default 60): how long a dead console's tickets wait. */
  aiLeaseSeconds?: number;
}

/** What an adapter knows about the caller of one call. */
export interface CallOptions {
  /** The session token the adapter holds for this caller (an HttpOnly cookie, the window's session). */
  session?: string | null;
  via?: Via;
  /** Called with the new token after a successful auth.login, and with null after auth.logout. */
  onSession?: (token: string | null) => void;
}

export interface CoreHandle {
  /**
   * Validates `input` against the contract, checks the caller's session and role against the one permission
   * table (shared/permissions.ts), runs the method. Never throws.
   */
  invoke<M extends MethodName>(method: M, input: unknown, call?: CallOptions): Promise<Result<MethodOutput<M>>>;
  /** Adapters pass names straight from the wire; unknown ones come back as `unknown_method`. */
  invoke(method: string, input: unknown, call?: CallOptions): Promise<Result<unknown>>;
  /**
   * invoke, for an adapter that writes the answer as JSON (the HTTP bridge, the Electron IPC adapter): an answer a
   * read thread computed comes as the JSON it wrote there (JsonText), which the adapter sends as it is, so a large one
   * is never copied, parsed or encoded on the console's thread (json-text.ts).
   */
  invokeForWire(method: string, input: unknown, call?: CallOptions): Promise<WireResult<unknown>>;
  /** Whether a token is a live session (always true in single-user mode): the event stream asks this. */
  hasSession(token: string | null | undefined): boolean;
  /** Ends every session (the screen was locked), each in the access log. */
  endAllSessions(reason: 'locked'): Promise<void>;
  subscribe<E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void): () => void;
  close(): void;
  /** close(), then waits until the team connection (if any) is closed. */
  closeAsync(): Promise<void>;
  /** Team mode: catches up with the team ledger now (resolves when in step; throws why not). Desktop mode: nothing. */
  syncTeam(): Promise<void>;
}
