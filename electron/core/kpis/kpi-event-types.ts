// KPI events: human work logged on a ticket, and frozen KPI baselines.
import { z } from 'zod';
import { actorSchema, type Actor } from '../../../shared/domain.ts';
import { kpiValuesSchema } from '../../../shared/contracts/kpis.ts';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const groupStats = z.record(z.string(), kpiValuesSchema);

export const KPI_EVENT_TYPES: Record<string, EventTypeSpec> = {
  // Time a human agent spent on a ticket (the source of AHT): {"type":"worklog","minutes":12,"by":{"kind":"human","id":"agent-4"}}.
  worklog: {
    scope: 'ticket',
    payload: z
      .object({
        minutes: z.number().positive('must be more than 0').max(24 * 60, 'must be at most 1440 (one day)'),
        by: actorSchema.refine((actor) => actor.kind === 'human', 'worklogs are human work: by.kind must be "human"'),
      })
      .strict(),
    actor: (payload) => payload.by as Actor,
  },
  // Ledger-wide: the agreed pre-deployment values, with the hash of the KPI definitions they were computed under.
  'baseline.frozen': {
    actedBy: 'person',
    signedOnceAccounts: () => true,
    scope: 'ledger',
    writtenBy: 'attest',
    payload: z
      .object({
        name: z.string().min(1, 'a baseline needs a name').max(200),
        from: day,
        to: day,
        definitionsHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'),
        overall: kpiValuesSchema,
        byCategory: groupStats,
      })
      .strict(),
  },
};
