// Ledger-wide: one version of a knowledge-base article, as imported or edited. AI drafts cite these versions.
import { z } from 'zod';
import type { EventRule, EventTypeSpec } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';

const text = z.string().min(1, 'must not be empty');
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

/** The longest reason a person may give (console and CLI); an import's recorded reason adds the file and its hash. */
export const MAX_KB_REASON_LENGTH = 2000;
const MAX_RECORDED_REASON_LENGTH = 4000;

/**
 * Every new version says why it was made (a console edit, `attest kb import`, a JSONL line, team sync alike). The
 * field is optional in the payload only so that exact chained lines of ledgers written before the reason existed
 * still replay; anything newly appended without one is refused here, in the append path.
 */
export const kbReasonRule: EventRule = (event) => {
  if (event.replayed) return;
  const reason = event.payload.reason;
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new LineError('reason', 'is required: every new version of a knowledge-base article says why it was made');
  }
};

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
        /** Why this version was made; absent only on versions recorded before reasons were required (kbReasonRule). */
        reason: z.string().max(MAX_RECORDED_REASON_LENGTH, `must be at most ${MAX_RECORDED_REASON_LENGTH} characters`).optional(),
      })
      .strict(),
    rules: [kbReasonRule],
  },
};
