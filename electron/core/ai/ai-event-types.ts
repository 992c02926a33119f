// Attribution of every AI step (ticket-scoped) and the AI settings (ledger-wide). A reviewer reads from these
// exactly which model, prompt and articles produced a reply, and why the pipeline sent it, waited for review
// or handed it off. The articles themselves are kb.article events (kb/kb-event-types.ts).
import { z } from 'zod';
import { checkResultSchema } from './schemas.ts';
import { aiReviewRule } from './ai-rules.ts';
import { remoteHostAllowanceRule, settingsHostRule } from './remote-host-rules.ts';
import { ESCALATION_REASONS, type Actor } from '../../../shared/domain.ts';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';

const text = z.string().min(1, 'must not be empty');
const count = z.number().int().min(0);
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

const model = z.object({ name: text, digest: z.string() }).strict();
const prompt = z.object({ template_id: text, template_hash: hash, prompt_hash: hash }).strict();
const options = z.object({ temperature: z.number(), seed: z.number().int(), num_ctx: count.optional() }).strict();
const metrics = z
  .object({
    prompt_eval_count: count.optional(),
    eval_count: count.optional(),
    total_duration: count.optional(),
    eval_duration: count.optional(),
  })
  .strict();
const articleRef = z.object({ id: text, version: z.number().int().min(1) }).strict();
// national_id: recorded since issue 16; runs recorded before it have only the first four kinds.
const redaction = z.object({ card: count, iban: count, email: count, phone: count, national_id: count.optional() }).strict();
const draftFinding = z.object({ kind: z.enum(['money', 'deadline', 'link', 'phone', 'commitment_topic', 'untied_sentence']), text: z.string() }).strict();

/** Fields every model call records. */
const modelCall = {
  run_id: text,
  model,
  prompt,
  options,
  metrics,
  /** false when the answer was not valid structured output (the run then hands off with low_confidence). */
  valid: z.boolean(),
  error: z.string().optional(),
};

const aiActor = (payload: Record<string, unknown>): Actor => ({ kind: 'ai', model: (payload.model as { name: string }).name });

export const AI_ACTIONS = ['send_solve', 'send_pending', 'await_review', 'hand_off'] as const;
export const REVIEW_ACTIONS = ['approve', 'edit', 'reject'] as const;

export const AI_EVENT_TYPES: Record<string, EventTypeSpec> = {
  'ai.triage': {
    scope: 'ticket',
    writtenBy: 'attest',
    payload: z
      .object({
        ...modelCall,
        attempt_key: text,
        result: z
          .object({
            category: text,
            tier: z.number().int().min(1).max(3),
            language: text,
            topic: text,
            wants_human: z.boolean(),
            needs_manual_action: z.boolean(),
            confidence: z.number().min(0).max(1),
          })
          .strict()
          .nullable(),
        redaction,
        injection_suspected: z.boolean(),
      })
      .strict(),
    actor: aiActor,
  },
  'ai.retrieval': {
    scope: 'ticket',
    writtenBy: 'attest',
    payload: z
      .object({
        run_id: text,
        model,
        query: z.string(),
        articles: z.array(articleRef.extend({ title: text, score: z.number() }).strict()),
      })
      .strict(),
    actor: aiActor,
  },
  'ai.draft': {
    scope: 'ticket',
    writtenBy: 'attest',
    payload: z.object({ ...modelCall, body: z.string(), citations: z.array(articleRef) }).strict(),
    actor: aiActor,
  },
  'ai.check': {
    scope: 'ticket',
    writtenBy: 'attest',
    payload: z
      .object({
        ...modelCall,
        // The model's structured answer exactly as the pipeline validated it (null when it was not valid).
        result: checkResultSchema.nullable(),
        /** Promises the deterministic guard found in the draft, whatever the model said. */
        guard_promises: z.array(z.string()),
        /** What the deterministic draft check found (ai/draft-check.ts); absent on runs recorded before it existed. */
        draft_findings: z.array(draftFinding).optional(),
      })
      .strict(),
    actor: aiActor,
  },
  'ai.decision': {
    scope: 'ticket',
    writtenBy: 'attest',
    payload: z
      .object({
        run_id: text,
        attempt_key: text,
        model,
        mode: z.enum(['draft', 'auto']),
        action: z.enum(AI_ACTIONS),
        reason: z.enum(ESCALATION_REASONS).optional(),
        confidence: z.number().min(0).max(1),
        threshold: z.number().min(0).max(1),
        topic: z.string(),
        category: z.string(),
        note: z.string(),
        draft: z.string(),
        citations: z.array(articleRef),
      })
      .strict(),
    actor: aiActor,
  },
  'ai.review': {
    scope: 'ticket',
    writtenBy: 'attest',
    payload: z
      .object({
        run_id: text,
        action: z.enum(REVIEW_ACTIONS),
        reason: z.string().optional(),
        /** Unified diff from the AI's draft to the text that was sent (edits only). */
        diff: z.string().optional(),
        /** The newer run of the same ticket that replaced this one in review (a reject made by Attest, not a verdict on the draft). */
        superseded_by: text.optional(),
      })
      .strict()
      .refine((p) => p.superseded_by === undefined || p.action === 'reject', { message: 'only a reject can say which run superseded the draft', path: ['superseded_by'] }),
    rules: [aiReviewRule],
  },
  'ai.settings': {
    actedBy: 'person',
    scope: 'ledger',
    writtenBy: 'attest',
    payload: z
      .object({
        host: z.string().url().optional(),
        model: text,
        confidence_threshold: z.number().min(0).max(1),
        parallel: z.number().int().min(1).max(64),
        redaction: z.object({ card: z.boolean(), iban: z.boolean(), email: z.boolean(), phone: z.boolean(), national_id: z.boolean().optional() }).strict(),
        reason: text,
      })
      .strict(),
    rules: [settingsHostRule],
  },
  /** An admin allows (host) or withdraws (null) sending ticket text to a model server that is not this computer. */
  'ai.remote_host': {
    actedBy: 'person',
    scope: 'ledger',
    writtenBy: 'attest',
    payload: z.object({ host: z.string().nullable(), reason: text }).strict(),
    rules: [remoteHostAllowanceRule],
  },
};
