// Deterministic demo-history generator: a helpdesk ledger of ~6 months in "Attest JSONL v1" lines.
//
// The first part of the period is handled by human agents only; from demoPilotStart() on, an AI assistant
// (model llama3.2:3b) answers a growing share of the tier-1 categories, solves some tickets itself, parks some
// as pending and escalates the rest to humans. Arrivals follow Europe/Berlin weekday/business-hour patterns,
// with occasional incident spikes.
//
// Streaming design: tickets are simulated in creation order; each ticket's whole life is planned up front as
// compact (time, op-code) arrays, and a binary min-heap keyed by (next event time, ticket index) merges the
// active tickets so lines come out in non-decreasing `at` order. Text is rendered only when a line is emitted.
// Ticket lifetimes are capped at 30 days (and at the end of the period), so the heap only ever holds the
// tickets that are still active. Same options → byte-identical output.
import { ESCALATION_REASONS, type Actor } from '../../../shared/domain.ts';
import { DateTime } from 'luxon';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { withDisclosure } from '../ai/disclosure.ts';
import { DEMO_REPLY_CLOSING } from './demo-organization.ts';
import { BusinessCalendar, DAY, HOUR, MINUTE } from './calendar.ts';
import {
  AGENT_NAMES,
  AGENT_SIGNOFFS,
  AI_ANSWER,
  AI_ASK_INFO,
  AI_FOLLOWUP_ANSWER,
  AI_HANDOFF,
  AI_HANDOFF_NOTE,
  AI_REOPEN,
  AMOUNTS,
  CARRIERS,
  CSAT_COMMENTS,
  CUSTOMER_ASK_HUMAN,
  CUSTOMER_FOLLOWUP,
  CUSTOMER_GREETINGS,
  CUSTOMER_INFO_REPLY,
  CUSTOMER_PHONE_PREFIX,
  CUSTOMER_REOPEN,
  CUSTOMER_SIGNOFFS,
  ERROR_CODES,
  FEATURES,
  FIRST_NAMES,
  HUMAN_ANSWER,
  HUMAN_ASK_INFO,
  HUMAN_HOLD,
  HUMAN_INTERIM,
  HUMAN_NOTE,
  HUMAN_REOPEN_REPLY,
  HUMAN_TAKEOVER,
  OUTAGE_ACK,
  PLANS,
  PLATFORMS,
  PRODUCTS,
  TOPICS,
  compile,
  type Compiled,
  type Topic,
} from './texts.ts';

// ---------------------------------------------------------------------------------------------- public API

export interface DemoOptions {
  /** Number of tickets to create (T-1 … T-N). */
  tickets: number;
  /** RNG seed; same options → identical output. */
  seed: number;
  /** Start of the period, ISO 8601 (default 2026-05-01T00:00:00Z). */
  start?: string;
  /** Length of the period in months (default 6). */
  months?: number;
  /** Fraction of the period before the AI pilot starts (default 0.5). */
  pilotStartFraction?: number;
}

/** One "Attest JSONL v1" line object. */
export type DemoEventLine = Record<string, unknown>;

export const DEMO_AI_MODEL = 'llama3.2:3b';
export const DEMO_DEFAULT_START = '2026-05-01T00:00:00Z';
export const DEMO_AGENT_COUNT = 25;

const AGENT_SURNAMES = [
  'Keller', 'Brandt', 'Vogel', 'Hartmann', 'Demir', 'Schulze', 'Lorenz', 'Fischer', 'Albrecht', 'Weber', 'Krüger',
  'Neumann', 'Roth', 'Hoffmann', 'Wagner', 'Busch', 'Seidel', 'Peters', 'Frank', 'Jansen', 'Yilmaz', 'Berg',
  'Sommer', 'Engel', 'Winter',
] as const;

/** A helpdesk agent of the demo: a person of the source helpdesk, named by id and printed name (not an account). */
function agentActor(agent: number): Actor {
  const index = (agent - 1) % AGENT_NAMES.length;
  return { kind: 'human', id: `agent-${agent}`, name: `${AGENT_NAMES[index]} ${AGENT_SURNAMES[index]}` };
}
/** Longest span between a ticket's created event and its last event. */
export const DEMO_MAX_TICKET_LIFETIME_MS = 30 * DAY;
/** Tickets the AI would take that arrived in the period's last hours are left waiting for it. */
export const DEMO_AI_BACKLOG_MS = 72 * HOUR;

export const DEMO_CATEGORIES = [
  'password_reset',
  'shipping_status',
  'how_to',
  'billing_question',
  'refund',
  'cancellation',
  'bug_report',
  'outage',
] as const;
export const DEMO_CHANNELS = ['email', 'web', 'chat', 'phone'] as const;
/** Tier-1 categories the AI handles during the pilot (it also takes a minority of billing questions). */
export const DEMO_PILOT_CATEGORIES: readonly string[] = ['password_reset', 'shipping_status', 'how_to'];
/** Categories the AI handles only partly during the pilot. */
export const DEMO_PILOT_PARTIAL_CATEGORIES: readonly string[] = ['billing_question'];

interface Resolved {
  startMs: number;
  endMs: number;
  pilotMs: number;
  tickets: number;
  seed: number;
}

function resolveOptions(opts: DemoOptions): Resolved {
  const tickets = opts.tickets;
  if (!Number.isInteger(tickets) || tickets < 0) throw new RangeError('tickets must be a non-negative integer');
  if (!Number.isFinite(opts.seed)) throw new RangeError('seed must be a finite number');
  const startDt = DateTime.fromISO(opts.start ?? DEMO_DEFAULT_START, { zone: 'utc' });
  if (!startDt.isValid) throw new RangeError(`invalid start: ${opts.start}`);
  const months = opts.months ?? 6;
  if (!(months > 0) || months > 120) throw new RangeError('months must be in (0, 120]');
  const whole = Math.floor(months);
  const startMs = startDt.toMillis();
  const endMs = startDt.plus({ months: whole }).toMillis() + Math.round((months - whole) * 30 * DAY);
  const fraction = opts.pilotStartFraction ?? 0.5;
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError('pilotStartFraction must be in [0, 1]');
  // Pilot begins on a whole hour (go-live), never after the end of the period.
  const raw = startMs + fraction * (endMs - startMs);
  const pilotMs = Math.min(endMs, Math.floor(raw / HOUR) * HOUR);
  return { startMs, endMs, pilotMs, tickets, seed: opts.seed };
}

/** ISO timestamp at which the AI pilot begins (start + pilotStartFraction of the period, floored to the hour). */
export function demoPilotStart(opts: Pick<DemoOptions, 'start' | 'months' | 'pilotStartFraction'>): string {
  return new Date(resolveOptions({ tickets: 0, seed: 0, ...opts }).pilotMs).toISOString();
}

