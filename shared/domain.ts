// Vocabulary shared by the core, the adapters and the renderer. No runtime imports beyond zod.
import { z } from 'zod';

export const ACTOR_KINDS = ['customer', 'ai', 'human', 'system'] as const;
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const ESCALATION_REASONS = [
  'customer_request',
  'missing_knowledge',
  'unsupported_request',
  'policy_restriction',
  'tool_failure',
  'low_confidence',
] as const;
export const EVENT_TYPES = ['created', 'message', 'status', 'assigned', 'escalated', 'csat'] as const;
export const RESOLVED_BY = ['ai', 'human', 'unresolved'] as const;
export const ROLES = ['admin', 'supervisor', 'auditor'] as const;
/** Per ticket category: human only, AI drafts that a human approves, AI sends by itself. */
export const CATEGORY_MODES = ['off', 'draft', 'auto'] as const;

export type ActorKind = (typeof ACTOR_KINDS)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type EscalationReason = (typeof ESCALATION_REASONS)[number];
export type EventType = (typeof EVENT_TYPES)[number];
export type ResolvedBy = (typeof RESOLVED_BY)[number];
export type Role = (typeof ROLES)[number];
export type CategoryMode = (typeof CATEGORY_MODES)[number];

export const actorSchema = z
  .object({
    kind: z.enum(ACTOR_KINDS),
    id: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    /** The printed name of a person with an account (`id` "acct:<name>"), as their signatures show it. */
    name: z.string().min(1).optional(),
  })
  .strict();
export type Actor = z.infer<typeof actorSchema>;

/** The actor id of an account: "acct:<login name>". Operating-system users in single-user mode are "os:<user>". */
export const ACCOUNT_ACTOR_PREFIX = 'acct:';
/** The meanings a person gives an electronic signature (21 CFR 11.50(a)(3)). */
export const SIGNATURE_MEANINGS = ['reviewed', 'approved', 'responsible', 'authored'] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];

export const GENESIS_HASH = '0'.repeat(64);
