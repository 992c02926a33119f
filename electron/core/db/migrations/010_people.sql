-- The secrets behind accounts. Accounts themselves (name, printed name, role, enabled) are ledger events; a
-- password hash must never be in an event or an export, so it lives here, beside the ledger, keyed by account.
CREATE TABLE account_credentials (
  account     TEXT PRIMARY KEY,
  -- scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>
  password    TEXT NOT NULL,
  changed_at  TEXT NOT NULL
) STRICT;