// ---------------------------------------------------------------------------------------------- randomness

class Rng {
  readonly g: JumpableRandomGenerator;
  constructor(g: JumpableRandomGenerator) {
    this.g = g;
  }
  /** [0, 1) with 32 bits of resolution. */
  float(): number {
    return (this.g.next() >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return uniformInt(this.g, lo, hi);
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(arr: readonly T[]): T {
    return arr[uniformInt(this.g, 0, arr.length - 1)] as T;
  }
  /** Index drawn from cumulative weights. */
  weighted(cum: Float64Array): number {
    const x = this.float() * (cum[cum.length - 1] as number);
    let i = 0;
    while (i < cum.length - 1 && x >= (cum[i] as number)) i++;
    return i;
  }
  normal(): number {
    const u = 1 - this.float(); // (0, 1]
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Log-normal with the given median, capped to [min, max]. */
  logNormal(median: number, sigma: number, min: number, max: number): number {
    const x = median * Math.exp(sigma * this.normal());
    return x < min ? min : x > max ? max : x;
  }
}

function makeRng(seed: number): Rng {
  const lo = seed | 0;
  const hi = Math.floor(seed / 4294967296) | 0;
  const g = xoroshiro128plus(lo ^ Math.imul(hi, 0x9e3779b1));
  for (let i = 0; i < 32; i++) g.next(); // the first outputs of a fresh xoroshiro state are poorly mixed
  return new Rng(g);
}

function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) out[i] = s += weights[i] as number;
  return out;
}

// ---------------------------------------------------------------------------------------------- model constants

// Category indexes into DEMO_CATEGORIES (0–2 are tier 1, 3–5 tier 2, 6–7 tier 3).
const C_BILLING = 3;
const C_BUG = 6;
const C_OUTAGE = 7;
const CAT_TIER = [1, 1, 1, 2, 2, 2, 3, 3] as const;
const CAT_CUM = cumulative([15, 20, 17, 14, 10, 7, 12, 5]);
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const P_URGENT = 3;
const PRIORITY_CUM: readonly Float64Array[] = [
  cumulative([15, 66, 16, 3]),
  cumulative([14, 66, 17, 3]),
  cumulative([35, 58, 6, 1]),
  cumulative([15, 65, 17, 3]),
  cumulative([10, 62, 23, 5]),
  cumulative([20, 66, 12, 2]),
  cumulative([8, 55, 30, 7]),
  cumulative([0, 15, 45, 40]),
];
const CHANNEL_CUM = cumulative([40, 30, 20, 10]);
const INCIDENT_CHANNEL_CUM = cumulative([20, 25, 35, 20]);
const CH_CHAT = 2;
const CH_PHONE = 3;
const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
const S_NEW = 0;
const S_OPEN = 1;
const S_PENDING = 2;
const S_HOLD = 3;
const S_SOLVED = 4;
const S_CLOSED = 5;
const REASONS = ESCALATION_REASONS; // R_* below index this list
const R_CUSTOMER = 0;
const R_MISSING = 1;
const R_TOOL = 4;
const R_LOWCONF = 5;
// Escalation reason weights per AI-handled category (index = category).
const REASON_CUM: readonly Float64Array[] = [
  cumulative([25, 8, 15, 17, 20, 15]),
  cumulative([25, 15, 15, 8, 27, 10]),
  cumulative([20, 35, 15, 5, 5, 20]),
  cumulative([20, 15, 10, 35, 10, 10]),
];
// Human agents: tier-1 desk, billing desk, technical desk (overlapping).
const AGENT_POOLS: readonly (readonly number[])[] = [
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  [9, 10, 11, 12, 13, 14, 15, 16, 17, 18],
  [16, 17, 18, 19, 20, 21, 22, 23, 24, 25],
];
// Base arrival weights by Berlin local hour.
const HOUR_WEEKDAY = [
  0.12, 0.08, 0.06, 0.06, 0.08, 0.15, 0.35, 0.8, 1.5, 2.0, 2.1, 2.0, 1.7, 1.8, 1.9, 1.8, 1.6, 1.3, 1.0, 0.85, 0.75, 0.6,
  0.4, 0.22,
];
const HOUR_WEEKEND = [
  0.2, 0.12, 0.08, 0.07, 0.07, 0.1, 0.2, 0.4, 0.7, 1.0, 1.2, 1.3, 1.3, 1.25, 1.2, 1.15, 1.1, 1.05, 1.0, 0.95, 0.85, 0.7,
  0.5, 0.3,
];
const DAY_FACTOR = [0, 1.3, 1.12, 1.05, 1.0, 0.9, 0.45, 0.4]; // index = ISO weekday
const HOLIDAY_FACTOR = 0.45;

// Actor kinds for status "by".
const BY_CUSTOMER = 0;
const BY_AI = 1;
const BY_HUMAN = 2;
const BY_SYSTEM = 3;

// Op codes (low 8 bits of a plan code; the argument sits above).
const OP_CREATED = 0;
const OP_MSG_CUSTOMER = 1;
const OP_MSG_AI = 2;
const OP_NOTE_AI = 3;
const OP_MSG_HUMAN = 4;
const OP_NOTE_HUMAN = 5;
const OP_STATUS = 6;
const OP_ASSIGN = 7;
const OP_ESCALATE = 8;
const OP_CSAT = 9;
const OP_WORKLOG = 10;
// Customer message kinds.
const CM_INITIAL = 0;
const CM_INFO = 1;
const CM_FOLLOWUP = 2;
const CM_ASK_HUMAN = 3;
const CM_REOPEN = 4;
// AI message kinds.
const AM_ANSWER = 0;
const AM_ASK_INFO = 1;
const AM_FOLLOWUP = 2;
const AM_HANDOFF = 3;
const AM_REOPEN = 4;
// Human message kinds.
const HM_ANSWER = 0;
const HM_ASK_INFO = 1;
const HM_HOLD = 2;
const HM_TAKEOVER = 3;
const HM_REOPEN = 4;
const HM_OUTAGE_ACK = 5;
const HM_INTERIM = 6;

// Who solved the ticket last.
const SOLVER_NONE = 0;
const SOLVER_AI = 1;
const SOLVER_HUMAN = 2;
const SOLVER_SYSTEM = 3;

interface Incident {
  start: number;
  end: number;
  name: string;
}

interface Ticket {
  idx: number;
  created: number;
  cat: number;
  ch: number;
  pri: number;
  customer: number;
  agent: number; // human agent number, 0 when none
  incident: number; // index into incidents, -1 when none
  // text slots (indexes / numbers), fixed per ticket so all messages agree
  order: number;
  product: number;
  plan: number;
  amount: number;
  invoice: number;
  tracking: number;
  carrier: number;
  feature: number;
  code: number;
  platform: number;
  days: number;
  topic: number; // index into TOPICS[category]
  // plan
  times: number[];
  codes: number[];
  cur: number;
}

// ---------------------------------------------------------------------------------------------- plan building

/** Writes one ticket's events; times are clamped to be non-decreasing and cut at the ticket's horizon. */
class PlanWriter {
  t!: Ticket;
  limit = 0;
  last = 0;
  dead = false;
  status = S_NEW;
  solver = SOLVER_NONE;

