import type { Db } from '../db/connection.ts';

/** A table (or set of tables) computed from the ledger, kept in step with it by every write path. */
export interface DerivedProjection {
  name: string;
  /** Ledger-wide event types whose arrival changes this projection (it is then rebuilt). */
  ledgerEventTypes?: readonly string[];
  /** Recompute what depends on these tickets (their events changed). */
  refreshTickets?(db: Db, ticketIds: readonly string[]): void;
  /** Drop and recompute everything from the ledger. */
  rebuildAll(db: Db): void;
}
