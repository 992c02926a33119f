// SQL behind the session gap report: per UTC day of recording, the events, the session.started among them and how
// many came before the day's first one; and each session.started with the event recorded just before it.
import type { Db } from '../db/connection.ts';

export interface DayRow {
  day: string;
  events: number;
  sessionStarts: number;
  eventsBeforeFirstSession: number;
  firstSessionSeq: number | null;
}

export interface SessionRow {
  seq: number;
  recordedAt: string;
  payload: string;
  previousSeq: number | null;
  previousRecordedAt: string | null;
}

// Days are the first ten characters of recordedAt (ISO 8601 UTC, as the ledger records it); `from`/`to` inclusive.
const IN_RANGE = "(? IS NULL OR substr(recorded_at, 1, 10) >= ?) AND (? IS NULL OR substr(recorded_at, 1, 10) <= ?)";

export function eventDays(db: Db, from: string | null, to: string | null): DayRow[] {
  return db
    .prepare(
      `WITH recorded AS (SELECT substr(recorded_at, 1, 10) AS day, seq, type FROM events WHERE ${IN_RANGE}),
            first AS (SELECT day, min(CASE WHEN type = 'session.started' THEN seq END) AS first_session FROM recorded GROUP BY day)
       SELECT r.day AS day, count(*) AS events, sum(r.type = 'session.started') AS sessionStarts,
              sum(f.first_session IS NULL OR r.seq < f.first_session) AS eventsBeforeFirstSession, f.first_session AS firstSessionSeq
       FROM recorded r JOIN first f ON f.day = r.day
       GROUP BY r.day ORDER BY r.day`,
    )
    .all(from, from, to, to) as DayRow[];
}

export function sessionStarts(db: Db, from: string | null, to: string | null): SessionRow[] {
  return db
    .prepare(
      `SELECT s.seq AS seq, s.recorded_at AS recordedAt, s.payload AS payload, p.seq AS previousSeq, p.recorded_at AS previousRecordedAt
       FROM events s LEFT JOIN events p ON p.seq = s.seq - 1
       WHERE s.type = 'session.started' AND ${IN_RANGE.replaceAll('recorded_at', 's.recorded_at')}
       ORDER BY s.seq`,
    )
    .all(from, from, to, to) as SessionRow[];
}
