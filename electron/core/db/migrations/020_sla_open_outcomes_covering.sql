-- The open SLA outcomes (clocks still running or paused) are the one part of SLA compliance the rollup cannot hold:
-- whether an open clock counts as breached depends on the instant asked about. Every compliance figure (the KPI
-- overview, the SLA board) therefore counts them per request, by creation time. The index of 004 held only
-- created_at, so each of them cost a lookup into the whole sla_outcomes table for its metric, deadline and group: at
-- 300,000 tickets (15,517 open of 1.4 M outcomes) that count took 21–37 ms, 100 ms at worst, of a KPI overview whose
-- goal is 50 ms (issue 15). This index holds every column the count reads, so it is answered from the index alone
-- (4–10 ms). It stays small: only open outcomes are in it.
DROP INDEX sla_outcomes_open;
CREATE INDEX sla_outcomes_open ON sla_outcomes (created_at, metric, deadline, priority, category, actor) WHERE outcome = 'open';
