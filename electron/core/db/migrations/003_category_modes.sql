-- Projection of `category.mode` events: how far the AI may go in each ticket category.
CREATE TABLE category_modes (
  category   TEXT PRIMARY KEY,
  mode       TEXT NOT NULL CHECK (mode IN ('off', 'draft', 'auto')),
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  reason     TEXT NOT NULL,
  seq        INTEGER NOT NULL
) STRICT;
