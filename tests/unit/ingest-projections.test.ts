// The fast refresh of an import (tickets in id order, a chunk at a time, each chunk's events read once for every
// projection) must leave exactly the tables `attest rebuild` makes from scratch, compared table by table, row by row,
// and exactly what a refresh one small chunk at a time makes. The reference is the rebuild (every projection's own
// rebuildAll over the whole ledger), not the refresh path checking itself.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { generateDemoHistory } from '../../electron/core/demo/generator.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { rebuildAllProjections, refreshAfterAppend } from '../../electron/core/derived/refresh.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { defaultSlaPolicyLine } from '../../electron/core/sla/default-policies.ts';
import { TicketRepository } from '../../electron/core/tickets/ticket-repository.ts';
import { parseEventLine } from '../../electron/core/ledger/event-lines.ts';
import { LedgerWriter } from '../../electron/core/ledger/ledger.ts';
import { exportSigned, schemaOf, tempDb, tempDir } from './helpers.ts';

/** Tables that are the ledger itself or SQLite's/FTS5's own storage, not projections. */
const NOT_PROJECTIONS = new Set(['events', 'ledger_head', 'schema_migrations']);

/** The tables that hold rows per ticket (and the rollups summed from them), which a ticket refresh rewrites. */
const TICKET_TABLES = ['tickets', 'sla_clocks', 'sla_outcomes', 'sla_rollup', 'sla_open_rollup', 'kpi_ticket_facts', 'kpi_rollup', 'outcome_events', 'import_flags', 'ai_runs'];

function projectionTables(db: Db): string[] {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  // A full-text index's shadow tables hold its segments, whose layout depends on the insert history: the index is
  // compared by its rows and what it answers (searchResults), and by FTS5's own integrity check.
  const fullText = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5%'").pluck().all() as string[];
  const shadows = new Set(fullText.flatMap((name) => ['data', 'idx', 'docsize', 'config', 'content'].map((suffix) => `${name}_${suffix}`)));
  expect(fullText).toContain('ticket_search');
  return names.filter((name) => !NOT_PROJECTIONS.has(name) && !shadows.has(name));
}

/** Every row of every projection table, in a total order of all its columns (rowids are not compared). */
function dump(db: Db): Record<string, unknown[][]> {
  const tables: Record<string, unknown[][]> = {};
  for (const table of projectionTables(db)) {
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).map((c) => `"${c}"`);
    tables[table] = db.prepare(`SELECT ${columns.join(', ')} FROM "${table}" ORDER BY ${columns.join(', ')}`).raw().all() as unknown[][];
  }
  return tables;
}

/** Ticket ids the subject search finds for some trigram terms, and FTS5's check that the index matches its content. */
function searchResults(db: Db): Record<string, string[]> {
  db.prepare("INSERT INTO ticket_search (ticket_search, rank) VALUES ('integrity-check', 1)").run();
  const results: Record<string, string[]> = {};
  for (const term of ['ord', 'pass', 'refund', 'ing', 'shi']) {
    results[term] = db
      .prepare('SELECT id FROM tickets WHERE rowid IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?) ORDER BY id')
      .pluck()
      .all(`"${term}"`) as string[];
  }
  return results;
}

function expectSameProjections(actual: Db, expected: Db): void {
  const a = dump(actual);
  const b = dump(expected);
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const table of Object.keys(b)) expect(a[table], table).toEqual(b[table]);
  expect(searchResults(actual)).toEqual(searchResults(expected));
}

/** A copy of the open database's file, with everything committed (the WAL checkpointed into it first). */
function copyOf(db: Db, path: string): Db {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const copy = join(tempDir(), 'copy.db');
  copyFileSync(path, copy);
  return openDatabase(copy);
}

function allTicketIds(db: Db): string[] {
  return db.prepare('SELECT DISTINCT ticket_id FROM events WHERE ticket_id IS NOT NULL').pluck().all() as string[];
}