  begin(t: Ticket, limit: number): void {
    this.t = t;
    this.limit = limit;
    this.last = t.created;
    this.dead = false;
    this.status = S_NEW;
    this.solver = SOLVER_NONE;
  }

  /** Adds an event; returns the (possibly clamped) time used. */
  add(at: number, code: number): number {
    let time = Math.round(at / 1000) * 1000;
    if (time < this.last) time = this.last;
    if (this.dead || time > this.limit) {
      this.dead = true;
      return time;
    }
    this.last = time;
    this.t.times.push(time);
    this.t.codes.push(code);
    return time;
  }

  setStatus(at: number, status: number, by: number): number {
    if (status === this.status) return at;
    this.status = status;
    if (status === S_SOLVED) {
      this.solver = by === BY_AI ? SOLVER_AI : by === BY_SYSTEM ? SOLVER_SYSTEM : SOLVER_HUMAN;
    }
    const time = this.add(at, OP_STATUS | (status << 8) | (by << 12));
    // Every human solve logs the agent's handle time (the source of AHT).
    if (status === S_SOLVED && by === BY_HUMAN && !this.dead) this.add(time, OP_WORKLOG | (worklogMinutes(this.t) << 8));
    return time;
  }
}

/**
 * Minutes an agent logs for a solve: around 7 / 13 / 24 minutes by tier. Drawn from a hash of the ticket
 * and its plan position rather than the simulation RNG, so adding worklogs shifted no other event.
 */
function worklogMinutes(t: Ticket): number {
  let h = Math.imul(t.idx + 1, 0x9e3779b1) ^ Math.imul(t.times.length + 1, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  const u = (h >>> 0) / 2 ** 32;
  const base = [0, 7, 13, 24][CAT_TIER[t.cat] as number] as number;
  return Math.max(1, Math.round(base * (0.5 + 1.5 * u * u)));
}

class Simulator {
  readonly rng: Rng;
  readonly cal: BusinessCalendar;
  readonly r: Resolved;
  readonly incidents: Incident[];
  readonly w = new PlanWriter();
  customers = 0;

  constructor(r: Resolved, rng: Rng, cal: BusinessCalendar, incidents: Incident[]) {
    this.r = r;
    this.rng = rng;
    this.cal = cal;
    this.incidents = incidents;
  }

  pickCustomer(): number {
    const rng = this.rng;
    if (this.customers > 0 && rng.chance(0.42)) {
      // repeat customer, skewed towards long-standing ones
      const u = rng.float();
      return 1 + Math.floor(this.customers * u * u);
    }
    return ++this.customers;
  }

  newTicket(idx: number, created: number, incident: number): Ticket {
    const rng = this.rng;
    const inIncident = incident >= 0;
    const cat = inIncident ? (rng.chance(0.85) ? C_OUTAGE : C_BUG) : rng.weighted(CAT_CUM);
    const pri = rng.weighted(PRIORITY_CUM[cat] as Float64Array);
    const ch = rng.weighted(inIncident ? INCIDENT_CHANNEL_CUM : CHANNEL_CUM);
    return {
      idx,
      created,
      cat,
      ch,
      pri,
      customer: this.pickCustomer(),
      agent: 0,
      incident: inIncident && cat === C_OUTAGE ? incident : -1,
      order: rng.int(100000, 999999),
      product: rng.int(0, PRODUCTS.length - 1),
      plan: rng.int(0, PLANS.length - 1),
      amount: rng.int(0, AMOUNTS.length - 1),
      invoice: rng.int(10000, 99999),
      tracking: rng.int(10000000, 99999999),
      carrier: rng.int(0, CARRIERS.length - 1),
      feature: rng.int(0, FEATURES.length - 1),
      code: rng.int(0, ERROR_CODES.length - 1),
      platform: rng.int(0, PLATFORMS.length - 1),
      days: rng.int(1, 4),
      topic: rng.int(0, (TOPICS[DEMO_CATEGORIES[cat] as string] as readonly Topic[]).length - 1),
      times: [],
      codes: [],
      cur: 0,
    };
  }

  /** Plans the whole life of a ticket. */
  plan(t: Ticket): void {
    const w = this.w;
    const rng = this.rng;
    w.begin(t, Math.min(t.created + DEMO_MAX_TICKET_LIFETIME_MS, this.r.endMs));
    let at = w.add(t.created, OP_CREATED);
    at = w.add(at + rng.int(0, 3) * 1000, OP_MSG_CUSTOMER | (CM_INITIAL << 8));

    const pilot = t.created >= this.r.pilotMs;
    let escalated = false;
    let askedHuman = false;
    if (pilot && this.aiTakes(t)) {
      // The newest tickets the AI would take are still waiting for it: the demo's open backlog.
      if (t.created >= this.r.endMs - DEMO_AI_BACKLOG_MS) return;
      const res = this.aiFlow(t, at);
      at = res.at;
      escalated = res.escalated;
      askedHuman = res.askedHuman;
      if (escalated) at = this.humanFlow(t, at, true);
    } else {
      at = this.humanFlow(t, at, false);
    }

    // After the (first) solve: reopens, then CSAT, then automatic close.
    let reopens = 0;
    for (let round = 0; round < 2 && !w.dead && w.status === S_SOLVED; round++) {
      const p = w.solver === SOLVER_AI ? aiProfile(t).reopen : w.solver === SOLVER_SYSTEM ? 0.12 : 0.055;
      if (!rng.chance(round === 0 ? p : p / 2)) break;
      const when = at + rng.logNormal(18 * HOUR, 1.0, 20 * MINUTE, 3.5 * DAY);
      at = w.add(when, OP_MSG_CUSTOMER | (CM_REOPEN << 8));
      w.setStatus(at, S_OPEN, BY_CUSTOMER);
      reopens++;
      if (w.solver === SOLVER_AI && pilot) {
        at = this.aiReopen(t, at);
        if (w.status !== S_SOLVED && !w.dead) {
          escalated = true;
          at = this.humanFlow(t, at, true);
        }
      } else {
        at = this.humanReopen(t, at);
      }
    }
    if (w.dead || w.status !== S_SOLVED) return;
    const solvedAt = at;
    const closeAt = solvedAt + 4 * DAY + rng.int(0, 6 * 60) * MINUTE;
    const csatP = w.solver === SOLVER_SYSTEM ? 0.08 : w.solver === SOLVER_AI ? 0.3 : 0.36;
    if (rng.chance(csatP)) {
      const csatAt = solvedAt + rng.logNormal(5 * HOUR, 1.1, 5 * MINUTE, 3.5 * DAY);
      const score = this.csatScore(t, reopens, escalated, askedHuman, solvedAt - t.created);
      at = w.add(csatAt, OP_CSAT | (score << 8));
    }
    w.setStatus(closeAt, S_CLOSED, BY_SYSTEM);
  }

  /** Share of tickets the AI picks up during the pilot (ramps up over the first four weeks). */
  aiTakes(t: Ticket): boolean {
    if (t.ch === CH_PHONE || t.incident >= 0) return false;
    const ramp = Math.min(1, (t.created - this.r.pilotMs) / (28 * DAY));
    if (CAT_TIER[t.cat] === 1) return this.rng.chance(0.55 + 0.35 * ramp);
    if (t.cat === C_BILLING) return this.rng.chance(0.15 + 0.25 * ramp);
    return false;
  }

  aiDelay(t: Ticket): number {
    return t.ch === CH_CHAT ? this.rng.int(3, 20) * 1000 : this.rng.int(12, 150) * 1000;
  }

  customerDelay(t: Ticket, quick: boolean): number {
    const rng = this.rng;
    if (quick && t.ch === CH_CHAT) return rng.logNormal(3 * MINUTE, 0.8, 20_000, 2 * HOUR);
    return rng.logNormal(3 * HOUR, 1.2, 2 * MINUTE, 5 * DAY);
  }

  /** AI handling of a fresh pilot ticket. Ends solved (by ai/system) or escalated (status open). */
  aiFlow(t: Ticket, start: number): { at: number; escalated: boolean; askedHuman: boolean } {
    const w = this.w;
    const rng = this.rng;
    let at = w.add(start + rng.int(1, 4) * 1000, OP_ASSIGN);
    at += this.aiDelay(t);
    const learning = Math.min(1, (t.created - this.r.pilotMs) / (90 * DAY)) * 0.1;
    const profile = aiProfile(t);
    const pSolve = profile.solve + learning;
    const pPending = profile.pending;
    const x = rng.float();
    const reasonCum = REASON_CUM[t.cat] as Float64Array;

    if (x < pSolve) {
      at = w.add(at, OP_MSG_AI | (AM_ANSWER << 8));
      at = w.setStatus(at + rng.int(0, 2) * 1000, S_SOLVED, BY_AI);
      return { at, escalated: false, askedHuman: false };
    }
    if (x < pSolve + pPending) {
      at = w.add(at, OP_MSG_AI | (AM_ASK_INFO << 8));
      at = w.setStatus(at, S_PENDING, BY_AI);
      if (!rng.chance(0.78)) {
        at = w.setStatus(at + 3 * DAY + rng.int(0, 120) * MINUTE, S_SOLVED, BY_SYSTEM);
        return { at, escalated: false, askedHuman: false };
      }
      at = w.add(at + this.customerDelay(t, true), OP_MSG_CUSTOMER | (CM_INFO << 8));
      at = w.setStatus(at, S_OPEN, BY_CUSTOMER);
      at += this.aiDelay(t);
      if (rng.chance(0.8)) {
        at = w.add(at, OP_MSG_AI | (AM_FOLLOWUP << 8));
        at = w.setStatus(at + rng.int(0, 2) * 1000, S_SOLVED, BY_AI);
        return { at, escalated: false, askedHuman: false };
      }
      at = this.aiEscalate(at, rng.chance(0.5) ? R_LOWCONF : rng.chance(0.5) ? R_MISSING : R_TOOL);
      return { at, escalated: true, askedHuman: false };
    }
    // Escalation path.
    const reason = rng.weighted(reasonCum);
    if (reason === R_CUSTOMER) {
      at = w.add(at, OP_MSG_AI | (AM_ANSWER << 8));
      at = w.setStatus(at, S_OPEN, BY_AI);
      at = w.add(at + this.customerDelay(t, true), OP_MSG_CUSTOMER | (CM_ASK_HUMAN << 8));
      at = this.aiEscalate(at + rng.int(2, 15) * 1000, R_CUSTOMER);
      return { at, escalated: true, askedHuman: true };
    }
    if (rng.chance(0.45)) {
      // escalates straight away instead of answering
      at = this.aiEscalate(at, reason);
      return { at, escalated: true, askedHuman: false };
    }
    at = w.add(at, OP_MSG_AI | (AM_ANSWER << 8));
    at = w.setStatus(at, S_OPEN, BY_AI);
    at = w.add(at + this.customerDelay(t, true), OP_MSG_CUSTOMER | (CM_FOLLOWUP << 8));
    at = this.aiEscalate(at + this.aiDelay(t), reason);
    return { at, escalated: true, askedHuman: false };
  }

  /** escalated + AI handoff note (internal) + AI handoff message (public); status stays/becomes open. */
  aiEscalate(at: number, reason: number): number {
    const w = this.w;
    at = w.add(at, OP_ESCALATE | (reason << 8));
    at = w.add(at, OP_NOTE_AI | (reason << 8));
    at = w.add(at, OP_MSG_AI | (AM_HANDOFF << 8));
    return w.setStatus(at, S_OPEN, BY_AI);
  }

  /** AI answers a reopened ticket it had solved: solves again or escalates (status left open). */
  aiReopen(t: Ticket, at: number): number {
    const w = this.w;
    const rng = this.rng;
    at += this.aiDelay(t);
    if (rng.chance(0.45)) {
      at = w.add(at, OP_MSG_AI | (AM_REOPEN << 8));
      return w.setStatus(at + rng.int(0, 2) * 1000, S_SOLVED, BY_AI);
    }
    if (rng.chance(0.4)) {
      at = w.add(at, OP_MSG_AI | (AM_ANSWER << 8));
      at = w.add(at + this.customerDelay(t, true), OP_MSG_CUSTOMER | (CM_ASK_HUMAN << 8));
      return this.aiEscalate(at + rng.int(2, 15) * 1000, R_CUSTOMER);
    }
    return this.aiEscalate(at, R_LOWCONF);
  }

  /** Human response time from `from` (office hours unless urgent, where on-call answers around the clock). */
  humanDelay(t: Ticket, from: number, medianMin: number): number {
    const rng = this.rng;
    const pilotFactor = t.created >= this.r.pilotMs ? 0.8 : 1; // less queue pressure once the AI helps
    if (t.pri === P_URGENT || t.incident >= 0) {
      return from + rng.logNormal(18 * MINUTE * pilotFactor, 0.7, 2 * MINUTE, 6 * HOUR);
    }
    const factor = t.pri === 0 ? 2 : t.pri === 1 ? 1 : 0.4;
    const busy = rng.logNormal(medianMin * factor * pilotFactor * MINUTE, 0.9, 3 * MINUTE, 2.5 * 10 * HOUR);
    return this.cal.addBusiness(from, busy);
  }

  pickAgent(t: Ticket): number {
    return this.rng.pick(AGENT_POOLS[(CAT_TIER[t.cat] ?? 1) - 1] as readonly number[]);
  }

  /** Human handling from `start` until solved. `afterAi` when taking over an escalation. */
  humanFlow(t: Ticket, start: number, afterAi: boolean): number {
    const w = this.w;
    const rng = this.rng;
    const tier = CAT_TIER[t.cat] as number;
    if (t.agent === 0) t.agent = this.pickAgent(t);
    let at: number;
    if (t.pri === P_URGENT || t.incident >= 0) at = start + rng.logNormal(4 * MINUTE, 0.8, 30_000, HOUR);
    else at = this.cal.addBusiness(start, rng.logNormal(25 * MINUTE, 1.0, MINUTE, 8 * HOUR));
    at = w.add(at, OP_ASSIGN | (t.agent << 8));
    const noteP = tier === 1 ? 0.08 : tier === 2 ? 0.3 : 0.45;
    if (rng.chance(afterAi ? noteP / 2 : noteP)) at = w.add(at + rng.int(1, 20) * MINUTE, OP_NOTE_HUMAN);

    // Incident tickets: quick acknowledgement, on hold until the incident is resolved, then a mass reply.
    if (t.incident >= 0) {
      const inc = this.incidents[t.incident] as Incident;
      at = w.add(this.humanDelay(t, at, 30), OP_MSG_HUMAN | (HM_OUTAGE_ACK << 8));
      at = w.setStatus(at, S_HOLD, BY_HUMAN);
      const fixed = Math.max(inc.end, at) + rng.logNormal(40 * MINUTE, 0.7, 5 * MINUTE, 8 * HOUR);
      at = w.add(fixed, OP_MSG_HUMAN | (HM_ANSWER << 8));
      return w.setStatus(at, S_SOLVED, BY_HUMAN);
    }

    const firstMedian = tier === 1 ? 100 : tier === 2 ? 150 : 180;
    at = this.humanDelay(t, at, afterAi ? firstMedian * 0.6 : firstMedian);
    if (afterAi && rng.chance(0.3)) {
      at = w.add(at, OP_MSG_HUMAN | (HM_TAKEOVER << 8));
      at = this.humanDelay(t, at, 30);
    }

    // Intermediate rounds: ask for information (pending) or answer a follow-up question.
    const rounds = rng.float() < (tier === 1 ? 0.22 : tier === 2 ? 0.5 : 0.6) ? (rng.chance(0.25) ? 2 : 1) : 0;
    for (let i = 0; i < rounds && !w.dead; i++) {
      if (rng.chance(0.65)) {
        at = w.add(at, OP_MSG_HUMAN | (HM_ASK_INFO << 8));
        at = w.setStatus(at, S_PENDING, BY_HUMAN);
        if (!rng.chance(0.85)) {
          // customer never answers: automation solves after 4 days
          return w.setStatus(at + 4 * DAY + rng.int(0, 180) * MINUTE, S_SOLVED, BY_SYSTEM);
        }
        at = w.add(at + this.customerDelay(t, false), OP_MSG_CUSTOMER | (CM_INFO << 8));
        at = w.setStatus(at, S_OPEN, BY_CUSTOMER);
      } else {
        at = w.add(at, OP_MSG_HUMAN | (HM_INTERIM << 8));
        at = w.setStatus(at, S_OPEN, BY_HUMAN);
        at = w.add(at + this.customerDelay(t, false), OP_MSG_CUSTOMER | (CM_FOLLOWUP << 8));
      }
      at = this.humanDelay(t, at, 90);
    }

    // On hold while another team (finance, engineering) works on it.
    const holdP = tier === 1 ? 0.02 : tier === 2 ? 0.12 : t.cat === C_BUG ? 0.4 : 0.2;
    if (rng.chance(holdP)) {
      at = w.add(at, OP_MSG_HUMAN | (HM_HOLD << 8));
      at = w.setStatus(at, S_HOLD, BY_HUMAN);
      const median = tier === 3 ? 4 * DAY : 2 * DAY;
      let resume = at + rng.logNormal(median, 0.7, 3 * HOUR, 12 * DAY);
      if (t.pri !== P_URGENT) resume = this.cal.nextBusiness(resume);
      at = w.setStatus(resume, S_OPEN, BY_HUMAN);
      if (rng.chance(0.3)) at = w.add(at + rng.int(1, 30) * MINUTE, OP_NOTE_HUMAN);
      at = this.humanDelay(t, at, 60);
    }

    // Final answer; a ticket answered for the first time goes straight from new to solved.
    at = w.add(at, OP_MSG_HUMAN | (HM_ANSWER << 8));
    return w.setStatus(at + rng.int(0, 60) * 1000, S_SOLVED, BY_HUMAN);
  }

  /** Human answer to a reopened ticket. */
  humanReopen(t: Ticket, at: number): number {
    const w = this.w;
    if (t.agent === 0) t.agent = this.pickAgent(t);
    at = this.humanDelay(t, at, 80);
    at = w.add(at, OP_MSG_HUMAN | (HM_REOPEN << 8));
    return w.setStatus(at + this.rng.int(0, 60) * 1000, S_SOLVED, BY_HUMAN);
  }

  csatScore(t: Ticket, reopens: number, escalated: boolean, askedHuman: boolean, duration: number): number {
    const rng = this.rng;
    const solver = this.w.solver;
    const cum = solver === SOLVER_AI ? aiProfile(t).csat : solver === SOLVER_SYSTEM ? CSAT_SYSTEM : CSAT_HUMAN;
    let score = rng.weighted(cum) + 1;
    if (reopens > 0 && rng.chance(0.4)) score--;
    if (askedHuman && rng.chance(0.3)) score--;
    else if (escalated && rng.chance(0.15)) score--;
    if (duration > 3 * DAY && rng.chance(0.3)) score--;
    if (t.pri === P_URGENT && duration < 2 * HOUR && rng.chance(0.3)) score++;
    return score < 1 ? 1 : score > 5 ? 5 : score;
  }
}

const CSAT_HUMAN = cumulative([3, 5, 10, 30, 52]);
const CSAT_AI = cumulative([7, 8, 15, 33, 37]);
/** An instant, complete answer to a simple question at any hour: customers rate it above a wait for an agent. */
const CSAT_AI_INSTANT = cumulative([1, 2, 5, 24, 68]);
const CSAT_SYSTEM = cumulative([20, 15, 25, 25, 15]);

/**
 * How the AI fares per pilot category: the demo's story, which the migration board's statistics then judge against
 * the baseline frozen at go-live (kpis/board.ts), nothing special-cased there.
 * - password_reset, how_to: the knowledge base answers them completely — most are solved by one AI reply that
 *   sticks (few reopens) and is rated well: the board passes them.
 * - shipping_status: the AI quotes the carrier's delivery estimate, the parcel does not come, the customer comes
 *   back — reopens rise well above the baseline and first-contact resolution falls: the board fails it.
 * - billing_question (AI drafts, an agent approves, a minority of tickets): too little changes to tell either way:
 *   inconclusive.
 */
interface AiProfile {
  /** Share of tickets the AI solves with its first answer (before learning adds up to 0.1 over 90 days). */
  solve: number;
  /** Share where it asks the customer for information first. */
  pending: number;
  /** Chance that a ticket the AI solved is reopened by the customer. */
  reopen: number;
  /** CSAT distribution (cumulative, scores 1–5) of its solves. */
  csat: Float64Array;
}
const AI_PROFILES: readonly AiProfile[] = [
  { solve: 0.84, pending: 0.04, reopen: 0.006, csat: CSAT_AI_INSTANT }, // password_reset
  { solve: 0.6, pending: 0.1, reopen: 0.22, csat: CSAT_AI }, // shipping_status
  { solve: 0.82, pending: 0.05, reopen: 0.008, csat: CSAT_AI_INSTANT }, // how_to
  { solve: 0.33, pending: 0.12, reopen: 0.09, csat: CSAT_AI }, // billing_question
];
const aiProfile = (t: Ticket): AiProfile => AI_PROFILES[t.cat] ?? (AI_PROFILES[C_BILLING] as AiProfile);

// ---------------------------------------------------------------------------------------------- arrivals

interface Slot {
  start: number;
  len: number;
  weight: number;
  incidentWeight: number;
  incident: number;
}

function planSlots(r: Resolved, rng: Rng, cal: BusinessCalendar): { slots: Slot[]; incidents: Incident[] } {
  const slots: Slot[] = [];
  const span = r.endMs - r.startMs;
  for (let s = r.startMs; s < r.endMs; s += HOUR) {
    const len = Math.min(HOUR, r.endMs - s);
    const mid = s + len / 2;
    const d = cal.dayOf(mid);
    const hour = cal.localHour(mid, d);
    const wd = cal.weekday[d] ?? 1;
    const holiday = cal.holiday[d] === 1;
    const weekend = wd >= 6 || holiday;
    const base = (weekend ? HOUR_WEEKEND : HOUR_WEEKDAY)[hour] as number;
    const dayF = holiday ? HOLIDAY_FACTOR : (DAY_FACTOR[wd] as number);
    const trend = 1 + 0.12 * ((s - r.startMs) / span); // the business grows a little
    const noise = 0.85 + 0.3 * rng.float();
    slots.push({ start: s, len, weight: base * dayF * trend * noise * (len / HOUR), incidentWeight: 0, incident: -1 });
  }
  let total = 0;
  for (const s of slots) total += s.weight;
  const avg = slots.length > 0 ? total / slots.length : 0;

  // Incidents: roughly one every five to six weeks, a few hours long, several times the normal load.
  const incidents: Incident[] = [];
  const count = Math.max(1, Math.round(span / (40 * DAY)));
  for (let i = 0; i < count && slots.length > 4; i++) {
    const first = rng.int(1, slots.length - 4);
    const hours = rng.int(1, 4);
    const boost = 3 + 5 * rng.float();
    const startMs = (slots[first] as Slot).start + rng.int(0, 59) * MINUTE;
    const endMs = startMs + hours * HOUR + rng.int(0, 59) * MINUTE;
    const dt = DateTime.fromMillis(startMs, { zone: 'utc' });
    incidents.push({ start: startMs, end: endMs, name: `INC-${dt.toFormat('yyyyMMdd')}-${i + 1}` });
    for (let k = first; k < slots.length && k <= first + hours + 1; k++) {
      const s = slots[k] as Slot;
      if (s.incident >= 0) continue;
      const overlap = Math.max(0, Math.min(s.start + s.len, endMs) - Math.max(s.start, startMs)) / HOUR;
      if (overlap <= 0) continue;
      // Reports peak early in an incident and fade out.
      const fade = k === first ? 1 : 1 / (1 + 0.5 * (k - first));
      s.incidentWeight = avg * boost * overlap * fade;
      s.incident = incidents.length - 1;
    }
  }
  return { slots, incidents };
}

// ---------------------------------------------------------------------------------------------- text rendering

type Tables = Record<string, readonly Compiled[]>;
const compileList = (l: readonly string[]): readonly Compiled[] => l.map(compile);
const compileTable = (t: Record<string, readonly string[]>): Tables =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, compileList(v)]));

