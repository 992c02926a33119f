import type { Actor } from '../../../shared/domain.ts';

const numberFormat = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => numberFormat.format(n);

export const shortHash = (hash: string): string => hash.slice(0, 12);

export const humanize = (value: string): string => value.replace(/_/g, ' ');

function parse(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

// One date format across the console: ISO order (YYYY-MM-DD HH:mm, 24 h) on the reader's own clock, with the zone
// written out so a time is never mistaken for another zone's. Every date and time the console shows comes from here.

/** How long the reader's zone is taken as known: a change of the machine's zone shows within this. */
const ZONE_KEPT_MS = 1_000;
let knownZone: { zone: string; at: number } | null = null;

/**
 * The reader's IANA time zone ("Europe/Berlin", "UTC"): for column headers over times shown without a zone. Asking
 * means making a DateTimeFormat, which costs more than formatting a date: asked for every date of the queue's first
 * page, it was 118 ms of the console's first render (a CPU profile of the page). So the answer is kept for a second.
 */
export function userTimeZone(): string {
  const now = Date.now();
  if (!knownZone || now - knownZone.at > ZONE_KEPT_MS || now < knownZone.at) {
    knownZone = { zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', at: now };
  }
  return knownZone.zone;
}

interface ZoneOptions {
  /** Defaults to the reader's zone (userTimeZone()). */
  timeZone?: string;
  /** false: leave the zone off (a column header already names it). */
  zone?: boolean;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

type WallClock = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;

function partsIn(d: Date, timeZone: string): WallClock {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormats.set(timeZone, format);
  }
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of format.formatToParts(d)) if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
  return out;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * "UTC" at offset zero, else "UTC+01:00" / "UTC−05:00": the offset in force at that instant (DST included), from the
 * instant's wall clock in the zone (`p`, partsIn).
 */
function offsetLabel(d: Date, p: WallClock): string {
  const wallMs = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const minutes = Math.round((wallMs - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '\u2212';
  return `UTC${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

function formatIn(iso: string, withSeconds: boolean, options: ZoneOptions): string {
  const d = parse(iso);
  if (!d) return iso;
  const timeZone = options.timeZone ?? userTimeZone();
  const p = partsIn(d, timeZone);
  const text = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}${withSeconds ? `:${pad(p.second)}` : ''}`;
  return options.zone === false ? text : `${text} ${offsetLabel(d, p)}`;
}

/** `2024-03-05 15:07 UTC+01:00` — to the minute, on the reader's clock, zone shown. */
export function formatDateTime(iso: string, options: ZoneOptions = {}): string {
  return formatIn(iso, false, options);
}

/** `2024-03-05 15:07:33 UTC+01:00` — to the second, for ledger events, signatures and verifications. */
export function formatTimestamp(iso: string, options: ZoneOptions = {}): string {
  return formatIn(iso, true, options);
}

/** `2024-03-05` — the reader's calendar day of an instant. */
export function formatDay(iso: string, options: Pick<ZoneOptions, 'timeZone'> = {}): string {
  return formatIn(iso, false, { ...options, zone: false }).slice(0, 10);
}

export function actorLabel(actor: Actor): string {
  // A person with an account is shown by their printed name, with the account it is recorded under.
  if (actor.name) return `${actor.kind} · ${actor.name} (${actor.id ?? 'no account'})`;
  const who = [actor.id, actor.model].filter(Boolean).join(' / ');
  return who ? `${actor.kind} · ${who}` : actor.kind;
}

export const RESOLVED_LABELS = { ai: 'AI', human: 'Human', unresolved: 'Unresolved' } as const;

/** The words for a ticket's SLA state (TICKET_SLA_STATES): in the queue's column and its filter. */
export const SLA_STATE_LABELS = { breached: 'Breached', in_progress: 'In progress', achieved: 'Achieved', none: 'No SLA' } as const;
