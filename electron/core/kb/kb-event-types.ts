// Ledger-wide: one version of a knowledge-base article, as imported or edited. AI drafts cite these versions.
import { z } from 'zod';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';

const text = z.string().min(1, 'must not be empty');
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

export const KB_EVENT_TYPES: Record<string, EventTypeSpec> = {
  'kb.article': {
    scope: 'ledger',
    payload: z
      .object({
        article_id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,119}$/, 'must be lowercase letters, digits and dashes'),
        version: z.number().int().min(1),
        action: z.enum(['import', 'edit']),
        title: text,
        body: text,
        tags: z.array(z.string()),
        category: z.string().optional(),
        source: text,
        content_hash: hash,
      })
      .strict(),
  },
};
