import { policyFileSchema } from './policy-schema.ts';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';
import { slaPolicyRule } from './policy-rules.ts';

export const SLA_EVENT_TYPES: Record<string, EventTypeSpec> = {
  // Ledger-wide: one imported SLA policy file, whole (version, effectiveFrom, calendars, policies). A later
  // version applies to clocks that start from its effectiveFrom on; earlier clocks keep the version they started under.
  'sla.policy': { scope: 'ledger', payload: policyFileSchema as unknown as EventTypeSpec['payload'], rules: [slaPolicyRule] },
};
