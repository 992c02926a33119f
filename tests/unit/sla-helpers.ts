// Shared fixtures of the SLA tests: a policy file and compact ticket histories.
import type { Db } from '../../electron/core/db/connection.ts';
import { aiReplyFields } from '../../electron/core/ai/disclosure.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';

export const OFFICE = {
  timezone: 'Europe/Berlin',
  hours: {
    mon: [['09:00', '17:00']],
    tue: [['09:00', '17:00']],
    wed: [['09:00', '17:00']],
    thu: [['09:00', '17:00']],
    fri: [['09:00', '13:00'], ['14:00', '17:00']],
  },
  holidays: ['2026-12-24', '2026-12-25'],
};
export const NEW_YORK = { timezone: 'America/New_York', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])), holidays: [] };
const ALWAYS = (timezone: string) => ({ timezone, hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])), holidays: [] });
export const BERLIN_24_7 = ALWAYS('Europe/Berlin');
export const NEW_YORK_24_7 = ALWAYS('America/New_York');

const business = (minutes: number) => ({ minutes, business: true });

export function policyFile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    effectiveFrom: '2026-01-01T00:00:00Z',
    calendars: { office: OFFICE, ny: NEW_YORK, berlin247: BERLIN_24_7, ny247: NEW_YORK_24_7 },
    policies: [
      { id: 'vip', match: { organization: ['acme'] }, calendar: 'office', targets: { urgent: { first_reply: { minutes: 30, business: false } } } },
      { id: 'us', match: { channel: ['phone'] }, calendar: 'ny', targets: { normal: { first_reply: business(90) } } },
      { id: 'always', match: { channel: ['api'] }, calendar: 'berlin247', targets: { normal: { first_reply: business(6000) } } },
      { id: 'always_ny', match: { channel: ['api_us'] }, calendar: 'ny247', targets: { normal: { first_reply: business(6000) } } },
      { id: 'email_only', match: { channel: ['email'] }, calendar: 'office', targets: {
        normal: {
          first_reply: business(90),
          next_reply: business(60),
          periodic_update: business(480),
          requester_wait: business(600),
          agent_work: business(600),
          total_resolution: business(480),
        },
      } },
    ],
    ...overrides,
  };
}

export function recordPolicy(db: Db, file: Record<string, unknown> = policyFile(), at = '2025-12-01T00:00:00Z'): void {
  recordEvents(db, [{ type: 'sla.policy', at, actor: { kind: 'human', id: 'sup-1' }, ...file }], at);
}

const AGENT = { kind: 'human', id: 'agent-1' };
const AI = { kind: 'ai', model: 'llama3.2:3b' } as const;
const CUSTOMER = { kind: 'customer', id: 'c-1' };

/** Compact steps: [at, what] with what one of created | agent | ai | customer | note | status:<s> | solved | solved-ai. */
export function ticketLines(ticket: string, steps: [string, string][], created: Record<string, unknown> = {}): Record<string, unknown>[] {
  return steps.map(([at, what]) => {
    if (what === 'created') return { ticket, type: 'created', at, channel: 'email', priority: 'normal', category: 'how_to', subject: 's', requester: 'c-1', ...created };
    if (what === 'agent') return { ticket, type: 'message', at, author: AGENT, public: true, body: 'reply' };
    if (what === 'ai') return { ticket, type: 'message', at, ...aiReplyFields(AI, 'ai reply') };
    if (what === 'note') return { ticket, type: 'message', at, author: AGENT, public: false, body: 'internal' };
    if (what === 'customer') return { ticket, type: 'message', at, author: CUSTOMER, public: true, body: 'hello' };
    if (what === 'solved-ai') return { ticket, type: 'status', at, status: 'solved', by: AI };
    if (what === 'solved') return { ticket, type: 'status', at, status: 'solved', by: AGENT };
    if (what.startsWith('status:')) return { ticket, type: 'status', at, status: what.slice(7), by: AGENT };
    throw new Error(`unknown step ${what}`);
  });
}
