// EU AI Act Art. 50: every AI reply tells the customer an AI wrote it, and the ledger records that it did — the
// pipeline's replies, approved drafts and the demo's; the rule book refuses an AI reply without it on every path.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AI_DISCLOSURE } from '../../electron/core/ai/disclosure.ts';
import { resolveTickets } from '../../electron/core/ai/resolver.ts';
import { reviewDraft } from '../../electron/core/ai/review.ts';
import { reviewQueue } from '../../electron/core/ai/ai-views.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { importJsonlFile, importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { addOpenTickets, setMode } from '../support/ai-tickets.ts';
import type { StandIn } from '../support/ollama-stand-in.ts';
import { exportSigned, tempDb } from './helpers.ts';
import { withStandInAndKb } from './ai-kit.ts';
import { effectiveDisclosure, loadOrganizationSettings } from '../../electron/core/organization/organization-settings.ts';

const AI = { kind: 'ai', model: 'llama3.2:3b' } as const;
const HUMAN = { kind: 'human', id: 'agent-1' } as const;

interface MessageLine {
  seq: number;
  author: { kind: string };
  public: boolean;
  body: string;
  disclosure?: string;
}

function messages(db: Db, ticket?: string): MessageLine[] {
  const rows = db
    .prepare(`SELECT seq, payload FROM events WHERE type = 'message'${ticket ? ' AND ticket_id = ?' : ''} ORDER BY seq`)
    .all(...(ticket ? [ticket] : [])) as { seq: number; payload: string }[];
  return rows.map((row) => ({ seq: row.seq, ...(JSON.parse(row.payload) as Omit<MessageLine, 'seq'>) }));
}

const disclosed = (m: MessageLine): boolean => m.disclosure === AI_DISCLOSURE && m.body.endsWith(`\n\n${AI_DISCLOSURE}`);

describe('the disclosure text', () => {
  it('is a constant of the product that says an AI wrote the reply, naming no company', () => {
    expect(AI_DISCLOSURE).toMatch(/\bAI\b/);
    expect(AI_DISCLOSURE).not.toMatch(/Kestrel/);
  });
});

describe('AI replies sent by Attest', () => {
  let standIn: StandIn;
  let db: Db;
  withStandInAndKb((s, d) => {
    standIn = s;
    db = d;
  });
  const run = () => resolveTickets(db, { env: { OLLAMA_HOST: standIn.host }, backoffMs: 5 });

  it('an auto-sent reply ends with the disclosure and names it', async () => {
    setMode(db, 'how_to', 'auto');
    const [ticket] = addOpenTickets(db, 1, ['how_to']);
    expect((await run()).sentSolved).toBe(1);
    const sent = messages(db, ticket!.id).filter((m) => m.author.kind === 'ai');
    expect(sent).toHaveLength(1);
    expect(disclosed(sent[0]!)).toBe(true);
  });

  it('an approved draft is the AI reply and carries it; an edited draft is the reviewer\'s message and does not', async () => {
    setMode(db, 'how_to', 'draft');
    const [approved, edited] = addOpenTickets(db, 2, ['how_to', 'how_to']);
    await run();
    const queue = reviewQueue(db, 10, false);
    const runOf = (ticket: string) => queue.find((item) => item.ticketId === ticket)!.runId;
    reviewDraft(db, { runId: runOf(approved!.id), action: 'approve' }, HUMAN);
    reviewDraft(db, { runId: runOf(edited!.id), action: 'edit', body: 'Please restart the hub, then try again.' }, HUMAN);
    const [aiReply] = messages(db, approved!.id).filter((m) => m.author.kind === 'ai');
    expect(disclosed(aiReply!)).toBe(true);
    const humanReply = messages(db, edited!.id).at(-1)!;
    expect(humanReply).toMatchObject({ author: HUMAN, body: 'Please restart the hub, then try again.' });
    expect(humanReply.disclosure).toBeUndefined();
  });
});

describe('the rule book', () => {
  const created = { ticket: 'T-1', type: 'created', at: '2026-10-05T08:00:00Z', channel: 'email', priority: 'normal', category: 'how_to', subject: 's' };
  const reply = (fields: Record<string, unknown>) => ({ ticket: 'T-1', type: 'message', at: '2026-10-05T08:05:00Z', author: AI, public: true, ...fields });

  it('refuses a public AI reply Attest records without its disclosure, or with one its body does not end with', () => {
    const { db } = tempDb();
    recordEvents(db, [created]);
    expect(() => recordEvents(db, [reply({ body: 'Restart the hub.' })])).toThrow(/disclosure: a public AI reply must tell the customer/);
    expect(() => recordEvents(db, [reply({ body: 'Restart the hub.', disclosure: AI_DISCLOSURE })])).toThrow(/body: must end with the AI disclosure/);
    expect(() => recordEvents(db, [reply({ body: `Hi\n\n${AI_DISCLOSURE}`, disclosure: '   ' })])).toThrow(/blank/);
    expect(messages(db)).toEqual([]);
    recordEvents(db, [reply({ body: `Restart the hub.\n\n${AI_DISCLOSURE}`, disclosure: AI_DISCLOSURE })]);
    expect(messages(db)).toHaveLength(1);
  });

  it('refuses a disclosure on a message that is not a public AI reply, from a file too', () => {
    const { db } = tempDb();
    recordEvents(db, [created]);
    const body = `Hello\n\n${AI_DISCLOSURE}`;
    expect(() => recordEvents(db, [{ ...reply({ body, disclosure: AI_DISCLOSURE }), author: HUMAN }])).toThrow(/only a public message by an AI/);
    expect(() => recordEvents(db, [reply({ body, disclosure: AI_DISCLOSURE, public: false })])).toThrow(/only a public message by an AI/);
    const line = JSON.stringify({ ...reply({ body, disclosure: AI_DISCLOSURE }), author: HUMAN });
    expect(() => importJsonlText(db, 'h.jsonl', line + '\n')).toThrow(/only a public message by an AI/);
  });

  it("takes a helpdesk's AI message from a file as the source's statement, and an older export restored as a replay", () => {
    const { db, dir } = tempDb();
    const lines = [created, reply({ body: 'A bot of the old helpdesk answered.' })].map((l) => JSON.stringify(l)).join('\n') + '\n';
    expect(importJsonlText(db, 'history.jsonl', lines).eventsAdded).toBe(2);
    expect(messages(db)).toHaveLength(1);
    const exported = join(dir, 'export.jsonl');
    exportSigned(db, exported);
    const restored = tempDb().db;
    expect(importJsonlFile(restored, exported).eventsAdded).toBeGreaterThanOrEqual(3);
    expect(messages(restored)).toEqual(messages(db));
  });
});

describe('the demo', () => {
  it('discloses every AI reply it generates, as Attest does, in the words its organization settings record', () => {
    const db = tempDb().db;
    writeDemoHistory(db, { tickets: 120, seed: 3, accounts: false });
    const aiPublic = messages(db).filter((m) => m.author.kind === 'ai' && m.public);
    expect(aiPublic.length).toBeGreaterThan(20);
    const disclosure = effectiveDisclosure(loadOrganizationSettings(db));
    expect(disclosure).not.toBe(AI_DISCLOSURE);
    expect(aiPublic.filter((m) => !(m.disclosure === disclosure && m.body.endsWith(`\n\n${disclosure}`)))).toEqual([]);
    expect(messages(db).filter((m) => m.disclosure !== undefined && m.author.kind !== 'ai')).toEqual([]);
  });
});
