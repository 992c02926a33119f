// The surface every adapter (Electron IPC, HTTP bridge, CLI) uses to reach the core.
import type { CoreEventName, CoreEvents, MethodName, MethodOutput, Result } from '../../shared/contract.ts';
import type { Role } from '../../shared/domain.ts';

export interface CoreOptions {
  dbPath: string;
  role?: Role;
  /** Who uses this session (recorded on the ledger events they cause); default "local-<role>". */
  user?: string;
  mode?: 'electron' | 'browser';
}

export interface CoreHandle {
  /** Validates `input` against the contract, checks the caller's role, runs the method. Never throws. */
  invoke<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
  /** Adapters pass names straight from the wire; unknown ones come back as `unknown_method`. */
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  subscribe<E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void): () => void;
  close(): void;
}
