import type { CoreEventName, CoreEvents, MethodName, MethodOutput, ParsedInput } from '../../../shared/contract.ts';
import type { Actor, Role } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import type { ChainMonitor } from '../verification/chain-monitor.ts';
import type { WriteGate } from '../db/write-gate.ts';

/** What every feature's handlers get from the core. */
export interface CoreContext {
  db: Db;
  dbPath: string;
  role: Role;
  /** The person using this session, as recorded on the ledger events they cause. */
  user: Actor;
  mode: 'electron' | 'browser';
  /** The core's one write gate: every write of this core takes its turn here (see write-gate.ts). */
  writes: WriteGate;
  emit<E extends CoreEventName>(event: E, payload: CoreEvents[E]): void;
  /** The console's verifier of this database (read-only, its own connection). */
  chain: ChainMonitor;
}

export type Handler<M extends MethodName> = (input: ParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;

/** A feature's handlers and who may call each: both keyed by the feature's method names. */
export interface FeatureHandlers<M extends MethodName> {
  handlers: { [K in M]: Handler<K> };
  allowed: { [K in M]: readonly Role[] };
}

export { NotFoundError } from '../errors.ts';

export const EVERYONE: readonly Role[] = ['admin', 'supervisor', 'auditor'];
export const SUPERVISORS: readonly Role[] = ['admin', 'supervisor'];
export const AUDITORS: readonly Role[] = ['admin', 'auditor'];
export const ADMINS: readonly Role[] = ['admin'];
