// The gap report (DORA RTS Art. 12: detecting logging failures; the clock source). Every process that writes records
// a session.started before its first new event of each UTC day (sessions/session-start.ts). So, per UTC day of
// recording:
//  - no_session: events were recorded and no session.started at all — something wrote without saying who it was
//    (an older Attest version, a restored history from before sessions were recorded, a tool that bypassed Attest);
//  - events_before_session: the day's first events came before its first session.started — the same, for part of it;
//  - clock_behind: a session's system clock read earlier than the recordedAt of the event before it — the clock
//    stepped back (the ledger never records time backwards, so recordedAt stays monotonic while `clock` shows it).
// What it cannot see: a writer that skips the announcement on a day on which another process already announced
// itself before it (events are not tagged with their process); the chain check still covers every event.
import type { SessionGapFinding, SessionGapReport } from '../../../shared/contracts/audit.ts';
import type { Db } from '../db/connection.ts';
import { eventDays, sessionStarts } from './session-gaps-repository.ts';

export function sessionGapReport(db: Db, range: { from?: string; to?: string } = {}): SessionGapReport {
  const from = range.from ?? null;
  const to = range.to ?? null;
  const days = eventDays(db, from, to);
  const findings: SessionGapFinding[] = [];
  for (const day of days) {
    if (day.firstSessionSeq === null) {
      findings.push({ kind: 'no_session', day: day.day, events: day.events, message: `${day.day}: ${day.events} event(s) recorded and no session.started: nothing says which process wrote them` });
    } else if (day.eventsBeforeFirstSession > 0) {
      findings.push({
        kind: 'events_before_session', day: day.day, events: day.eventsBeforeFirstSession, firstSessionSeq: day.firstSessionSeq,
        message: `${day.day}: ${day.eventsBeforeFirstSession} event(s) recorded before the day's first session.started (#${day.firstSessionSeq})`,
      });
    }
  }
  for (const session of sessionStarts(db, from, to)) {
    const clock = (JSON.parse(session.payload) as { clock: string }).clock;
    if (session.previousSeq === null || session.previousRecordedAt === null) continue;
    if (Date.parse(clock) < Date.parse(session.previousRecordedAt)) {
      findings.push({
        kind: 'clock_behind', day: session.recordedAt.slice(0, 10), seq: session.seq, clock, previousSeq: session.previousSeq, previousRecordedAt: session.previousRecordedAt,
        message: `#${session.seq}: the system clock read ${clock}, earlier than #${session.previousSeq} was recorded (${session.previousRecordedAt}): the clock stepped back`,
      });
    }
  }
  findings.sort((a, b) => a.day.localeCompare(b.day));
  return {
    from,
    to,
    events: days.reduce((sum, day) => sum + day.events, 0),
    sessionStarts: days.reduce((sum, day) => sum + day.sessionStarts, 0),
    days: days.map(({ day, events, sessionStarts: starts, eventsBeforeFirstSession }) => ({ day, events, sessionStarts: starts, eventsBeforeFirstSession })),
    findings,
  };
}
