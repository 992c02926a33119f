// While an outcome verification commits batch after batch, a read connection brings what it keeps up to date instead
// of building it again: the book is extended by the events appended (outcome-book.ts bookFrom), the contract's scope by
// the tickets that gained events (OutcomeRepository.ticketsInScope), and the attribution's unverified tickets by the
// tickets the book added (attribution.ts). Each must equal what a connection that kept nothing builds — checked here
// against building from scratch, on random event histories (the odd ones a hand-written ledger can hold among them)
// and on a real ledger file read by a second connection while a first one writes.
import { describe, expect, it } from 'vitest';
import { openReadOnly } from '../../electron/core/db/connection.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { attribution } from '../../electron/core/outcomes/attribution.ts';
import { decideDispute, listDisputes, openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { bookExtended, bookFrom, readBook, resolveContract, type ContractVersions } from '../../electron/core/outcomes/outcome-book.ts';
import { noteListExtends, OutcomeRepository, type OutcomeEvent, type OutcomeEventType } from '../../electron/core/outcomes/outcome-repository.ts';
import { buildStatement, statementPeriods } from '../../electron/core/outcomes/statement.ts';
import { runVerification, scopeTickets } from '../../electron/core/outcomes/verification.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { tempDb } from './helpers.ts';
import { aiSolved, loadContract, record } from './outcome-kit.ts';

const CONTRACT: ContractVersions = {
  id: 'c-1',
  versions: [
    {
      id: 'c-1',
      version: 1,
      effectiveFrom: '2026-01-01',
      timezone: 'UTC',
      currency: 'EUR',
      pricePerResolution: 0.99,
      categories: [],
      criteria: { noHumanPublicReply: true, noEscalation: true, verificationWindowHours: 72, minCsat: 3, requireSla: [] },
      clawbackDays: 30,
    } as unknown as ContractVersions['versions'][number],
  ],
  seqs: new Map([[1, 1]]),
  timezone: 'UTC',
  currency: 'EUR',
  digits: 2,
};

const TYPES: OutcomeEventType[] = ['outcome.verified', 'outcome.reversed', 'outcome.discrepancy', 'outcome.disputed', 'outcome.dispute_upheld', 'outcome.dispute_rejected'];

/**
 * A random history of outcome events: verifications of a few tickets (a ticket verified twice among them), and
 * reversals, discrepancies, disputes and decisions naming a verification or dispute — mostly an earlier one, sometimes
 * a later one or none at all, as only a hand-written ledger would; some of another contract.
 */
function randomHistory(random: () => number, length: number): OutcomeEvent[] {
  const events: OutcomeEvent[] = [];
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let seq = 2; events.length < length; seq++) {
    const type = random() < 0.4 ? 'outcome.verified' : pick(TYPES);
    const earlier = events.filter((e) => e.type === (type === 'outcome.dispute_upheld' || type === 'outcome.dispute_rejected' ? 'outcome.disputed' : 'outcome.verified'));
    // Mostly an earlier event; sometimes one a few seqs ahead (a forward reference), or a seq that names nothing.
    const named = random() < 0.75 && earlier.length > 0 ? pick(earlier).seq : random() < 0.5 ? seq + 1 + Math.floor(random() * 6) : 9_999;
    const verified = type === 'outcome.dispute_upheld' || type === 'outcome.dispute_rejected' ? (events.find((e) => e.seq === named)?.payload.verifiedSeq ?? named) : named;
    const ticket = `T-${1 + Math.floor(random() * 12)}`;
    const payload: Record<string, unknown> = {
      contract: random() < 0.9 ? 'c-1' : 'c-2',
      version: random() < 0.95 ? 1 : 7,
      price: random() < 0.9 ? '0.99' : '1.10',
      period: `2026-${String(1 + Math.floor(random() * 3)).padStart(2, '0')}`,
      category: 'how_to',
      solveSeq: seq - 1,
      evidence: [seq - 1],
      verifiedSeq: verified,
      disputeSeq: named,
      reason: `r${seq}`,
    };
    events.push(Object.freeze({ seq, ticket, type, at: `2026-02-01T00:00:${String(seq % 60).padStart(2, '0')}Z`, actor: { kind: 'human' as const, id: 'u' }, payload }));
  }
  return events;
}

