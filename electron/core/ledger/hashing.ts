import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** RFC 8785 (JCS) canonical JSON: sorted keys, no whitespace, ECMAScript number formatting. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value cannot be canonicalized');
  return text;
}

export interface HashedFields {
  seq: number;
  ticket: string;
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