interface CompiledTopic {
  subjects: readonly Compiled[];
  body: readonly Compiled[];
  human: readonly Compiled[] | null;
  ai: readonly Compiled[] | null;
}
const T_TOPICS: readonly (readonly CompiledTopic[])[] = DEMO_CATEGORIES.map((cat) =>
  (TOPICS[cat] ?? []).map((t) => ({
    subjects: compileList(t.subjects),
    body: compileList(t.body),
    human: t.human ? compileList(t.human) : null,
    ai: t.ai ? compileList(t.ai) : null,
  })),
);
const T_GREETINGS = compileList(CUSTOMER_GREETINGS);
const T_SIGNOFFS = compileList(CUSTOMER_SIGNOFFS);
const T_INFO = compileList(CUSTOMER_INFO_REPLY);
const T_FOLLOWUP = compileList(CUSTOMER_FOLLOWUP);
const T_ASK_HUMAN = compileList(CUSTOMER_ASK_HUMAN);
const T_REOPEN = compileList(CUSTOMER_REOPEN);
const T_AI_ANSWER = compileTable(AI_ANSWER);
const T_AI_ASK = compileTable(AI_ASK_INFO);
const T_AI_FOLLOWUP = compileList(AI_FOLLOWUP_ANSWER);
const T_AI_REOPEN = compileList(AI_REOPEN);
const T_H_INTERIM = compileList(HUMAN_INTERIM);
const T_AI_HANDOFF = compileList(AI_HANDOFF);
const T_AI_NOTE = compileTable(AI_HANDOFF_NOTE);
const T_AGENT_SIGNOFFS = compileList(AGENT_SIGNOFFS);
const T_H_ANSWER = compileTable(HUMAN_ANSWER);
const T_H_ASK = compileList(HUMAN_ASK_INFO);
const T_H_HOLD = compileTable(HUMAN_HOLD);
const T_H_TAKEOVER = compileList(HUMAN_TAKEOVER);
const T_H_REOPEN = compileList(HUMAN_REOPEN_REPLY);
const T_H_NOTE = compileTable(HUMAN_NOTE);
const T_OUTAGE_ACK = compileList(OUTAGE_ACK);
const CSAT_TEXT = [1, 2, 3, 4, 5].map((s) => CSAT_COMMENTS[s] as readonly string[]);

