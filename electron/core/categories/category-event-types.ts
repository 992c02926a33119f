import { z } from 'zod';
import { CATEGORY_MODES } from '../../../shared/domain.ts';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';

export const CATEGORY_EVENT_TYPES: Record<string, EventTypeSpec> = {
  // Ledger-wide: who moved a category between human only (off), AI drafts a human approves (draft)
  // and AI sends by itself (auto), and why. The AI pipeline obeys the latest one.
  'category.mode': {
    actedBy: 'person',
    // Letting the AI send by itself is signed.
    signedOnceAccounts: (payload) => payload.mode === 'auto',
    scope: 'ledger',
    payload: z
      .object({ category: z.string().min(1), mode: z.enum(CATEGORY_MODES), reason: z.string().min(1, 'a reason is required') })
      .strict(),
  },
};
