-- Projection of `import.flag` events: data-quality flags the importers put on tickets, and the KPIs
-- each flag excludes its ticket from (JSON array of KPI names). `attest rebuild` replays it.
CREATE TABLE import_flags (
  seq       INTEGER PRIMARY KEY,
  ticket_id TEXT NOT NULL,
  kind      TEXT NOT NULL,
  detail    TEXT,
  excludes  TEXT NOT NULL
) STRICT;

CREATE INDEX import_flags_by_ticket ON import_flags (ticket_id);
CREATE INDEX import_flags_by_kind ON import_flags (kind);
