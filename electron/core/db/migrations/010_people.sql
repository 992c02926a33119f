-- The secrets behind accounts. Accounts themselves (name, printed name, role, enabled) are ledger events; a
-- password hash must never be in an event or an export, so it lives here, beside the ledger, keyed by account.
CREATE TABLE account_credentials (
  account     TEXT PRIMARY KEY,
  -- scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>
  password    TEXT NOT NULL,
  changed_at  TEXT NOT NULL
) STRICT;

-- Every call of the console folds the account events and sign-ins are judged by the access events: both are
-- ledger-wide events of a few types among many, found by type.
CREATE INDEX events_ledger_wide_by_type ON events (type, seq) WHERE ticket_id IS NULL;
