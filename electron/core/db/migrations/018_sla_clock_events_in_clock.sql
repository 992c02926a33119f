-- A clock's metric events (activate, pause, resume, fulfill, breach) move into the clock's own row, as one JSON array
-- `events` of [kind, at, seq, cause] in the order they happened (seq is null for a breach: no ledger event causes
-- it). They are only ever read with their clock: one ticket's timeline, one metric's evidence. As a table of their
-- own they were about thirteen rows a ticket under a four-column text key, and writing them was the largest single
-- cost of the SLA projection (issue 15: 79 µs a ticket at 30,000 tickets, of about 140 µs for every SLA table). The
-- policy id and version each of those rows repeated are the clock's.
-- Derived, like the rest of the SLA tables: filled here once from sla_events; the SLA projection writes it from now on.
ALTER TABLE sla_clocks ADD COLUMN events TEXT NOT NULL DEFAULT '[]';

UPDATE sla_clocks SET events = (
  SELECT json_group_array(json_array(e.kind, e.at, e.seq, e.cause) ORDER BY e.ord)
  FROM sla_events e
  WHERE e.ticket_id = sla_clocks.ticket_id AND e.metric = sla_clocks.metric AND e.instance = sla_clocks.instance
);

DROP TABLE sla_events;
