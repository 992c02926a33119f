import type { z } from 'zod';
import type { Actor } from '../../../../shared/domain.ts';

export interface EventTypeSpec {
  /** Validates every field of the line that is not an envelope field (ticket, type, at, actor, chain fields). */
  payload: z.ZodType<Record<string, unknown>>;
  /** 'ticket': the line must name a ticket; 'ledger': a ledger-wide fact, the line must not. */
  scope: 'ticket' | 'ledger';
  /** Who did it when the line does not say with `actor`; default: the system. */
  actor?: (payload: Record<string, unknown>) => Actor;
}
