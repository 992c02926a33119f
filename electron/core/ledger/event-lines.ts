// "Attest JSONL v1": the shape of one event line, for import and export.
import { z } from 'zod';
import {
  actorSchema,
  ESCALATION_REASONS,
  PRIORITIES,
  TICKET_STATUSES,
  type Actor,
} from '../../../shared/domain.ts';
import { CanonicalizationError, canonicalJson } from './hashing.ts';
import { normalizeTimestamp } from './timestamps.ts';

/** An event as the ledger appends it. seq/recordedAt/prevHash/hash are present only on exported lines. */
export interface LedgerEventInput {
  ticket: string;
  type: string;
  at: string;
  actor: Actor;
  /** Canonical JSON text of every field of the line that is not an envelope field. */
  payload: string;
  recordedAt?: string;
  seq?: number;
  prevHash?: string;
  hash?: string;
}

export class LineError extends Error {
  readonly field: string;
  readonly reason: string;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}

const ENVELOPE_KEYS = new Set(['ticket', 'type', 'at', 'actor', 'seq', 'recordedAt', 'prevHash', 'hash']);

const text = z.string().min(1, 'must not be empty');
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

const payloadSchemas: Record<string, z.ZodType<Record<string, unknown>>> = {
  created: z
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
  message: z.object({ author: actorSchema, public: z.boolean(), body: z.string() }).strict(),
  status: z.object({ status: z.enum(TICKET_STATUSES), by: actorSchema }).strict(),
  assigned: z
    .object({ to: z.object({ kind: z.enum(['human', 'ai']), id: text.optional(), model: text.optional() }).strict() })
    .strict(),
  escalated: z.object({ reason: z.enum(ESCALATION_REASONS), by: actorSchema, note: z.string().optional() }).strict(),
  csat: z.object({ score: z.number().int().min(1).max(5), comment: z.string().optional() }).strict(),
};

export const KNOWN_EVENT_TYPES = Object.keys(payloadSchemas);

/** Who did it, when a line does not say so explicitly with `actor`. */
function deriveActor(type: string, payload: Record<string, unknown>): Actor {
  switch (type) {
    case 'message':
      return payload.author as Actor;
    case 'status':
    case 'escalated':
      return payload.by as Actor;
    case 'created':
    case 'csat':
      return typeof payload.requester === 'string' ? { kind: 'customer', id: payload.requester } : { kind: 'customer' };
    default:
      return { kind: 'system' };
  }
}

function firstIssue(error: z.ZodError): LineError {
  const issue = error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : '(line)';
  if (issue.code === 'unrecognized_keys') {
    return new LineError(issue.keys.map((k) => [...issue.path, k].join('.')).join(', '), 'unknown field');
  }
  return new LineError(field, issue.message);
}

function requireString(line: Record<string, unknown>, field: string): string {
  const value = line[field];
  if (value === undefined) throw new LineError(field, 'is required');
  if (typeof value !== 'string' || value.length === 0) throw new LineError(field, 'must be a non-empty string');
  return value;
}

function requireTimestamp(line: Record<string, unknown>, field: string): string {
  const value = requireString(line, field);
  const normalized = normalizeTimestamp(value);
  if (!normalized) throw new LineError(field, `"${value}" is not an ISO 8601 timestamp with a time zone`);
  return normalized;
}

/** Validates one decoded JSONL line. Throws LineError naming the field at fault. */
export function parseEventLine(line: unknown): LedgerEventInput {
  if (typeof line !== 'object' || line === null || Array.isArray(line)) throw new LineError('(line)', 'must be a JSON object');
  const record = line as Record<string, unknown>;
  const ticket = requireString(record, 'ticket');
  if (ticket.length > 200) throw new LineError('ticket', 'must be at most 200 characters');
  const type = requireString(record, 'type');
  const schema = payloadSchemas[type];
  if (!schema) throw new LineError('type', `unknown event type "${type}" (expected one of ${KNOWN_EVENT_TYPES.join(', ')})`);
  const at = requireTimestamp(record, 'at');

  const rawPayload: Record<string, unknown> = {};
  for (const key in record) if (!ENVELOPE_KEYS.has(key)) rawPayload[key] = record[key];
  const parsed = schema.safeParse(rawPayload);
  if (!parsed.success) throw firstIssue(parsed.error);

  let actor: Actor;
  if (record.actor !== undefined) {
    const parsedActor = actorSchema.safeParse(record.actor);
    if (!parsedActor.success) {
      const issue = firstIssue(parsedActor.error);
      throw new LineError(`actor.${issue.field}`.replace('.(line)', ''), issue.reason);
    }
    actor = parsedActor.data;
  } else {
    actor = deriveActor(type, rawPayload);
  }

  let payload: string;
  try {
    payload = canonicalJson(rawPayload);
  } catch (error) {
    if (error instanceof CanonicalizationError) throw new LineError('(line)', error.message);
    throw error;
  }
  const event: LedgerEventInput = { ticket, type, at, actor, payload };
  const exported = ['seq', 'recordedAt', 'prevHash', 'hash'].filter((key) => record[key] !== undefined);
  if (exported.length > 0) {
    if (exported.length !== 4) {
      const missing = ['seq', 'recordedAt', 'prevHash', 'hash'].find((key) => record[key] === undefined)!;
      throw new LineError(missing, 'is required when an exported line carries seq, recordedAt, prevHash or hash');
    }
    if (!Number.isSafeInteger(record.seq) || (record.seq as number) < 1) throw new LineError('seq', 'must be a positive integer');
    event.seq = record.seq as number;
    event.recordedAt = requireTimestamp(record, 'recordedAt');
    const prev = hex64.safeParse(record.prevHash);
    if (!prev.success) throw new LineError('prevHash', prev.error.issues[0]!.message);
    const hash = hex64.safeParse(record.hash);
    if (!hash.success) throw new LineError('hash', hash.error.issues[0]!.message);
    event.prevHash = prev.data;
    event.hash = hash.data;
  }
  return event;
}

/** The exported line for a stored event: envelope first, then payload fields, then the chain fields. */
export function formatEventLine(row: {
  seq: number;
  ticket_id: string;
  type: string;
  at: string;
  recorded_at: string;
  actor: string;
  payload: string;
  prev_hash: string;
  hash: string;
}): string {
  const payloadBody = row.payload.slice(1, -1);
  return (
    `{"seq":${row.seq},"ticket":${JSON.stringify(row.ticket_id)},"type":${JSON.stringify(row.type)},` +
    `"at":${JSON.stringify(row.at)}${payloadBody ? ',' + payloadBody : ''},"actor":${row.actor},` +
    `"recordedAt":${JSON.stringify(row.recorded_at)},"prevHash":"${row.prev_hash}","hash":"${row.hash}"}`
  );
}
