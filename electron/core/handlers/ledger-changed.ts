import { LedgerRepository } from '../ledger/ledger-repository.ts';
import type { CoreContext } from './context.ts';

/** Tells the console the ledger moved: its head after a write. Nothing to say about an empty ledger. */
export function emitLedgerChanged(ctx: CoreContext): void {
  const head = new LedgerRepository(ctx.db).lastEvent();
  if (head.seq > 0) ctx.emit('ledger.changed', { eventCount: head.seq, headHash: head.hash });
}
