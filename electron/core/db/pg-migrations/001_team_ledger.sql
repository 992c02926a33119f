-- The team ledger on PostgreSQL: the same append-only, hash-chained `events` table as a desktop ledger (same
-- columns, sequence numbers and hashes), guarded by the database itself. Consoles append through a writer role
-- that may only INSERT and SELECT here (`attest team init` grants it); these triggers hold even for the table's owner.
CREATE TABLE events (
  seq         BIGINT PRIMARY KEY,
  ticket_id   TEXT,
  type        TEXT NOT NULL,
  at          TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  actor       TEXT NOT NULL,
  payload     TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);

CREATE INDEX events_by_ticket ON events (ticket_id, seq);
CREATE INDEX events_ledger_wide_by_type ON events (type, seq) WHERE ticket_id IS NULL;

CREATE FUNCTION attest_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION attest_refuse_change();
CREATE TRIGGER events_no_delete BEFORE DELETE ON events FOR EACH ROW EXECUTE FUNCTION attest_refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION attest_refuse_change();

-- Each new row must continue the chain: seq is the head's plus one, prev_hash is the head's hash, the record time
-- never goes backwards and is not ahead of this server's clock (consoles with a wrong clock cannot post-date).
-- (A row-level BEFORE trigger sees the rows its own statement inserted before it, so multi-row inserts chain too.)
CREATE FUNCTION attest_continue_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head RECORD;
BEGIN
  SELECT seq, hash, recorded_at INTO head FROM events ORDER BY seq DESC LIMIT 1;
  IF NOT FOUND THEN
    IF NEW.seq <> 1 OR NEW.prev_hash <> repeat('0', 64) THEN
      RAISE EXCEPTION 'event #% does not start the chain (the first event is #1 after the genesis hash)', NEW.seq USING ERRCODE = 'check_violation';
    END IF;
  ELSE
    IF NEW.seq <> head.seq + 1 THEN
      RAISE EXCEPTION 'event #% does not follow the head #%', NEW.seq, head.seq USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.prev_hash <> head.hash THEN
      RAISE EXCEPTION 'event #%: prev_hash does not link to the hash of #%', NEW.seq, head.seq USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.recorded_at < head.recorded_at THEN
      RAISE EXCEPTION 'event #%: recorded_at % is before that of #% (%)', NEW.seq, NEW.recorded_at, head.seq, head.recorded_at USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF NEW.recorded_at > to_char((clock_timestamp() AT TIME ZONE 'UTC') + interval '2 minutes', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') THEN
    RAISE EXCEPTION 'event #%: recorded_at % is ahead of the team server''s clock (check the clock of the computer that wrote it)', NEW.seq, NEW.recorded_at USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.hash !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION 'event #%: hash is not a SHA-256 hex digest', NEW.seq USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER events_continue_chain BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION attest_continue_chain();

-- The ledger's identity (checkpoint origin "attest.local/<ledger_id>"): a pushed desktop ledger keeps its own.
CREATE TABLE ledger_identity (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  ledger_id TEXT NOT NULL
);
INSERT INTO ledger_identity (id, ledger_id) VALUES (1, md5(random()::text || clock_timestamp()::text));

-- The secrets behind the team's accounts (the accounts themselves are ledger events). Never in an event or export.
CREATE TABLE account_credentials (
  account    TEXT PRIMARY KEY,
  password   TEXT NOT NULL,
  changed_at TEXT NOT NULL
);

-- Every console's replica: a witness of the history it verified.
CREATE TABLE replicas (
  replica_id     TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  cosigner       TEXT NOT NULL,
  first_seen     TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen      TIMESTAMPTZ NOT NULL DEFAULT now(),
  verified_size  BIGINT NOT NULL DEFAULT 0,
  cosigned_size  BIGINT NOT NULL DEFAULT 0,
  stopped        TEXT
);

-- A replica's C2SP tlog-cosignature of a checkpoint event it verified against its own copy of the ledger.
CREATE TABLE replica_cosignatures (
  checkpoint_seq BIGINT NOT NULL REFERENCES events (seq),
  replica_id     TEXT NOT NULL REFERENCES replicas (replica_id),
  tree_size      BIGINT NOT NULL,
  root_hash      TEXT NOT NULL,
  cosigner       TEXT NOT NULL,
  timestamp      BIGINT NOT NULL,
  signature      TEXT NOT NULL,
  PRIMARY KEY (checkpoint_seq, replica_id)
);

-- AI resolution in team mode: one resolver at a time per ticket. A lease expires, so a console that died frees
-- its tickets; the holder renews or releases it.
CREATE TABLE ai_leases (
  ticket_id  TEXT PRIMARY KEY,
  holder     TEXT NOT NULL,
  taken_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL
);
