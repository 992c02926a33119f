// Open tickets waiting for an answer, written as ordinary ledger events, with the demo's wording.
import type { Db } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { TOPICS } from '../../electron/core/demo/texts.ts';

const SLOTS: Record<string, string> = {
  order: 'K-482913', product: 'Kestrel Hub 2', plan: 'Plus', amount: '9.99', invoice: 'INV-20931', tracking: '00340434161094042557',
  carrier: 'DHL', feature: 'automations', code: 'E-1042', platform: 'iOS app', name: 'Anna', agent: 'Sabine', days: '3',
  email: 'anna@example.com', incident: 'INC-2041', category: 'how_to',
};
const fill = (text: string): string => text.replace(/\{(\w+)\}/g, (_, key: string) => SLOTS[key] ?? key);

export interface OpenTicket {
  id: string;
  category: string;
  subject: string;
  body: string;
}

/** `count` open tickets, cycling through the demo topics of the given categories. */
export function addOpenTickets(db: Db, count: number, categories: readonly string[], options: { prefix?: string; body?: string; at?: string } = {}): OpenTicket[] {
  const tickets: OpenTicket[] = [];
  const lines: Record<string, unknown>[] = [];
  const at = options.at ?? '2025-01-15T09:00:00.000Z';
  for (let i = 0; i < count; i++) {
    const category = categories[i % categories.length]!;
    const topics = TOPICS[category]!;
    const topic = topics[Math.floor(i / categories.length) % topics.length]!;
    const id = `${options.prefix ?? 'AI'}-${i + 1}`;
    const subject = fill(topic.subjects[i % topic.subjects.length]!);
    const body = options.body ?? fill(topic.body[i % topic.body.length]!);
    lines.push({ ticket: id, type: 'created', at, channel: 'email', priority: 'normal', category, subject, requester: `cust-${i}@example.com` });
    lines.push({ ticket: id, type: 'message', at, author: { kind: 'customer', id: `cust-${i}@example.com` }, public: true, body });
    tickets.push({ id, category, subject, body });
  }
  recordEvents(db, lines);
  return tickets;
}

export function setMode(db: Db, category: string, mode: 'off' | 'draft' | 'auto'): void {
  recordEvents(db, [{ type: 'category.mode', at: new Date().toISOString(), actor: { kind: 'human', id: 'test' }, category, mode, reason: 'test setup' }]);
}
