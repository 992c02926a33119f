import { describe, expect, it } from 'vitest';
import type { TicketFilter } from '../../shared/contract.ts';
import { importJsonlFile, importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { TicketRepository } from '../../electron/core/tickets/ticket-repository.ts';
import { SMALL_FIXTURE, tempDb } from './helpers.ts';

const all: TicketFilter = { status: [], priority: [], category: [], channel: [], resolvedBy: [], search: '' };

describe('ticket queue queries', () => {
  it('keeps the totals rollup equal to a real count through imports, reopens and rebuilds', () => {
    const { db } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    const tickets = new TicketRepository(db);
    const realCount = (where = '') => db.prepare(`SELECT count(*) FROM tickets ${where}`).pluck().get();
    expect(tickets.list(all, 0, 10).total).toBe(3);
    expect(tickets.list({ ...all, status: ['open'] }, 0, 10).total).toBe(realCount("WHERE status = 'open'"));
    // T-1 is reopened: it moves from solved/ai to open/unresolved.
    importJsonlText(db, 'more.jsonl', '{"ticket":"T-1","type":"message","at":"2026-10-04T09:00:00Z","author":{"kind":"customer","id":"c-17"},"public":true,"body":"Still broken"}\n');
    expect(tickets.list({ ...all, resolvedBy: ['ai'] }, 0, 10).total).toBe(0);
    expect(tickets.list({ ...all, status: ['open'] }, 0, 10).total).toBe(3);
    expect(tickets.list({ ...all, status: ['open'], priority: ['urgent', 'high'] }, 0, 10)).toMatchObject({ total: 2 });
    rebuildAllProjections(db);
    expect(tickets.list({ ...all, status: ['open'] }, 0, 10).total).toBe(3);
    expect(db.prepare('SELECT sum(n) FROM ticket_counts').pluck().get()).toBe(realCount());
    expect(tickets.facets()).toEqual({ categories: ['billing_question', 'outage', 'password_reset'], channels: ['chat', 'email', 'web'] });
  });

  it('searches by exact id or requester, and by subject substring through the trigram index', () => {
    const { db } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    const tickets = new TicketRepository(db);
    const ids = (search: string) => tickets.list({ ...all, search }, 0, 10).rows.map((r) => r.id);
    expect(ids('T-2')).toEqual(['T-2']);
    expect(ids('c-9')).toEqual(['T-3']);
    expect(ids('log in')).toEqual(['T-1']);
    expect(ids('CHARGED')).toEqual(['T-2']);
    expect(ids('ow')).toEqual(['T-3']);
    expect(ids('100%')).toEqual([]);
    expect(ids('"x')).toEqual([]);
    importJsonlText(db, 'rename.jsonl', '{"ticket":"T-9","type":"created","at":"2026-10-05T09:00:00Z","channel":"email","priority":"low","category":"how_to","subject":"How do I log in with SSO?"}\n');
    expect(ids('log in').sort()).toEqual(['T-1', 'T-9']);
    rebuildAllProjections(db);
    expect(ids('log in').sort()).toEqual(['T-1', 'T-9']);
  });

  it('pages through the queue newest first without repeating rows', () => {
    const { db } = tempDb();
    importJsonlFile(db, SMALL_FIXTURE);
    const tickets = new TicketRepository(db);
    const first = tickets.list(all, 0, 2);
    const second = tickets.list(all, 2, 2);
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(['T-3', 'T-2', 'T-1']);
    expect(tickets.list(all, 5, 2)).toEqual({ total: 3, offset: 5, rows: [] });
  });
});
