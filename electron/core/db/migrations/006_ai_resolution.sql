-- Projections of the knowledge base (`kb.article` events) and of the AI pipeline (`ai.*` events).
-- They hold nothing the ledger does not: `attest rebuild` drops and replays them.
CREATE TABLE kb_articles (
  id           TEXT PRIMARY KEY,
  version      INTEGER NOT NULL,
  title        TEXT NOT NULL,
  body         TEXT NOT NULL,
  tags         TEXT NOT NULL,
  category     TEXT,
  source       TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  seq          INTEGER NOT NULL
) STRICT;

-- Every version ever recorded, so the exact text that grounded an answer can be shown later.
CREATE TABLE kb_article_versions (
  id           TEXT NOT NULL,
  version      INTEGER NOT NULL,
  title        TEXT NOT NULL,
  body         TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  PRIMARY KEY (id, version)
) STRICT;

CREATE VIRTUAL TABLE kb_fts USING fts5(article_id UNINDEXED, title, tags, body, tokenize = 'porter unicode61 remove_diacritics 2');

-- One row per pipeline run (ticket + attempt): its latest state for the review queue and the gaps view.
CREATE TABLE ai_runs (
  run_id        TEXT PRIMARY KEY,
  ticket_id     TEXT NOT NULL,
  attempt_key   TEXT NOT NULL,
  category      TEXT NOT NULL,
  topic         TEXT NOT NULL,
  model         TEXT NOT NULL,
  action        TEXT NOT NULL,
  reason        TEXT,
  confidence    REAL NOT NULL,
  draft         TEXT NOT NULL,
  citations     TEXT NOT NULL,
  decided_at    TEXT NOT NULL,
  decision_seq  INTEGER NOT NULL,
  review        TEXT,
  review_reason TEXT,
  reviewed_by   TEXT,
  reviewed_at   TEXT,
  review_seq    INTEGER
) STRICT;

CREATE INDEX ai_runs_by_ticket ON ai_runs (ticket_id, decision_seq);
CREATE INDEX ai_runs_by_action ON ai_runs (action, review);
