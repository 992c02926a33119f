// One definition of reopen, solve, human touch and AI resolution (tickets/lifecycle.ts): each case is imported as
// JSONL into a real database, and the ticket projection, the SLA engine, the KPI facts and outcome evaluation must
// all give the same answer.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { ticketFactEvents } from '../../electron/core/kpis/kpi-repository.ts';
import { ticketFacts as kpiTicketFacts } from '../../electron/core/kpis/ticket-facts.ts';
import { contractSchema } from '../../electron/core/outcomes/contract-schema.ts';
import { evaluateTicket, reopensAfter, ticketFacts as outcomeTicketFacts } from '../../electron/core/outcomes/evaluate.ts';
import { importPolicyText } from '../../electron/core/sla/policy-file.ts';
import { ticketSlaReport } from '../../electron/core/sla/sla-queries.ts';
import { INITIAL_STATE, lifecycleFact, step, ticketLifecycle } from '../../electron/core/tickets/lifecycle.ts';
import { TicketRepository } from '../../electron/core/tickets/ticket-repository.ts';
import { tempDb } from './helpers.ts';
import { BUYER, contractJson } from './outcome-kit.ts';

const TICKET = 'T-1';
const CREATED = '2026-10-05T10:00:00.000Z';
const AI = { kind: 'ai', model: 'llama3.2:3b' };
const AGENT = { kind: 'human', id: 'agent-7' };
const CUSTOMER = { kind: 'customer', id: 'c-1' };
const SYSTEM = { kind: 'system', id: 'automation' };

type What =
  | 'ai_reply'
  | 'human_reply'
  | 'human_note'
  | 'customer'
  | 'customer_private'
  | 'assign_human'
  | 'worklog'
  | `status:${string}:${'ai' | 'human' | 'customer' | 'system'}`;

const BY = { ai: AI, human: AGENT, customer: CUSTOMER, system: SYSTEM } as const;

function line(what: What, at: string): Record<string, unknown> {
  const base = { ticket: TICKET, at };
  switch (what) {
    case 'ai_reply':
      return { ...base, type: 'message', author: AI, public: true, body: 'Here is how' };
    case 'human_reply':
      return { ...base, type: 'message', author: AGENT, public: true, body: 'An agent here' };
    case 'human_note':
      return { ...base, type: 'message', author: AGENT, public: false, body: 'internal: checked the account' };
    case 'customer':
      return { ...base, type: 'message', author: CUSTOMER, public: true, body: 'Still broken' };
    case 'customer_private':
      return { ...base, type: 'message', author: CUSTOMER, public: false, body: 'Sent by mail to the agent only: still broken' };
    case 'assign_human':
      return { ...base, type: 'assigned', to: AGENT };
    case 'worklog':
      return { ...base, type: 'worklog', minutes: 5, by: AGENT };
    default: {
      const [, status, by] = what.split(':') as [string, string, keyof typeof BY];
      return { ...base, type: 'status', status, by: BY[by] };
    }
  }
}

interface Case {
  name: string;
  steps: What[];
  /** Positions in `steps` of the events that are reopens. */
  reopens: number[];
  /** Solved now, and that solve was an AI resolution (ticket view "Resolved by AI", KPI resolved by the AI). */
  resolvedByAi: boolean;
  /** The first solve (the one billing evaluates) was an AI resolution; null when never solved. */
  firstSolveAiResolution: boolean | null;
}

