// Structured outputs: the JSON schema sent to Ollama as `format`, and the zod schema that validates
// what comes back (a model may still answer something else; that answer is then treated as invalid).
import { z } from 'zod';

export const triageResultSchema = z
  .object({
    category: z.string().min(1),
    tier: z.number().int().min(1).max(3),
    language: z.string().min(2).max(12),
    topic: z.string().min(1).max(80),
    wants_human: z.boolean(),
    needs_manual_action: z.boolean(),
    confidence: z.number().min(0).max(1),
  })
  .strict();
export type TriageResult = z.infer<typeof triageResultSchema>;

export const checkResultSchema = z
  .object({
    supported: z.boolean(),
    unsupported_claims: z.array(z.string()),
    forbidden_promises: z.array(z.string()),
    resolution: z.enum(['answers_fully', 'needs_customer_reply']),
    confidence: z.number().min(0).max(1),
  })
  .strict();
export type CheckResult = z.infer<typeof checkResultSchema>;

export function triageFormat(categories: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      category: { type: 'string', enum: [...categories] },
      tier: { type: 'integer', minimum: 1, maximum: 3 },
      language: { type: 'string' },
      topic: { type: 'string' },
      wants_human: { type: 'boolean' },
      needs_manual_action: { type: 'boolean' },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
    },
    required: ['category', 'tier', 'language', 'topic', 'wants_human', 'needs_manual_action', 'confidence'],
    additionalProperties: false,
  };
}

export const CHECK_FORMAT: Record<string, unknown> = {
  type: 'object',
  properties: {
    supported: { type: 'boolean' },
    unsupported_claims: { type: 'array', items: { type: 'string' } },
    forbidden_promises: { type: 'array', items: { type: 'string' } },
    resolution: { type: 'string', enum: ['answers_fully', 'needs_customer_reply'] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
  required: ['supported', 'unsupported_claims', 'forbidden_promises', 'resolution', 'confidence'],
  additionalProperties: false,
};

/** Parses a structured answer; null when it is not JSON or does not match. */
export function parseStructured<T>(schema: z.ZodType<T>, content: string): T | null {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
