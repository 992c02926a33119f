-- A queue total that falls to zero is removed: a rebuild from the events never writes a zero row, so the deep check
-- (every projection rebuilt and compared row by row) would call such a row "not derived from the ledger". Ledgers
-- kept live by the triggers of 002 (a ticket moving out of the last group of its kind) have them; they go now.
DELETE FROM ticket_counts WHERE n = 0;

CREATE TRIGGER ticket_counts_drop_empty AFTER UPDATE OF n ON ticket_counts WHEN new.n = 0
BEGIN
  DELETE FROM ticket_counts
  WHERE status = new.status AND priority = new.priority AND category = new.category
    AND channel = new.channel AND resolved_by = new.resolved_by;
END;