describe('projections kept by imports', () => {
  it('equal a rebuild from scratch, row by row, after imports of new and of already known tickets', () => {
    const dir = tempDir();
    const history = [...generateDemoHistory({ tickets: 160, seed: 23 })];
    const lines = history.map((line) => JSON.stringify(line));
    const cut = Math.floor(lines.length * 0.6);
    const ticketsOf = (part: typeof history): Set<unknown> => new Set(part.map((line) => (line as { ticket?: unknown }).ticket));
    const continued = [...ticketsOf(history.slice(cut))].filter((id) => ticketsOf(history.slice(0, cut)).has(id));
    const write = (name: string, part: string[]): string => {
      const file = join(dir, name);
      writeFileSync(file, `${part.join('\n')}\n`);
      return file;
    };
    const policy = write('policy.jsonl', [JSON.stringify(defaultSlaPolicyLine('2026-04-01T00:00:00.000Z'))]);
    // The second file continues tickets the first one began (their projections are replaced) and adds new ones.
    const first = write('first.jsonl', lines.slice(0, cut));
    const second = write('second.jsonl', lines.slice(cut));
    expect(continued.length).toBeGreaterThan(3);
    const { db, path } = tempDb();
    importJsonlFile(db, policy, { recordedAt: '2026-04-01T00:00:00.000Z' });
    const firstReport = importJsonlFile(db, first);
    const secondReport = importJsonlFile(db, second);
    expect(firstReport.ticketsTouched).toBeGreaterThan(80);
    expect(secondReport.ticketsTouched).toBeGreaterThan(continued.length);
    // The file again: every line a duplicate, nothing touched, nothing changes.
    const before = dump(db);
    expect(importJsonlFile(db, first)).toMatchObject({ eventsAdded: 0, ticketsTouched: 0 });
    expect(dump(db)).toEqual(before);
    // The SLA engine, KPI facts and rollups all hold rows: the comparison below is not between empty tables.
    for (const table of ['tickets', 'sla_clocks', 'sla_outcomes', 'sla_rollup', 'sla_open_rollup', 'kpi_ticket_facts', 'kpi_rollup', 'ticket_counts']) {
      expect(before[table]!.length, table).toBeGreaterThan(0);
    }

    const rebuilt = copyOf(db, path);
    rebuildAllProjections(rebuilt);
    expectSameProjections(db, rebuilt);
    rebuilt.close();
  });

  it('on a demo (contract, knowledge base, category modes, SLA, baseline): a refresh in chunks of 7 tickets equals the rebuild', () => {
    const source = tempDb();
    writeDemoHistory(source.db, { tickets: 120, seed: 9, accounts: false });
    // The whole ledger restored from its export into an empty one, as `attest import` does it.
    const file = join(tempDir(), 'demo.jsonl');
    exportSigned(source.db, file);
    const { db, path } = tempDb();
    importJsonlFile(db, file);
    for (const table of ['outcome_events', 'kb_article_versions', 'category_modes', 'sla_clocks', 'kpi_ticket_facts']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBeGreaterThan(0);
    }
    const rebuilt = copyOf(db, path);
    rebuildAllProjections(rebuilt);
    expectSameProjections(db, rebuilt);

    // Every ticket's rows removed, then every ticket refreshed by the per-batch path 7 tickets a chunk, in an order
    // unlike the ledger's: each chunk's events are read once and handed to every projection in turn.
    const chunked = copyOf(db, path);
    const ids = allTicketIds(chunked);
    expect(ids.length).toBeGreaterThan(100);
    const schema = schemaOf(chunked);
    const schemaVersion = (target: Db): number => target.pragma('schema_version', { simple: true }) as number;
    const version = schemaVersion(chunked);
    chunked.transaction(() => {
      removeEveryTicketsRows(chunked);
      refreshAfterAppend(chunked, new Set(ids.reverse()), new Set(), 7);
    })();
    expectSameProjections(chunked, rebuilt);
    // Fewer tickets than a bulk refresh takes: the indexes were kept up to date row by row, the schema untouched.
    expect(schemaVersion(chunked)).toBe(version);

    // The bulk path (here from one ticket up): the read-only indexes dropped, the tickets written, the indexes built
    // again. SQLite's own schema counter shows they were; its text is as the migrations wrote it, and its integrity
    // check compares every index with its table, entry by entry.
    const bulk = copyOf(db, path);
    bulk.transaction(() => {
      removeEveryTicketsRows(bulk);
      refreshAfterAppend(bulk, new Set(ids), new Set(), 7, 1);
    })();
    expect(schemaVersion(bulk)).toBeGreaterThan(version);
    expect(schemaOf(bulk)).toEqual(schema);
    expect(bulk.pragma('integrity_check', { simple: true })).toBe('ok');
    expectSameProjections(bulk, rebuilt);
    // A rebuild always builds them at its end.
    expect(schemaOf(rebuilt)).toEqual(schema);
    expect(rebuilt.pragma('integrity_check', { simple: true })).toBe('ok');
    rebuilt.close();
    chunked.close();
    bulk.close();
  });
});

