-- The ledger's identity: a random id made once per database file. Checkpoints name their log with it
-- (origin "attest.local/<ledger_id>"), so a checkpoint of one ledger is never taken for another's.
-- Filled here, by the migration, so that read-only opens never have to write it.
CREATE TABLE ledger_identity (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  ledger_id TEXT NOT NULL
) STRICT;

INSERT INTO ledger_identity (id, ledger_id) VALUES (1, lower(hex(randomblob(16))));
