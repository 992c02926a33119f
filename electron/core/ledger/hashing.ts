import { hash } from 'node:crypto';

export class CanonicalizationError extends Error {}

function canonical(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new CanonicalizationError('contains an unpaired UTF-16 surrogate');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalizationError('contains a number that is not finite');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (!key.isWellFormed()) throw new CanonicalizationError('contains a key with an unpaired UTF-16 surrogate');
        out += `${i ? ',' : ''}${JSON.stringify(key)}:${canonical(record[key])}`;
      }
      return out + '}';
    }
    default:
      throw new CanonicalizationError(`contains a value of type ${typeof value}, which JSON cannot hold`);
  }
}

const ARRAY_INDEX_KEY = /^(?:0|[1-9]\d*)$/;
const NEEDS_STRING_BUILDER = Symbol('needs string builder');

/**
 * The same data with every object's keys inserted in sorted order, so plain JSON.stringify emits them
 * in that order. JavaScript objects always list array-index keys ("2", "10") first, numerically, so an
 * object with such a key cannot be reordered this way; then the caller builds the string by hand.
 */
function withSortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && !value.isWellFormed()) throw new CanonicalizationError('contains an unpaired UTF-16 surrogate');
    if (typeof value === 'number' && !Number.isFinite(value)) throw new CanonicalizationError('contains a number that is not finite');
    return value;
  }
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = withSortedKeys(value[i]);
      if (item === NEEDS_STRING_BUILDER) return item;
      items[i] = item;
    }
    return items;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let unchanged = true;
  for (let i = 1; i < keys.length && unchanged; i++) if (keys[i - 1]! > keys[i]!) unchanged = false;
  if (!unchanged) keys.sort();
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    if (ARRAY_INDEX_KEY.test(key) || !key.isWellFormed()) return NEEDS_STRING_BUILDER;
    const original = record[key];
    const item = withSortedKeys(original);
    if (item === NEEDS_STRING_BUILDER) return item;
    if (item !== original) unchanged = false;
    result[key] = item;
  }
  // Already canonical in order: hand back the original and let the copy be collected young.
  return unchanged ? value : result;
}

/**
 * RFC 8785 (JCS) canonical JSON of JSON data: keys sorted by UTF-16 code units, no whitespace,
 * ECMAScript string and number serialization (JSON.stringify's). Tests cross-check it against
 * the `canonicalize` library.
 */
export function canonicalJson(value: unknown): string {
  const sorted = withSortedKeys(value);
  return sorted === NEEDS_STRING_BUILDER ? canonical(value) : JSON.stringify(sorted);
}

/**
 * canonicalJson() of an actor, which the schema limits to {kind, id?, model?} with string values: the same
 * bytes, written straight out in key order (id < kind < model), because every event needs one.
 */
export function canonicalActorJson(actor: { kind: string; id?: string; model?: string; name?: string }): string {
  for (const value of [actor.kind, actor.id, actor.model, actor.name]) {
    if (value !== undefined && !value.isWellFormed()) throw new CanonicalizationError('contains an unpaired UTF-16 surrogate');
  }
  // JCS orders keys by UTF-16 code units: id, kind, model, name.
  return (
    `{${actor.id === undefined ? '' : `"id":${JSON.stringify(actor.id)},`}"kind":${JSON.stringify(actor.kind)}` +
    `${actor.model === undefined ? '' : `,"model":${JSON.stringify(actor.model)}`}` +
    `${actor.name === undefined ? '' : `,"name":${JSON.stringify(actor.name)}`}}`
  );
}

export interface HashedFields {
  seq: number;
  ticket: string | null;
  type: string;
  at: string;
  recordedAt: string;
  /** Canonical JSON text of the actor object. */
  actor: string;
  /** Canonical JSON text of the payload object. */
  payload: string;
  prevHash: string;
}

/**
 * The exact bytes an event's hash covers: the canonical JSON (RFC 8785) of
 * {actor, at, payload, prevHash, recordedAt, seq, ticket, type}. Written out by hand in key order
 * because actor and payload are stored canonical already; an auditor recomputes it with any JCS library.
 */
export function hashPreimage(fields: HashedFields): string {
  return (
    `{"actor":${fields.actor},"at":${JSON.stringify(fields.at)},"payload":${fields.payload},` +
    `"prevHash":${JSON.stringify(fields.prevHash)},"recordedAt":${JSON.stringify(fields.recordedAt)},` +
    `"seq":${fields.seq},"ticket":${JSON.stringify(fields.ticket)},"type":${JSON.stringify(fields.type)}}`
  );
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

export function eventHash(fields: HashedFields): string {
  return sha256Hex(hashPreimage(fields));
}
