// The surface every adapter (Electron IPC, HTTP bridge, CLI) uses to reach the core.
import type { CoreEventName, CoreEvents, MethodName, MethodOutput, Result } from '../../shared/contract.ts';
import type { Role } from '../../shared/domain.ts';
import type { KeyProtector } from './checkpoints/installation-key.ts';

export interface CoreOptions {
  dbPath: string;
  role?: Role;
  /** Who uses this session (recorded on the ledger events they cause); default "local-<role>". */
  user?: string;
  mode?: 'electron' | 'browser';
  /** How often the chain monitor looks for events other processes appended (ms; 0 = never; default 15 s). */
  chainPollIntervalMs?: number;
  /**
   * Opt-in: while the core is open, record a signed checkpoint whenever the ledger moved since the last
   * one and that one is at least this old (Electron and `attest serve` pass a day).
   */
  checkpointEveryMs?: number;
  /** Encrypts the installation key at rest (Electron main passes safeStorage). */
  keyProtector?: KeyProtector;
}

export interface CoreHandle {
  /** Validates `input` against the contract, checks the caller's role, runs the method. Never throws. */
  invoke<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
  /** Adapters pass names straight from the wire; unknown ones come back as `unknown_method`. */
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  subscribe<E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void): () => void;
  close(): void;
}
