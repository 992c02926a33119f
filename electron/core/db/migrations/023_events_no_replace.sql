-- `INSERT OR REPLACE INTO events` (and `REPLACE INTO events`) took an existing event's seq and silently replaced it:
-- SQLite deletes the row a REPLACE conflicts with without firing DELETE triggers (it fires them only with
-- recursive_triggers on), so events_no_update and events_no_delete let it pass with both triggers intact. An event's
-- seq may now only be taken by a new event: an insert of a seq the ledger holds is refused before the conflict.
CREATE TRIGGER events_no_replace BEFORE INSERT ON events WHEN EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq)
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: REPLACE of an existing event refused');
END;