class Renderer {
  readonly rng: Rng;
  readonly incidents: Incident[];
  constructor(rng: Rng, incidents: Incident[]) {
    this.rng = rng;
    this.incidents = incidents;
  }

  slot(t: Ticket, k: number): string {
    switch (k) {
      case 0:
        return `K-${t.order}`;
      case 1:
        return PRODUCTS[t.product] as string;
      case 2:
        return PLANS[t.plan] as string;
      case 3:
        return AMOUNTS[t.amount] as string;
      case 4:
        return `INV-${t.invoice}`;
      case 5:
        return `${(CARRIERS[t.carrier] as string).slice(0, 2).toUpperCase()}${t.tracking}DE`;
      case 6:
        return CARRIERS[t.carrier] as string;
      case 7:
        return FEATURES[t.feature] as string;
      case 8:
        return ERROR_CODES[t.code] as string;
      case 9:
        return PLATFORMS[t.platform] as string;
      case 10:
        return FIRST_NAMES[t.customer % FIRST_NAMES.length] as string;
      case 11:
        return t.agent > 0 ? (AGENT_NAMES[(t.agent - 1) % AGENT_NAMES.length] as string) : 'Kestrel Support';
      case 12:
        return String(t.days);
      case 13:
        return `${(FIRST_NAMES[t.customer % FIRST_NAMES.length] as string).toLowerCase()}.${t.customer}@example.com`;
      case 14:
        return t.incident >= 0 ? (this.incidents[t.incident] as Incident).name : 'INC-unknown';
      case 15:
        return (DEMO_CATEGORIES[t.cat] as string).replace('_', ' ');
      default:
        return '';
    }
  }

