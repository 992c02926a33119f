// The attribution counter remembers verdicts between requests (electron/core/outcomes/attribution-memory.ts). Every
// answer it gives must equal the counter judging every ticket afresh (`remember: false`): as time passes verification
// windows, as tickets gain events, after an outcome verification and after a ledger-wide event — for every period.
// It must also actually remember: a request after a small append judges only the tickets that changed.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openReadOnly, type Db } from '../../electron/core/db/connection.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { attribution, attributionListStats } from '../../electron/core/outcomes/attribution.ts';
import { OutcomeRepository } from '../../electron/core/outcomes/outcome-repository.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { defaultSlaPoliciesPath } from '../../electron/core/sla/default-policies.ts';
import { importPolicyText } from '../../electron/core/sla/policy-file.ts';
import { rewriteChainFrom, tempDb } from './helpers.ts';

const HOUR = 3_600_000;

const headRecordedMs = (db: Db): number => Date.parse(new LedgerRepository(db).lastEvent().recordedAt);

/**
 * The first 07:00 UTC at or after `after` such that 50 hours later (T-WINDOW-6's creation, 09:00 UTC) is a working day
 * of the demo's support calendar (Berlin, Monday to Friday, not a holiday). Its reply ten hours late then breaches the
 * chat's 60 business minutes whatever day and hour the test runs; from the head's time alone it did only on some.
 */
function workingStart(after: number): number {
  const policies = JSON.parse(readFileSync(defaultSlaPoliciesPath(), 'utf8')) as { calendars: { support_de: { holidays: string[] } } };
  const holidays = new Set(policies.calendars.support_de.holidays);
  const dateIn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' });
  const weekdayIn = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', weekday: 'short' });
  const day = 24 * HOUR;
  for (let start = Math.ceil((after - 7 * HOUR) / day) * day + 7 * HOUR; ; start += day) {
    const created = new Date(start + 50 * HOUR);
    if (!['Sat', 'Sun'].includes(weekdayIn.format(created)) && !holidays.has(dateIn.format(created))) return start;
  }
}

/**
 * A count from nothing: on a connection of its own (its book, scope and lists kept by no earlier request), judging
 * every ticket.
 */
function freshCount(db: Db, options: Parameters<typeof attribution>[1]): ReturnType<typeof attribution> {
  const own = openReadOnly(db.name);
  try {
    return attribution(own, { ...options, remember: false });
  } finally {
    own.close();
  }
}

/** The remembered answer and the fresh one, for the default period and every period with data, as of `nowMs`. */
function expectSameAsFresh(db: Db, nowMs: number): ReturnType<typeof attribution> {
  const remembered = attribution(db, { nowMs });
  expect(remembered).toEqual(attribution(db, { nowMs, remember: false }));
  expect(remembered).toEqual(freshCount(db, { nowMs }));
  for (const period of remembered.periodsWithData ?? []) {
    const answer = attribution(db, { nowMs, period });
    expect(answer).toEqual(attribution(db, { nowMs, period, remember: false }));
    expect(answer).toEqual(freshCount(db, { nowMs, period }));
  }
  return remembered;
}

/** How many tickets the next call judges (the ids it reads events for). */
function judgedBy(call: () => unknown): number {
  const spy = vi.spyOn(OutcomeRepository.prototype, 'ticketEventsMany');
  try {
    call();
    return spy.mock.calls.reduce((sum, [ids]) => sum + ids.length, 0);
  } finally {
    spy.mockRestore();
  }
}

/** The unverified tickets in the contract's scope: what a count from nothing judges. */
function scopeSize(db: Db): number {
  return judgedBy(() => attribution(db, { nowMs: headRecordedMs(db) + 1_000, remember: false }));
}

const line = (fields: Record<string, unknown>): string => JSON.stringify(fields);

afterEach(() => vi.restoreAllMocks());

