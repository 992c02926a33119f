import type { Actor } from '../../../shared/domain.ts';

const numberFormat = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => numberFormat.format(n);

export const shortHash = (hash: string): string => hash.slice(0, 12);

export const humanize = (value: string): string => value.replace(/_/g, ' ');

function parse(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `2024-03-05 14:07Z` — UTC, so every auditor reads the same clock. */
export function formatDateTime(iso: string): string {
  const d = parse(iso);
  return d ? `${d.toISOString().slice(0, 16).replace('T', ' ')}Z` : iso;
}

/** `2024-03-05 14:07:33Z` */
export function formatTimestamp(iso: string): string {
  const d = parse(iso);
  return d ? `${d.toISOString().slice(0, 19).replace('T', ' ')}Z` : iso;
}

export function actorLabel(actor: Actor): string {
  // A person with an account is shown by their printed name, with the account it is recorded under.
  if (actor.name) return `${actor.kind} · ${actor.name} (${actor.id ?? 'no account'})`;
  const who = [actor.id, actor.model].filter(Boolean).join(' / ');
  return who ? `${actor.kind} · ${who}` : actor.kind;
}

export const RESOLVED_LABELS = { ai: 'AI', human: 'Human', unresolved: 'Unresolved' } as const;