const CASES: Case[] = [
  { name: 'solved → pending is a reopen', steps: ['ai_reply', 'status:solved:ai', 'status:pending:human'], reopens: [2], resolvedByAi: false, firstSolveAiResolution: true },
  { name: 'solved → open is a reopen', steps: ['ai_reply', 'status:solved:ai', 'status:open:human'], reopens: [2], resolvedByAi: false, firstSolveAiResolution: true },
  { name: 'solved → on_hold is a reopen', steps: ['ai_reply', 'status:solved:ai', 'status:on_hold:system'], reopens: [2], resolvedByAi: false, firstSolveAiResolution: true },
  { name: 'solved → new is a reopen', steps: ['ai_reply', 'status:solved:ai', 'status:new:system'], reopens: [2], resolvedByAi: false, firstSolveAiResolution: true },
  { name: 'a private customer message on a solved ticket is a reopen', steps: ['ai_reply', 'status:solved:ai', 'customer_private'], reopens: [2], resolvedByAi: false, firstSolveAiResolution: true },
  { name: 'a public customer message on a closed ticket is a reopen', steps: ['ai_reply', 'status:solved:ai', 'status:closed:system', 'customer'], reopens: [3], resolvedByAi: false, firstSolveAiResolution: true },
  { name: 'solved → closed is neither a reopen nor a new solve', steps: ['ai_reply', 'status:solved:ai', 'status:closed:system'], reopens: [], resolvedByAi: true, firstSolveAiResolution: true },
  { name: 'closed straight from open is a solve, by whoever closed it', steps: ['ai_reply', 'status:closed:ai'], reopens: [], resolvedByAi: true, firstSolveAiResolution: true },
  { name: 'a customer message while pending (not solved) is no reopen', steps: ['human_reply', 'status:pending:human', 'customer', 'status:solved:human'], reopens: [], resolvedByAi: false, firstSolveAiResolution: false },
  { name: 'a second solved while solved is no new solve; the customer coming back is one reopen', steps: ['ai_reply', 'status:solved:ai', 'status:solved:ai', 'customer'], reopens: [3], resolvedByAi: false, firstSolveAiResolution: true },
  { name: 'after a customer reopen, the status set to open is not a second reopen', steps: ['ai_reply', 'status:solved:ai', 'customer', 'status:open:human', 'human_reply', 'status:solved:human'], reopens: [2], resolvedByAi: false, firstSolveAiResolution: true },
  { name: 'AI solve, reopen, AI solve again: one reopen, resolved by the AI', steps: ['ai_reply', 'status:solved:ai', 'customer', 'ai_reply', 'status:solved:ai'], reopens: [2], resolvedByAi: true, firstSolveAiResolution: true },
  { name: 'two reopens of two kinds', steps: ['ai_reply', 'status:solved:ai', 'customer', 'status:solved:ai', 'status:pending:human', 'status:solved:human'], reopens: [2, 4], resolvedByAi: false, firstSolveAiResolution: true },
  { name: 'a human internal note before an AI solve: no AI resolution', steps: ['human_note', 'ai_reply', 'status:solved:ai'], reopens: [], resolvedByAi: false, firstSolveAiResolution: false },
  { name: 'an assignment to a human before an AI solve: no AI resolution', steps: ['assign_human', 'ai_reply', 'status:solved:ai'], reopens: [], resolvedByAi: false, firstSolveAiResolution: false },
  { name: 'a human worklog before an AI solve: no AI resolution', steps: ['worklog', 'ai_reply', 'status:solved:ai'], reopens: [], resolvedByAi: false, firstSolveAiResolution: false },
  { name: 'a human internal note after the AI solve leaves it an AI resolution', steps: ['ai_reply', 'status:solved:ai', 'human_note'], reopens: [], resolvedByAi: true, firstSolveAiResolution: true },
  { name: 'solved by a human is no AI resolution', steps: ['human_reply', 'status:solved:human'], reopens: [], resolvedByAi: false, firstSolveAiResolution: false },
  { name: 'solved by the system is no AI resolution', steps: ['ai_reply', 'status:pending:ai', 'status:solved:system'], reopens: [], resolvedByAi: false, firstSolveAiResolution: false },
  { name: 'never solved: a customer message is no reopen', steps: ['ai_reply', 'customer'], reopens: [], resolvedByAi: false, firstSolveAiResolution: null },
];

const CALENDAR_ALWAYS = { timezone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) };
const POLICY = {
  version: 1,
  effectiveFrom: '2026-01-01T00:00:00Z',
  calendars: { always: CALENDAR_ALWAYS },
  policies: [{ id: 'all', match: {}, calendar: 'always', targets: { normal: { total_resolution: { minutes: 60 * 24 * 30, business: false } } } }],
};
// Criteria that cannot fail on their own, so that evaluation only tells whether the first solve is a candidate.
const CONTRACT = contractSchema.parse(JSON.parse(contractJson({}, { noHumanPublicReply: false, noEscalation: false, verificationWindowHours: 1, minCsat: null })));

/** The case's JSONL: created and the customer's first message, then one step a minute. */
function caseLines(steps: readonly What[]): string[] {
  const at = (minute: number): string => new Date(Date.parse(CREATED) + minute * 60_000).toISOString();
  const lines = [
    { ticket: TICKET, type: 'created', at: CREATED, channel: 'email', priority: 'normal', category: 'password_reset', subject: 'Help', requester: 'c-1' },
    { ticket: TICKET, type: 'message', at: CREATED, author: CUSTOMER, public: true, body: 'I need help' },
    ...steps.map((what, i) => line(what, at(i + 1))),
  ];
  return lines.map((l) => JSON.stringify(l));
}

function importCase(steps: readonly What[]): { db: Db; stepSeqs: number[] } {
  const { db } = tempDb();
  importPolicyText(db, 'sla.json', JSON.stringify(POLICY), BUYER, '2026-01-01T00:00:00Z');
  importJsonlText(db, 'case.jsonl', caseLines(steps).join('\n') + '\n');
  const seqs = db.prepare('SELECT seq FROM events WHERE ticket_id = ? ORDER BY seq').pluck().all(TICKET) as number[];
  expect(seqs).toHaveLength(steps.length + 2);
  return { db, stepSeqs: seqs.slice(2) };
}