  render(c: Compiled, t: Ticket): string {
    if (c.length === 1) return c[0] as string;
    let s = '';
    for (let i = 0; i < c.length; i++) {
      const p = c[i] as string | number;
      s += typeof p === 'string' ? p : this.slot(t, p);
    }
    return s;
  }

  pick(list: readonly Compiled[], t: Ticket): string {
    return this.render(this.rng.pick(list), t);
  }

  fromTable(table: Tables, key: string, t: Ticket, fallback: string): string {
    const list = table[key] ?? table[fallback] ?? [];
    return list.length > 0 ? this.pick(list, t) : '';
  }

  customer(t: Ticket, body: string): string {
    if (t.ch === CH_CHAT) return body;
    if (t.ch === CH_PHONE) return CUSTOMER_PHONE_PREFIX + body;
    const greeting = this.pick(T_GREETINGS, t);
    const signoff = this.pick(T_SIGNOFFS, t);
    return (greeting ? `${greeting}\n\n` : '') + body + `\n\n${signoff}`;
  }

  agent(t: Ticket, body: string): string {
    const name = this.slot(t, 10);
    if (t.ch === CH_CHAT) return `Hi ${name}, ${body}`;
    return `Hi ${name},\n\n${body}${this.pick(T_AGENT_SIGNOFFS, t)}`;
  }

