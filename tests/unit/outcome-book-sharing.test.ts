// A connection keeps the outcome events it last read, and the book built from them, while the ledger it sees stays the
// same (OutcomeRepository.outcomeEvents, outcome-book.ts bookFrom): the Outcomes tab's five reads then build the book
// once. Kept lists must never outlive what they were read from — an append on the same connection, a commit by another
// connection, or a row changed in place by another program — and no caller may change what the next one reads.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { openDatabase, openReadOnly } from '../../electron/core/db/connection.ts';
import { listDisputes } from '../../electron/core/outcomes/disputes.ts';
import { readBook, resolveContract } from '../../electron/core/outcomes/outcome-book.ts';
import { OutcomeRepository } from '../../electron/core/outcomes/outcome-repository.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { buildStatement, statementPeriods } from '../../electron/core/outcomes/statement.ts';
import { attribution } from '../../electron/core/outcomes/attribution.ts';
import { scopeTickets } from '../../electron/core/outcomes/verification.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { tamper, tempDir } from './helpers.ts';
import { aiSolved, loadContract, record } from './outcome-kit.ts';
import { join } from 'node:path';

/** A ledger file with a contract and two verified AI resolutions in October 2026. */
function verifiedLedger(): string {
  const path = join(tempDir(), 'book.db');
  const db = openDatabase(path);
  loadContract(db);
  record(db, aiSolved('T-1', '2026-10-05T10:00:00Z'));
  record(db, aiSolved('T-2', '2026-10-06T10:00:00Z'));
  expect(runVerification(db, '2026-10-20T00:00:00Z')).toMatchObject({ verifiedAdded: 2 });
  db.close();
  return path;
}

/** What a statement of October bills, from a fresh connection that has kept nothing. */
function freshStatementTotal(path: string): string {
  const db = openReadOnly(path);
  try {
    return buildStatement(db, '2026-10').total;
  } finally {
    db.close();
  }
}

