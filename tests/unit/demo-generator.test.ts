import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_AI_MODEL,
  DEMO_PILOT_CATEGORIES,
  DEMO_PILOT_PARTIAL_CATEGORIES,
  demoPilotStart,
  generateDemoHistory,
  type DemoEventLine,
  type DemoOptions,
} from '../../electron/core/demo/generator.ts';
import { DEMO_REPLY_CLOSING } from '../../electron/core/demo/demo-organization.ts';
import { parseEventLine } from '../../electron/core/ledger/event-lines.ts';
import { ESCALATION_REASONS, PRIORITIES, TICKET_STATUSES } from '../../shared/domain.ts';

/** The demo organization's disclosure: its AI replies end with it, as the demo's settings say. */
const AI_DISCLOSURE = DEMO_REPLY_CLOSING.disclosure;

const OPTS: DemoOptions = { tickets: 4000, seed: 11 };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CATEGORIES = ['password_reset', 'shipping_status', 'how_to', 'billing_question', 'refund', 'cancellation', 'bug_report', 'outage'];
const CHANNELS = ['email', 'web', 'chat', 'phone'];
const DAY = 86_400_000;

type Actor = { kind: string; id?: string; model?: string; name?: string };
const actorOf = (l: DemoEventLine): Actor | undefined =>
  (l.type === 'message' ? l.author : l.type === 'status' || l.type === 'escalated' ? l.by : l.type === 'assigned' ? l.to : undefined) as
    | Actor
    | undefined;

function collect(opts: DemoOptions): DemoEventLine[] {
  return [...generateDemoHistory(opts)];
}

/** Returns a list of problems with one line's shape (empty when valid). */
function shapeProblems(l: DemoEventLine): string[] {
  const p: string[] = [];
  const str = (k: string): void => {
    if (typeof l[k] !== 'string' || (l[k] as string).length === 0) p.push(`${k} missing`);
  };
  const actor = (k: string, kinds: string[]): void => {
    const a = l[k] as Actor | undefined;
    if (!a || typeof a !== 'object' || !kinds.includes(a.kind)) return void p.push(`${k} invalid`);
    if (a.kind === 'ai') {
      if (a.model !== DEMO_AI_MODEL) p.push(`${k}.model`);
    } else if (typeof a.id !== 'string' || !a.id) p.push(`${k}.id`);
    if (a.kind === 'human' && !/^agent-([1-9]|1\d|2[0-5])$/.test(a.id ?? '')) p.push(`${k} agent id ${a.id}`);
    // Every person who acts is named by their printed name (an assignee is only pointed at).
    if (a.kind === 'human' && k !== 'to' && !a.name) p.push(`${k} names no person`);
    if (a.kind === 'customer' && !/^c-\d+$/.test(a.id ?? '')) p.push(`${k} customer id ${a.id}`);
  };
  const keys = (expected: string[]): void => {
    const extra = Object.keys(l).filter((k) => !expected.includes(k));
    if (extra.length) p.push(`unexpected ${extra.join(',')}`);
  };
  str('ticket');
  if (!/^T-\d+$/.test(String(l.ticket))) p.push('ticket id');
  if (typeof l.at !== 'string' || !ISO.test(l.at)) p.push('at');
  switch (l.type) {
    case 'created':
      keys(['ticket', 'type', 'at', 'channel', 'priority', 'category', 'subject', 'requester']);
      if (!CHANNELS.includes(l.channel as string)) p.push('channel');
      if (!(PRIORITIES as readonly unknown[]).includes(l.priority)) p.push('priority');
      if (!CATEGORIES.includes(l.category as string)) p.push('category');
      str('subject');
      if (!/^c-\d+$/.test(String(l.requester))) p.push('requester');
      break;
    case 'message':
      // An AI reply names its disclosure (EU AI Act Art. 50), which its body ends with; no other message does.
      const aiReply = (l.author as Actor).kind === 'ai' && l.public === true;
      keys(['ticket', 'type', 'at', 'author', 'public', 'body', ...(aiReply ? ['disclosure'] : [])]);
      actor('author', ['customer', 'ai', 'human']);
      if (typeof l.public !== 'boolean') p.push('public');
      str('body');
      if (aiReply && (l.disclosure !== AI_DISCLOSURE || !String(l.body).endsWith(AI_DISCLOSURE))) p.push('AI reply without its disclosure');
      if ((l.author as Actor).kind === 'customer' && l.public !== true) p.push('customer note');
      break;
    case 'status':
      keys(['ticket', 'type', 'at', 'status', 'by']);
      if (!(TICKET_STATUSES as readonly unknown[]).includes(l.status)) p.push('status');
      actor('by', ['ai', 'human', 'customer', 'system']);
      break;
    case 'assigned':
      keys(['ticket', 'type', 'at', 'to']);
      actor('to', ['human', 'ai']);
      break;
    case 'escalated':
      keys(['ticket', 'type', 'at', 'reason', 'by']);
      if (!(ESCALATION_REASONS as readonly unknown[]).includes(l.reason)) p.push('reason');
      actor('by', ['ai']);
      break;
    case 'csat':
      keys(['ticket', 'type', 'at', 'score', 'comment']);
      if (!Number.isInteger(l.score) || (l.score as number) < 1 || (l.score as number) > 5) p.push('score');
      if (typeof l.comment !== 'string') p.push('comment');
      break;
    case 'worklog':
      keys(['ticket', 'type', 'at', 'minutes', 'by']);
      if (!Number.isInteger(l.minutes) || (l.minutes as number) < 1) p.push('minutes');
      actor('by', ['human']);
      break;
    default:
      p.push(`type ${String(l.type)}`);
  }
  return p;
}

