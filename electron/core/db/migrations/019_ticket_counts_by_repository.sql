-- The queue's counts (ticket_counts) are kept by the ticket repository (electron/core/tickets/ticket-repository.ts),
-- no longer by triggers on every row of `tickets`: it adds a chunk's counts with one upsert per distinct combination and
-- takes a chunk's away with one UPDATE before deleting its rows. Each trigger firing cost about 9 µs a ticket (insert
-- into a 30,000-ticket table: 27 µs a row with the trigger, 18 µs without), paid on every import, demo, refresh and
-- rebuild, once on insert and again on delete (issue 15). Rows that reach zero are still removed by the trigger of
-- 013 on ticket_counts itself. The counts are unchanged by this migration: they already match the rows.
DROP TRIGGER tickets_after_insert;
DROP TRIGGER tickets_after_delete;