describe('the attribution counter’s memory', () => {
  it('answers exactly as a fresh count, through time (forward and back), appends and an outcome verification', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 600, seed: 11, accounts: false });
    // The demo's own solves are older than 72 hours: six AI solves after its head put verification windows in play.
    const start = workingStart(headRecordedMs(db) + HOUR);
    const iso = (ms: number): string => new Date(ms).toISOString();
    const fresh = Array.from({ length: 6 }, (_, i) => `T-WINDOW-${i + 1}`);
    const solves = fresh.flatMap((ticket, i) => {
      const created = start + i * 10 * HOUR;
      // T-WINDOW-6 is first answered a day late: its first-reply SLA is breached, which counts from its window's end.
      const replied = created + (i === 5 ? 10 * HOUR : 120_000);
      return [
        line({ ticket, type: 'created', at: iso(created), channel: 'chat', priority: 'normal', category: 'password_reset', subject: 'Locked out', requester: `c-${i}` }),
        line({ ticket, type: 'message', at: iso(created + 60_000), author: { kind: 'customer', id: `c-${i}` }, public: true, body: 'I cannot sign in.' }),
        line({ ticket, type: 'message', at: iso(replied), author: { kind: 'ai', model: 'llama3.2:3b' }, public: true, body: 'Use the reset link.' }),
        line({ ticket, type: 'status', at: iso(replied + 60_000), status: 'solved', by: { kind: 'ai', model: 'llama3.2:3b' } }),
      ];
    });
    const appendAt = (lines: string[], recordedMs: number): void => void importJsonlText(db, 'more.jsonl', lines.join('\n'), { recordedAt: iso(recordedMs) });
    let now = start + 62 * HOUR;
    appendAt(solves, now);
    now += 1_000;

    // Time passes: the windows end one after another; each pending ticket is judged again once its window ended.
    const first = expectSameAsFresh(db, now);
    const inWindow = first.pending.filter((ticket) => !first.awaitingVerification.includes(ticket));
    expect(inWindow.sort()).toEqual(fresh);
    for (const hours of [1, 12, 13, 14, 20, 30, 40, 50, 100]) expectSameAsFresh(db, now + hours * HOUR);
    const later = attribution(db, { nowMs: now + 100 * HOUR });
    expect(later.pending.filter((ticket) => !later.awaitingVerification.includes(ticket)), 'every window has ended').toEqual([]);
    expect(later.rejected, 'the late first reply breached the SLA').toContain('T-WINDOW-6');
    // Back to an earlier as-of (still after the head was recorded): what was judged later does not hold then.
    expectSameAsFresh(db, now);

    // Tickets gain events: a reopen inside the window of one, a CSAT of 1 in another's, and a new ticket.
    const [reopened, rated] = inWindow.filter((ticket) => ticket !== 'T-WINDOW-1');
    appendAt([line({ ticket: reopened, type: 'status', at: iso(now - 60_000), status: 'open', by: { kind: 'customer', id: 'c-1' } })], now);
    now += 1_000;
    expectSameAsFresh(db, now);
    expect(attribution(db, { nowMs: now }).pending).not.toContain(reopened);

    // Only ticket events arrive now (the session of the day is recorded): the memory is kept, and only the two
    // tickets touched are judged again.
    attribution(db, { nowMs: now });
    appendAt(
      [
        line({ ticket: rated, type: 'csat', at: iso(now - 60_000), score: 1 }),
        line({ ticket: 'T-MEMORY-1', type: 'created', at: iso(now - 30 * 60_000), channel: 'chat', priority: 'normal', category: 'password_reset', subject: 'Locked out', requester: 'c-9' }),
      ],
      now,
    );
    now += 1_000;
    expect(judgedBy(() => attribution(db, { nowMs: now }))).toBe(2);
    expect(judgedBy(() => attribution(db, { nowMs: now }))).toBe(0);
    const afterAppend = expectSameAsFresh(db, now);
    expect(afterAppend.pending).not.toContain(rated);
    expect(afterAppend.rejected.length + afterAppend.pending.length).toBeGreaterThan(0);

    // An outcome verification as of the ledger's last instant appends outcome events to the tickets it verifies.
    const verifiedAsOf = headRecordedMs(db);
    const report = runVerification(db, undefined, undefined, { nowMs: verifiedAsOf });
    expect(report.verifiedAdded).toBeGreaterThan(0);
    now = headRecordedMs(db) + 1_000;
    expectSameAsFresh(db, now);
    expectSameAsFresh(db, now + 100 * HOUR);

    // An as-of before the head was recorded is never answered from memory, and still exact.
    // (The appended events were recorded days ahead of the clock, and an as-of may not be later than now: the earlier
    // of the two, which is before the head either way.)
    const past = iso(Math.min(headRecordedMs(db) - 5 * 24 * HOUR, Date.now() - HOUR));
    expect(judgedBy(() => attribution(db, { asOf: past }))).toBeGreaterThan(0);
    expect(attribution(db, { asOf: past })).toEqual(attribution(db, { asOf: past, remember: false }));
  });

  it('starts over when the event it remembered up to is not in the ledger any more with the same hash', () => {
    const { db, path } = tempDb();
    writeDemoHistory(db, { tickets: 120, seed: 3, accounts: false });
    const now = headRecordedMs(db) + 1_000;
    const before = attribution(db, { nowMs: now });
    expect(judgedBy(() => attribution(db, { nowMs: now }))).toBe(0);
    // A rewritten chain of the same length: an event of a judged ticket changed, every hash after it recomputed.
    const seq = db.prepare("SELECT max(seq) FROM events WHERE ticket_id = ? AND type = 'created'").pluck().get(before.rejected[0] ?? before.pending[0]) as number;
    rewriteChainFrom(path, seq, "UPDATE events SET payload = json_set(payload, '$.subject', 'rewritten') WHERE seq = ?");
    expect(judgedBy(() => attribution(db, { nowMs: now }))).toBeGreaterThan(1);
    expect(attribution(db, { nowMs: now })).toEqual(attribution(db, { nowMs: now, remember: false }));
  });

  it('starts over when an SLA policy version is recorded, and not for other ledger-wide events', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 120, seed: 3, accounts: false });
    let now = headRecordedMs(db) + 1_000;
    expect(judgedBy(() => attribution(db, { nowMs: now }))).toBeGreaterThan(0);
    // An import record is ledger-wide but changes no verdict: the memory is kept.
    const before = new LedgerRepository(db).lastEvent().seq;
    // (The imported ticket is outside the contract's categories: nothing in scope gained an event.)
    const outside = line({ ticket: 'T-BILLING-1', type: 'created', at: new Date(now - 60_000).toISOString(), channel: 'email', priority: 'low', category: 'billing', subject: 'Invoice', requester: 'c-1' });
    importJsonlText(db, 'outside.jsonl', outside, { recordedAt: new Date(now).toISOString() });
    expect(new LedgerRepository(db).appendedAfter(before)).toEqual({ tickets: ['T-BILLING-1'], ledgerWideTypes: expect.arrayContaining(['import.file']) });
    now += 1_000;
    expect(judgedBy(() => attribution(db, { nowMs: now }))).toBe(0);
    // A new SLA policy version (in force from now on) is one of the facts an evaluation reads: the memory starts over.
    const policies = JSON.parse(readFileSync(defaultSlaPoliciesPath(), 'utf8')) as Record<string, unknown>;
    const at = new Date(now).toISOString();
    importPolicyText(db, 'policies-v2.json', JSON.stringify({ ...policies, version: 2, effectiveFrom: at }), { kind: 'human', id: 'supervisor-1' }, at);
    now += 1_000;
    expect(judgedBy(() => attribution(db, { nowMs: now }))).toBe(scopeSize(db));
    expect(attribution(db, { nowMs: now })).toEqual(attribution(db, { nowMs: now, remember: false }));
  });

  it('edits its lists by the tickets that moved while an outcome verification commits and tickets come into scope', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 600, seed: 5, accounts: false });
    let now = headRecordedMs(db) + 1_000;
    expectSameAsFresh(db, now);
    const { derived, edited } = attributionListStats;
    // An outcome verification commits batch after batch (each run here stops a few batches further on): after each,
    // the remembered request edits the lists it kept instead of deriving them from every verdict — and answers as a
    // fresh count does.
    let verified = 0;
    for (let step = 1; step <= 6; step++) {
      let batches = 0;
      verified += runVerification(db, undefined, undefined, { nowMs: headRecordedMs(db), batchSize: 15, cancelled: () => ++batches > 2 * step }).verifiedAdded;
      now = headRecordedMs(db) + 1_000;
      const derivedBefore = attributionListStats.derived;
      const remembered = attribution(db, { nowMs: now });
      expect(attributionListStats.derived, `step ${step}`).toBe(derivedBefore);
      expect(remembered).toEqual(attribution(db, { nowMs: now, remember: false }));
      expectSameAsFresh(db, now);
    }
    expect(verified).toBeGreaterThan(10);
    // Tickets come into the contract's scope (and one outside it): the scope kept in natural order is edited too.
    const iso = (ms: number): string => new Date(ms).toISOString();
    const created = (ticket: string, category: string): string =>
      line({ ticket, type: 'created', at: iso(now - 60_000), channel: 'chat', priority: 'normal', category, subject: 'Locked out', requester: 'c-7' });
    const aiSolve = (ticket: string): string[] => [
      line({ ticket, type: 'message', at: iso(now - 50_000), author: { kind: 'ai', model: 'llama3.2:3b' }, public: true, body: 'Use the reset link.' }),
      line({ ticket, type: 'status', at: iso(now - 40_000), status: 'solved', by: { kind: 'ai', model: 'llama3.2:3b' } }),
    ];
    const arriving = ['T-100000', 'T-3x', 'T-0'];
    const lines = [...arriving.flatMap((ticket) => [created(ticket, 'password_reset'), ...aiSolve(ticket)]), created('T-OUT-1', 'billing')];
    importJsonlText(db, 'more.jsonl', lines.join('\n'), { recordedAt: iso(now) });
    now += 1_000;
    const derivedBefore = attributionListStats.derived;
    const afterImport = attribution(db, { nowMs: now });
    expect(attributionListStats.derived).toBe(derivedBefore);
    expect(afterImport).toEqual(attribution(db, { nowMs: now, remember: false }));
    // Pending in their verification windows, each in its natural place (the lists are not sorted again).
    expect(afterImport.pending).toEqual(expect.arrayContaining(arriving));
    expectSameAsFresh(db, now);
    // A ticket leaves the scope: it gains an event, and then its row says it was created before the contract took
    // effect (as a changed projection rule could say). The scope and the lists lose it.
    const leaving = afterImport.pending.find((ticket) => !arriving.includes(ticket)) ?? afterImport.rejected[0]!;
    importJsonlText(db, 'csat.jsonl', line({ ticket: leaving, type: 'csat', at: iso(now - 30_000), score: 4 }), { recordedAt: iso(now + 1_000) });
    db.prepare("UPDATE tickets SET created_at = '2001-01-01T00:00:00.000Z' WHERE id = ?").run(leaving);
    now += 2_000;
    const afterLeaving = expectSameAsFresh(db, now);
    expect([...afterLeaving.pending, ...afterLeaving.rejected]).not.toContain(leaving);
    expect(attributionListStats.edited - edited).toBeGreaterThanOrEqual(7);
    // Only the first request and the fresh counts above derived their lists from every verdict.
    expect(attributionListStats.derived - derived).toBeGreaterThan(0);
  });
});
