// The organization's settings as a ledger-wide event: its name, the AI's signature and the disclosure text the
// customer reads under every AI reply. Recorded like the AI settings: by a person, with a reason; the latest wins.
import { z } from 'zod';
import { AI_DISCLOSURE_MAX, AI_DISCLOSURE_MIN, AI_SIGNATURE_MAX, ORGANIZATION_NAME_MAX } from '../../../shared/contracts/organization.ts';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';

export const ORGANIZATION_EVENT_TYPES: Record<string, EventTypeSpec> = {
  'organization.settings': {
    actedBy: 'person',
    scope: 'ledger',
    writtenBy: 'attest',
    payload: z
      .object({
        /** The organization's name (prompts, the statement's issuer); null: not set, and every reader says so. */
        name: z.string().trim().min(1).max(ORGANIZATION_NAME_MAX).nullable(),
        /** The line the AI signs its replies with, above the disclosure; null: no signature. */
        ai_signature: z.string().trim().min(1).max(AI_SIGNATURE_MAX).nullable(),
        /** The AI disclosure in the organization's words; null: the product's own text (ai/disclosure.ts). */
        ai_disclosure: z
          .string()
          .trim()
          .min(AI_DISCLOSURE_MIN, `must be at least ${AI_DISCLOSURE_MIN} characters: it tells the customer an AI wrote the reply`)
          .max(AI_DISCLOSURE_MAX)
          .nullable(),
        reason: z.string().min(1, 'a reason is required'),
      })
      .strict(),
  },
};
