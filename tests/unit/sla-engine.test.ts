import { describe, expect, it } from 'vitest';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { slaCompliance, ticketSlaOutcome, ticketSlaReport } from '../../electron/core/sla/sla-queries.ts';
import { tempDb } from './helpers.ts';
import { policyFile, recordPolicy, ticketLines } from './sla-helpers.ts';

const AS_OF = '2027-01-15T00:00:00.000Z';

function clock(db: Parameters<typeof ticketSlaReport>[0], ticket: string, metric: Parameters<typeof ticketSlaOutcome>[2], instance = 1) {
  const report = ticketSlaReport(db, ticket, AS_OF)!;
  return report.metrics[metric].clocks.find((c) => c.instance === instance)!;
}

describe('SLA clocks in business hours', () => {
  it('skip the weekend: Fri 16:00 → Mon 10:00 Berlin is 120 business minutes; the 90-minute target breached Mon 09:30', () => {
    const { db } = tempDb();
    recordPolicy(db);
    // 2026-10-16 is a Friday; Berlin is UTC+2 (CEST).
    recordEvents(db, ticketLines('T-1', [['2026-10-16T14:00:00Z', 'created'], ['2026-10-19T08:00:00Z', 'agent']]), AS_OF);
    const c = clock(db, 'T-1', 'first_reply');
    expect(c).toMatchObject({ status: 'breached', elapsedMinutes: 120, targetMinutes: 90, business: true, breachAt: '2026-10-19T07:30:00.000Z', policyId: 'email_only' });
    expect(c.events.map((e) => [e.kind, e.at, e.seq])).toEqual([
      ['activate', '2026-10-16T14:00:00.000Z', 2],
      ['breach', '2026-10-19T07:30:00.000Z', null],
      ['fulfill', '2026-10-19T08:00:00.000Z', 3],
    ]);
    expect(ticketSlaOutcome(db, 'T-1', 'first_reply')).toBe('breached');
  });

  it('skip holidays: Wed 23 Dec 16:00 → Mon 28 Dec 09:30 Berlin is exactly 90 business minutes, which is achieved', () => {
    const { db } = tempDb();
    recordPolicy(db);
    // 24 and 25 Dec are holidays of the calendar, 26–27 the weekend; Berlin is UTC+1 (CET).
    recordEvents(db, ticketLines('T-1', [['2026-12-23T15:00:00Z', 'created'], ['2026-12-28T08:30:00Z', 'agent']]), AS_OF);
    expect(clock(db, 'T-1', 'first_reply')).toMatchObject({ status: 'achieved', elapsedMinutes: 90, breachAt: null, fulfilledBy: 'human' });
    expect(ticketSlaOutcome(db, 'T-1', 'first_reply')).toBe('achieved');
  });

  it('follow the Europe/Berlin DST changes: 24/7 business time over the autumn day is 25 h, over the spring day 23 h', () => {
    const { db } = tempDb();
    recordPolicy(db);
    // Sat 12:00 → Sun 12:00 local; clocks go back on 2026-10-25 and forward on 2026-03-29.
    recordEvents(db, [
      ...ticketLines('T-1', [['2026-10-24T10:00:00Z', 'created'], ['2026-10-25T11:00:00Z', 'agent']], { channel: 'api' }),
      ...ticketLines('T-2', [['2026-03-28T11:00:00Z', 'created'], ['2026-03-29T10:00:00Z', 'agent']], { channel: 'api' }),
    ], AS_OF);
    expect(clock(db, 'T-1', 'first_reply')).toMatchObject({ elapsedMinutes: 1500, status: 'achieved', policyId: 'always', calendar: 'berlin247' });
    expect(clock(db, 'T-2', 'first_reply')).toMatchObject({ elapsedMinutes: 1380, status: 'achieved' });
  });

  it('follow the Europe/Berlin office hours across the autumn change: Fri 16:30 CEST → Mon 09:30 CET is 60 business minutes', () => {
    const { db } = tempDb();
    recordPolicy(db);
    recordEvents(db, ticketLines('T-1', [['2026-10-23T14:30:00Z', 'created'], ['2026-10-26T08:30:00Z', 'agent']]), AS_OF);
    expect(clock(db, 'T-1', 'first_reply')).toMatchObject({ elapsedMinutes: 60, status: 'achieved' });
  });

  it('follow the America/New_York DST change: Fri 16:00 EST → Mon 10:00 EDT is 120 business minutes, breach Mon 09:30 EDT', () => {
    const { db } = tempDb();
    recordPolicy(db);
    // Clocks go forward in New York on Sun 2026-03-08: Friday is UTC-5, Monday UTC-4.
    recordEvents(db, [
      ...ticketLines('T-1', [['2026-03-06T21:00:00Z', 'created'], ['2026-03-09T14:00:00Z', 'agent']], { channel: 'phone' }),
      ...ticketLines('T-2', [['2026-03-07T17:00:00Z', 'created'], ['2026-03-08T16:00:00Z', 'agent']], { channel: 'api_us' }),
    ], AS_OF);
    expect(clock(db, 'T-1', 'first_reply')).toMatchObject({ elapsedMinutes: 120, status: 'breached', breachAt: '2026-03-09T13:30:00.000Z', policyId: 'us', calendar: 'ny' });
    // Sat 12:00 EST → Sun 12:00 EDT on a 24/7 calendar: 23 hours.
    expect(clock(db, 'T-2', 'first_reply')).toMatchObject({ elapsedMinutes: 1380 });
  });

  it('pause requester wait and agent work while pending over night', () => {
    const { db } = tempDb();
    recordPolicy(db);
    // Tue 6 Oct 2026, Berlin UTC+2: created 16:00, reply + pending 16:30, customer answers Wed 10:00, solved 11:00.
    recordEvents(
      db,
      ticketLines('T-1', [
        ['2026-10-06T14:00:00Z', 'created'],
        ['2026-10-06T14:30:00Z', 'agent'],
        ['2026-10-06T14:30:01Z', 'status:pending'],
        ['2026-10-07T08:00:00Z', 'customer'],
        ['2026-10-07T08:00:01Z', 'status:open'],
        ['2026-10-07T09:00:00Z', 'solved'],
      ]),
    );
    // Running 16:00–16:30:01 Tue and 10:00:01–11:00 Wed: 30 min 1 s + 59 min 59 s.
    const wait = clock(db, 'T-1', 'requester_wait');
    expect(wait).toMatchObject({ status: 'achieved', elapsedMinutes: 90, stoppedAt: '2026-10-07T09:00:00.000Z' });
    expect(wait.events.map((e) => [e.kind, e.seq, e.cause])).toEqual([
      ['activate', 2, 'ticket created'],
      ['pause', 4, 'status pending'],
      ['resume', 6, 'status open'],
      ['fulfill', 7, 'ticket solved by human'],
    ]);
    expect(clock(db, 'T-1', 'agent_work')).toMatchObject({ elapsedMinutes: 90 });
    // Total resolution never pauses: Tue 16:00–17:00 and Wed 09:00–11:00.
    expect(clock(db, 'T-1', 'total_resolution')).toMatchObject({ elapsedMinutes: 180, status: 'achieved' });
    // The customer's message Wed 10:00 waits until the solve at 11:00.
    expect(clock(db, 'T-1', 'next_reply')).toMatchObject({ elapsedMinutes: 60, status: 'achieved', startedAt: '2026-10-07T08:00:00.000Z' });
  });

  it('reopen: total resolution runs from creation to the final solve, requester wait resumes, next reply starts', () => {
    const { db } = tempDb();
    recordPolicy(db);
    // Mon 5 Oct 09:00 Berlin created, 09:30 reply, 10:00 solved; Tue 09:00 the customer writes again, 09:30 reply, 10:00 solved.
    recordEvents(
      db,
      ticketLines('T-1', [
        ['2026-10-05T07:00:00Z', 'created'],
        ['2026-10-05T07:30:00Z', 'agent'],
        ['2026-10-05T08:00:00Z', 'solved'],
        ['2026-10-06T07:00:00Z', 'customer'],
        ['2026-10-06T07:30:00Z', 'agent'],
        ['2026-10-06T08:00:00Z', 'solved'],
      ]),
    );
    // Mon 09:00–17:00 (480) + Tue 09:00–10:00 (60); the 480-minute target was passed Mon 17:00.
    expect(clock(db, 'T-1', 'total_resolution')).toMatchObject({ elapsedMinutes: 540, status: 'breached', breachAt: '2026-10-05T15:00:00.000Z', stoppedAt: '2026-10-06T08:00:00.000Z' });
    expect(clock(db, 'T-1', 'requester_wait')).toMatchObject({ elapsedMinutes: 120, status: 'achieved' });
    expect(clock(db, 'T-1', 'requester_wait').events.map((e) => e.kind)).toEqual(['activate', 'fulfill', 'activate', 'fulfill']);
    expect(clock(db, 'T-1', 'next_reply')).toMatchObject({ elapsedMinutes: 30, status: 'achieved', instance: 1 });
    expect(clock(db, 'T-1', 'first_reply')).toMatchObject({ elapsedMinutes: 30 });
    expect(ticketSlaOutcome(db, 'T-1', 'total_resolution')).toBe('breached');
  });

  it('an AI first reply fulfils first reply time and counts for the AI in the split by actor', () => {
    const { db } = tempDb();
    recordPolicy(db);
    recordEvents(db, [
      ...ticketLines('T-1', [['2026-10-05T07:00:00Z', 'created'], ['2026-10-05T07:00:30Z', 'note'], ['2026-10-05T07:02:00Z', 'ai'], ['2026-10-05T07:03:00Z', 'solved-ai']]),
      ...ticketLines('T-2', [['2026-10-05T07:00:00Z', 'created'], ['2026-10-05T10:00:00Z', 'agent']]),
    ], AS_OF);
    expect(clock(db, 'T-1', 'first_reply')).toMatchObject({ elapsedMinutes: 2, status: 'achieved', fulfilledBy: 'ai' });
    expect(clock(db, 'T-2', 'first_reply')).toMatchObject({ elapsedMinutes: 180, status: 'breached', fulfilledBy: 'human' });
    const report = slaCompliance(db, { from: '2026-10-05', to: '2026-10-05', by: 'actor' }, AS_OF);
    expect(report.metrics.first_reply).toEqual({ achieved: 1, breached: 1, inProgress: 0, compliance: 0.5 });
    expect(report.groups.ai!.first_reply).toEqual({ achieved: 1, breached: 0, inProgress: 0, compliance: 1 });
    expect(report.groups.human!.first_reply).toEqual({ achieved: 0, breached: 1, inProgress: 0, compliance: 0 });
  });

  it('a new policy version applies to clocks started from its effective date and never rewrites earlier ones', () => {
    const { db } = tempDb();
    recordPolicy(db);
    // Thu 8 Oct 10:00–11:00 Berlin under v1 (90 min), Mon 12 Oct 10:00–11:00 under v2 (30 min). Each step is
    // recorded when it happens (the ledger's record times never go backwards): T-1, then v2 on 9 Oct, then T-2.
    recordEvents(db, ticketLines('T-1', [['2026-10-08T08:00:00Z', 'created'], ['2026-10-08T09:00:00Z', 'agent']]), '2026-10-08T09:00:00Z');
    expect(clock(db, 'T-1', 'first_reply')).toMatchObject({ status: 'achieved', policyVersion: 1 });
    const v2 = policyFile({ version: 2, effectiveFrom: '2026-10-10T00:00:00Z' });
    const policies = v2.policies as { id: string; targets: { normal: Record<string, unknown> } }[];
    policies.find((p) => p.id === 'email_only')!.targets.normal.first_reply = { minutes: 30, business: true };
    recordPolicy(db, v2, '2026-10-09T12:00:00Z');
    recordEvents(db, ticketLines('T-2', [['2026-10-12T08:00:00Z', 'created'], ['2026-10-12T09:00:00Z', 'agent']]), AS_OF);
    expect(clock(db, 'T-1', 'first_reply')).toMatchObject({ status: 'achieved', policyVersion: 1, targetMinutes: 90, elapsedMinutes: 60 });
    expect(clock(db, 'T-2', 'first_reply')).toMatchObject({ status: 'breached', policyVersion: 2, targetMinutes: 30, elapsedMinutes: 60, breachAt: '2026-10-12T08:30:00.000Z' });
    const report = slaCompliance(db, { from: '2026-10-01', to: '2026-10-31' }, AS_OF);
    expect(report.metrics.first_reply).toEqual({ achieved: 1, breached: 1, inProgress: 0, compliance: 0.5 });
    // A rebuild from the ledger gives the same.
    rebuildAllProjections(db);
    expect(clock(db, 'T-1', 'first_reply')).toMatchObject({ policyVersion: 1 });
    expect(clock(db, 'T-2', 'first_reply')).toMatchObject({ policyVersion: 2 });
  });

  it('a ticket matching no policy has no clocks; the first matching policy wins even without a target for the metric', () => {
    const { db } = tempDb();
    recordPolicy(db);
    recordEvents(db, [
      ...ticketLines('T-1', [['2026-10-05T07:00:00Z', 'created'], ['2026-10-05T08:00:00Z', 'agent']], { channel: 'chat' }),
      ...ticketLines('T-2', [['2026-10-05T07:00:00Z', 'created'], ['2026-10-05T08:00:00Z', 'agent']], { organization: 'acme', priority: 'urgent' }),
      ...ticketLines('T-3', [['2026-10-05T07:00:00Z', 'created'], ['2026-10-05T08:00:00Z', 'agent']], { organization: 'acme' }),
    ], AS_OF);
    const report = ticketSlaReport(db, 'T-1', AS_OF)!;
    for (const metric of Object.values(report.metrics)) expect(metric).toEqual({ outcome: 'not_applicable', clocks: [] });
    expect(ticketSlaOutcome(db, 'T-1', 'first_reply')).toBe('not_applicable');
    // acme + urgent: vip, 30 calendar minutes, breached after 60.
    expect(clock(db, 'T-2', 'first_reply')).toMatchObject({ policyId: 'vip', business: false, elapsedMinutes: 60, status: 'breached', breachAt: '2026-10-05T07:30:00.000Z' });
    // acme + normal: vip matches first but has no normal target, so nothing applies (no fall-through to email_only).
    expect(ticketSlaOutcome(db, 'T-3', 'first_reply')).toBe('not_applicable');
    expect(slaCompliance(db, { from: '2026-10-05', to: '2026-10-05' }, AS_OF).metrics.first_reply).toEqual({ achieved: 0, breached: 1, inProgress: 0, compliance: 0 });
    expect(ticketSlaReport(db, 'T-404', AS_OF)).toBeNull();
  });

  it('a running clock is in progress until its deadline and breached after it', () => {
    const { db } = tempDb();
    recordPolicy(db);
    recordEvents(db, ticketLines('T-1', [['2026-10-05T07:00:00Z', 'created']]), AS_OF);
    // 90 business minutes after Mon 09:00 Berlin.
    expect(ticketSlaReport(db, 'T-1', '2026-10-05T08:00:00.000Z')!.metrics.first_reply).toMatchObject({
      outcome: 'in_progress',
      clocks: [{ status: 'running', elapsedMinutes: 60, breachAt: '2026-10-05T08:30:00.000Z' }],
    });
    const late = ticketSlaReport(db, 'T-1', '2026-10-05T09:00:00.000Z')!.metrics.first_reply;
    expect(late).toMatchObject({ outcome: 'breached', clocks: [{ status: 'breached', elapsedMinutes: 120 }] });
    expect(late.clocks[0]!.events.at(-1)).toEqual({ kind: 'breach', at: '2026-10-05T08:30:00.000Z', seq: null, cause: 'target of 90 business minutes reached' });
    expect(slaCompliance(db, { from: '2026-10-05', to: '2026-10-05' }, '2026-10-05T08:00:00.000Z').metrics.first_reply).toEqual({ achieved: 0, breached: 0, inProgress: 1, compliance: null });
    expect(slaCompliance(db, { from: '2026-10-05', to: '2026-10-05' }, '2026-10-05T09:00:00.000Z').metrics.first_reply).toEqual({ achieved: 0, breached: 1, inProgress: 0, compliance: 0 });
  });
});