describe('the outcome events and book a connection keeps', () => {
  it('are read once while the ledger stays the same, and every reader gets a map of its own over frozen records', () => {
    const db = openReadOnly(verifiedLedger());
    const repository = new OutcomeRepository(db);
    const contract = resolveContract(repository);
    const first = repository.outcomeEvents(contract.id);
    expect(first.length).toBeGreaterThanOrEqual(2);
    // The same list again: nothing was read twice.
    expect(repository.outcomeEvents(contract.id)).toBe(first);
    expect(new OutcomeRepository(db).outcomeEvents(contract.id)).toBe(first);
    // Another contract id (none here) is another list.
    expect(repository.outcomeEvents('no-such-contract')).toEqual([]);
    expect(repository.outcomeEvents(contract.id)).not.toBe(first);

    const book = readBook(repository, contract);
    const again = readBook(repository, contract);
    // One book for every read of the snapshot, not a copy each (a copy cost 13 ms at 300,000 tickets).
    expect(again).toBe(book);
    expect(again.get('T-1')).toBe(book.get('T-1'));
    // No caller can change what the next caller reads: the shared map refuses writes (a copy of it is the caller's own).
    expect(() => (book as Map<string, unknown>).delete('T-1')).toThrow(TypeError);
    expect(() => (book as Map<string, unknown>).set('T-1', null)).toThrow(TypeError);
    expect(() => (book as Map<string, unknown>).clear()).toThrow(TypeError);
    const own = new Map(book);
    own.delete('T-1');
    expect(readBook(repository, contract).has('T-1')).toBe(true);
    const kept = readBook(repository, contract).get('T-1')!;
    expect(() => {
      (kept as { priceMinor: number }).priceMinor = 0;
    }).toThrow(TypeError);
    expect(() => kept.evidence.push(1)).toThrow(TypeError);
    const event = repository.outcomeEvents(contract.id)[0]!;
    expect(() => {
      event.payload.price = '0.00';
    }).toThrow(TypeError);
    db.close();
  });

  it('follow an append on the same connection, inside its transaction and after', () => {
    const path = verifiedLedger();
    const db = openDatabase(path);
    const repository = new OutcomeRepository(db);
    const before = statementPeriods(db);
    expect(buildStatement(db, '2026-10').lines).toHaveLength(2);
    const heldBefore = repository.outcomeEvents(resolveContract(repository).id);
    db.transaction(() => {
      record(db, aiSolved('T-3', '2026-10-07T10:00:00Z'));
      expect(runVerification(db, '2026-10-20T00:00:00Z')).toMatchObject({ verifiedAdded: 1 });
      // Inside the transaction the connection sees its own new verification.
      expect(buildStatement(db, '2026-10').lines).toHaveLength(3);
    })();
    expect(repository.outcomeEvents(resolveContract(repository).id)).not.toBe(heldBefore);
    expect(buildStatement(db, '2026-10').lines).toHaveLength(3);
    expect(statementPeriods(db)).toEqual(before);
    // A transaction rolled back leaves the list it read behind too.
    expect(() =>
      db.transaction(() => {
        record(db, aiSolved('T-4', '2026-10-08T10:00:00Z'));
        runVerification(db, '2026-10-20T00:00:00Z');
        expect(buildStatement(db, '2026-10').lines).toHaveLength(4);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(buildStatement(db, '2026-10').lines).toHaveLength(3);
    db.close();
  });

  it('follow commits of another connection, and rows another program changed in place', () => {
    const path = verifiedLedger();
    const reader = openReadOnly(path);
    const total = buildStatement(reader, '2026-10').total;
    expect(listDisputes(reader).disputes).toEqual([]);

    // Another connection (a console's job, another process) appends a verification.
    const writer = openDatabase(path);
    record(writer, aiSolved('T-3', '2026-10-07T10:00:00Z'));
    expect(runVerification(writer, '2026-10-20T00:00:00Z')).toMatchObject({ verifiedAdded: 1 });
    writer.close();
    expect(buildStatement(reader, '2026-10').lines).toHaveLength(3);
    expect(buildStatement(reader, '2026-10').total).toBe(freshStatementTotal(path));
    expect(buildStatement(reader, '2026-10').total).not.toBe(total);

    // Another program changes a verification's recorded price in place (the head stays where it was): the kept list
    // must not hide it — the statement flags the price as a fresh read does.
    const raw = new Database(path);
    const seq = raw.prepare("SELECT seq FROM events WHERE type = 'outcome.verified' ORDER BY seq LIMIT 1").pluck().get() as number;
    tamper(raw as never, "UPDATE events SET payload = json_set(payload, '$.price', '0.01') WHERE seq = ?", seq);
    raw.close();
    const flagged = (statement: ReturnType<typeof buildStatement>): number => statement.lines.filter((line) => line.discrepancy).length;
    const fresh = openReadOnly(path);
    const freshFlags = flagged(buildStatement(fresh, '2026-10'));
    fresh.close();
    expect(freshFlags).toBe(1);
    expect(flagged(buildStatement(reader, '2026-10'))).toBe(freshFlags);
    reader.close();
  });

  it("keep a contract's scope (and the attribution's unverified tickets in it) only while the ledger stays the same", () => {
    const path = verifiedLedger();
    const db = openDatabase(path);
    record(db, aiSolved('T-3', '2026-10-07T10:00:00Z'));
    const repository = new OutcomeRepository(db);
    const contract = resolveContract(repository);
    const scope = scopeTickets(repository, contract);
    expect([...scope]).toEqual(['T-1', 'T-2', 'T-3']);
    // The same list again, and frozen: no caller changes what the next one reads.
    expect(scopeTickets(new OutcomeRepository(db), contract)).toBe(scope);
    expect(() => (scope as string[]).push('T-9')).toThrow(TypeError);
    // Other bounds are another list (a scope of one category, none of whose tickets exist here).
    expect(repository.ticketsInScope('2026-10-01T00:00:00.000Z', ['how_to'])).toEqual([]);
    expect(scopeTickets(repository, contract)).not.toBe(scope);
    const counted = (counts: ReturnType<typeof attribution>): unknown => ({ ...counts, asOf: null });
    // After the verifications were recorded (as of 2026-10-20): every outcome event is in the book, the shared one.
    const nowMs = Date.parse('2026-10-21T12:00:00Z');
    const judgedAfresh = (): unknown => counted(attribution(db, { nowMs, remember: false, period: '2026-10' }));
    expect(counted(attribution(db, { nowMs, period: '2026-10' }))).toEqual(judgedAfresh());
    expect(attribution(db, { nowMs, period: '2026-10' }).pending).toEqual(['T-3']);

    // An append on this connection: a new ticket in scope.
    record(db, aiSolved('T-4', '2026-10-08T09:00:00Z'));
    expect([...scopeTickets(repository, contract)]).toEqual(['T-1', 'T-2', 'T-3', 'T-4']);
    expect(attribution(db, { nowMs, period: '2026-10' }).pending).toEqual(['T-3', 'T-4']);
    expect(counted(attribution(db, { nowMs, period: '2026-10' }))).toEqual(judgedAfresh());

    // A commit by another connection.
    const writer = openDatabase(path);
    record(writer, aiSolved('T-5', '2026-10-08T10:00:00Z'));
    writer.close();
    expect([...scopeTickets(repository, contract)]).toEqual(['T-1', 'T-2', 'T-3', 'T-4', 'T-5']);
    expect(attribution(db, { nowMs, period: '2026-10' }).pending).toEqual(['T-3', 'T-4', 'T-5']);

    // Another program moves a ticket's creation before the contract in place (the head stays where it was).
    const raw = new Database(path);
    raw.prepare("UPDATE tickets SET created_at = '2026-09-01T00:00:00Z' WHERE id = 'T-4'").run();
    raw.close();
    expect([...scopeTickets(repository, contract)]).toEqual(['T-1', 'T-2', 'T-3', 'T-5']);
    expect(attribution(db, { nowMs, period: '2026-10' }).pending).toEqual(['T-3', 'T-5']);
    expect(counted(attribution(db, { nowMs, period: '2026-10' }))).toEqual(judgedAfresh());
    db.close();
  });

  it('extend their list with only the events after the old head while no event can have changed, and read it whole otherwise', () => {
    const path = verifiedLedger();
    const reader = openReadOnly(path);
    const repository = new OutcomeRepository(reader);
    const contract = resolveContract(repository);
    const plain = (events: readonly { seq: number; ticket: string | null; type: string; at: string; payload: unknown }[]): unknown[] =>
      events.map(({ seq, ticket, type, at, payload }) => ({ seq, ticket, type, at, payload }));
    const fresh = (): unknown[] => {
      const db = openReadOnly(path);
      try {
        return plain(new OutcomeRepository(db).outcomeEvents(contract.id));
      } finally {
        db.close();
      }
    };
    const verifyAnother = (ticket: string, day: string): void => {
      const writer = openDatabase(path);
      record(writer, aiSolved(ticket, `2026-10-${day}T10:00:00Z`));
      expect(runVerification(writer, '2026-10-20T00:00:00Z')).toMatchObject({ verifiedAdded: 1 });
      writer.close();
    };
    const first = repository.outcomeEvents(contract.id);
    expect(first).toHaveLength(2);

    // Another connection verifies one more ticket: the kept events are kept (the same objects), the new one added.
    verifyAnother('T-3', '07');
    const second = repository.outcomeEvents(contract.id);
    expect(second).toHaveLength(3);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(plain(second)).toEqual(fresh());

    // Another program deletes a row of the outcome projection (no trigger guards it): read whole, and it is gone.
    const raw = new Database(path);
    raw.prepare('DELETE FROM outcome_events WHERE seq = ?').run(second[0]!.seq);
    raw.close();
    const third = repository.outcomeEvents(contract.id);
    expect(third).toHaveLength(2);
    expect(third[0]).not.toBe(second[1]);
    expect(plain(third)).toEqual(fresh());

    // Without the trigger that refuses a REPLACE an event could have been replaced: every later list is read whole.
    const other = new Database(path);
    other.exec('DROP TRIGGER events_no_replace');
    const replaced = other.prepare('SELECT seq FROM events WHERE type = ? ORDER BY seq DESC LIMIT 1').pluck().get('outcome.verified') as number;
    other.prepare("INSERT OR REPLACE INTO events SELECT seq, ticket_id, type, at, recorded_at, actor, json_set(payload, '$.price', '0.01'), prev_hash, hash FROM events WHERE seq = ?").run(replaced);
    other.close();
    const fourth = repository.outcomeEvents(contract.id);
    expect(fourth.find((e) => e.seq === replaced)?.payload.price).toBe('0.01');
    expect(plain(fourth)).toEqual(fresh());
    verifyAnother('T-4', '08');
    const fifth = repository.outcomeEvents(contract.id);
    expect(fifth[0]).not.toBe(fourth[0]);
    expect(plain(fifth)).toEqual(fresh());
    reader.close();
  });

  it('read the list whole after another program dropped a trigger, changed an event and put the trigger back', () => {
    const path = verifiedLedger();
    const reader = openReadOnly(path);
    const repository = new OutcomeRepository(reader);
    const id = resolveContract(repository).id;
    const first = repository.outcomeEvents(id);
    const seq = first[0]!.seq;
    const raw = new Database(path);
    raw.exec('DROP TRIGGER events_no_update');
    raw.prepare("UPDATE events SET payload = json_set(payload, '$.price', '0.01') WHERE seq = ?").run(seq);
    raw.exec("CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;");
    raw.close();
    // Every trigger is as the ledger wrote it again, the head and its hash are unchanged: only the schema moved.
    expect(new LedgerRepository(reader).eventsAreAppendOnly()).toBe(true);
    const again = repository.outcomeEvents(id);
    expect(again).not.toBe(first);
    expect(again.find((e) => e.seq === seq)?.payload.price).toBe('0.01');
    reader.close();
  });
});
