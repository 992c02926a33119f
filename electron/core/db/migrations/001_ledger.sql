-- The ledger: one append-only, hash-chained table of everything that happened to every ticket.
-- ticket_id is NULL for ledger-wide facts (a contract version, a policy, a setting changed).
CREATE TABLE events (
  seq         INTEGER PRIMARY KEY,
  ticket_id   TEXT,
  type        TEXT NOT NULL,
  at          TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  actor       TEXT NOT NULL,
  payload     TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
) STRICT;

CREATE INDEX events_by_ticket ON events (ticket_id, seq);

-- The head as the ledger last wrote it, so truncating the tail is detectable too.
CREATE TABLE ledger_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: UPDATE refused');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: DELETE refused');
END;
