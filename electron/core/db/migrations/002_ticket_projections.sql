-- Projections of the ledger. They hold nothing the events do not: `attest rebuild` drops and replays them.
CREATE TABLE tickets (
  id             TEXT PRIMARY KEY,
  subject        TEXT NOT NULL,
  channel        TEXT NOT NULL,
  priority       TEXT NOT NULL,
  category       TEXT NOT NULL,
  requester      TEXT,
  created_at     TEXT NOT NULL,
  status         TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  resolved_by    TEXT NOT NULL CHECK (resolved_by IN ('ai', 'human', 'unresolved')),
  solved_at      TEXT,
  first_reply_at TEXT,
  reopen_count   INTEGER NOT NULL,
  escalated      INTEGER NOT NULL,
  csat           INTEGER,
  assignee       TEXT,
  event_count    INTEGER NOT NULL,
  last_seq       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX tickets_by_created ON tickets (created_at DESC, id);
CREATE INDEX tickets_by_status ON tickets (status, created_at DESC);
CREATE INDEX tickets_by_category ON tickets (category, created_at DESC);
CREATE INDEX tickets_by_resolver ON tickets (resolved_by, created_at DESC);

CREATE TABLE messages (
  seq         INTEGER PRIMARY KEY,
  ticket_id   TEXT NOT NULL,
  at          TEXT NOT NULL,
  author_kind TEXT NOT NULL,
  author_id   TEXT,
  public      INTEGER NOT NULL,
  body        TEXT NOT NULL
) STRICT;

CREATE INDEX messages_by_ticket ON messages (ticket_id, at);

CREATE TABLE status_changes (
  seq       INTEGER PRIMARY KEY,
  ticket_id TEXT NOT NULL,
  at        TEXT NOT NULL,
  status    TEXT NOT NULL,
  by_kind   TEXT NOT NULL,
  by_id     TEXT
) STRICT;

CREATE INDEX status_changes_by_ticket ON status_changes (ticket_id, at);
