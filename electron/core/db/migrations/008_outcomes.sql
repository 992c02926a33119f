-- Projection of the outcome-contract events (contract versions, verifications, reversals, discrepancies,
-- disputes), so statements and explanations read them without scanning the whole ledger.
CREATE TABLE outcome_events (
  seq       INTEGER PRIMARY KEY,
  ticket_id TEXT,
  type      TEXT NOT NULL,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  payload   TEXT NOT NULL
) STRICT;

CREATE INDEX outcome_events_by_type ON outcome_events (type, seq);
CREATE INDEX outcome_events_by_ticket ON outcome_events (ticket_id, seq);