/** Every ticket's projection rows removed, as before a refresh of every ticket. */
function removeEveryTicketsRows(db: Db): void {
  // The subject index and the queue counts are written beside the rows by the ticket repository (migrations 017
  // and 019), not by triggers: rows removed by hand take their index entries and counts with them here.
  db.prepare("INSERT INTO ticket_search (ticket_search) VALUES ('delete-all')").run();
  db.prepare('DELETE FROM ticket_counts').run();
  for (const table of TICKET_TABLES) {
    const perTicket = (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).includes('ticket_id');
    db.prepare(`DELETE FROM ${table}${perTicket ? ' WHERE ticket_id IS NOT NULL' : ''}`).run();
  }
  expect(db.prepare('SELECT coalesce(sum(n), 0) FROM ticket_counts').pluck().get()).toBe(0);
}

describe('projections that read some event types only', () => {
  it('leave the import flags and outcome events of a ticket alone when none of their types arrived', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 200, seed: 4, accounts: false });
    runVerification(db);
    const ticket = db.prepare('SELECT ticket_id FROM outcome_events WHERE ticket_id IS NOT NULL ORDER BY ticket_id LIMIT 1').pluck().get() as string;
    expect(ticket).toBeTypeOf('string');
    // Marks no computation writes: each stays only as long as nothing rewrites the ticket's rows in its table.
    db.prepare("INSERT INTO import_flags (seq, ticket_id, kind, detail, excludes) VALUES (0, ?, 'marked by the test', NULL, '[]')").run(ticket);
    expect(db.prepare("UPDATE outcome_events SET at = 'marked by the test' WHERE ticket_id = ?").run(ticket).changes).toBeGreaterThan(0);
    const marks = (): Record<string, number> => ({
      import_flags: db.prepare("SELECT count(*) FROM import_flags WHERE ticket_id = ? AND kind = 'marked by the test'").pluck().get(ticket) as number,
      outcome_events: db.prepare("SELECT count(*) FROM outcome_events WHERE ticket_id = ? AND at = 'marked by the test'").pluck().get(ticket) as number,
    });
    // A satisfaction score is neither's type: the ticket's own row takes it, both keep their rows.
    const lastAt = db.prepare('SELECT max(at) FROM events WHERE ticket_id = ?').pluck().get(ticket) as string;
    recordEvents(db, [{ type: 'csat', ticket, at: new Date(Date.parse(lastAt) + 60_000).toISOString(), score: 5 }]);
    expect(db.prepare('SELECT csat FROM tickets WHERE id = ?').pluck().get(ticket)).toBe(5);
    expect(marks()).toEqual({ import_flags: 1, outcome_events: expect.any(Number) });
    expect(marks().outcome_events).toBeGreaterThan(0);
    // A refresh of the ticket whatever arrived (no types known) rewrites both from the ledger: the marks go.
    refreshAfterAppend(db, new Set([ticket]), new Set());
    expect(marks()).toEqual({ import_flags: 0, outcome_events: 0 });
  });

  it('keep their rows where none of those arrived, refresh them where one did, and still equal the rebuild', () => {
    const { db, path } = tempDb();
    writeDemoHistory(db, { tickets: 120, seed: 4, accounts: false });
    const ticket = db.prepare('SELECT ticket_id FROM sla_clocks ORDER BY ticket_id LIMIT 1').pluck().get() as string;
    const lastAt = db.prepare('SELECT max(at) FROM events WHERE ticket_id = ?').pluck().get(ticket) as string;
    const later = (minutes: number): string => new Date(Date.parse(lastAt) + minutes * 60_000).toISOString();
    // A mark no computation writes: it stays only as long as nothing rewrites this ticket's SLA rows.
    const mark = (): number => db.prepare("UPDATE sla_clocks SET fulfilled_by = 'marked by the test' WHERE ticket_id = ?").run(ticket).changes;
    const marked = (): number => db.prepare("SELECT count(*) FROM sla_clocks WHERE ticket_id = ? AND fulfilled_by = 'marked by the test'").pluck().get(ticket) as number;
    expect(mark()).toBeGreaterThan(0);

    // A satisfaction score: no clock reads it. The ticket's own row takes it; its clocks are left as they were.
    recordEvents(db, [{ type: 'csat', ticket, at: later(1), score: 4 }]);
    expect(db.prepare('SELECT csat FROM tickets WHERE id = ?').pluck().get(ticket)).toBe(4);
    expect(marked()).toBeGreaterThan(0);

    // A message is what clocks read: the ticket's SLA is computed again, and the mark is gone.
    recordEvents(db, [{ type: 'message', ticket, at: later(2), author: { kind: 'human', id: 'agent-7' }, public: false, body: 'Internal note' }]);
    expect(marked()).toBe(0);

    // Outcome verification appends outcome events to many tickets: what it leaves equals a rebuild from scratch.
    const report = runVerification(db);
    expect(report.verifiedAdded).toBeGreaterThan(0);
    const rebuilt = copyOf(db, path);
    rebuildAllProjections(rebuilt);
    expectSameProjections(db, rebuilt);
    rebuilt.close();
  });
});

