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
) STRICT;

CREATE INDEX tickets_by_created ON tickets (created_at DESC, id);
CREATE INDEX tickets_by_status ON tickets (status, created_at DESC);
CREATE INDEX tickets_by_category ON tickets (category, created_at DESC);
CREATE INDEX tickets_by_resolver ON tickets (resolved_by, created_at DESC);
CREATE INDEX tickets_by_channel ON tickets (channel, created_at DESC);
CREATE INDEX tickets_by_requester ON tickets (requester);

-- Queue totals per filter combination, kept by triggers, so a count never scans a million tickets.
CREATE TABLE ticket_counts (
  status      TEXT NOT NULL,
  priority    TEXT NOT NULL,
  category    TEXT NOT NULL,
  channel     TEXT NOT NULL,
  resolved_by TEXT NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (status, priority, category, channel, resolved_by)
) STRICT, WITHOUT ROWID;

-- Substring search over subjects through a trigram index (LIKE '%word%' uses it); contentless of its
-- own, it indexes tickets.subject by the tickets' rowid.
CREATE VIRTUAL TABLE ticket_search USING fts5 (subject, content = 'tickets', content_rowid = 'rowid', tokenize = 'trigram');

CREATE TRIGGER tickets_after_insert AFTER INSERT ON tickets
BEGIN
  INSERT INTO ticket_counts (status, priority, category, channel, resolved_by, n)
  VALUES (new.status, new.priority, new.category, new.channel, new.resolved_by, 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO ticket_search (rowid, subject) VALUES (new.rowid, new.subject);
END;

CREATE TRIGGER tickets_after_delete AFTER DELETE ON tickets
BEGIN
  UPDATE ticket_counts SET n = n - 1
  WHERE status = old.status AND priority = old.priority AND category = old.category
    AND channel = old.channel AND resolved_by = old.resolved_by;
  INSERT INTO ticket_search (ticket_search, rowid, subject) VALUES ('delete', old.rowid, old.subject);
END;

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