  ai(t: Ticket, body: string): string {
    return withDisclosure(`Hi ${this.slot(t, 10)}! ${body}`, DEMO_REPLY_CLOSING);
  }

  topic(t: Ticket): CompiledTopic {
    return (T_TOPICS[t.cat] as readonly CompiledTopic[])[t.topic] as CompiledTopic;
  }

  subject(t: Ticket): string {
    return this.pick(this.topic(t).subjects, t);
  }

  customerMessage(t: Ticket, kind: number): string {
    switch (kind) {
      case CM_INITIAL:
        return this.customer(t, this.pick(this.topic(t).body, t));
      case CM_INFO:
        return this.customer(t, this.pick(T_INFO, t));
      case CM_FOLLOWUP:
        return this.customer(t, this.pick(T_FOLLOWUP, t));
      case CM_ASK_HUMAN:
        return this.pick(T_ASK_HUMAN, t);
      default:
        return this.customer(t, this.pick(T_REOPEN, t));
    }
  }

  aiMessage(t: Ticket, kind: number): string {
    const cat = DEMO_CATEGORIES[t.cat] as string;
    switch (kind) {
      case AM_ANSWER: {
        const own = this.topic(t).ai;
        return this.ai(t, own ? this.pick(own, t) : this.fromTable(T_AI_ANSWER, cat, t, 'how_to'));
      }
      case AM_ASK_INFO:
        return this.ai(t, this.fromTable(T_AI_ASK, cat, t, 'how_to'));
      case AM_FOLLOWUP:
        return this.ai(t, this.pick(T_AI_FOLLOWUP, t));
      case AM_REOPEN:
        return this.ai(t, this.pick(T_AI_REOPEN, t));
      default:
        return this.ai(t, this.pick(T_AI_HANDOFF, t));
    }
  }

  humanMessage(t: Ticket, kind: number): string {
    const cat = DEMO_CATEGORIES[t.cat] as string;
    switch (kind) {
      case HM_ANSWER: {
        const own = this.topic(t).human;
        return this.agent(t, own ? this.pick(own, t) : this.fromTable(T_H_ANSWER, cat, t, 'how_to'));
      }
      case HM_ASK_INFO:
        return this.agent(t, this.pick(T_H_ASK, t));
      case HM_HOLD:
        // Outage reports outside a known incident are treated like bug reports.
        return this.agent(t, this.fromTable(T_H_HOLD, t.cat === C_OUTAGE && t.incident < 0 ? 'bug_report' : cat, t, 'default'));
      case HM_INTERIM:
        return this.agent(t, this.pick(T_H_INTERIM, t));
      case HM_TAKEOVER:
        return this.render(this.rng.pick(T_H_TAKEOVER), t);
      case HM_REOPEN:
        return this.agent(t, this.pick(T_H_REOPEN, t));
      default:
        return this.agent(t, this.pick(T_OUTAGE_ACK, t));
    }
  }
}

// ---------------------------------------------------------------------------------------------- merge heap

/** Binary min-heap of active tickets keyed by (time of next event, ticket index). */
class TicketHeap {
  readonly items: Ticket[] = [];

  get size(): number {
    return this.items.length;
  }

  static less(a: Ticket, b: Ticket): boolean {
    const ta = a.times[a.cur] as number;
    const tb = b.times[b.cur] as number;
    return ta < tb || (ta === tb && a.idx < b.idx);
  }

  peekTime(): number {
    const top = this.items[0] as Ticket;
    return top.times[top.cur] as number;
  }

