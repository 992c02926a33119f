-- Open SLA outcomes (clocks still running or paused) counted per UTC creation day, metric and grouping, as sla_rollup
-- counts the final ones, and per UTC day of their deadline ('' for an open outcome without one). Whether an open
-- outcome counts as breached depends on the instant asked about, but only to within a day: due before the as-of day,
-- it is breached; due after it, or never, it is in progress. So compliance over whole days reads these counts, and
-- row by row only the outcomes due on the as-of day itself. Counting the open outcomes row by row (020's index) was
-- most of the KPI overview's time at a million tickets: 52,000 of them in the last month, 6 ms to read and 15-23 ms to
-- group, against a goal of 50 ms for the whole overview (issue 15).
CREATE TABLE sla_open_rollup (
  dim          TEXT NOT NULL,
  day          TEXT NOT NULL,
  metric       TEXT NOT NULL,
  key          TEXT NOT NULL,
  deadline_day TEXT NOT NULL,
  open         INTEGER NOT NULL,
  PRIMARY KEY (dim, day, metric, key, deadline_day)
) STRICT, WITHOUT ROWID;

-- The open outcomes due on one day, with every column their count reads.
CREATE INDEX sla_outcomes_open_by_deadline ON sla_outcomes (deadline, created_at, metric, priority, category, actor)
  WHERE outcome = 'open' AND deadline IS NOT NULL;

-- A ledger projected before this version: its open outcomes counted once here (rebuild and refresh keep them after).
INSERT INTO sla_open_rollup (dim, day, metric, key, deadline_day, open)
SELECT 'all', substr(created_at, 1, 10), metric, '', coalesce(substr(deadline, 1, 10), ''), count(*)
  FROM sla_outcomes WHERE outcome = 'open' GROUP BY 2, 3, 5
UNION ALL
SELECT 'priority', substr(created_at, 1, 10), metric, priority, coalesce(substr(deadline, 1, 10), ''), count(*)
  FROM sla_outcomes WHERE outcome = 'open' GROUP BY 2, 3, 4, 5
UNION ALL
SELECT 'category', substr(created_at, 1, 10), metric, category, coalesce(substr(deadline, 1, 10), ''), count(*)
  FROM sla_outcomes WHERE outcome = 'open' GROUP BY 2, 3, 4, 5
UNION ALL
SELECT 'actor', substr(created_at, 1, 10), metric, actor, coalesce(substr(deadline, 1, 10), ''), count(*)
  FROM sla_outcomes WHERE outcome = 'open' GROUP BY 2, 3, 4, 5;
