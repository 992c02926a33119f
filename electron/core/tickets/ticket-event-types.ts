// The ticket events of "Attest JSONL v1".
import { z } from 'zod';
import { actorSchema, ESCALATION_REASONS, PRIORITIES, TICKET_STATUSES, type Actor } from '../../../shared/domain.ts';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';

const text = z.string().min(1, 'must not be empty');
const customer = (payload: Record<string, unknown>): Actor =>
  typeof payload.requester === 'string' ? { kind: 'customer', id: payload.requester } : { kind: 'customer' };

export const TICKET_EVENT_TYPES: Record<string, EventTypeSpec> = {
  created: {
    scope: 'ticket',
    payload: z
      .object({
        channel: text,
        priority: z.enum(PRIORITIES),
        category: text,
        subject: z.string(),
        requester: text.optional(),
        organization: text.optional(),
        tags: z.array(z.string()).optional(),
        attributes: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    actor: customer,
  },
  message: {
    scope: 'ticket',
    payload: z
      .object({
        author: actorSchema,
        public: z.boolean(),
        body: z.string(),
        /** An AI reply's disclosure to the customer: the text its body ends with (see ai/disclosure.ts). */
        disclosure: z.string().regex(/\S/, 'must not be blank').optional(),
      })
      .strict(),
    actor: (payload) => payload.author as Actor,
  },
  status: {
    scope: 'ticket',
    payload: z.object({ status: z.enum(TICKET_STATUSES), by: actorSchema }).strict(),
    actor: (payload) => payload.by as Actor,
  },
  assigned: {
    scope: 'ticket',
    payload: z.object({ to: z.object({ kind: z.enum(['human', 'ai']), id: text.optional(), model: text.optional() }).strict() }).strict(),
  },
  escalated: {
    scope: 'ticket',
    payload: z.object({ reason: z.enum(ESCALATION_REASONS), by: actorSchema, note: z.string().optional() }).strict(),
    actor: (payload) => payload.by as Actor,
  },
  csat: {
    scope: 'ticket',
    payload: z.object({ score: z.number().int().min(1).max(5), comment: z.string().optional() }).strict(),
    actor: customer,
  },
};