  push(t: Ticket): void {
    const a = this.items;
    let i = a.length;
    a.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p] as Ticket;
      if (!TicketHeap.less(t, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = t;
  }

  /** Restores heap order after the top's key grew (or removes it when `remove`). */
  fixTop(remove: boolean): void {
    const a = this.items;
    if (remove) {
      const last = a.pop() as Ticket;
      if (a.length === 0) return;
      a[0] = last;
    }
    const n = a.length;
    const t = a[0] as Ticket;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && TicketHeap.less(a[r] as Ticket, a[l] as Ticket)) c = r;
      const child = a[c] as Ticket;
      if (!TicketHeap.less(child, t)) break;
      a[i] = child;
      i = c;
    }
    a[i] = t;
  }
}

// ---------------------------------------------------------------------------------------------- emission

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function aiActor(): Record<string, unknown> {
  return { kind: 'ai', model: DEMO_AI_MODEL };
}

function emitLine(t: Ticket, at: number, code: number, text: Renderer): DemoEventLine {
  const ticket = `T-${t.idx + 1}`;
  const time = iso(at);
  const op = code & 0xff;
  const arg = code >>> 8;
  switch (op) {
    case OP_CREATED:
      return {
        ticket,
        type: 'created',
        at: time,
        channel: DEMO_CHANNELS[t.ch],
        priority: PRIORITIES[t.pri],
        category: DEMO_CATEGORIES[t.cat],
        subject: text.subject(t),
        requester: `c-${t.customer}`,
      };
    case OP_MSG_CUSTOMER:
      return {
        ticket,
        type: 'message',
        at: time,
        author: { kind: 'customer', id: `c-${t.customer}` },
        public: true,
        body: text.customerMessage(t, arg),
      };
    case OP_MSG_AI:
      return { ticket, type: 'message', at: time, author: aiActor(), public: true, body: text.aiMessage(t, arg), disclosure: DEMO_REPLY_CLOSING.disclosure };
    case OP_NOTE_AI:
      return {
        ticket,
        type: 'message',
        at: time,
        author: aiActor(),
        public: false,
        body: text.fromTable(T_AI_NOTE, REASONS[arg] as string, t, 'low_confidence'),
      };
    case OP_MSG_HUMAN:
      return {
        ticket,
        type: 'message',
        at: time,
        author: agentActor(t.agent),
        public: true,
        body: text.humanMessage(t, arg),
      };
    case OP_NOTE_HUMAN:
      return {
        ticket,
        type: 'message',
        at: time,
        author: agentActor(t.agent),
        public: false,
        body: text.fromTable(T_H_NOTE, t.cat === C_OUTAGE && t.incident < 0 ? 'bug_report' : (DEMO_CATEGORIES[t.cat] as string), t, 'how_to'),
      };
    case OP_STATUS: {
      const by = arg >>> 4;
      return {
        ticket,
        type: 'status',
        at: time,
        status: STATUSES[arg & 0xf],
        by:
          by === BY_AI
            ? aiActor()
            : by === BY_HUMAN
              ? agentActor(t.agent)
              : by === BY_CUSTOMER
                ? { kind: 'customer', id: `c-${t.customer}` }
                : { kind: 'system', id: 'automation' },
      };
    }
    case OP_ASSIGN:
      return {
        ticket,
        type: 'assigned',
        at: time,
        // The AI assignee carries an id (for assignee columns) as well as the model.
        to: arg === 0 ? { kind: 'ai', id: DEMO_AI_MODEL, model: DEMO_AI_MODEL } : { kind: 'human', id: `agent-${arg}` },
      };
    case OP_ESCALATE:
      return { ticket, type: 'escalated', at: time, reason: REASONS[arg], by: aiActor() };
    case OP_WORKLOG:
      return { ticket, type: 'worklog', at: time, minutes: arg, by: agentActor(t.agent) };
    default: {
      const comments = CSAT_TEXT[arg - 1] as readonly string[];
      return { ticket, type: 'csat', at: time, score: arg, comment: text.rng.pick(comments) };
    }
  }
}

// ---------------------------------------------------------------------------------------------- generator

/**
 * Streams the demo history as "Attest JSONL v1" line objects in non-decreasing `at` order.
 * Memory is bounded by the number of simultaneously active tickets (lifetimes ≤ 30 days).
 */
export function* generateDemoHistory(opts: DemoOptions): Generator<DemoEventLine> {
  const r = resolveOptions(opts);
  const rng = makeRng(r.seed);
  const textRng = new Rng(rng.g.clone());
  textRng.g.jump(); // independent stream for wording, so text changes never shift the simulation
  const cal = new BusinessCalendar(r.startMs - DAY, r.endMs + 2 * DAY);
  const { slots, incidents } = planSlots(r, rng, cal);
  const sim = new Simulator(r, rng, cal, incidents);
  const text = new Renderer(textRng, incidents);
  const heap = new TicketHeap();

  let total = 0;
  for (const s of slots) total += s.weight + s.incidentWeight;
  const n = r.tickets;
  let cum = 0;
  let made = 0;
  let idx = 0;
  let offsets = new Float64Array(1024);
  for (let k = 0; k < slots.length && made < n; k++) {
    const s = slots[k] as Slot;
    const sw = s.weight + s.incidentWeight;
    cum += sw;
    const target = k === slots.length - 1 ? n : Math.min(n, Math.round((n * cum) / total));
    const count = target - made;
    made = target;
    if (count <= 0) continue;
    if (offsets.length < count) offsets = new Float64Array(count * 2);
    const view = offsets.subarray(0, count);
    const seconds = Math.max(1, Math.floor(s.len / 1000));
    for (let i = 0; i < count; i++) view[i] = Math.floor(rng.float() * seconds) * 1000;
    view.sort();
    const incidentShare = sw > 0 ? s.incidentWeight / sw : 0;
    for (let i = 0; i < count; i++) {
      const created = s.start + (view[i] as number);
      // Emit everything already due: earlier tickets win ties, so `<=` keeps (at, index) order.
      while (heap.size > 0 && heap.peekTime() <= created) yield emitNext(heap, text);
      const incident = s.incident >= 0 && incidentShare > 0 && rng.chance(incidentShare) ? s.incident : -1;
      const t = sim.newTicket(idx++, created, incident);
      sim.plan(t);
      heap.push(t);
    }
  }
  while (heap.size > 0) yield emitNext(heap, text);
}

function emitNext(heap: TicketHeap, text: Renderer): DemoEventLine {
  const t = heap.items[0] as Ticket;
  const i = t.cur++;
  const line = emitLine(t, t.times[i] as number, t.codes[i] as number, text);
  if (t.cur >= t.times.length) {
    t.times = [];
    t.codes = [];
    heap.fixTop(true);
  } else {
    heap.fixTop(false);
  }
  return line;
}
