-- A file that is a console's replica of a team ledger (PostgreSQL). Its events are the team's: they come only from
-- the team ledger, through the replica's sync and the team write gate. Any other append to it (a CLI import, a desktop
-- console opened on the file) is refused, so a replica never holds an event the team ledger does not.
CREATE TABLE team_replica (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  team      TEXT NOT NULL,
  joined_at TEXT NOT NULL
) STRICT;
