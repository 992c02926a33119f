import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessCalendar } from '../../electron/core/sla/business-calendar.ts';
import { computeTicketClocks, type EngineEvent } from '../../electron/core/sla/clock-engine.ts';
import { PolicySet } from '../../electron/core/sla/policy-set.ts';
import { policyFileSchema } from '../../electron/core/sla/policy-schema.ts';
import { SLA_METRICS } from '../../shared/contracts/sla.ts';
import { NEW_YORK, OFFICE } from './sla-helpers.ts';

const START = Date.parse('2026-03-01T00:00:00Z');
const targets = (business: boolean) => Object.fromEntries(SLA_METRICS.map((m) => [m, { minutes: 120, business }]));
const policies = (business: boolean, calendar: object) =>
  new PolicySet([
    {
      seq: 1,
      file: policyFileSchema.parse({ version: 1, effectiveFrom: '2026-01-01T00:00:00Z', calendars: { c: calendar }, policies: [{ id: 'p', match: {}, calendar: 'c', targets: { normal: targets(business) } }] }),
    },
  ]);

const step = fc.record({
  gapMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  what: fc.constantFrom('customer', 'agent', 'ai', 'note', 'new', 'open', 'pending', 'on_hold', 'solved', 'closed'),
});

function events(steps: { gapMinutes: number; what: string }[]): EngineEvent[] {
  let at = START;
  const traits = { priority: 'normal', category: 'c', channel: 'email', organization: null, tier: null };
  const out: EngineEvent[] = [{ seq: 1, at: new Date(at).toISOString(), type: 'created', actorKind: 'customer', isPublic: false, status: null, traits }];
  steps.forEach((s, i) => {
    at += s.gapMinutes * 60_000;
    const base = { seq: i + 2, at: new Date(at).toISOString(), traits: null };
    if (['customer', 'agent', 'ai', 'note'].includes(s.what)) {
      out.push({ ...base, type: 'message', actorKind: s.what === 'agent' || s.what === 'note' ? 'human' : s.what, isPublic: s.what !== 'note', status: null });
    } else out.push({ ...base, type: 'status', actorKind: 'human', isPublic: false, status: s.what });
  });
  return out;
}

describe('SLA clock properties', () => {
  for (const [name, calendar] of [
    ['Europe/Berlin office', OFFICE],
    ['America/New_York office', NEW_YORK],
  ] as const) {
    it(`paused + running time equals elapsed time, in calendar and business time (${name})`, () => {
      const cal = businessCalendar(policyFileSchema.parse({ version: 1, effectiveFrom: '2026-01-01T00:00:00Z', calendars: { c: calendar }, policies: [] }).calendars.c!);
      fc.assert(
        fc.property(fc.array(step, { maxLength: 25 }), fc.boolean(), (steps, business) => {
          const evs = events(steps);
          const end = Date.parse(evs.at(-1)!.at);
          for (const clock of computeTicketClocks(evs, policies(business, calendar))) {
            const until = clock.stoppedMs ?? end;
            let running = 0;
            let paused = 0;
            let runningBusiness = 0;
            let pausedBusiness = 0;
            let cursor = clock.startedMs;
            for (const seg of clock.segments) {
              expect(seg.fromMs).toBe(cursor);
              cursor = seg.toMs;
              if (seg.running) {
                running += seg.toMs - seg.fromMs;
                runningBusiness += cal.between(seg.fromMs, seg.toMs);
              } else {
                paused += seg.toMs - seg.fromMs;
                pausedBusiness += cal.between(seg.fromMs, seg.toMs);
              }
            }
            expect(cursor).toBe(clock.state === 'fulfilled' ? clock.stoppedMs : clock.lastChangeMs);
            if (clock.state === 'fulfilled') expect(running + paused).toBe(until - clock.startedMs);
            expect(runningBusiness + pausedBusiness).toBe(cal.between(clock.startedMs, cursor));
            expect(clock.elapsedMs).toBe(business ? runningBusiness : running);
            // A clock is breached exactly when its running time went past the target.
            expect(clock.breachRecorded).toBe(clock.elapsedMs > clock.target.targetMs);
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('adding N business minutes and measuring them back gives N', () => {
    const cal = businessCalendar(policyFileSchema.parse({ version: 1, effectiveFrom: '2026-01-01T00:00:00Z', calendars: { c: OFFICE }, policies: [] }).calendars.c!);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 24 * 60 }), fc.integer({ min: 1, max: 20_000 }), (offset, minutes) => {
        const from = START + offset * 60_000;
        const to = cal.add(from, minutes * 60_000);
        expect(cal.between(from, to)).toBe(minutes * 60_000);
        expect(cal.between(from, to - 1)).toBeLessThan(minutes * 60_000);
      }),
      { numRuns: 500 },
    );
  });
});
