// The outcome verification's memory (verification-memory.ts): a run that skips the tickets an earlier run settled
// writes exactly what a run that reads every ticket writes. Each case runs the same steps on two copies of one ledger —
// one with the memory, one without — and compares every outcome event they hold and the reports.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { LedgerRepository } from '../../electron/core/ledger/ledger-repository.ts';
import { OutcomeRepository } from '../../electron/core/outcomes/outcome-repository.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { emptyVerificationMemory, packVerificationMemory, transferablesOf, unpackVerificationMemory, type VerificationMemory } from '../../electron/core/outcomes/verification-memory.ts';
import { defaultSlaPoliciesPath } from '../../electron/core/sla/default-policies.ts';
import { importPolicyText } from '../../electron/core/sla/policy-file.ts';
import type { VerificationReport } from '../../shared/contracts/outcomes.ts';
import { tempDb } from './helpers.ts';
import { BUYER, loadContract, record, ticketLines } from './outcome-kit.ts';

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const headRecordedMs = (db: Db): number => Date.parse(new LedgerRepository(db).lastEvent().recordedAt);
const line = (fields: Record<string, unknown>): string => JSON.stringify(fields);

/** Every outcome event of the ledger, in ledger order, as written (not when: recordedAt and hashes differ by copy). */
const outcomeEvents = (db: Db): unknown[] => db.prepare("SELECT ticket_id, type, at, actor, payload FROM events WHERE type LIKE 'outcome.%' ORDER BY seq").all();

/** The tickets a call reads events for (what it judges). */
function judgedBy<T>(call: () => T): [T, number] {
  const spy = vi.spyOn(OutcomeRepository.prototype, 'ticketEventsMany');
  try {
    const value = call();
    return [value, spy.mock.calls.reduce((sum, [ids]) => sum + ids.length, 0)];
  } finally {
    spy.mockRestore();
  }
}

/** A demo ledger and its copy: the same events, byte for byte. */
function twins(tickets: number, seed: number): { remembering: Db; fresh: Db } {
  const { db, dir } = tempDb();
  writeDemoHistory(db, { tickets, seed, accounts: false });
  db.pragma('wal_checkpoint(TRUNCATE)');
  copyFileSync(join(dir, 'attest.db'), join(dir, 'twin.db'));
  const fresh = openDatabase(join(dir, 'twin.db'));
  return { remembering: db, fresh };
}

/** A first SLA policy version: one policy for every ticket, on a clock that never stops, with these normal-priority targets. */
const slaPolicy = (effectiveFrom: string, targets: Record<string, { minutes: number; business: boolean }>): Record<string, unknown> => ({
  version: 1,
  effectiveFrom,
  calendars: { always: { timezone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) } },
  policies: [{ id: 'all', match: {}, calendar: 'always', targets: { normal: targets } }],
});

afterEach(() => vi.restoreAllMocks());