/** A book as plain data, in ticket order, to compare two books whole. */
const plain = (book: ReadonlyMap<string, unknown>): string => JSON.stringify([...book].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

describe('a kept outcome book extended by the events appended after it', () => {
  it('equals the book built from the whole list, on 600 random histories cut at random points', () => {
    let extended = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const random = seededRandom(seed);
      const history = randomHistory(random, 4 + Math.floor(random() * 40));
      const cut = Math.floor(random() * history.length);
      const shorter = Object.freeze(history.slice(0, cut));
      const longer = Object.freeze(history.slice());
      bookFrom(shorter, CONTRACT);
      noteListExtends(longer, shorter);
      const book = bookFrom(longer, CONTRACT);
      // Built from scratch: an unfrozen list is never shared, so its book is built whole.
      expect(plain(book), `seed ${seed}, cut at ${cut}`).toBe(plain(bookFrom([...history], CONTRACT)));
      if (bookExtended(book)) extended++;
      // Nothing of the shorter list's book changed: it is still the book of that list.
      expect(plain(bookFrom(shorter, CONTRACT)), `seed ${seed}`).toBe(plain(bookFrom([...shorter], CONTRACT)));
    }
    // Most histories were extended, not built again (the rest: an appended event bears on an earlier one).
    expect(extended).toBeGreaterThan(400);
  });

  it('is built again when an appended event would have been taken before an earlier one it bears on', () => {
    const event = (seq: number, type: OutcomeEventType, payload: Record<string, unknown>): OutcomeEvent =>
      Object.freeze({ seq, ticket: 'T-1', type, at: '2026-02-01T00:00:00Z', actor: { kind: 'human' as const, id: 'u' }, payload: { contract: 'c-1', version: 1, price: '0.99', period: '2026-02', ...payload } });
    const verified = event(2, 'outcome.verified', { solveSeq: 1, evidence: [1] });
    const disputed = event(3, 'outcome.disputed', { verifiedSeq: 2, reason: 'wrong' });
    const upheld = event(4, 'outcome.dispute_upheld', { verifiedSeq: 2, disputeSeq: 3, reason: 'yes' });
    const reversed = event(5, 'outcome.reversed', { verifiedSeq: 2, evidence: [5] });
    const shorter = Object.freeze([verified, disputed, upheld]);
    const longer = Object.freeze([...shorter, reversed]);
    expect(bookFrom(shorter, CONTRACT).get('T-1')!.reversal).toMatchObject({ reason: 'dispute_upheld' });
    noteListExtends(longer, shorter);
    const book = bookFrom(longer, CONTRACT);
    // Building takes every reversal before any decision: the reversal counts, not the upheld dispute.
    expect(book.get('T-1')!.reversal).toMatchObject({ reason: 'reopened', seq: 5 });
    expect(bookExtended(book)).toBeUndefined();
  });
});

describe('a read connection while another connection verifies outcomes batch after batch', () => {
  /** What a connection that has kept nothing reads. */
  function fresh(path: string) {
    const db = openReadOnly(path);
    try {
      return reads(db);
    } finally {
      db.close();
    }
  }

  function reads(db: Db) {
    const repository = new OutcomeRepository(db);
    const contract = resolveContract(repository);
    const asOf = '2026-12-31T00:00:00Z';
    return {
      book: plain(readBook(repository, contract)),
      scope: [...scopeTickets(repository, contract)],
      periods: statementPeriods(db),
      statement: buildStatement(db, '2026-10'),
      attribution: attribution(db, { asOf, nowMs: Date.parse('2027-01-01T00:00:00Z') }),
      disputes: listDisputes(db),
    };
  }

  it('reads what a fresh connection reads after every commit, extending its book and keeping its scope', () => {
    const { db, path } = tempDb();
    loadContract(db);
    // Tickets in scope (from October, the pilot's categories) and out of it (September; another category).
    for (let i = 1; i <= 30; i++) record(db, aiSolved(`T-${i}`, `2026-10-${String(1 + (i % 20)).padStart(2, '0')}T10:00:00Z`));
    record(db, aiSolved('OLD-1', '2026-09-10T10:00:00Z'));
    record(db, aiSolved('OTHER-1', '2026-10-03T10:00:00Z', [], 'billing'));
    const reader = openReadOnly(path);
    try {
      expect(reads(reader)).toEqual(fresh(path));
      const repository = new OutcomeRepository(reader);
      const contract = resolveContract(repository);
      const scopeBefore = scopeTickets(repository, contract);
      // Verification in steps, each a commit: the book grows and the scope stays the very same list.
      for (const asOf of ['2026-10-06T00:00:00Z', '2026-10-12T00:00:00Z', '2026-10-18T00:00:00Z', '2026-10-25T00:00:00Z']) {
        const added = runVerification(db, asOf, () => 'achieved').verifiedAdded;
        expect(reads(reader)).toEqual(fresh(path));
        if (added > 0) expect(bookExtended(readBook(repository, contract))).toBeDefined();
        expect(scopeTickets(repository, contract)).toBe(scopeBefore);
      }
      // A dispute opened, upheld, and a later reversal of another ticket: the extended book takes each.
      const auditor = { kind: 'human', id: 'aud-1' } as const;
      const supervisor = { kind: 'human', id: 'sup-1' } as const;
      const opened = openDisputeOn(db, 'T-3', 'the answer was wrong', auditor, { at: '2026-10-26T09:00:00Z' });
      expect(reads(reader)).toEqual(fresh(path));
      decideDispute(db, opened.seq, 'upheld', 'the transcript shows it', supervisor, '2026-10-27T10:00:00Z');
      expect(reads(reader)).toEqual(fresh(path));
      record(db, [{ ticket: 'T-5', type: 'status', at: '2026-10-28T10:00:00Z', status: 'open', by: { kind: 'human', id: 'agent-7' } }]);
      runVerification(db, '2026-10-29T00:00:00Z', () => 'achieved');
      expect(reads(reader)).toEqual(fresh(path));
      // New tickets in scope (ids sorting before, among and after the others) and out of it come in: the scope follows.
      record(db, aiSolved('A-1', '2026-10-20T10:00:00Z'));
      record(db, aiSolved('T-15b', '2026-10-20T11:00:00Z'));
      record(db, aiSolved('Z-1', '2026-10-20T12:00:00Z'));
      record(db, aiSolved('OLD-2', '2026-09-20T12:00:00Z'));
      const grown = scopeTickets(repository, contract);
      expect(grown).not.toBe(scopeBefore);
      expect(reads(reader)).toEqual(fresh(path));
      expect(grown).toEqual(expect.arrayContaining(['A-1', 'T-15b', 'Z-1']));
      expect(grown).not.toContain('OLD-2');
    } finally {
      reader.close();
    }
  });
});