describe("a ticket's own row rewritten in place", () => {
  it('when its queue keys stay (a message arriving included), and still equal to the rebuild', () => {
    const { db, path } = tempDb();
    writeDemoHistory(db, { tickets: 150, seed: 6, accounts: false });
    const rewrites = vi.spyOn(TicketRepository.prototype, 'rewriteRowsInPlace');
    const deletes = vi.spyOn(TicketRepository.prototype, 'deleteTicketRows');
    const rowOf = (ticket: string): { rowid: number; event_count: number; last_seq: number } =>
      db.prepare('SELECT rowid, event_count, last_seq FROM tickets WHERE id = ?').get(ticket) as { rowid: number; event_count: number; last_seq: number };
    const [quiet, reopened] = db.prepare("SELECT id FROM tickets WHERE status IN ('solved', 'closed') ORDER BY id LIMIT 2").pluck().all() as string[];
    const later = (ticket: string, minutes: number): string =>
      new Date(Date.parse(db.prepare('SELECT max(at) FROM events WHERE ticket_id = ?').pluck().get(ticket) as string) + minutes * 60_000).toISOString();

    // A satisfaction score, an escalation and an internal note: the row is rewritten in place (same rowid), nothing is
    // deleted (no projection keeps a message of its own: a conversation is read from the ticket's events).
    const before = rowOf(quiet!);
    deletes.mockClear();
    recordEvents(db, [
      { type: 'csat', ticket: quiet, at: later(quiet!, 1), score: 2 },
      { type: 'escalated', ticket: quiet, at: later(quiet!, 2), reason: 'customer_request', by: { kind: 'human', id: 'agent-3' } },
      { type: 'message', ticket: quiet, at: later(quiet!, 3), author: { kind: 'human', id: 'agent-3' }, public: false, body: 'Escalated on request.' },
    ]);
    const after = rowOf(quiet!);
    expect(after.rowid).toBe(before.rowid);
    expect(after.event_count).toBe(before.event_count + 3);
    expect(after.last_seq).toBeGreaterThan(before.last_seq);
    expect(db.prepare('SELECT csat, escalated FROM tickets WHERE id = ?').raw().get(quiet)).toEqual([2, 1]);
    expect(deletes.mock.calls.flat(2)).not.toContain(quiet);

    // A status change moves its queue keys (the status counted): the ticket is written whole, and its counts move.
    recordEvents(db, [{ type: 'status', ticket: reopened, at: later(reopened!, 1), status: 'open', by: { kind: 'customer', id: 'c-9' } }]);
    expect(deletes.mock.calls.flat(2)).toContain(reopened);
    expect(db.prepare('SELECT status FROM tickets WHERE id = ?').pluck().get(reopened)).toBe('open');

    // Outcome verification appends to many tickets: each is rewritten in place, and the result equals a rebuild.
    rewrites.mockClear();
    expect(runVerification(db).verifiedAdded).toBeGreaterThan(0);
    expect(rewrites.mock.results.reduce((n, result) => n + (result.value as Set<string>).size, 0)).toBeGreaterThan(0);
    const rebuilt = copyOf(db, path);
    rebuildAllProjections(rebuilt);
    expectSameProjections(db, rebuilt);
    rebuilt.close();
    rewrites.mockRestore();
    deletes.mockRestore();
  });
});