describe('the outcome verification’s memory', () => {
  it('writes what a run reading every ticket writes, through time (forward and back), appends, a cancel and an SLA policy', () => {
    const { remembering, fresh } = twins(600, 11);
    const memory = emptyVerificationMemory();
    /** The same run on both copies; how many tickets the remembering one read, and both reports. */
    const both = (asOfMs: number, nowMs: number, sameReports = true): { judged: number; remembered: VerificationReport; everyTicket: VerificationReport } => {
      const [remembered, judged] = judgedBy(() => runVerification(remembering, iso(asOfMs), undefined, { nowMs, memory, batchSize: 40 }));
      const everyTicket = runVerification(fresh, iso(asOfMs), undefined, { nowMs, batchSize: 40 });
      expect(outcomeEvents(remembering)).toEqual(outcomeEvents(fresh));
      const { remembered: fromMemory, ...rest } = remembered;
      if (sameReports) expect(rest).toEqual(everyTicket);
      // Read: each ticket not remembered, and once more each it verified (the second step judges its new event).
      expect(fromMemory).toBe(rest.examined + rest.verifiedAdded - judged);
      return { judged, remembered, everyTicket };
    };
    const appendToBoth = (lines: string[], recordedMs: number): void => {
      for (const db of [remembering, fresh]) importJsonlText(db, 'more.jsonl', lines.join('\n'), { recordedAt: iso(recordedMs) });
    };
    const [first, last] = remembering.prepare("SELECT min(at), max(at) FROM events WHERE type = 'created'").raw().get() as [string, string];
    const ninetenths = Date.parse(first) + 0.9 * (Date.parse(last) - Date.parse(first));
    let now = headRecordedMs(remembering) + 1_000;

    // A first run cancelled after two batches, on the remembering copy only: what its batches settled is kept, and the
    // run after it ends where one run from nothing does. Again as of the same instant: only what was left unsettled.
    let batches = 0;
    const cancelled = runVerification(remembering, iso(ninetenths), undefined, { nowMs: now, memory, batchSize: 40, cancelled: () => ++batches >= 2 });
    expect(cancelled.cancelled).toBe(true);
    // (The cancelled run wrote part of what the fresh copy's one run writes: the ledgers are compared, not the reports.)
    const start = both(ninetenths, now, false);
    expect(start.everyTicket.verifiedAdded).toBeGreaterThan(start.remembered.verifiedAdded);
    expect(start.remembered.verifiedAdded).toBeGreaterThan(0);
    expect(start.remembered.remembered).toBeGreaterThan(0);
    expect(start.remembered.remembered).toBeLessThanOrEqual(80);
    const again = both(ninetenths, now);
    expect(again.remembered.remembered).toBeGreaterThan(start.everyTicket.examined / 2);
    expect(again.judged).toBeLessThan(start.everyTicket.examined / 2);

    // Later: windows that were running have ended; the pending tickets are read again and verified.
    const later = both(now, now);
    expect(later.everyTicket.verifiedAdded).toBeGreaterThan(0);
    expect(later.remembered.remembered).toBeGreaterThan(0);

    // Tickets gain events: a verified one is reopened (reversed inside the clawback), a pending one rated 1, a new one.
    // (Imported late: the reopen happened a day after the verification, inside its 30-day clawback.)
    const [verified, verifiedAt] = remembering.prepare("SELECT ticket_id, at FROM events WHERE type = 'outcome.verified' ORDER BY at DESC LIMIT 1").raw().get() as [string, string];
    appendToBoth(
      [
        line({ ticket: verified, type: 'status', at: iso(Date.parse(verifiedAt) + 24 * HOUR), status: 'open', by: { kind: 'customer', id: 'c-1' } }),
        line({ ticket: 'T-MEMORY-1', type: 'created', at: iso(now - 30 * 60_000), channel: 'chat', priority: 'normal', category: 'password_reset', subject: 'Locked out', requester: 'c-9' }),
      ],
      now,
    );
    now += 1_000;
    const afterAppend = both(now, now);
    expect(afterAppend.everyTicket.reversedAdded).toBe(1);
    expect(afterAppend.judged).toBeGreaterThanOrEqual(2);
    expect(afterAppend.judged).toBeLessThan(afterAppend.everyTicket.examined / 2);

    // Back to an earlier instant: what was settled later does not hold then, and is read again.
    const back = both(ninetenths - 24 * HOUR, now);
    expect(back.judged).toBeGreaterThan(0);

    now += 100 * HOUR;
    both(now, now);

    // A new SLA policy version: every ticket is read again.
    const policies = JSON.parse(readFileSync(defaultSlaPoliciesPath(), 'utf8')) as Record<string, unknown>;
    const at = iso(now);
    for (const db of [remembering, fresh]) importPolicyText(db, 'policies-v2.json', JSON.stringify({ ...policies, version: 2, effectiveFrom: at }), { kind: 'human', id: 'supervisor-1' }, at);
    now += 1_000;
    const afterPolicy = both(now, now);
    expect(afterPolicy.remembered.remembered).toBe(0);
  });

  it('keeps a verdict only while it holds: a window that ends, an SLA clock that breaches after a reopen', () => {
    const policy = slaPolicy('2026-01-01T00:00:00Z', { first_reply: { minutes: 60, business: false }, next_reply: { minutes: 60, business: false } });
    const build = (): Db => {
      const { db } = tempDb();
      importPolicyText(db, 'sla.json', JSON.stringify(policy), BUYER, '2026-01-01T00:00:00Z');
      loadContract(db, {}, { requireSla: ['first_reply', 'next_reply'] });
      // T-60: solved by the AI on 5 October, its 72-hour window ends on the 8th.
      record(db, ticketLines('T-60', '2026-10-05T10:00:00Z', [{ kind: 'ai_reply', at: '2026-10-05T10:02:00Z' }, { kind: 'solve_ai', at: '2026-10-05T10:03:00Z' }]));
      // T-70: verified on the 4th; the customer writes again on the 6th at 10:00, a reopen inside the clawback whose
      // next-reply clock (60 minutes) is running at 10:05 and breached from 11:00.
      record(db, ticketLines('T-70', '2026-10-01T10:00:00Z', [{ kind: 'ai_reply', at: '2026-10-01T10:02:00Z' }, { kind: 'solve_ai', at: '2026-10-01T10:03:00Z' }, { kind: 'customer', at: '2026-10-06T10:00:00Z' }]));
      // T-80: verified by the first run; nothing happens to it after.
      record(db, ticketLines('T-80', '2026-10-02T10:00:00Z', [{ kind: 'ai_reply', at: '2026-10-02T10:02:00Z' }, { kind: 'solve_ai', at: '2026-10-02T10:03:00Z' }]));
      // T-90: its window ends on the 9th at 12:03; the customer writes again on the 10th at 10:00 and nobody answers. As
      // of the 11th its SLA is breached; as of the 10th at 00:00 it was verifiable.
      record(db, ticketLines('T-90', '2026-10-06T12:00:00Z', [{ kind: 'ai_reply', at: '2026-10-06T12:02:00Z' }, { kind: 'solve_ai', at: '2026-10-06T12:03:00Z' }, { kind: 'customer', at: '2026-10-10T10:00:00Z' }]));
      // T-100: verified on the 6th; the customer writes again on the 7th at 10:00 and the AI answers at 10:20. As of
      // the 11th its SLA was met; as of the 7th at 10:10 the next-reply clock was running.
      record(db, ticketLines('T-100', '2026-10-02T14:00:00Z', [
        { kind: 'ai_reply', at: '2026-10-02T14:02:00Z' },
        { kind: 'solve_ai', at: '2026-10-02T14:03:00Z' },
        { kind: 'customer', at: '2026-10-07T10:00:00Z' },
        { kind: 'ai_reply', at: '2026-10-07T10:20:00Z' },
      ]));
      return db;
    };
    const [remembering, fresh] = [build(), build()];
    const memory = emptyVerificationMemory();
    const asOfs = ['2026-10-06T00:00:00Z', '2026-10-06T10:05:00Z', '2026-10-06T10:10:00Z', '2026-10-09T00:00:00Z', '2026-10-11T00:00:00Z', '2026-10-10T00:00:00Z', '2026-10-07T10:10:00Z'];
    const reports = asOfs.map((asOf) => {
      const remembered = runVerification(remembering, asOf, undefined, { memory });
      const everyTicket = runVerification(fresh, asOf);
      expect(outcomeEvents(remembering)).toEqual(outcomeEvents(fresh));
      expect({ ...remembered, remembered: undefined }).toEqual({ ...everyTicket, remembered: undefined });
      return [remembered.remembered, everyTicket.verifiedAdded, everyTicket.reversedAdded, everyTicket.discrepanciesAdded];
    });
    // [remembered, verified, reversed, discrepancies] by as-of:
    expect(reports).toEqual([
      // 6 Oct 00:00: T-70, T-80 and T-100 verified; T-60 pending (settled until its window ends).
      [0, 3, 0, 0],
      // 6 Oct 10:05: T-60 and T-80 remembered (T-80's own outcome, written by the run that settled it, voids nothing);
      // T-70 reversed and flagged: its next-reply clock is running.
      [2, 0, 1, 1],
      // 6 Oct 10:10: nothing new; T-70 is read again (its outcome does not match the ledger: never settled).
      [2, 0, 0, 0],
      // 9 Oct: T-60's window has ended: read again and verified; T-70 flagged again (its SLA is breached now); T-100
      // reversed (reopened on the 7th).
      [1, 1, 1, 1],
      // 11 Oct: T-90's SLA is breached, and T-100's outcome matches the ledger (settled from this instant on).
      [2, 0, 0, 0],
      // Back to 10 Oct 00:00: T-90 and T-100 are read again (what holds from the 11th does not hold before): T-90 is
      // verifiable then.
      [2, 1, 0, 0],
      // Back to 7 Oct 10:10: T-100's next-reply clock was running then: read again and flagged. Only T-80 remembered.
      [1, 0, 0, 1],
    ]);
    expect(remembering.prepare("SELECT ticket_id, json_extract(payload, '$.reason') FROM events WHERE type = 'outcome.discrepancy' ORDER BY seq").raw().all()).toEqual([
      ['T-70', 'SLA next_reply not achieved (still in progress)'],
      ['T-70', 'SLA next_reply breached'],
      ['T-100', 'SLA next_reply not achieved (still in progress)'],
    ]);
  });

  it('settles nothing while the ledger holds an SLA policy version its as-of does not see yet', () => {
    // The first version of the policies, recorded as of 25 October (a first version may reach back: in force all year).
    const policy = slaPolicy('2026-01-01T00:00:00Z', { first_reply: { minutes: 60, business: false } });
    const build = (): Db => {
      const { db } = tempDb();
      importPolicyText(db, 'sla.json', JSON.stringify(policy), BUYER, '2026-10-25T00:00:00Z');
      loadContract(db, {}, { requireSla: ['first_reply'] });
      // Answered two hours after it was opened: breached, once the policy counts.
      record(db, ticketLines('T-51', '2026-10-05T10:00:00Z', [{ kind: 'ai_reply', at: '2026-10-05T12:00:00Z' }, { kind: 'solve_ai', at: '2026-10-05T12:01:00Z' }]));
      return db;
    };
    const [remembering, fresh] = [build(), build()];
    const memory = emptyVerificationMemory();
    // As of 20 October no policy is in the ledger yet: T-51 is verified. As of 28 October its SLA was breached: the
    // verified outcome no longer matches the ledger, a discrepancy to flag.
    const reports = ['2026-10-20T00:00:00Z', '2026-10-28T00:00:00Z'].map((asOf) => {
      const remembered = runVerification(remembering, asOf, undefined, { memory });
      const everyTicket = runVerification(fresh, asOf);
      expect(outcomeEvents(remembering)).toEqual(outcomeEvents(fresh));
      expect({ ...remembered, remembered: undefined }).toEqual({ ...everyTicket, remembered: undefined });
      return everyTicket;
    });
    expect(reports.map((r) => [r.verifiedAdded, r.discrepanciesAdded])).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('is bound to its ledger: on another file it keeps nothing', () => {
    const { remembering } = twins(120, 3);
    const memory = emptyVerificationMemory();
    const now = headRecordedMs(remembering) + 1_000;
    runVerification(remembering, iso(now), undefined, { nowMs: now, memory });
    expect(runVerification(remembering, iso(now), undefined, { nowMs: now, memory }).remembered).toBeGreaterThan(0);
    const other = twins(120, 4).remembering;
    const otherNow = headRecordedMs(other) + 1_000;
    const [report, judged] = judgedBy(() => runVerification(other, iso(otherNow), undefined, { nowMs: otherNow, memory }));
    expect(report.remembered).toBe(0);
    expect(judged).toBe(report.examined + report.verifiedAdded);
  });

  it('crosses between threads unchanged', () => {
    const { remembering } = twins(120, 3);
    const memory: VerificationMemory = emptyVerificationMemory();
    const now = headRecordedMs(remembering) + 1_000;
    runVerification(remembering, iso(now), undefined, { nowMs: now, memory });
    const packed = packVerificationMemory(memory);
    const crossed = unpackVerificationMemory(structuredClone(packed, { transfer: transferablesOf(packed) }));
    expect(packed.contracts[0]!.numbers.length, "moved, not copied").toBe(0);
    expect(crossed).toEqual(memory);
    expect([...crossed.contracts.values()][0]!.size).toBeGreaterThan(0);
  });
});