interface TicketSummary {
  id: string;
  created: string;
  category: string;
  priority: string;
  events: DemoEventLine[];
}

function byTicket(lines: DemoEventLine[]): Map<string, TicketSummary> {
  const map = new Map<string, TicketSummary>();
  for (const l of lines) {
    const id = l.ticket as string;
    let t = map.get(id);
    if (!t) {
      t = { id, created: l.at as string, category: String(l.category), priority: String(l.priority), events: [] };
      map.set(id, t);
    }
    t.events.push(l);
  }
  return map;
}

let lines: DemoEventLine[];
let tickets: Map<string, TicketSummary>;
let pilot: string;

beforeAll(() => {
  lines = collect(OPTS);
  tickets = byTicket(lines);
  pilot = demoPilotStart(OPTS);
});

describe('demo generator: determinism and structure', () => {
  it('is deterministic for the same options and differs for another seed', () => {
    const a = JSON.stringify(collect({ tickets: 1500, seed: 5 }));
    const b = JSON.stringify(collect({ tickets: 1500, seed: 5 }));
    const c = JSON.stringify(collect({ tickets: 1500, seed: 6 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(JSON.stringify(lines)).toBe(JSON.stringify(collect(OPTS)));
  });

  it('creates exactly N tickets, numbered T-1..T-N in creation order', () => {
    const created = lines.filter((l) => l.type === 'created');
    expect(created).toHaveLength(OPTS.tickets);
    expect(created.map((l) => l.ticket)).toEqual(Array.from({ length: OPTS.tickets }, (_, i) => `T-${i + 1}`));
    expect(collect({ tickets: 0, seed: 1 })).toEqual([]);
    expect(collect({ tickets: 1, seed: 1 }).filter((l) => l.type === 'created')).toHaveLength(1);
  });

  it('emits lines in non-decreasing `at` order within the period', () => {
    const start = '2026-05-01T00:00:00.000Z';
    const end = '2026-11-01T00:00:00.000Z';
    for (let i = 0; i < lines.length; i++) {
      const at = lines[i]!.at as string;
      if (i > 0 && at < (lines[i - 1]!.at as string)) throw new Error(`line ${i} goes back in time: ${at}`);
      expect(at >= start && at <= end).toBe(true);
    }
  });

  it('produces only valid "Attest JSONL v1" lines', () => {
    const problems: string[] = [];
    for (const l of lines) {
      for (const p of shapeProblems(l)) problems.push(`${JSON.stringify(l)}: ${p}`);
      try {
        parseEventLine(JSON.parse(JSON.stringify(l)));
      } catch (error) {
        problems.push(`${JSON.stringify(l)}: importer rejects: ${(error as Error).message}`);
      }
      if (problems.length > 10) break;
    }
    expect(problems).toEqual([]);
  });

  it('starts every ticket with created, keeps lifetimes within 30 days and stops after closed', () => {
    for (const t of tickets.values()) {
      expect(t.events[0]!.type).toBe('created');
      expect(t.events.filter((e) => e.type === 'created')).toHaveLength(1);
      const last = t.events[t.events.length - 1]!;
      expect(Date.parse(last.at as string) - Date.parse(t.created)).toBeLessThanOrEqual(30 * DAY);
      const closedAt = t.events.findIndex((e) => e.type === 'status' && e.status === 'closed');
      if (closedAt >= 0) {
        expect(closedAt).toBe(t.events.length - 1);
        // closed follows a solve by a few days
        const solved = t.events.filter((e) => e.type === 'status' && e.status === 'solved').pop()!;
        const gap = Date.parse(last.at as string) - Date.parse(solved.at as string);
        expect(gap).toBeGreaterThanOrEqual(4 * DAY);
        expect(gap).toBeLessThan(5 * DAY);
      }
    }
    // nearly all tickets end closed; a few at the end of the period are still in progress
    const closed = [...tickets.values()].filter((t) => t.events.at(-1)!.status === 'closed').length;
    expect(closed / tickets.size).toBeGreaterThan(0.9);
    expect(closed).toBeLessThan(tickets.size);
  });

  it('has repeat customers and varied subjects', () => {
    const created = lines.filter((l) => l.type === 'created');
    const requesters = new Set(created.map((l) => l.requester));
    expect(requesters.size).toBeLessThan(created.length * 0.8);
    expect(requesters.size).toBeGreaterThan(created.length * 0.4);
    expect(new Set(created.map((l) => l.subject)).size).toBeGreaterThan(500);
    const bodies = lines.filter((l) => l.type === 'message').map((l) => l.body as string);
    expect(new Set(bodies).size).toBeGreaterThan(bodies.length * 0.5);
    expect(bodies.some((b) => /lorem/i.test(b))).toBe(false);
    expect(bodies.some((b) => /\{\w+\}/.test(b))).toBe(false); // no unfilled placeholders
  });
});

describe('demo generator: the AI pilot', () => {
  it('puts the pilot start halfway by default and honours pilotStartFraction', () => {
    expect(pilot).toBe('2026-08-01T00:00:00.000Z');
    expect(demoPilotStart({ pilotStartFraction: 0 })).toBe('2026-05-01T00:00:00.000Z');
    expect(demoPilotStart({ start: '2026-01-01T00:00:00Z', months: 4, pilotStartFraction: 0.25 })).toBe('2026-01-31T00:00:00.000Z');
    expect(demoPilotStart({ start: '2026-01-01T00:00:00Z', months: 1, pilotStartFraction: 0.3 })).toBe('2026-01-10T07:00:00.000Z'); // floored to the hour
    expect(DEMO_PILOT_CATEGORIES).toEqual(['password_reset', 'shipping_status', 'how_to']);
  });

  it('has no AI actors before the pilot', () => {
    const early = lines.filter((l) => (l.at as string) < pilot);
    expect(early.length).toBeGreaterThan(1000);
    expect(early.filter((l) => actorOf(l)?.kind === 'ai')).toEqual([]);
    expect(early.filter((l) => l.type === 'escalated')).toEqual([]);
  });

  it('lets the AI solve, park, escalate and hand over tier-1 tickets during the pilot', () => {
    const aiCategories = new Set<string>();
    let aiSolved = 0;
    let aiPending = 0;
    const reasons = new Map<string, number>();
    let escalatedWithHuman = 0;
    let escalatedTotal = 0;
    for (const t of tickets.values()) {
      const ai = t.events.filter((e) => actorOf(e)?.kind === 'ai');
      if (ai.length === 0) continue;
      expect(t.created >= pilot).toBe(true);
      aiCategories.add(t.category);
      if (ai.some((e) => e.type === 'status' && e.status === 'solved')) aiSolved++;
      if (ai.some((e) => e.type === 'status' && e.status === 'pending')) aiPending++;
      const esc = t.events.findIndex((e) => e.type === 'escalated');
      if (esc >= 0) {
        escalatedTotal++;
        const reason = t.events[esc]!.reason as string;
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        if (reason === 'customer_request') {
          // the customer asked for a person right before
          const before = t.events.slice(0, esc).reverse().find((e) => e.type === 'message');
          expect((before?.author as Actor).kind).toBe('customer');
        }
        const after = t.events.slice(esc);
        if (after.some((e) => e.type === 'assigned' && (e.to as Actor).kind === 'human')) escalatedWithHuman++;
      }
    }
    expect([...aiCategories].every((c) => [...DEMO_PILOT_CATEGORIES, ...DEMO_PILOT_PARTIAL_CATEGORIES].includes(c))).toBe(true);
    expect(aiSolved).toBeGreaterThan(200);
    expect(aiPending).toBeGreaterThan(20);
    expect(escalatedTotal).toBeGreaterThan(100);
    expect(escalatedWithHuman / escalatedTotal).toBeGreaterThan(0.95);
    expect(new Set(reasons.keys())).toEqual(new Set(ESCALATION_REASONS));
    // humans still do the rest: tier 2/3 categories never see the AI
    const humanSolvedPilot = lines.filter(
      (l) => (l.at as string) >= pilot && l.type === 'status' && l.status === 'solved' && (l.by as Actor).kind === 'human',
    );
    expect(humanSolvedPilot.length).toBeGreaterThan(aiSolved);
  });

  it('has reopens (~5-10%), CSAT on a fraction of solved tickets, internal notes and pending/on_hold phases', () => {
    let reopened = 0;
    let solvedTickets = 0;
    let withCsat = 0;
    const csat = { ai: [] as number[], human: [] as number[] };
    const aiCsatByCategory = new Map<string, number[]>();
    for (const t of tickets.values()) {
      const category = t.category;
      let status = 'new';
      let solver = '';
      let wasReopened = false;
      for (const e of t.events) {
        if (e.type === 'message' && (e.author as Actor).kind === 'customer' && (status === 'solved' || status === 'closed')) wasReopened = true;
        if (e.type === 'status') {
          if ((status === 'solved' || status === 'closed') && (e.status === 'open' || e.status === 'new')) wasReopened = true;
          status = e.status as string;
          if (status === 'solved') solver = (e.by as Actor).kind;
        }
        if (e.type === 'csat') {
          withCsat++;
          expect(status).toBe('solved');
          if (solver === 'ai' || solver === 'human') csat[solver].push(e.score as number);
          if (solver === 'ai') aiCsatByCategory.set(category, [...(aiCsatByCategory.get(category) ?? []), e.score as number]);
        }
      }
      if (wasReopened) reopened++;
      if (solver) solvedTickets++;
    }
    const rate = reopened / solvedTickets;
    expect(rate).toBeGreaterThan(0.04);
    expect(rate).toBeLessThan(0.12);
    expect(withCsat / solvedTickets).toBeGreaterThan(0.2);
    expect(withCsat / solvedTickets).toBeLessThan(0.5);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(csat.ai.length).toBeGreaterThan(50);
    expect(new Set([...csat.ai, ...csat.human])).toEqual(new Set([1, 2, 3, 4, 5]));
    // The pilot's story: instant complete answers (password resets, how-to) are rated above a human solve; the AI's
    // shipping answers, which customers come back to, below.
    const aiMean = (...categories: string[]): number => mean(categories.flatMap((c) => aiCsatByCategory.get(c) ?? []));
    expect(aiMean('password_reset', 'how_to')).toBeGreaterThan(mean(csat.human));
    expect(aiMean('shipping_status')).toBeLessThan(mean(csat.human));
    expect(mean(csat.ai)).toBeGreaterThan(3.3);

    const statuses = new Set(lines.filter((l) => l.type === 'status').map((l) => l.status));
    for (const s of ['open', 'pending', 'on_hold', 'solved', 'closed']) expect(statuses.has(s)).toBe(true);
    const notes = lines.filter((l) => l.type === 'message' && l.public === false);
    expect(notes.some((l) => (l.author as Actor).kind === 'human')).toBe(true);
    expect(notes.some((l) => (l.author as Actor).kind === 'ai')).toBe(true);
    expect(lines.filter((l) => (l.at as string) < pilot && l.type === 'message' && l.public === false && (l.author as Actor).kind === 'human').length).toBeGreaterThan(50);
  });
});

describe('demo generator: time patterns', () => {
  const berlin = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'Europe/Berlin' });

  it('has more tickets on weekdays and during office hours, with a Monday peak', () => {
    const perWeekday = new Array<number>(8).fill(0);
    let office = 0;
    const created = lines.filter((l) => l.type === 'created');
    for (const l of created) {
      const dt = berlin(l.at as string);
      perWeekday[dt.weekday]!++;
      if (dt.weekday <= 5 && dt.hour >= 8 && dt.hour < 18) office++;
    }
    const weekdayAvg = perWeekday.slice(1, 6).reduce((a, b) => a + b, 0) / 5;
    const weekendAvg = (perWeekday[6]! + perWeekday[7]!) / 2;
    expect(weekdayAvg).toBeGreaterThan(1.8 * weekendAvg);
    expect(perWeekday[1]).toBe(Math.max(...perWeekday));
    expect(office / created.length).toBeGreaterThan(0.5);
  });

  it('answers pre-pilot, non-urgent tickets first within Berlin office hours', () => {
    let checked = 0;
    for (const t of tickets.values()) {
      if (t.created >= pilot || t.priority === 'urgent' || t.category === 'outage') continue;
      const first = t.events.find((e) => e.type === 'message' && (e.author as Actor).kind === 'human' && e.public === true);
      if (!first) continue;
      const dt = berlin(first.at as string);
      expect(dt.weekday).toBeLessThanOrEqual(5);
      expect(dt.hour).toBeGreaterThanOrEqual(8);
      expect(dt.hour).toBeLessThan(18);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('has occasional incident spikes of outage tickets', () => {
    // Incident tickets get an acknowledgement naming the incident; group them by it.
    const byIncident = new Map<string, TicketSummary[]>();
    for (const t of tickets.values()) {
      const name = t.events.map((e) => /INC-\d{8}-\d+/.exec(String(e.body ?? ''))?.[0]).find(Boolean);
      if (name) byIncident.set(name, [...(byIncident.get(name) ?? []), t]);
    }
    expect(byIncident.size).toBeGreaterThanOrEqual(3);
    const biggest = [...byIncident.values()].sort((a, b) => b.length - a.length)[0]!;
    expect(biggest.length).toBeGreaterThanOrEqual(5);
    const created = biggest.map((t) => Date.parse(t.created));
    expect(Math.max(...created) - Math.min(...created)).toBeLessThan(8 * 3_600_000);
    for (const t of biggest) expect(t.category).toBe('outage');
  });

  it('replies quickly when the AI answers', () => {
    for (const t of tickets.values()) {
      const firstAi = t.events.find((e) => e.type === 'message' && (e.author as Actor).kind === 'ai');
      if (!firstAi || t.events.some((e, i) => i < t.events.indexOf(firstAi) && e.type === 'message' && (e.author as Actor).kind !== 'customer')) continue;
      expect(Date.parse(firstAi.at as string) - Date.parse(t.created)).toBeLessThan(5 * 60_000);
    }
  });

  it('validates its options', () => {
    expect(() => collect({ tickets: -1, seed: 1 })).toThrow(RangeError);
    expect(() => collect({ tickets: 10, seed: 1, start: 'not a date' })).toThrow(RangeError);
    expect(() => collect({ tickets: 10, seed: 1, pilotStartFraction: 2 })).toThrow(RangeError);
    const short = collect({ tickets: 200, seed: 3, start: '2026-12-01T00:00:00Z', months: 1, pilotStartFraction: 0 });
    expect(short.filter((l) => l.type === 'created')).toHaveLength(200);
    expect(short.some((l) => actorOf(l)?.kind === 'ai')).toBe(true);
  });
});
