-- SLA engine. Everything here is derived from the ledger (`sla.policy` events and the tickets' events):
-- `attest rebuild` drops and recomputes it.

-- Each imported policy file, as recorded by its `sla.policy` event.
CREATE TABLE sla_policy_versions (
  seq            INTEGER PRIMARY KEY,
  version        INTEGER NOT NULL,
  effective_from TEXT NOT NULL,
  recorded_at    TEXT NOT NULL,
  recorded_by    TEXT NOT NULL,
  policy_file    TEXT NOT NULL
) STRICT;

-- One metric clock of one ticket (next_reply and periodic_update can run several times: instance 1, 2, …).
-- elapsed_ms is running time (business or calendar) up to last_change_at; a running clock keeps counting.
-- breach_at: when the clock passed its target (breach_recorded = 1) or, running, its deadline.
CREATE TABLE sla_clocks (
  ticket_id       TEXT NOT NULL,
  metric          TEXT NOT NULL,
  instance        INTEGER NOT NULL,
  policy_id       TEXT NOT NULL,
  policy_version  INTEGER NOT NULL,
  calendar        TEXT NOT NULL,
  business        INTEGER NOT NULL,
  target_minutes  INTEGER NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('running', 'paused', 'fulfilled')),
  started_at      TEXT NOT NULL,
  stopped_at      TEXT,
  elapsed_ms      INTEGER NOT NULL,
  last_change_at  TEXT NOT NULL,
  breach_at       TEXT,
  breach_recorded INTEGER NOT NULL,
  fulfilled_by    TEXT NOT NULL,
  PRIMARY KEY (ticket_id, metric, instance)
) STRICT, WITHOUT ROWID;

-- The live board: running clocks by deadline.
CREATE INDEX sla_clocks_running ON sla_clocks (breach_at) WHERE state = 'running';

-- The metric events: activate, pause, resume, fulfill, breach; seq is the ledger event that caused it
-- (NULL for a breach, which happens between events when the clock reaches its target).
CREATE TABLE sla_events (
  ticket_id      TEXT NOT NULL,
  metric         TEXT NOT NULL,
  instance       INTEGER NOT NULL,
  ord            INTEGER NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('activate', 'pause', 'resume', 'fulfill', 'breach')),
  at             TEXT NOT NULL,
  seq            INTEGER,
  policy_id      TEXT NOT NULL,
  policy_version INTEGER NOT NULL,
  cause          TEXT NOT NULL,
  PRIMARY KEY (ticket_id, metric, instance, ord)
) STRICT, WITHOUT ROWID;

-- Per ticket and metric: achieved / breached (final), or open (deadline: the earliest running deadline;
-- it counts as breached once that time has passed). actor: who fulfilled it last (ai, human, …, none).
CREATE TABLE sla_outcomes (
  ticket_id  TEXT NOT NULL,
  metric     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  priority   TEXT NOT NULL,
  category   TEXT NOT NULL,
  actor      TEXT NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('achieved', 'breached', 'open')),
  deadline   TEXT,
  PRIMARY KEY (ticket_id, metric)
) STRICT, WITHOUT ROWID;

CREATE INDEX sla_outcomes_by_created ON sla_outcomes (metric, outcome, created_at);
CREATE INDEX sla_outcomes_open ON sla_outcomes (created_at) WHERE outcome = 'open';

-- Final outcomes counted per UTC creation day, metric and grouping (dim 'all' with key '', or 'priority',
-- 'category', 'actor' with its value): compliance over any range of whole days reads a few rows per day.
CREATE TABLE sla_rollup (
  dim      TEXT NOT NULL,
  day      TEXT NOT NULL,
  metric   TEXT NOT NULL,
  key      TEXT NOT NULL,
  achieved INTEGER NOT NULL,
  breached INTEGER NOT NULL,
  PRIMARY KEY (dim, day, metric, key)
) STRICT, WITHOUT ROWID;
