-- The subject search index (ticket_search, FTS5) is written by the ticket repository beside each ticket row
-- (electron/core/tickets/ticket-repository.ts), no longer by the triggers of 002. Inside a trigger every FTS5 write
-- runs in a statement savepoint of its own, and FTS5 flushes its pending terms to a new segment at each one: a ticket
-- cost about 65 µs to write instead of about 20 (measured on a 30,000-ticket demo), two thirds of the tickets
-- projection's time on every import, demo and rebuild (issue 15). The queue counts stay in the triggers.
DROP TRIGGER tickets_after_insert;
CREATE TRIGGER tickets_after_insert AFTER INSERT ON tickets
BEGIN
  INSERT INTO ticket_counts (status, priority, category, channel, resolved_by, n)
  VALUES (new.status, new.priority, new.category, new.channel, new.resolved_by, 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;

DROP TRIGGER tickets_after_delete;
CREATE TRIGGER tickets_after_delete AFTER DELETE ON tickets
BEGIN
  UPDATE ticket_counts SET n = n - 1
  WHERE status = old.status AND priority = old.priority AND category = old.category
    AND channel = old.channel AND resolved_by = old.resolved_by;
END;