describe("a ticket's messages", () => {
  it('are read from its message events, as the ledger holds them; an appended message is the last, and the projections equal the rebuild', () => {
    const { db, path } = tempDb();
    writeDemoHistory(db, { tickets: 80, seed: 9, accounts: false });
    const repository = new TicketRepository(db);
    // The test's own reading of the ledger: every message event's author, visibility and body, in ledger order.
    const fromLedger = (ticket: string): unknown[] =>
      (db.prepare("SELECT seq, at, payload FROM events WHERE ticket_id = ? AND type = 'message' ORDER BY seq").all(ticket) as { seq: number; at: string; payload: string }[]).map(
        ({ seq, at, payload }) => {
          const p = JSON.parse(payload) as { author: { kind: string; id?: string; model?: string }; public?: boolean; body: string };
          return { seq, at, authorKind: p.author.kind, authorId: p.author.id ?? p.author.model ?? null, isPublic: p.public === true, body: p.body };
        },
      );
    const tickets = db.prepare('SELECT id FROM tickets ORDER BY id').pluck().all() as string[];
    for (const ticket of tickets) expect(repository.messagesOf(ticket)).toEqual(fromLedger(ticket));
    expect(tickets.reduce((n, ticket) => n + repository.messagesOf(ticket).length, 0)).toBeGreaterThan(200);

    const ticket = db.prepare("SELECT ticket_id FROM events WHERE type = 'message' GROUP BY ticket_id ORDER BY count(*) DESC, ticket_id LIMIT 1").pluck().get() as string;
    const before = repository.messagesOf(ticket);
    const lastAt = db.prepare('SELECT max(at) FROM events WHERE ticket_id = ?').pluck().get(ticket) as string;
    const later = (minutes: number): string => new Date(Date.parse(lastAt) + minutes * 60_000).toISOString();
    recordEvents(db, [
      { type: 'message', ticket, at: later(1), author: { kind: 'customer', id: 'c-1' }, public: true, body: 'Still broken.' },
      { type: 'status', ticket, at: later(2), status: 'open', by: { kind: 'customer', id: 'c-1' } },
    ]);
    const after = repository.messagesOf(ticket);
    expect(after.slice(0, -1)).toEqual(before);
    expect(after.at(-1)).toMatchObject({ at: later(1), authorKind: 'customer', authorId: 'c-1', isPublic: true, body: 'Still broken.' });
    expect(db.prepare('SELECT status FROM tickets WHERE id = ?').pluck().get(ticket)).toBe('open');

    const rebuilt = copyOf(db, path);
    rebuildAllProjections(rebuilt);
    expectSameProjections(db, rebuilt);
    rebuilt.close();
  });
});

