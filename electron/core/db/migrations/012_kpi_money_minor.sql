-- KPI money in integer minor units of one currency (issue 14): a ticket's verified AI spend was a REAL sum of
-- decimal prices; it becomes an INTEGER of the outcomes' currency, with that currency beside it, and the daily
-- rollup keeps each currency's spend in rows of its own, so no query ever adds one currency to another.
-- spend_currency: '' when the ticket has no standing verified outcome; 'EUR'; or 'EUR,USD' (sorted) when its
-- outcomes are in several currencies — its spend is then 0 and every report refuses to total it.
--
-- Both tables are derived (`attest rebuild` drops and recomputes them). The existing rows are carried over here:
-- every non-money column as it was, the spend recomputed from the ledger's outcome events. Attest records a price
-- with exactly its currency's decimals (formatMinor), so the price's digits without the point are its minor units.
CREATE TABLE kpi_ticket_facts_012 (
  ticket_id            TEXT PRIMARY KEY,
  created_at           TEXT NOT NULL,
  category             TEXT NOT NULL,
  channel              TEXT NOT NULL,
  actor                TEXT NOT NULL CHECK (actor IN ('ai', 'human', 'none')),
  resolved             INTEGER NOT NULL,
  resolved_ai          INTEGER NOT NULL,
  ever_solved          INTEGER NOT NULL,
  fcr                  INTEGER NOT NULL,
  deflected            INTEGER NOT NULL,
  reopened             INTEGER NOT NULL,
  escalated            INTEGER NOT NULL,
  csat                 INTEGER,
  worklog_minutes      REAL,
  agent_work_minutes   REAL,
  verified             INTEGER NOT NULL,
  verified_spend_minor INTEGER NOT NULL,
  spend_currency       TEXT NOT NULL
) STRICT, WITHOUT ROWID;

WITH standing AS (
  SELECT v.ticket_id,
         json_extract(v.payload, '$.currency') AS currency,
         CAST(replace(json_extract(v.payload, '$.price'), '.', '') AS INTEGER) AS minor
  FROM events v
  WHERE v.type = 'outcome.verified'
    AND NOT EXISTS (
      SELECT 1 FROM events r
      WHERE r.ticket_id = v.ticket_id AND r.type IN ('outcome.reversed', 'outcome.dispute_upheld') AND json_extract(r.payload, '$.verifiedSeq') = v.seq
    )
),
spend AS (
  SELECT s.ticket_id,
         (SELECT group_concat(c, ',') FROM (SELECT DISTINCT currency AS c FROM standing o WHERE o.ticket_id = s.ticket_id ORDER BY c)) AS currencies,
         sum(s.minor) AS minor
  FROM standing s GROUP BY s.ticket_id
)
INSERT INTO kpi_ticket_facts_012
SELECT f.ticket_id, f.created_at, f.category, f.channel, f.actor, f.resolved, f.resolved_ai, f.ever_solved, f.fcr, f.deflected,
       f.reopened, f.escalated, f.csat, f.worklog_minutes, f.agent_work_minutes, f.verified,
       CASE WHEN s.currencies IS NULL OR instr(s.currencies, ',') > 0 THEN 0 ELSE s.minor END,
       coalesce(s.currencies, '')
FROM kpi_ticket_facts f LEFT JOIN spend s ON s.ticket_id = f.ticket_id;

DROP TABLE kpi_ticket_facts;
ALTER TABLE kpi_ticket_facts_012 RENAME TO kpi_ticket_facts;
CREATE INDEX kpi_facts_by_created ON kpi_ticket_facts (created_at);

CREATE TABLE kpi_rollup_012 (
  day                  TEXT NOT NULL,
  category             TEXT NOT NULL,
  channel              TEXT NOT NULL,
  actor                TEXT NOT NULL,
  spend_currency       TEXT NOT NULL,
  tickets              INTEGER NOT NULL,
  resolved             INTEGER NOT NULL,
  resolved_ai          INTEGER NOT NULL,
  ever_solved          INTEGER NOT NULL,
  fcr                  INTEGER NOT NULL,
  deflected            INTEGER NOT NULL,
  reopened             INTEGER NOT NULL,
  escalated            INTEGER NOT NULL,
  csat_n               INTEGER NOT NULL,
  csat_sum             INTEGER NOT NULL,
  csat_sq              INTEGER NOT NULL,
  csat_sat             INTEGER NOT NULL,
  worklog_n            INTEGER NOT NULL,
  worklog_sum          REAL NOT NULL,
  worklog_sq           REAL NOT NULL,
  agentwork_n          INTEGER NOT NULL,
  agentwork_sum        REAL NOT NULL,
  agentwork_sq         REAL NOT NULL,
  verified             INTEGER NOT NULL,
  verified_spend_minor INTEGER NOT NULL,
  PRIMARY KEY (day, category, channel, actor, spend_currency)
) STRICT, WITHOUT ROWID;

INSERT INTO kpi_rollup_012
SELECT substr(created_at, 1, 10), category, channel, actor, spend_currency,
       count(*), sum(resolved), sum(resolved_ai), sum(ever_solved), sum(fcr), sum(deflected), sum(reopened), sum(escalated),
       count(csat), total(csat), total(csat * csat), total(csat >= 4),
       count(worklog_minutes), total(worklog_minutes), total(worklog_minutes * worklog_minutes),
       count(agent_work_minutes), total(agent_work_minutes), total(agent_work_minutes * agent_work_minutes),
       sum(verified), sum(verified_spend_minor)
FROM kpi_ticket_facts GROUP BY 1, 2, 3, 4, 5;

DROP TABLE kpi_rollup;
ALTER TABLE kpi_rollup_012 RENAME TO kpi_rollup;
