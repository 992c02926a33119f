// The gap report: per UTC day of recording, the events and session starts, and a finding for every day whose events do
// not begin with a session.started, and for every session whose clock read earlier than the event before it. Checked
// against a count made here from the raw events, not from the report's SQL.
import { afterEach, describe, expect, it } from 'vitest';
import { sessionGapReport } from '../../electron/core/audit/session-gaps.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { declareSession, endSessionDeclaration } from '../../electron/core/sessions/session-start.ts';
import { tempDb } from './helpers.ts';

const created = (ticket: string, at: string) => ({ ticket, type: 'created', at, channel: 'email', priority: 'normal', category: 'how_to', subject: 's' });
let n = 0;
const write = (db: Db, recordedAt: string) => recordEvents(db, [created(`T-${++n}`, recordedAt)], recordedAt);

/** Per day, computed here from the events in seq order: events, session starts, events before the day's first session. */
function independentDays(db: Db): { day: string; events: number; sessionStarts: number; eventsBeforeFirstSession: number }[] {
  const days = new Map<string, { day: string; events: number; sessionStarts: number; eventsBeforeFirstSession: number; seen: boolean }>();
  for (const row of db.prepare('SELECT type, recorded_at FROM events ORDER BY seq').all() as { type: string; recorded_at: string }[]) {
    const day = new Date(row.recorded_at).toISOString().slice(0, 10);
    const entry = days.get(day) ?? { day, events: 0, sessionStarts: 0, eventsBeforeFirstSession: 0, seen: false };
    entry.events++;
    if (row.type === 'session.started') {
      entry.sessionStarts++;
      entry.seen = true;
    } else if (!entry.seen) entry.eventsBeforeFirstSession++;
    days.set(day, entry);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day)).map(({ seen: _seen, ...rest }) => rest);
}

afterEach(() => endSessionDeclaration());

describe('the session gap report', () => {
  it('finds days written with no session, days whose first events came before one, and a clock that stepped back', () => {
    const { db } = tempDb();
    declareSession({ via: 'console' });
    write(db, '2026-10-05T08:00:00.000Z');
    write(db, '2026-10-05T17:00:00.000Z');
    endSessionDeclaration(); // something that does not say who it is writes on the 6th, and first on the 7th
    write(db, '2026-10-06T09:00:00.000Z');
    write(db, '2026-10-07T09:00:00.000Z');
    declareSession({ via: 'cli', command: 'import' });
    write(db, '2026-10-07T10:00:00.000Z');
    // Recorded "in 2040": the next session's system clock (today) reads earlier than that record.
    endSessionDeclaration();
    write(db, '2040-01-01T00:00:00.000Z');
    declareSession({ via: 'console' });
    write(db, '2040-01-01T00:00:01.000Z');

    const report = sessionGapReport(db);
    expect(report.days).toEqual(independentDays(db));
    expect(report.events).toBe(independentDays(db).reduce((sum, day) => sum + day.events, 0));
    expect(report.sessionStarts).toBe(3);
    expect(report.findings.map((f) => [f.kind, f.day])).toEqual([
      ['no_session', '2026-10-06'],
      ['events_before_session', '2026-10-07'],
      ['events_before_session', '2040-01-01'],
      ['clock_behind', '2040-01-01'],
    ]);
    const behind = report.findings.find((f) => f.kind === 'clock_behind')!;
    expect(behind).toMatchObject({ previousRecordedAt: '2040-01-01T00:00:00.000Z' });
    expect(behind.message).toMatch(/the clock stepped back/);
  });

  it('reports only the days asked for (UTC, inclusive)', () => {
    const { db } = tempDb();
    declareSession({ via: 'console' });
    for (const day of ['2026-10-05', '2026-10-06', '2026-10-07']) write(db, `${day}T12:00:00.000Z`);
    const report = sessionGapReport(db, { from: '2026-10-06', to: '2026-10-06' });
    expect(report).toMatchObject({ from: '2026-10-06', to: '2026-10-06', events: 2, sessionStarts: 1, findings: [] });
    expect(report.days.map((d) => d.day)).toEqual(['2026-10-06']);
  });

  it('a clean ledger has no findings: the demo, which records a console session each day, as a live one would', () => {
    const { db } = tempDb();
    declareSession({ via: 'cli', command: 'demo' }); // the demo's own live writes (its knowledge base) come after
    writeDemoHistory(db, { tickets: 150, seed: 5 });
    const report = sessionGapReport(db);
    expect(report.days.length).toBeGreaterThan(20);
    expect(report.days).toEqual(independentDays(db));
    expect(report.findings).toEqual([]);
  });
});
