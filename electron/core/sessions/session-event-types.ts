// Ledger-wide: a process that writes to the ledger says who it is before its first event of each UTC day — the
// system clock it reads, its time zone, the Attest version and how it runs (DORA RTS Art. 12: logging-failure
// detection and the clock source). The gap report (audit/session-gaps.ts) reads these.
import { z } from 'zod';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';

export const SESSION_VIAS = ['console', 'cli', 'job'] as const;

export const SESSION_EVENT_TYPES: Record<string, EventTypeSpec> = {
  'session.started': {
    scope: 'ledger',
    writtenBy: 'attest',
    payload: z
      .object({
        /** The system clock when the process announced itself (ISO 8601, UTC). */
        clock: z.string().datetime({ offset: false, message: 'must be an ISO 8601 UTC time' }),
        /** The IANA time zone the process runs in. */
        timeZone: z.string().min(1),
        /** The Attest version (package.json). */
        version: z.string().min(1),
        via: z.enum(SESSION_VIAS),
        /** The CLI command ("import", "statement issue"…); absent for a console. */
        command: z.string().min(1).optional(),
        host: z.string().min(1).optional(),
      })
      .strict(),
  },
};