/** What each of the four consumers says about the ticket. */
function consumers(db: Db): {
  projection: { reopens: number; resolvedByAi: boolean };
  sla: { reopenSeqs: number[] };
  kpis: { reopened: boolean; reopenSeqs: number[]; resolvedByAi: boolean };
  outcomes: { reopenSeqs: number[]; firstSolveAiResolution: boolean | null };
} {
  const ticket = new TicketRepository(db).get(TICKET)!;
  // Every reopen restarts the total-resolution clock, with the reopening event's seq.
  const totalResolution = ticketSlaReport(db, TICKET, '2026-12-01T00:00:00Z')!.metrics.total_resolution.clocks;
  const slaReopens = totalResolution.flatMap((clock) => clock.events).filter((e) => e.kind === 'activate' && e.cause.startsWith('reopened'));
  const stored = db.prepare('SELECT reopened, resolved_ai FROM kpi_ticket_facts WHERE ticket_id = ?').get(TICKET) as { reopened: number; resolved_ai: number };
  const kpi = kpiTicketFacts(TICKET, ticketFactEvents(db, [TICKET]).get(TICKET)!)!;
  const rows = new LedgerRepository(db).eventsOfTicket(TICKET);
  const asOfMs = Date.parse('2026-12-01T00:00:00Z');
  const facts = outcomeTicketFacts(rows, asOfMs);
  const evaluation = evaluateTicket(TICKET, rows, [CONTRACT], asOfMs, () => 'achieved');
  return {
    projection: { reopens: ticket.reopenCount, resolvedByAi: ticket.resolvedBy === 'ai' },
    sla: { reopenSeqs: slaReopens.map((e) => e.seq!) },
    kpis: { reopened: stored.reopened === 1, reopenSeqs: kpi.evidence.reopened ?? [], resolvedByAi: stored.resolved_ai === 1 },
    outcomes: {
      reopenSeqs: reopensAfter(facts.events, facts.solveIndex).map((e) => e.seq),
      firstSolveAiResolution: evaluation.kind === 'open' ? null : evaluation.clause !== 'candidate',
    },
  };
}

describe('one lifecycle: the projection, the SLA engine, the KPIs and billing agree', () => {
  it.each(CASES)('$name', (c) => {
    const { db, stepSeqs } = importCase(c.steps);
    const reopenSeqs = c.reopens.map((i) => stepSeqs[i]!);
    const said = consumers(db);
    expect(said).toEqual({
      projection: { reopens: reopenSeqs.length, resolvedByAi: c.resolvedByAi },
      sla: { reopenSeqs },
      kpis: { reopened: reopenSeqs.length > 0, reopenSeqs, resolvedByAi: c.resolvedByAi },
      outcomes: { reopenSeqs, firstSolveAiResolution: c.firstSolveAiResolution },
    });
  });
});

describe('lifecycle.ts', () => {
  it('the pure lifecycle gives the answers of the table', () => {
    for (const c of CASES) {
      const facts = caseLines(c.steps).map((text) => {
        const { type, ...payload } = JSON.parse(text) as Record<string, unknown>;
        return lifecycleFact(String(type), payload);
      });
      const lifecycle = ticketLifecycle(facts);
      expect(lifecycle.reopens.map((r) => r.index - 2), c.name).toEqual(c.reopens);
      expect(lifecycle.resolvedByAi, c.name).toBe(c.resolvedByAi);
      expect(lifecycle.solves[0]?.aiResolution ?? null, c.name).toBe(c.firstSolveAiResolution);
    }
  });

  it('a human touch is human work on the ticket, not a customer, the AI or the system', () => {
    const touches = (type: string, payload: Record<string, unknown>): boolean => step(INITIAL_STATE, lifecycleFact(type, payload)).humanTouch;
    expect(touches('message', { author: AGENT, public: false })).toBe(true);
    expect(touches('message', { author: AGENT, public: true })).toBe(true);
    expect(touches('status', { status: 'open', by: AGENT })).toBe(true);
    expect(touches('assigned', { to: AGENT })).toBe(true);
    expect(touches('escalated', { reason: 'customer_request', by: AGENT })).toBe(true);
    expect(touches('worklog', { minutes: 3, by: AGENT })).toBe(true);
    expect(touches('assigned', { to: AI })).toBe(false);
    expect(touches('message', { author: CUSTOMER, public: true })).toBe(false);
    expect(touches('status', { status: 'solved', by: SYSTEM })).toBe(false);
    expect(touches('escalated', { reason: 'low_confidence', by: AI })).toBe(false);
    // Review of an AI draft is oversight: the approved reply is the AI's message.
    expect(touches('ai.review', { actor: AGENT, action: 'approve' })).toBe(false);
  });
});
