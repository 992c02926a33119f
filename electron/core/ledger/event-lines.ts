// "Attest JSONL v1": the shape of one event line, for import and export.
import { z } from 'zod';
import { actorSchema, type Actor } from '../../../shared/domain.ts';
import { eventTypeSpec, knownEventTypes, type EventTypeSpec } from './event-registry.ts';
import type { EventRow } from './ledger-repository.ts';
import { CanonicalizationError, canonicalJson } from './hashing.ts';
import { normalizeTimestamp } from './timestamps.ts';
import { LineError } from './line-error.ts';

export { LineError } from './line-error.ts';

/** An event as the ledger appends it. seq/recordedAt/prevHash/hash are present only on exported lines. */
export interface LedgerEventInput {
  /** null for ledger-wide facts (event types whose scope is 'ledger'). */
  ticket: string | null;
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

const ENVELOPE_KEYS = new Set(['ticket', 'type', 'at', 'actor', 'seq', 'recordedAt', 'prevHash', 'hash']);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

/** The spec of a known event type (parseEventLine has refused unknown ones). */
export function eventTypeSpecOf(type: string): EventTypeSpec {
  const spec = eventTypeSpec(type);
  if (spec) return spec;
  const known = knownEventTypes();
  // An empty registry is a wiring fault of the program, not a fault of the line: say so plainly.
  if (known.length === 0) throw new Error('no event types are registered: the entry point must call registerFeatures() (electron/core/features.ts)');
  throw new LineError('type', `unknown event type "${type}" (expected one of ${known.join(', ')})`);
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
  const type = requireString(record, 'type');
  const spec = eventTypeSpecOf(type);
  let ticket: string | null = null;
  if (spec.scope === 'ticket') {
    ticket = requireString(record, 'ticket');
    if (ticket.length > 200) throw new LineError('ticket', 'must be at most 200 characters');
  } else if (record.ticket !== undefined && record.ticket !== null) {
    throw new LineError('ticket', `must be absent: "${type}" is a ledger-wide event`);
  }
  const at = requireTimestamp(record, 'at');

  // No prototype: a "__proto__" key stays an ordinary (and, to the strict schemas, unknown) field.
  const rawPayload: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key in record) if (!ENVELOPE_KEYS.has(key)) rawPayload[key] = record[key];
  const parsed = spec.payload.safeParse(rawPayload);
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
    actor = spec.actor ? spec.actor(rawPayload) : { kind: 'system' };
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
export function formatEventLine(row: EventRow): string {
  const payloadBody = row.payload.slice(1, -1);
  return (
    `{"seq":${row.seq},"ticket":${JSON.stringify(row.ticket_id)},"type":${JSON.stringify(row.type)},` +
    `"at":${JSON.stringify(row.at)}${payloadBody ? ',' + payloadBody : ''},"actor":${row.actor},` +
    `"recordedAt":${JSON.stringify(row.recorded_at)},"prevHash":"${row.prev_hash}","hash":"${row.hash}"}`
  );
}
