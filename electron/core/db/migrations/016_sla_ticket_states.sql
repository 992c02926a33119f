-- Per ticket, the three facts its SLA state as of any moment is made of (TICKET_SLA_STATES; the one definition is
-- ticketSlaStateSql in electron/core/sla/sla-read-repository.ts): whether a metric's outcome is final and breached,
-- how many metrics are still open, and the earliest deadline among those. The queue's SLA column, filter and sort read
-- one row of it per ticket instead of aggregating the ticket's outcomes (issue 15: at a million tickets the SLA-state
-- filter took 1.7–2.5 s and a page sorted by SLA state up to 5.4 s). A ticket with no SLA target has no row.
-- Derived like sla_outcomes, from which it is filled here once; the SLA projection writes both from then on.
CREATE TABLE sla_ticket_states (
  ticket_id     TEXT PRIMARY KEY,
  breached      INTEGER NOT NULL CHECK (breached IN (0, 1)),
  open_metrics  INTEGER NOT NULL,
  open_deadline TEXT
) STRICT, WITHOUT ROWID;

INSERT INTO sla_ticket_states (ticket_id, breached, open_metrics, open_deadline)
SELECT ticket_id, max(outcome = 'breached'), sum(outcome = 'open'), min(CASE WHEN outcome = 'open' THEN deadline END)
FROM sla_outcomes GROUP BY ticket_id;
