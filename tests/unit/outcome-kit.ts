// Builders for outcome-contract tests: a contract file and ticket histories as Attest JSONL lines.
import type { Db } from '../../electron/core/db/connection.ts';
import { aiReplyFields } from '../../electron/core/ai/disclosure.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importContract } from '../../electron/core/outcomes/contract-import.ts';

export const BUYER = { kind: 'human', id: 'buyer-admin' } as const;
const AI = { kind: 'ai', model: 'llama3.2:3b' } as const;
const AGENT = { kind: 'human', id: 'agent-7' } as const;
const CUSTOMER = { kind: 'customer', id: 'c-1' } as const;

export function contractJson(overrides: Record<string, unknown> = {}, criteria: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      id: 'acme-ai-2026',
      version: 1,
      effectiveFrom: '2026-10-01',
      timezone: 'Europe/Berlin',
      currency: 'EUR',
      pricePerResolution: 0.99,
      categories: ['password_reset', 'shipping_status', 'how_to'],
      criteria: { noHumanPublicReply: true, noEscalation: true, verificationWindowHours: 72, minCsat: 3, requireSla: [], ...criteria },
      clawbackDays: 30,
      ...overrides,
    },
    null,
    2,
  );
}

export function loadContract(db: Db, overrides: Record<string, unknown> = {}, criteria: Record<string, unknown> = {}): void {
  importContract(db, 'contract.json', contractJson(overrides, criteria), BUYER, '2026-09-20T08:00:00Z');
}

const plus = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

export type Step =
  | { kind: 'ai_reply' | 'human_reply' | 'human_note' | 'customer' | 'escalate' | 'solve_ai' | 'solve_human' | 'reopen_status'; at: string }
  | { kind: 'csat'; at: string; score: number };

/** A ticket's lines: created (+ the customer's first message) at `created`, then the steps. */
export function ticketLines(ticket: string, created: string, steps: Step[], category = 'password_reset'): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [
    { ticket, type: 'created', at: created, channel: 'email', priority: 'normal', category, subject: `Help ${ticket}`, requester: 'c-1' },
    { ticket, type: 'message', at: created, author: CUSTOMER, public: true, body: 'I need help' },
  ];
  for (const step of steps) {
    const at = step.at;
    switch (step.kind) {
      case 'ai_reply':
        lines.push({ ticket, type: 'message', at, ...aiReplyFields(AI, 'Here is how') });
        break;
      case 'human_reply':
        lines.push({ ticket, type: 'message', at, author: AGENT, public: true, body: 'An agent here' });
        break;
      case 'human_note':
        lines.push({ ticket, type: 'message', at, author: AGENT, public: false, body: 'internal: looks fine' });
        break;
      case 'customer':
        lines.push({ ticket, type: 'message', at, author: CUSTOMER, public: true, body: 'Still broken' });
        break;
      case 'escalate':
        lines.push({ ticket, type: 'escalated', at, reason: 'low_confidence', by: AI });
        break;
      case 'solve_ai':
        lines.push({ ticket, type: 'status', at, status: 'solved', by: AI });
        break;
      case 'solve_human':
        lines.push({ ticket, type: 'status', at, status: 'solved', by: AGENT });
        break;
      case 'reopen_status':
        lines.push({ ticket, type: 'status', at, status: 'open', by: AGENT });
        break;
      case 'csat':
        lines.push({ ticket, type: 'csat', at, score: step.score });
        break;
    }
  }
  return lines;
}

/** The usual AI resolution: the AI answers 5 minutes after creation and solves 10 minutes after. */
export function aiSolved(ticket: string, created: string, after: Step[] = [], category = 'password_reset'): Record<string, unknown>[] {
  return ticketLines(ticket, created, [{ kind: 'ai_reply', at: plus(created, 5) }, { kind: 'solve_ai', at: plus(created, 10) }, ...after], category);
}

export function record(db: Db, lines: Record<string, unknown>[], recordedAt?: string): void {
  recordEvents(db, lines, recordedAt);
}

export function seqOf(db: Db, ticket: string, type: string, nth = 0): number {
  return (db.prepare('SELECT seq FROM events WHERE ticket_id = ? AND type = ? ORDER BY seq').pluck().all(ticket, type) as number[])[nth]!;
}

export function outcomeEvents(db: Db, type: string): { ticket: string; at: string; payload: Record<string, unknown> }[] {
  return (db.prepare('SELECT ticket_id, at, payload FROM events WHERE type = ? ORDER BY seq').all(type) as { ticket_id: string; at: string; payload: string }[]).map((r) => ({
    ticket: r.ticket_id,
    at: r.at,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
}
