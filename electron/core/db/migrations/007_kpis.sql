-- KPI projections. Everything here is derived from the ledger: `attest rebuild` drops and recomputes it.

-- One row per ticket: the facts every KPI is counted from (see shared/contracts/kpis.ts for the definitions).
-- actor: 'human' when a human agent took part, else 'ai' when the AI did, else 'none'.
CREATE TABLE kpi_ticket_facts (
  ticket_id          TEXT PRIMARY KEY,
  created_at         TEXT NOT NULL,
  category           TEXT NOT NULL,
  channel            TEXT NOT NULL,
  actor              TEXT NOT NULL CHECK (actor IN ('ai', 'human', 'none')),
  resolved           INTEGER NOT NULL,
  resolved_ai        INTEGER NOT NULL,
  ever_solved        INTEGER NOT NULL,
  fcr                INTEGER NOT NULL,
  deflected          INTEGER NOT NULL,
  reopened           INTEGER NOT NULL,
  escalated          INTEGER NOT NULL,
  csat               INTEGER,
  worklog_minutes    REAL,
  agent_work_minutes REAL,
  verified           INTEGER NOT NULL,
  verified_spend     REAL NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX kpi_facts_by_created ON kpi_ticket_facts (created_at);

-- Sums of those facts per UTC creation day, category, channel and actor: any period of whole days reads
-- a few rows per day. *_sq are sums of squares (for confidence intervals of means).
CREATE TABLE kpi_rollup (
  day            TEXT NOT NULL,
  category       TEXT NOT NULL,
  channel        TEXT NOT NULL,
  actor          TEXT NOT NULL,
  tickets        INTEGER NOT NULL,
  resolved       INTEGER NOT NULL,
  resolved_ai    INTEGER NOT NULL,
  ever_solved    INTEGER NOT NULL,
  fcr            INTEGER NOT NULL,
  deflected      INTEGER NOT NULL,
  reopened       INTEGER NOT NULL,
  escalated      INTEGER NOT NULL,
  csat_n         INTEGER NOT NULL,
  csat_sum       INTEGER NOT NULL,
  csat_sq        INTEGER NOT NULL,
  csat_sat       INTEGER NOT NULL,
  worklog_n      INTEGER NOT NULL,
  worklog_sum    REAL NOT NULL,
  worklog_sq     REAL NOT NULL,
  agentwork_n    INTEGER NOT NULL,
  agentwork_sum  REAL NOT NULL,
  agentwork_sq   REAL NOT NULL,
  verified       INTEGER NOT NULL,
  verified_spend REAL NOT NULL,
  PRIMARY KEY (day, category, channel, actor)
) STRICT, WITHOUT ROWID;
