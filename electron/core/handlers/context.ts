import type { CoreEventName, CoreEvents, MethodName, MethodOutput, ParsedInput } from '../../../shared/contract.ts';
import type { Person } from '../../../shared/contracts/people.ts';
import type { Actor, Role } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import type { ChainMonitor } from '../verification/chain-monitor.ts';
import type { WriteGate } from '../db/write-gate.ts';
import type { Via } from '../people/authentication.ts';
import type { InstallationKey } from '../checkpoints/installation-key.ts';
import type { AiLeases } from '../team/ai-lease.ts';
import type { JsonText } from '../json-text.ts';

/** What every feature's handlers get from the core. */
export interface CoreContext {
  db: Db;
  dbPath: string;
  mode: 'electron' | 'browser';
  /** The core's one write gate: every write of this core takes its turn here (see write-gate.ts). */
  writes: WriteGate;
  emit<E extends CoreEventName>(event: E, payload: CoreEvents[E]): void;
  /** The console's verifier of this database (read-only, its own connection). */
  chain: ChainMonitor;
  /** The installation's signing key (checkpoints, issued statements, packs), loaded or made on first use. */
  installationKey(): InstallationKey;
  /** Team mode (a replica of a team ledger): the AI's per-ticket leases on the server. null on a desktop ledger. */
  team: { leases: AiLeases } | null;
}

/** Who is calling: the signed-in person (or, in single-user mode, the operating-system user) and their role. */
export interface Caller {
  /** The signed-in person; null in single-user mode. */
  person: Person | null;
  /** How the ledger names them on every event they cause. */
  actor: Actor;
  /** null: nobody is signed in (only the public methods of shared/permissions.ts reach a handler then). */
  role: Role | null;
  via: Via;
  /** The session token of the call (null in single-user mode or when nobody is signed in). */
  session: string | null;
  /** Tells the adapter the session token after a sign-in, and null after a sign-out. */
  onSession(token: string | null): void;
}

/** A handler's answer: the value, or the JSON a read thread already wrote of it (json-text.ts). */
export type Answer<T> = T | JsonText<T>;

export type Handler<M extends MethodName> = (input: ParsedInput<M>, caller: Caller) => Answer<MethodOutput<M>> | Promise<Answer<MethodOutput<M>>>;

/** A feature's handlers, keyed by the feature's method names (who may call them: shared/permissions.ts). */
export interface FeatureHandlers<M extends MethodName> {
  handlers: { [K in M]: Handler<K> };
  /** Releases what the feature holds outside the database (temporary files) when the core closes. */
  dispose?(): void;
}

export { NotFoundError } from '../errors.ts';