describe('a ledger-wide fact appended with ticket events', () => {
  // The demo's final refresh: category modes and tickets' events in one append. The category modes' projection is
  // rebuilt whole and never joins the pass over the tickets; the SLA projection, rebuilt whole on a new policy, does.
  const history = [...generateDemoHistory({ tickets: 140, seed: 31 })];
  const cut = Math.floor(history.length * 0.5);
  const at = String((history[history.length - 1] as { at: string }).at);
  const actor = { kind: 'human', id: 'supervisor-1' };
  const categoryMode = { type: 'category.mode', at, actor, category: 'order_status', mode: 'auto', reason: 'pilot' };

  function afterAppending(ledgerWide: Record<string, unknown>): { db: Db; path: string; reads: number; chunks: number } {
    const { db, path } = tempDb();
    recordEvents(db, [defaultSlaPolicyLine('2026-04-01T00:00:00.000Z')], '2026-04-01T00:00:00.000Z');
    recordEvents(db, history.slice(0, cut), at);
    const reads = vi.spyOn(TicketRepository.prototype, 'eventsOfTickets');
    const tickets = new Set(history.slice(cut).map((line) => (line as { ticket: string }).ticket));
    const chunk = 20;
    try {
      db.transaction(() => {
        recordEventsWithoutRefresh(db, [...history.slice(cut), ledgerWide], at);
        refreshAfterAppend(db, new Set(tickets), new Set([ledgerWide.type as string]), chunk);
      })();
      expect(tickets.size).toBeGreaterThan(2 * chunk);
      return { db, path, reads: reads.mock.calls.length, chunks: Math.ceil(tickets.size / chunk) };
    } finally {
      reads.mockRestore();
    }
  }

  it("that only a projection outside the tickets' pass reads (a category mode): each chunk's events read once, the projections equal the rebuild", () => {
    const { db, path, reads, chunks } = afterAppending(categoryMode);
    expect(reads).toBe(chunks);
    expect(db.prepare("SELECT mode FROM category_modes WHERE category = 'order_status'").pluck().get()).toBe('auto');
    const rebuilt = copyOf(db, path);
    rebuildAllProjections(rebuilt);
    expectSameProjections(db, rebuilt);
    rebuilt.close();
  });

  it('that a projection in the pass reads (an SLA policy): the pass ends before it is rebuilt, and the projections equal the rebuild', () => {
    // Version 2, in force from the time it is recorded: an SLA policy never reaches back.
    const policy = { ...defaultSlaPolicyLine(at), version: 2, effectiveFrom: at };
    const { db, path, reads, chunks } = afterAppending(policy);
    // The ticket tables in one pass, the SLA projection rebuilt whole, the projections after it in a second pass.
    expect(reads).toBe(2 * chunks);
    const rebuilt = copyOf(db, path);
    rebuildAllProjections(rebuilt);
    expectSameProjections(db, rebuilt);
    rebuilt.close();
  });
});

/** Appends the lines as recordEvents does, leaving the projections to the caller's refresh. */
function recordEventsWithoutRefresh(db: Db, lines: readonly Record<string, unknown>[], recordedAt: string): void {
  const writer = new LedgerWriter(db);
  for (const line of lines) writer.append(parseEventLine(line), recordedAt);
  writer.flush();
}
